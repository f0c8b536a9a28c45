import { type IdentifierType, identifiersOf } from "../index-db/export-reader.js";
import type { IndexReader } from "../index-db/reader.js";
import type { Voie } from "../match/identifiers.js";
import { matchRow, rowCells } from "../match/match-row.js";
import { formatCode, MOTIFS, STATUTS } from "../match/outcome.js";
import { mefsClosedBefore } from "../match/recipe.js";
import type { Candidate } from "../match/types.js";
import type { CatalogueSummary } from "./catalogue.js";
import type { Rows } from "./export-figures.js";
import { type Cell, compare } from "./export-spec.js";

/**
 * correspondances: every identifier of the index, run through the same matching as `match` (one
 * identifier per row), so that the table says exactly what a catalogue carrying that identifier gets.
 */
const TYPES: readonly {
  type: IdentifierType;
  role: "onisep" | "certifinfo" | "rncp" | "cfd" | "mef" | "mefstat11" | "sise";
}[] = [
  { type: "onisep", role: "onisep" },
  { type: "certifinfo", role: "certifinfo" },
  { type: "rncp", role: "rncp" },
  { type: "cfd", role: "cfd" },
  { type: "mef10", role: "mef" },
  { type: "mefstat11", role: "mefstat11" },
  { type: "sise", role: "sise" },
];

const VOIES: readonly Voie[] = ["scolaire", "apprentissage", "superieur"];

export function* correspondancesRows(reader: IndexReader): Rows {
  const options = { mefsClosedBefore: mefsClosedBefore(reader.latestYear()) };
  for (const { type, role } of TYPES) {
    const batch: Cell[][] = [];
    for (const { code, libelle } of identifiersOf(reader, type)) {
      const cells = rowCells({ [role]: [code] });
      const candidates = [...matchRow(cells, reader, options).candidates].sort(
        (a, b) => VOIES.indexOf(a.voie) - VOIES.indexOf(b.voie) || compare(a.code, b.code),
      );
      for (const c of candidates) batch.push(correspondance(reader, type, code, libelle, c));
    }
    yield batch;
  }
}

function correspondance(
  reader: IndexReader,
  type: IdentifierType,
  code: string,
  libelle: string | null,
  c: Candidate,
): Cell[] {
  const formation = c.cfd ? reader.formation(c.cfd) : undefined;
  const duree = c.mefstat11
    ? (reader.mefsByStat(c.mefstat11).find((m) => m.duree !== null)?.duree ?? undefined)
    : undefined;
  return [
    type,
    code,
    libelle ?? undefined,
    c.voie,
    formatCode(c),
    c.cfd ?? undefined,
    c.mefstat11 ?? undefined,
    c.sise ?? undefined,
    formation?.libelle ?? (c.sise ? reader.sise(c.sise)?.libelle : undefined) ?? undefined,
    formation?.niveau,
    duree,
    c.via || undefined,
  ];
}

/**
 * couverture: the coverage report of a catalogue, from the summary `match` computes: counts by statut,
 * motif, methode, voie and diploma type, then the codes that most often failed to match
 * (`code_non_trouve`, with the motif most of their rows got in `motif`). Every statut and motif is
 * listed, zeros included, so the table has the same shape for every catalogue; the other dimensions
 * list what occurs.
 */
export function* couvertureRows(summary: CatalogueSummary): Rows {
  const part = (n: number) => (summary.rows === 0 ? 0 : Math.round((1000 * n) / summary.rows) / 10);
  const row = (dimension: string, valeur: string, n: number, motif = ""): Cell[] => [
    dimension,
    valeur,
    n,
    part(n),
    motif,
  ];
  const sorted = (counts: Record<string, number>) =>
    Object.keys(counts)
      .sort(compare)
      .map((k) => [k, counts[k]!] as const);
  yield [
    row("ensemble", "lignes", summary.rows),
    ...STATUTS.map((s) => row("statut", s, summary.byStatut[s])),
    ...Object.keys(MOTIFS).map((m) => row("motif", m, summary.byMotif[m] ?? 0)),
    ...sorted(summary.byMethode).map(([k, n]) => row("methode", k, n)),
    ...sorted(summary.byVoie).map(([k, n]) => row("voie", k, n)),
    ...sorted(summary.byDiplome).map(([k, n]) => row("diplome", k, n)),
    ...summary.topUnmatched.map((u) => row("code_non_trouve", u.code, u.count, u.motif)),
  ];
}
