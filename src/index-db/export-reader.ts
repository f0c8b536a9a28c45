import type { Statement } from "better-sqlite3";
import { MEASURE_NAMES, type Measures } from "../indicators/rates.js";
import type { IndicatorRow } from "../indicators/select.js";
import type { Filiere, Niveau } from "../sources/records.js";
import type { IndexReader } from "./reader.js";

/**
 * The whole-table reads of `export`, in a stable order (SQLite's BINARY collation = code-point order,
 * the order the export writes). Lookups of single codes go through IndexReader and its caches.
 */

/** Zones (UAI, INSEE region, or "" for national) that have indicator rows at a level, sorted. */
export function indicatorZones(reader: IndexReader, niveau: Niveau): string[] {
  return (
    reader.db.prepare("SELECT DISTINCT zone FROM indicator WHERE niveau = ? ORDER BY zone").all(niveau) as {
      zone: string;
    }[]
  ).map((r) => r.zone);
}

const zoneStatements = new WeakMap<IndexReader, Statement>();

/** Every indicator row of a zone, sorted by code, filière, millésime. */
export function indicatorsOfZone(reader: IndexReader, niveau: Niveau, zone: string): IndicatorRow[] {
  let statement = zoneStatements.get(reader);
  if (!statement) {
    statement = reader.db.prepare(
      `SELECT code, filiere, millesime, source, ${MEASURE_NAMES.join(", ")} FROM indicator
       WHERE niveau = ? AND zone = ? ORDER BY code, filiere, millesime`,
    );
    zoneStatements.set(reader, statement);
  }
  const rows = statement.all(niveau, zone) as Record<string, unknown>[];
  return rows.map((r) => {
    const measures: Measures = {};
    for (const name of MEASURE_NAMES) {
      const v = r[name];
      if (typeof v === "number") measures[name] = v;
    }
    return {
      niveau,
      zone,
      code: r["code"] as string,
      filiere: r["filiere"] as Filiere,
      millesime: r["millesime"] as string,
      measures,
      source: r["source"] as string,
    };
  });
}

/** Whether a code is known to the BCN tables of the index (a CFD or a MEFSTAT11). */
export function isKnownCode(reader: IndexReader, code: string): boolean {
  return code.length === 8 ? reader.formation(code) !== undefined : reader.mefsByStat(code).length > 0;
}

export interface SourceReportRow {
  source: string;
  sha256: string | null;
  vintage: string | null;
  rowsKept: number;
}

export function sourceReports(reader: IndexReader): SourceReportRow[] {
  return reader.db
    .prepare("SELECT source, sha256, vintage, rows_kept AS rowsKept FROM source_report ORDER BY source")
    .all() as SourceReportRow[];
}

/** School directory entries (annuaire / ACCE) for the UAIs that have figures. */
export function etablissements(
  reader: IndexReader,
): Map<string, { region: string | null; academie: string | null }> {
  const rows = reader.db
    .prepare(
      `SELECT uai, region, academie FROM etablissement
       WHERE uai IN (SELECT DISTINCT zone FROM indicator WHERE niveau = 'etablissement')`,
    )
    .all() as { uai: string; region: string | null; academie: string | null }[];
  return new Map(rows.map((r) => [r.uai, { region: r.region, academie: r.academie }]));
}

export type UaiRole = "lieu_formation" | "formateur" | "gestionnaire";

/**
 * The role each UAI plays for each CFD in the catalogue de l'apprentissage, keyed `uai|cfd`; when a UAI
 * plays several, lieu > formateur > gestionnaire. Empty when the catalogue was not indexed.
 */
export function uaiRoles(reader: IndexReader): Map<string, UaiRole> {
  const rows = reader.db
    .prepare("SELECT cfd, uai_lieu, uai_formateur, uai_gestionnaire FROM uai_role")
    .all() as {
    cfd: string;
    uai_lieu: string | null;
    uai_formateur: string | null;
    uai_gestionnaire: string | null;
  }[];
  const rank: Record<UaiRole, number> = { lieu_formation: 0, formateur: 1, gestionnaire: 2 };
  const roles = new Map<string, UaiRole>();
  const set = (uai: string | null, cfd: string, role: UaiRole) => {
    if (!uai) return;
    const key = `${uai}|${cfd}`;
    const current = roles.get(key);
    if (current === undefined || rank[role] < rank[current]) roles.set(key, role);
  };
  for (const r of rows) {
    set(r.uai_lieu, r.cfd, "lieu_formation");
    set(r.uai_formateur, r.cfd, "formateur");
    set(r.uai_gestionnaire, r.cfd, "gestionnaire");
  }
  return roles;
}

export type IdentifierType = "onisep" | "certifinfo" | "rncp" | "cfd" | "mef10" | "mefstat11" | "sise";

/**
 * Every identifier of a kind that the index knows, with its label in the source that names it, sorted
 * by code. Identifiers come from their own tables and from the link table.
 */
export function identifiersOf(
  reader: IndexReader,
  type: IdentifierType,
): { code: string; libelle: string | null }[] {
  const fromLinks = `SELECT from_code AS code FROM link WHERE from_type = '${type}'
                     UNION SELECT to_code FROM link WHERE to_type = '${type}'`;
  const sql: Record<IdentifierType, string> = {
    onisep: `SELECT code, (SELECT libelle FROM onisep_formation WHERE for_id = code) AS libelle
             FROM (SELECT for_id AS code FROM onisep_formation UNION ${fromLinks})`,
    certifinfo: `SELECT code, (SELECT libelle FROM certifinfo c WHERE c.certifinfo = code
                               ORDER BY libelle LIMIT 1) AS libelle
                 FROM (SELECT certifinfo AS code FROM certifinfo UNION ${fromLinks})`,
    rncp: `SELECT code, NULL AS libelle FROM (SELECT rncp AS code FROM onisep_formation WHERE rncp IS NOT NULL
             UNION SELECT rncp FROM certifinfo WHERE rncp IS NOT NULL UNION ${fromLinks})`,
    cfd: `SELECT code, (SELECT libelle FROM formation WHERE cfd = code) AS libelle
          FROM (SELECT cfd AS code FROM formation UNION SELECT cfd FROM mef)`,
    mef10: "SELECT mef10 AS code, libelle FROM mef",
    mefstat11: `SELECT mefstat11 AS code, min(libelle) AS libelle FROM mef GROUP BY mefstat11`,
    sise: `SELECT code, (SELECT libelle FROM sise WHERE sise = code) AS libelle
           FROM (SELECT sise AS code FROM sise UNION ${fromLinks})`,
  };
  return reader.db.prepare(`SELECT * FROM (${sql[type]}) ORDER BY code`).all() as {
    code: string;
    libelle: string | null;
  }[];
}
