import type Database from "better-sqlite3";
import { REGIONS, regionFromDepartement } from "../sources/regions.js";

/**
 * Everything precomputed once the sources are in, so that a lookup at match time is one query:
 * terminal MEFSTAT11 of every MEF year, the continuum made reciprocal with its 1:1 links marked and
 * projected on terminal MEFSTAT11s, regions of schools.
 */
export function deriveTables(db: Database.Database): void {
  const insertRegion = db.prepare("INSERT OR IGNORE INTO region (insee, academique, nom) VALUES (?, ?, ?)");
  for (const r of REGIONS) insertRegion.run(r.insee, r.academique, r.nom);

  // Terminal year of each MEF: the row of the same CFD and dispositif whose année = durée.
  // An open MEF is preferred to a closed one when the BCN keeps both.
  db.exec(`
    UPDATE mef SET terminal_mefstat11 = (
      SELECT t.mefstat11 FROM mef t
      WHERE t.cfd = mef.cfd AND t.dispositif IS mef.dispositif AND t.duree = mef.duree AND t.annee = t.duree
      ORDER BY (t.date_fermeture IS NULL) DESC, t.date_fermeture DESC, t.mefstat11
      LIMIT 1)
    WHERE duree IS NOT NULL AND annee IS NOT NULL AND annee <= duree;
  `);

  // Continuum, reciprocal: an ancien of A makes A a nouveau of it, and the other way round.
  db.exec(`
    INSERT OR IGNORE INTO continuum (code, relation, other, one_to_one)
      SELECT cfd, relation, other, 0 FROM continuum_declared WHERE cfd <> other
      UNION
      SELECT other, CASE relation WHEN 'ancien' THEN 'nouveau' ELSE 'ancien' END, cfd, 0
      FROM continuum_declared WHERE cfd <> other;
    UPDATE continuum SET one_to_one = 1
    WHERE (SELECT count(*) FROM continuum c WHERE c.code = continuum.code AND c.relation = continuum.relation) = 1
      AND (SELECT count(*) FROM continuum c WHERE c.code = continuum.other AND c.relation <> continuum.relation) = 1;
  `);
  projectContinuumOnMefs(db);

  // Schools: region from the département when the source did not give it.
  const missing = db
    .prepare("SELECT uai, departement FROM etablissement WHERE region IS NULL AND departement IS NOT NULL")
    .all() as { uai: string; departement: string }[];
  const setRegion = db.prepare("UPDATE etablissement SET region = ? WHERE uai = ?");
  for (const row of missing) {
    const region = regionFromDepartement(row.departement);
    if (region) setRegion.run(region.insee, row.uai);
  }
}

/**
 * A 1:1 CFD link A → C carries scolaire data between their terminal MEFSTAT11s: the only terminal code
 * of each when both have one, else the code of C with the same dispositif and the same first 4 chars
 * (the reference's computeBCNMEFContinuum).
 */
function projectContinuumOnMefs(db: Database.Database): void {
  const pairs = db
    .prepare(
      "SELECT code, other FROM continuum WHERE relation = 'nouveau' AND one_to_one = 1 AND length(code) = 8",
    )
    .all() as { code: string; other: string }[];
  const terminals = db.prepare(
    "SELECT DISTINCT mefstat11, dispositif FROM mef WHERE cfd = ? AND annee = duree ORDER BY mefstat11",
  );
  const insert = db.prepare(
    "INSERT OR IGNORE INTO continuum (code, relation, other, one_to_one) VALUES (?, ?, ?, 1)",
  );
  for (const { code: ancien, other: nouveau } of pairs) {
    const olds = terminals.all(ancien) as { mefstat11: string; dispositif: string }[];
    const news = terminals.all(nouveau) as { mefstat11: string; dispositif: string }[];
    for (const old of olds) {
      let match: string | undefined;
      if (olds.length === 1 && news.length === 1) match = news[0]!.mefstat11;
      else {
        const same = news.filter(
          (n) => n.dispositif === old.dispositif && n.mefstat11.slice(0, 4) === old.mefstat11.slice(0, 4),
        );
        if (same.length === 1) match = same[0]!.mefstat11;
      }
      if (match && match !== old.mefstat11) {
        insert.run(old.mefstat11, "nouveau", match);
        insert.run(match, "ancien", old.mefstat11);
      }
    }
  }
}
