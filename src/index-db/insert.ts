import type Database from "better-sqlite3";
import { MEASURE_NAMES, type Measures } from "../indicators/rates.js";
import type { CodeType, IndexRecord } from "../sources/records.js";
import type { SourceId } from "../sources/types.js";

/**
 * When two sources give figures for the same key (level, zone, code, filière, millésime), the row of
 * the higher rank wins whole, whatever the build order: the DEPP API (the producer, with counts), then
 * InserSup (the producer of the supérieur), then Exposition (the mission's re-exposition of the DEPP
 * API, with counts), then the open-data files (rates only, no counts). Equal ranks: the first row wins.
 */
export const INDICATOR_PRIORITY: Partial<Record<SourceId, number>> = {
  "inserjeunes-api": 4,
  insersup: 3,
  "exposition-api": 2,
  "inserjeunes-open": 1,
};

/** Schools: ACCE (the DEPP's reference directory) wins field by field; the annuaire fills the gaps. */
export const ETABLISSEMENT_PRIORITY: Partial<Record<SourceId, number>> = {
  acce: 2,
  "annuaire-education": 1,
};

const ETABLISSEMENT_FIELDS = [
  "nom",
  "commune",
  "commune_libelle",
  "departement",
  "academie",
  "region",
  "nature",
] as const;

/**
 * Turns source records into rows. Nomenclature conflicts are resolved by build order (registry order =
 * priority): the first source to state a fact wins, later duplicates are counted. Schools and
 * indicators follow the explicit priorities above.
 */
export class Inserter {
  private readonly statements;
  private source: SourceId = "bcn-n-mef";
  /** Records ignored because an earlier row already held the same key, per source. */
  readonly duplicates = new Map<SourceId, number>();

  constructor(private readonly db: Database.Database) {
    const measureCols = MEASURE_NAMES.join(", ");
    const measureParams = MEASURE_NAMES.map((n) => `@${n}`).join(", ");
    const replaceAll = MEASURE_NAMES.map((n) => `${n} = excluded.${n}`).join(", ");
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
        `INSERT OR IGNORE INTO uai_role (cle, cfd, uai_lieu, uai_formateur, uai_gestionnaire, duree)
         VALUES (@cle, @cfd, @uaiLieu, @uaiFormateur, @uaiGestionnaire, @duree)`,
      ),
      // A source repeating a UAI it already gave changes nothing (counted as a duplicate).
      etablissement: db.prepare(
        `INSERT INTO etablissement (uai, nom, commune, commune_libelle, departement, academie, region, nature, source, priority)
         VALUES (@uai, nullif(@nom, ''), @commune, @communeLibelle, @departement, @academie, @region, @nature, @source, @priority)
         ON CONFLICT (uai) DO UPDATE SET
           ${ETABLISSEMENT_FIELDS.map(
             (f) =>
               `${f} = CASE WHEN excluded.priority > etablissement.priority THEN coalesce(excluded.${f}, etablissement.${f}) ELSE coalesce(etablissement.${f}, excluded.${f}) END`,
           ).join(",\n           ")},
           source = etablissement.source || '+' || excluded.source,
           priority = max(etablissement.priority, excluded.priority)
         WHERE instr('+' || etablissement.source || '+', '+' || excluded.source || '+') = 0`,
      ),
      indicator: db.prepare(
        `INSERT INTO indicator (niveau, zone, code, filiere, millesime, ${measureCols}, source, source_vintage, priority)
         VALUES (@niveau, @zone, @code, @filiere, @millesime, ${measureParams}, @source, @sourceVintage, @priority)
         ON CONFLICT (niveau, zone, code, filiere, millesime) DO UPDATE SET
           ${replaceAll}, source = excluded.source, source_vintage = excluded.source_vintage, priority = excluded.priority
         WHERE excluded.priority > indicator.priority`,
      ),
      indicatorDerived: db.prepare(
        `INSERT OR IGNORE INTO indicator_derived (niveau, zone, code, filiere, millesime, donnee_source_type, donnee_source_code,
           ${measureCols}, source, source_vintage)
         VALUES (@niveau, @zone, @code, @filiere, @millesime, @donneeSourceType, @donneeSourceCode, ${measureParams}, @source, @sourceVintage)`,
      ),
      indicatorEtablissement: db.prepare(
        `INSERT INTO indicator_etablissement (uai, filiere, perimetre, millesime, ${measureCols}, source, source_vintage, priority)
         VALUES (@uai, @filiere, @perimetre, @millesime, ${measureParams}, @source, @sourceVintage, @priority)
         ON CONFLICT (uai, filiere, perimetre, millesime) DO UPDATE SET
           ${replaceAll}, source = excluded.source, source_vintage = excluded.source_vintage, priority = excluded.priority
         WHERE excluded.priority > indicator_etablissement.priority`,
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
        this.counted(s.uaiRole.run(record).changes);
        return;
      case "etablissement": {
        const { kind: _, ...row } = record;
        const priority = ETABLISSEMENT_PRIORITY[this.source] ?? 0;
        this.counted(s.etablissement.run({ ...row, source: this.source, priority }).changes);
        return;
      }
      case "indicator": {
        const params = this.measureParams(record.measures, {
          niveau: record.niveau,
          zone: record.zone,
          code: record.code,
          filiere: record.filiere,
          millesime: record.millesime,
          source: this.source,
          sourceVintage: record.sourceVintage ?? null,
        });
        if (record.derivedFrom) {
          params["donneeSourceType"] = record.derivedFrom.type;
          params["donneeSourceCode"] = record.derivedFrom.code;
          this.counted(s.indicatorDerived.run(params).changes);
        } else this.counted(s.indicator.run({ ...params, priority: this.indicatorPriority() }).changes);
        return;
      }
      case "etablissement-indicator": {
        const params = this.measureParams(record.measures, {
          uai: record.uai,
          filiere: record.filiere,
          perimetre: record.perimetre,
          millesime: record.millesime,
          source: this.source,
          sourceVintage: record.sourceVintage ?? null,
          priority: this.indicatorPriority(),
        });
        this.counted(s.indicatorEtablissement.run(params).changes);
        return;
      }
    }
  }

  private indicatorPriority(): number {
    return INDICATOR_PRIORITY[this.source] ?? 0;
  }

  private measureParams(measures: Measures, base: Record<string, unknown>): Record<string, unknown> {
    const params = { ...base };
    for (const name of MEASURE_NAMES) params[name] = measures[name] ?? null;
    return params;
  }
}
