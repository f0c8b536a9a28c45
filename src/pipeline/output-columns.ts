import { FIGURE_NAMES } from "../indicators/rates.js";
import { formatCode, type Outcome } from "../match/outcome.js";

/**
 * The ij_ columns, in a fixed order (a rectangular output whatever the rows): DESIGN.md "Output columns".
 * `match` writes the code columns; `enrich` adds the level, millésime, provenance and figures.
 */
export const MATCH_COLUMNS = [
  "ij_statut",
  "ij_motif",
  "ij_methode",
  "ij_score",
  "ij_voie",
  "ij_code_certification",
  "ij_cfd",
  "ij_mefstat11",
  "ij_sise",
  "ij_uai",
  "ij_candidats",
] as const;

const CODE_COLUMNS = MATCH_COLUMNS.filter((c) => c !== "ij_candidats");

export const ENRICH_COLUMNS = [
  ...CODE_COLUMNS,
  "ij_niveau",
  "ij_millesime",
  "ij_filiere",
  "ij_donnee_source_type",
  "ij_donnee_source_code",
  ...FIGURE_NAMES.map((n) => `ij_${n}` as const),
  "ij_candidats",
  "ij_uai_donnee_type",
  "ij_certifications_terminales",
] as const;

export type Mode = "match" | "enrich";

export function outputColumns(mode: Mode): readonly string[] {
  return mode === "match" ? MATCH_COLUMNS : ENRICH_COLUMNS;
}

/** Columns whose JSON value is a number (null when empty). */
export const NUMERIC_COLUMNS: ReadonlySet<string> = new Set([
  "ij_score",
  ...FIGURE_NAMES.map((n) => `ij_${n}`),
]);

/** The ij_ cells of a row, as text, in the order of outputColumns(mode). */
export function outcomeCells(o: Outcome, mode: Mode): string[] {
  const c = o.candidate;
  const code = c ? formatCode(c) : "";
  const head = [o.statut, o.motif, o.methode, c ? String(c.score) : "", o.voie ?? "", code];
  const codes = [c?.cfd ?? "", c?.mefstat11 ?? "", c?.sise ?? "", o.uai ?? ""];
  const candidats = o.candidats.join("|");
  if (mode === "match") return [...head, ...codes, candidats];
  const s = o.selection;
  const provenance = s
    ? [s.niveau, s.millesime, s.filiere, s.donneeSourceType, s.donneeSourceCode]
    : ["", "", "", "", ""];
  const figures = FIGURE_NAMES.map((name) => {
    const v = s?.figures[name];
    return v === null || v === undefined ? "" : String(v);
  });
  const terminales = o.motif === "seconde_commune" ? candidats : "";
  return [...head, ...codes, ...provenance, ...figures, candidats, "", terminales];
}
