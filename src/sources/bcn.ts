import type { SourceAccess } from "./types.js";

/**
 * What every BCN table shares: where it is exported, the bookkeeping columns its vintages add, and how
 * to name the vintage of a file. Formats: research/source-formats.md §1.
 */
export function bcnExport(...tables: string[]): SourceAccess {
  return {
    kind: "http",
    files: tables.map((table) => ({
      url: `https://bcn.depp.education.fr/bcn/index.php/export/CSV?n=${table}&separator=%3B`,
      fileName: `${table}.csv`,
    })),
  };
}

export const bcnPage = (table: string) => `https://bcn.depp.education.fr/bcn/workspace/viewTable/n/${table}`;

/**
 * Bookkeeping columns: the 2020 exports add NUMERO_COMPTE, GESTION_DIFFUSION, ID, CREATED_AT, UPDATED_AT;
 * the BCN API (JSON, lower-case keys) adds STATUT_ID and DATE_STATUT as well.
 */
export const BCN_BOOKKEEPING = [
  "DATE_INTERVENTION",
  "N_COMMENTAIRE",
  "NUMERO_COMPTE",
  "GESTION_DIFFUSION",
  "ID",
  "CREATED_AT",
  "UPDATED_AT",
  "STATUT_ID",
  "DATE_STATUT",
] as const;

type Vintage = { name: string; test: (h: ReadonlySet<string>, format: "csv" | "json") => boolean };

/**
 * Vintages of a BCN table, most specific first: the API response, the 2020 web export (with the
 * bookkeeping columns), then the later web exports (`;` or `|`: the delimiter does not change the
 * columns), told apart by a column a vintage added (`NIVEAU_QUALIFICATION_RNCP` in 2024).
 */
export function bcnVintages(
  v2020: string,
  ...later: ReadonlyArray<{ name: string; has?: string }>
): readonly Vintage[] {
  return [
    { name: "BCN API JSON", test: (_h, format) => format === "json" },
    { name: v2020, test: (h) => h.has("numero_compte") },
    ...later.map(({ name, has }) => ({ name, test: (h: ReadonlySet<string>) => !has || h.has(has) })),
  ];
}
