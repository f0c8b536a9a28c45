import type Database from "better-sqlite3";
import { MEASURE_NAMES } from "../indicators/rates.js";
import type { CodeType, IndexRecord } from "../sources/records.js";
import type { SourceId } from "../sources/types.js";

/**
 * Turns source records into rows. Conflicts are resolved by build order (registry order = priority):
 * the first source to state a fact wins, later duplicates are counted.
 */
export class Inserter {
  private readonly statements;
  private source: SourceId = "bcn-n-mef";
  /** Records ignored because an earlier row already held the same key, per source. */
  readonly duplicates = new Map<SourceId, number>();

  constructor(private readonly db: Database.Database) {
    const measureCols = MEASURE_NAMES.join(", ");
    const measureParams = MEASURE_NAMES.map((n) => `@${n}`).join(", ");
    this.statements = {
      mef: db.prepare(
        `INSERT OR IGNORE INTO mef (mef10, mefstat11, cfd, dispositif, duree, annee, date_ouverture, date_fermeture, statut, libelle)
         VALUES (@mef10, @mefstat11, @cfd, @dispositif, @duree, @annee, @dateOuverture, @dateFermeture, @statut, @libelle)`,
      ),
      formation: db.prepare(
        `INSERT INTO formation (cfd, niveau, libelle_court, libelle, date_ouverture, date_fermeture, date_premiere_session,
           date_derniere_session, niveau_qualification_rncp, in_n, in_v)
         VALUES (@cfd, @niveau, @libelleCourt, @libelle, @dateOuverture, @dateFermeture, @datePremiereSession,
           @dateDerniereSession, @niveauQualificationRncp, @inN, @inV)
         ON CONFLICT (cfd) DO UPDATE SET in_n = max(in_n, excluded.in_n), in_v = max(in_v, excluded.in_v)`,
      ),
      continuum: db.prepare("INSERT INTO continuum_declared (cfd, relation, other) VALUES (?, ?, ?)"),
      niveau: db.prepare(
        `INSERT OR IGNORE INTO niveau (niveau, libelle_court, libelle, niveau_interministeriel, niveau_qualification_rncp)
         VALUES (@niveau, @libelleCourt, @libelle, @niveauInterministeriel, @niveauQualificationRncp)`,
      ),
      sise: db.prepare(
        `INSERT OR IGNORE INTO sise (sise, type_diplome, libelle, date_ouverture, date_fermeture)
         VALUES (@sise, @typeDiplome, @libelle, @dateOuverture, @dateFermeture)`,
      ),
      siseType: db.prepare(
        `INSERT OR IGNORE INTO sise_type (type_diplome, libelle_court, libelle, niveau_interministeriel, cycle, duree)
         VALUES (@typeDiplome, @libelleCourt, @libelle, @niveauInterministeriel, @cycle, @duree)`,
      ),
      groupe: db.prepare(
        `INSERT OR IGNORE INTO groupe (groupe, type, libelle, date_ouverture, date_fermeture)
         VALUES (@groupe, @type, @libelle, @dateOuverture, @dateFermeture)`,
      ),
      lienGroupe: db.prepare(
        "INSERT OR IGNORE INTO lien_groupe (groupe, cfd, date_fermeture) VALUES (@groupe, @cfd, @dateFermeture)",
      ),
      onisepFormation: db.prepare(
        `INSERT OR IGNORE INTO onisep_formation (for_id, cfd, rncp, duree, libelle, type_formation)
         VALUES (@forId, @cfd, @rncp, @duree, @libelle, @typeFormation)`,
      ),
      onisepAction: db.prepare(
        `INSERT OR IGNORE INTO onisep_action (af_id, for_id, uai, duree, libelle, type_formation)
         VALUES (@afId, @forId, @uai, @duree, @libelle, @typeFormation)`,
      ),
      certifinfo: db.prepare(
        `INSERT INTO certifinfo (certifinfo, libelle, type_diplome, niveau_europeen, certificateur, valideur, cfd, rncp, for_id, sise)
         VALUES (@certifinfo, @libelle, @typeDiplome, @niveauEuropeen, @certificateur, @valideur, @cfd, @rncp, @forId, @sise)`,
      ),
      link: db.prepare(
        "INSERT INTO link_stage (from_type, from_code, to_type, to_code, source) VALUES (?, ?, ?, ?, ?)",
      ),
      uaiRole: db.prepare(
        `INSERT INTO uai_role (cle, cfd, uai_lieu, uai_formateur, uai_gestionnaire, duree)
         VALUES (@cle, @cfd, @uaiLieu, @uaiFormateur, @uaiGestionnaire, @duree)`,
      ),
      etablissement: db.prepare(
        `INSERT OR IGNORE INTO etablissement (uai, nom, commune, commune_libelle, departement, academie, region, nature, source)
         VALUES (@uai, @nom, @commune, @communeLibelle, @departement, @academie, @region, @nature, @source)`,
      ),
      indicator: db.prepare(
        `INSERT OR IGNORE INTO indicator (niveau, zone, code, filiere, millesime, ${measureCols}, source)
         VALUES (@niveau, @zone, @code, @filiere, @millesime, ${measureParams}, @source)`,
      ),
    };
  }

