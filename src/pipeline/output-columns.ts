import { usageError } from "../errors.js";
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
  const terminales = (o.terminales ?? []).join("|");
  return [...head, ...codes, ...provenance, ...figures, candidats, s?.uaiDonneeType ?? "", terminales];
}

/** The figure columns a user may keep with --indicateurs (names with or without `ij_`). */
export const INDICATOR_COLUMNS: readonly string[] = FIGURE_NAMES.map((n) => `ij_${n}`);

/**
 * `--indicateurs taux_en_emploi_6_mois,ij_nb_annee_term` (split on commas): the figure columns to keep
 * (the others are left out; status, code and provenance columns always stay). Unknown names throw,
 * listing the valid.
 */
export function parseIndicateurs(names: readonly string[]): string[] {
  const wanted = names.map((n) => n.trim()).filter((n) => n !== "");
  const unknown: string[] = [];
  const keep = new Set<string>();
  for (const name of wanted) {
    const column = name.startsWith("ij_") ? name : `ij_${name}`;
    if (INDICATOR_COLUMNS.includes(column)) keep.add(column);
    else unknown.push(name);
  }
  if (unknown.length > 0 || keep.size === 0)
    throw usageError(
      `--indicateurs ${names.join(",")}: ${unknown.length > 0 ? `unknown indicator(s) ${unknown.join(", ")}` : "no indicator named"}`,
      { hint: `valid names (with or without ij_): ${FIGURE_NAMES.join(", ")}` },
    );
  return INDICATOR_COLUMNS.filter((c) => keep.has(c));
}

/**
 * The columns written, and how to take them from the full row of outcomeCells: every column of the
 * mode, less the figure columns --indicateurs leaves out.
 */
export interface ColumnPlan {
  columns: readonly string[];
  /** Positions in outcomeCells' cells; undefined = all of them. */
  pick: readonly number[] | undefined;
}

export function columnPlan(mode: Mode, indicateurs?: readonly string[]): ColumnPlan {
  const all = outputColumns(mode);
  if (mode === "match" || !indicateurs) return { columns: all, pick: undefined };
  const kept = new Set(indicateurs);
  const pick = all.flatMap((c, i) => (INDICATOR_COLUMNS.includes(c) && !kept.has(c) ? [] : [i]));
  return { columns: pick.map((i) => all[i]!), pick };
}

export function plannedCells(o: Outcome, mode: Mode, plan: ColumnPlan): string[] {
  const cells = outcomeCells(o, mode);
  return plan.pick ? plan.pick.map((i) => cells[i]!) : cells;
}
