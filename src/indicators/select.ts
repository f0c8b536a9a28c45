import type { Voie } from "../match/identifiers.js";
import type { Filiere, IndicatorRecord, Niveau } from "../sources/records.js";
import { computeFigures, type Figures, isUnderThreshold, withhold } from "./rates.js";

/**
 * Which figures a row gets: level (établissement → région → national), millésime (the latest with data,
 * or the pinned one), filière of the voie, and the continuum when the code itself has none. Pure: the
 * rows come from an IndicatorLookup.
 */
/** An indicator record as stored, with the source that provided it. */
export type IndicatorRow = Omit<IndicatorRecord, "kind"> & { source: string };

export interface IndicatorLookup {
  /** Every row of a code at a level and zone (all filières, all millésimes). */
  rows(niveau: Niveau, zone: string, code: string): readonly IndicatorRow[];
  /** Codes linked to `code` by a 1:1 continuum link: older ('ancien') or newer ('nouveau'). */
  continuum(code: string, relation: "ancien" | "nouveau"): readonly string[];
}

export type NiveauOption = Niveau | "auto";
export type DonneeSourceType = "self" | "ancienne" | "nouvelle";

export interface SelectRequest {
  voie: Voie;
  code: string;
  uai: string | null;
  region: string | null;
  niveau: NiveauOption;
  /** "2023" or "2022_2023"; undefined = the latest with data. */
  millesime?: string;
}

export interface Selection {
  niveau: Niveau;
  zone: string;
  millesime: string;
  filiere: Filiere;
  donneeSourceType: DonneeSourceType;
  donneeSourceCode: string;
  figures: Figures;
  underThreshold: boolean;
  source: string;
}

export interface SelectResult {
  selection: Selection | undefined;
  /** The levels tried, and what each had: for the diagnostics. */
  tried: { niveau: Niveau; found: "none" | "sous_seuil" | "couvert" }[];
  /** Data exists, but not for the pinned millésime. */
  otherMillesimes: boolean;
}

const FILIERES: Record<Voie, readonly Filiere[]> = {
  scolaire: ["pro", "agricole"],
  apprentissage: ["apprentissage"],
  superieur: ["superieur"],
};

const CONTINUUM_DEPTH = 6;

export function selectIndicators(request: SelectRequest, lookup: IndicatorLookup): SelectResult {
  const levels: { niveau: Niveau; zone: string }[] = [];
  const wants = (n: Niveau) => request.niveau === "auto" || request.niveau === n;
  if (wants("etablissement") && request.uai) levels.push({ niveau: "etablissement", zone: request.uai });
  if (wants("regional") && request.region && request.voie !== "superieur")
    levels.push({ niveau: "regional", zone: request.region });
  if (wants("national")) levels.push({ niveau: "national", zone: "" });

  const tried: SelectResult["tried"] = [];
  let firstUnderThreshold: Selection | undefined;
  let otherMillesimes = false;
  for (const { niveau, zone } of levels) {
    const { selection, filteredOut } = selectAtLevel(request, niveau, zone, lookup);
    otherMillesimes ||= filteredOut;
    if (!selection) {
      tried.push({ niveau, found: "none" });
      continue;
    }
    if (!selection.underThreshold) {
      tried.push({ niveau, found: "couvert" });
      return { selection, tried, otherMillesimes };
    }
    tried.push({ niveau, found: "sous_seuil" });
    firstUnderThreshold ??= selection;
  }
  return { selection: firstUnderThreshold, tried, otherMillesimes };
}

interface Sourced {
  row: IndicatorRow;
  type: DonneeSourceType;
  distance: number;
}

function selectAtLevel(
  request: SelectRequest,
  niveau: Niveau,
  zone: string,
  lookup: IndicatorLookup,
): { selection: Selection | undefined; filteredOut: boolean } {
  const filieres = FILIERES[request.voie];
  const accept = (r: IndicatorRow) => filieres.includes(r.filiere);
  const pool: Sourced[] = lookup
    .rows(niveau, zone, request.code)
    .filter(accept)
    .map((row) => ({ row, type: "self" as const, distance: 0 }));
  // The continuum never applies to the supérieur (the reference does not either).
  if (request.voie !== "superieur") {
    for (const relation of ["ancien", "nouveau"] as const) {
      let frontier = [request.code];
      const seen = new Set(frontier);
      for (let depth = 1; depth <= CONTINUUM_DEPTH && frontier.length > 0; depth++) {
        const next: string[] = [];
        for (const code of frontier) {
          for (const other of lookup.continuum(code, relation)) {
            if (seen.has(other)) continue;
            seen.add(other);
            next.push(other);
            for (const row of lookup.rows(niveau, zone, other).filter(accept))
              pool.push({ row, type: relation === "ancien" ? "ancienne" : "nouvelle", distance: depth });
          }
        }
        frontier = next;
      }
    }
  }
  if (pool.length === 0) return { selection: undefined, filteredOut: false };
  const wanted = request.millesime ? millesimeVariants(request.millesime, niveau) : undefined;
  const eligible = wanted ? pool.filter((s) => wanted.includes(s.row.millesime)) : pool;
  if (eligible.length === 0) return { selection: undefined, filteredOut: true };

  eligible.sort(compareSourced(filieres));
  const best = eligible[0]!;
  const rules = best.row.filiere === "superieur" ? "insersup" : "inserjeunes";
  const figures = computeFigures(best.row.measures, rules);
  const underThreshold = isUnderThreshold(best.row.measures);
  return {
    selection: {
      niveau,
      zone,
      millesime: best.row.millesime,
      filiere: best.row.filiere,
      donneeSourceType: best.type,
      donneeSourceCode: best.row.code,
      figures: underThreshold ? withhold(figures) : figures,
      underThreshold,
      source: best.row.source,
    },
    filteredOut: false,
  };
}

/** Latest millésime first; for the same end year a single year beats a cumulated one; self first. */
function compareSourced(filieres: readonly Filiere[]) {
  return (a: Sourced, b: Sourced): number => {
    const ya = endYear(a.row.millesime);
    const yb = endYear(b.row.millesime);
    if (ya !== yb) return yb - ya;
    const ca = a.row.millesime.includes("_") ? 1 : 0;
    const cb = b.row.millesime.includes("_") ? 1 : 0;
    if (ca !== cb) return ca - cb;
    if (a.distance !== b.distance) return a.distance - b.distance;
    return filieres.indexOf(a.row.filiere) - filieres.indexOf(b.row.filiere);
  };
}

function endYear(millesime: string): number {
  return Number.parseInt(millesime.slice(-4), 10);
}

/**
 * `--millesime 2023` means "2023" nationally and "2022_2023" for regions and schools (two cumulated
 * cohorts); a single-year "2023" also exists for InserSup schools. `2022_2023` maps back to "2023".
 */
export function millesimeVariants(pinned: string, niveau: Niveau): string[] {
  const m = /^(\d{4})(?:[_/-](\d{4}))?$/.exec(pinned.trim());
  if (!m) return [pinned];
  const years = [m[1]!, m[2]]
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
  const end = years[years.length - 1]!;
  const cumulated = `${end - 1}_${end}`;
  if (niveau === "national") return [String(end)];
  return [cumulated, String(end)];
}

export function isValidMillesime(value: string): boolean {
  const m = /^(\d{4})(?:[_/-](\d{4}))?$/.exec(value.trim());
  if (!m) return false;
  if (!m[2]) return true;
  return Math.abs(Number(m[2]) - Number(m[1])) === 1;
}
