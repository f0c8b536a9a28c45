import type Database from "better-sqlite3";
import { REGIONS, regionFromDepartement } from "../sources/regions.js";

/**
 * Everything precomputed once the sources are in, so that a lookup at match time is one query:
 * terminal MEFSTAT11 of every MEF year, the continuum made reciprocal with its 1:1 links marked and
 * projected on terminal MEFSTAT11s, regions of schools.
 */
export function deriveTables(db: Database.Database): void {
  // Links: sorted before they enter the primary key, indexed on their target once they are all in.
  db.exec(`
    INSERT OR IGNORE INTO link (from_type, from_code, to_type, to_code, source)
      SELECT from_type, from_code, to_type, to_code, source FROM link_stage ORDER BY 1, 2, 3, 4, 5;
    DROP TABLE link_stage;
    CREATE INDEX link_by_target ON link (to_type, to_code);
  `);

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

  // Continuum, reciprocal: an ancien of A makes A a nouveau of it, and the other way round. A link is
  // 1:1 when A has exactly one nouveau C and C exactly one ancien (the reference's computeContinuumStats:
  // fusions and splits are not followed).
  db.exec(`
    INSERT OR IGNORE INTO continuum (code, relation, other, one_to_one)
      SELECT cfd, relation, other, 0 FROM continuum_declared WHERE cfd <> other
      UNION
      SELECT other, CASE relation WHEN 'ancien' THEN 'nouveau' ELSE 'ancien' END, cfd, 0
      FROM continuum_declared WHERE cfd <> other;
  `);
  markOneToOne(db);
  projectContinuumOnMefs(db);
  markOneToOne(db);
  deriveFamilles(db);
  addFictitiousSise(db);

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

function markOneToOne(db: Database.Database): void {
  db.exec(`
    UPDATE continuum SET one_to_one = 1
    WHERE (SELECT count(*) FROM continuum c WHERE c.code = continuum.code AND c.relation = continuum.relation) = 1
      AND (SELECT count(*) FROM continuum c WHERE c.code = continuum.other AND c.relation <> continuum.relation) = 1;
  `);
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
  // Inserted as not 1:1; markOneToOne then keeps 1:1 only the MEFSTAT11 pairs that are exclusive too
  // (two dispositifs of A may land on the one code of C).
  const insert = db.prepare(
    "INSERT OR IGNORE INTO continuum (code, relation, other, one_to_one) VALUES (?, ?, ?, 0)",
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

/**
 * Familles de métiers (the reference's importBCNFamilleMetier + importSecondeCommune): every CFD linked
 * to a groupe, extended along its 1:1 continuum; the année commune is the CFD whose MEFs are all a first
 * year of a longer cursus (the seconde commune). Each of its codes (its MEFSTAT11s and its CFD) is then
 * stored with the terminal MEFSTAT11s of the other CFDs of the famille, for the same durée, so that
 * `ij_certifications_terminales` is one query.
 */
function deriveFamilles(db: Database.Database): void {
  db.exec(
    "INSERT OR IGNORE INTO famille (cfd, groupe, annee_commune, via) SELECT cfd, groupe, 0, 'bcn' FROM lien_groupe",
  );
  const extend = db.prepare(`
    INSERT OR IGNORE INTO famille (cfd, groupe, annee_commune, via)
    SELECT c.other, f.groupe, 0, 'continuum' FROM famille f
    JOIN continuum c ON c.code = f.cfd AND c.one_to_one = 1 AND length(c.code) = 8`);
  while (extend.run().changes > 0);
  db.exec(`
    UPDATE famille SET annee_commune = 1
    WHERE EXISTS (SELECT 1 FROM mef m WHERE m.cfd = famille.cfd AND m.annee = 1 AND m.duree > 1)
      AND NOT EXISTS (SELECT 1 FROM mef m WHERE m.cfd = famille.cfd AND (m.annee IS NOT 1));

    CREATE TEMP VIEW famille_pair AS
    SELECT commune.cfd AS commune_cfd, first.mefstat11 AS commune_mefstat11, commune.groupe AS groupe,
           t.mefstat11 AS terminal, t.cfd AS terminal_cfd,
           CASE WHEN commune.via = 'bcn' AND member.via = 'bcn' THEN 'bcn' ELSE 'continuum' END AS via
    FROM famille commune
    JOIN mef first ON first.cfd = commune.cfd
    JOIN famille member ON member.groupe = commune.groupe AND member.annee_commune = 0
    JOIN mef t ON t.cfd = member.cfd AND t.annee = t.duree AND t.duree = first.duree
    WHERE commune.annee_commune = 1;
    INSERT OR IGNORE INTO famille_terminal (code, groupe, terminal, terminal_cfd, via)
      SELECT commune_mefstat11, groupe, terminal, terminal_cfd, via FROM famille_pair ORDER BY via;
    INSERT OR IGNORE INTO famille_terminal (code, groupe, terminal, terminal_cfd, via)
      SELECT commune_cfd, groupe, terminal, terminal_cfd, via FROM famille_pair ORDER BY via;
    DROP VIEW famille_pair;
  `);
}

/** The 3 SISE codes InserSup made up for BUT specialities absent from N_DIPLOME_SISE (trajectoires-pro §1.1). */
const FICTITIOUS_SISE = [
  ["0000001", "CARRIERES SOCIALES"],
  ["0000002", "INFORMATION-COMMUNICATION"],
  ["0000003", "GENIE BIOLOGIQUE"],
] as const;

function addFictitiousSise(db: Database.Database): void {
  // Only beside a real N_DIPLOME_SISE: alone they would make an absent table look present.
  if (!db.prepare("SELECT 1 FROM sise LIMIT 1").get()) return;
  const insert = db.prepare(
    "INSERT OR IGNORE INTO sise (sise, type_diplome, libelle, date_ouverture, date_fermeture) VALUES (?, 'DR', ?, NULL, NULL)",
  );
  for (const [code, libelle] of FICTITIOUS_SISE) insert.run(code, libelle);
}