  begin(source: SourceId): void {
    this.source = source;
    this.db.exec("BEGIN");
  }

  commit(): void {
    this.db.exec("COMMIT");
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  private link(fromType: CodeType, fromCode: string | null, toType: CodeType, toCode: string | null): void {
    if (fromCode && toCode) this.statements.link.run(fromType, fromCode, toType, toCode, this.source);
  }

  private counted(changes: number): void {
    if (changes === 0) this.duplicates.set(this.source, (this.duplicates.get(this.source) ?? 0) + 1);
  }

  insert(record: IndexRecord): void {
    const s = this.statements;
    switch (record.kind) {
      case "mef":
        this.counted(s.mef.run(record).changes);
        return;
      case "formation": {
        const { anciens, nouveaux, table, kind: _, ...row } = record;
        s.formation.run({ ...row, inN: table === "N" ? 1 : 0, inV: table === "V" ? 1 : 0 });
        for (const other of anciens) s.continuum.run(record.cfd, "ancien", other);
        for (const other of nouveaux) s.continuum.run(record.cfd, "nouveau", other);
        return;
      }
      case "niveau":
        this.counted(s.niveau.run(record).changes);
        return;
      case "sise":
        this.counted(s.sise.run(record).changes);
        return;
      case "sise-type":
        this.counted(s.siseType.run(record).changes);
        return;
      case "groupe":
        this.counted(s.groupe.run(record).changes);
        return;
      case "lien-groupe":
        this.counted(s.lienGroupe.run(record).changes);
        return;
      case "onisep-formation":
        this.counted(s.onisepFormation.run(record).changes);
        this.link("onisep", record.forId, "cfd", record.cfd);
        this.link("onisep", record.forId, "rncp", record.rncp);
        this.link("rncp", record.rncp, "cfd", record.cfd);
        return;
      case "onisep-action":
        this.counted(s.onisepAction.run(record).changes);
        return;
      case "certifinfo":
        s.certifinfo.run(record);
        this.link("certifinfo", record.certifinfo, "cfd", record.cfd);
        this.link("certifinfo", record.certifinfo, "rncp", record.rncp);
        this.link("certifinfo", record.certifinfo, "onisep", record.forId);
        this.link("rncp", record.rncp, "cfd", record.cfd);
        this.link("rncp", record.rncp, "certifinfo", record.certifinfo);
        this.link("onisep", record.forId, "cfd", record.cfd);
        this.link("onisep", record.forId, "rncp", record.rncp);
        this.link("certifinfo", record.certifinfo, "sise", record.sise);
        this.link("rncp", record.rncp, "sise", record.sise);
        return;
      case "link":
        this.link(record.fromType, record.fromCode, record.toType, record.toCode);
        return;
      case "uai-role":
        s.uaiRole.run(record);
        return;
      case "etablissement":
        this.counted(s.etablissement.run({ ...record, source: this.source }).changes);
        return;
      case "indicator": {
        const params: Record<string, unknown> = {
          niveau: record.niveau,
          zone: record.zone,
          code: record.code,
          filiere: record.filiere,
          millesime: record.millesime,
          source: this.source,
        };
        for (const name of MEASURE_NAMES) params[name] = record.measures[name] ?? null;
        this.counted(s.indicator.run(params).changes);
        return;
      }
    }
  }
}
