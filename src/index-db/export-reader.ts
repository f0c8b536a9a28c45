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

export type UaiRole = "lieu_formation" | "formateur" | "gestionnaire";

/** Whether the catalogue de l'apprentissage was indexed (it decides the roles of apprenticeship UAIs). */
export function hasUaiRoles(reader: IndexReader): boolean {
  return reader.db.prepare("SELECT 1 FROM uai_role LIMIT 1").get() !== undefined;
}

/** `uai|code|millésime` of every school's own apprenticeship figures. */
export function apprenticeshipFigures(reader: IndexReader): Set<string> {
  const rows = reader.db
    .prepare(
      "SELECT zone, code, millesime FROM indicator WHERE niveau = 'etablissement' AND filiere = 'apprentissage'",
    )
    .raw()
    .all() as [string, string, string][];
  return new Set(rows.map(([zone, code, millesime]) => `${zone}|${code}|${millesime}`));
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
