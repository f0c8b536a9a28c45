import type { Voie } from "../match/identifiers.js";
import type { Filiere, IndicatorRecord, Niveau } from "../sources/records.js";
import {
  completeCounts,
  computeFigures,
  type Figures,
  isUnderThreshold,
  type Measures,
  rulesOf,
  sumMeasures,
  withhold,
} from "./rates.js";
import type { UaiRole } from "./uai-roles.js";

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
/** `famille`: the summed counts of the terminal codes of a seconde commune (--famille aggregate). */
export type DonneeSourceType = "self" | "ancienne" | "nouvelle" | "famille";

/** A UAI whose figures count as the school's, with its role (ij_uai_donnee_type). */
export interface SchoolUai {
  uai: string;
  role: UaiRole | null;
}

export interface SelectRequest {
  voie: Voie;
  code: string;
  uai: string | null;
  /** UAIs whose figures count as the school's, in priority order (default: `uai`, no role). */
  uais?: readonly SchoolUai[];
  region: string | null;
  niveau: NiveauOption;
  /** "2023" or "2022_2023"; undefined = the latest with data. */
  millesime?: string;
  /** Also every other millésime at the level chosen (--history). */
  history?: boolean;
}

export interface Selection {
  niveau: Niveau;
  zone: string;
  millesime: string;
  filiere: Filiere;
  donneeSourceType: DonneeSourceType;
  /** The code whose figures these are; the summed codes, `|`-separated, for a famille. */
  donneeSourceCode: string;
  /** The figures as published: every one but nb_annee_term and salaries withheld (null) under the threshold. */
  readonly figures: Figures;
  /** The figures before the threshold (exports tell a withheld figure from one never published). */
  readonly computedFigures: Figures;
  underThreshold: boolean;
  source: string;
  /** At the établissement level: the UAI whose figures these are, and its role (null: not said). */
  uaiDonnee: string | null;
  uaiDonneeType: UaiRole | null;
}

export interface SelectResult {
  selection: Selection | undefined;
  /** The levels tried, and what each had: for the diagnostics. */
  tried: { niveau: Niveau; found: "none" | "sous_seuil" | "couvert" }[];
  /** Data exists, but not for the pinned millésime. */
  otherMillesimes: boolean;
  /** With `history`: one selection per millésime (end year) at the chosen level, latest first. */
  history?: Selection[];
}

const FILIERES: Record<Voie, readonly Filiere[]> = {
  scolaire: ["pro", "agricole"],
  apprentissage: ["apprentissage"],
  superieur: ["superieur"],
};

const CONTINUUM_DEPTH = 6;

/** One zone of a level: the UAIs of the school in order, the region, or "" for the nation. */
interface Zone {
  zone: string;
  role: UaiRole | null;
}

function levelsOf(request: Omit<SelectRequest, "code">): { niveau: Niveau; zones: Zone[] }[] {
  const levels: { niveau: Niveau; zones: Zone[] }[] = [];
  const wants = (n: Niveau) => request.niveau === "auto" || request.niveau === n;
  const schools = request.uais ?? (request.uai ? [{ uai: request.uai, role: null }] : []);
  if (wants("etablissement") && schools.length > 0)
    levels.push({ niveau: "etablissement", zones: schools.map((s) => ({ zone: s.uai, role: s.role })) });
  if (wants("regional") && request.region && request.voie !== "superieur")
    levels.push({ niveau: "regional", zones: [{ zone: request.region, role: null }] });
  if (wants("national")) levels.push({ niveau: "national", zones: [{ zone: "", role: null }] });
  return levels;
}

export function selectIndicators(request: SelectRequest, lookup: IndicatorLookup): SelectResult {
  // The continuum never applies to the supérieur (the reference does not either).
  const codes =
    request.voie === "superieur"
      ? [{ code: request.code, type: "self" as const, distance: 0 }]
      : continuumOf(request.code, lookup);
  return selectLevels(request, (niveau, zones) => poolOf(request.voie, codes, niveau, zones, lookup));
}

/**
 * A seconde commune with --famille aggregate: at each level, the counts of its terminal codes summed
 * per millésime and the rates recomputed with the aggregate rules (the reference's _getFilieresStats:
 * codes grouped by filière and millésime, the most recent millésime found, every nb_* summed, taux_*
 * recomputed; DEPP-published rates, contract ruptures and salaries are not summed). Only the codes' own
 * figures are summed (no continuum), as the reference's importSecondeCommune collects them.
 */
export function selectFamille(
  request: Omit<SelectRequest, "code"> & { codes: readonly string[] },
  lookup: IndicatorLookup,
): SelectResult {
  const filieres = FILIERES[request.voie];
  return selectLevels(request, (niveau, zones) => {
    const groups = new Map<string, { rows: IndicatorRow[]; rank: number; role: UaiRole | null }>();
    zones.forEach((z, rank) => {
      for (const code of request.codes)
        for (const row of lookup.rows(niveau, z.zone, code)) {
          if (!filieres.includes(row.filiere)) continue;
          const key = `${z.zone}|${row.filiere}|${row.millesime}`;
          let group = groups.get(key);
          if (!group) groups.set(key, (group = { rows: [], rank, role: z.role }));
          group.rows.push(row);
        }
    });
    return [...groups.values()].map(({ rows, rank, role }) => ({
      row: {
        niveau: rows[0]!.niveau,
        zone: rows[0]!.zone,
        filiere: rows[0]!.filiere,
        millesime: rows[0]!.millesime,
        code: rows.map((r) => r.code).join("|"),
        measures: sumMeasures(rows.map((r) => completeCounts(r.measures))),
        source: [...new Set(rows.map((r) => r.source))].join("+"),
      },
      type: "famille" as const,
      distance: 0,
      rank,
      role,
    }));
  });
}

function selectLevels(
  request: Omit<SelectRequest, "code">,
  poolAt: (niveau: Niveau, zones: readonly Zone[]) => Sourced[],
): SelectResult {
  const tried: SelectResult["tried"] = [];
  let firstUnderThreshold: Selection[] | undefined;
  let otherMillesimes = false;
  const filieres = FILIERES[request.voie];
  const done = (groups: Selection[] | undefined): SelectResult => ({
    selection: groups?.[0],
    tried,
    otherMillesimes,
    ...(request.history && groups ? { history: groups } : {}),
  });
  for (const { niveau, zones } of levelsOf(request)) {
    const pool = poolAt(niveau, zones);
    const { groups, filteredOut } = selectAtLevel(
      pool,
      niveau,
      filieres,
      request.millesime,
      request.history === true,
    );
    otherMillesimes ||= filteredOut;
    const selection = groups[0];
    if (!selection) {
      tried.push({ niveau, found: "none" });
      continue;
    }
    if (!selection.underThreshold) {
      tried.push({ niveau, found: "couvert" });
      return done(groups);
    }
    tried.push({ niveau, found: "sous_seuil" });
    firstUnderThreshold ??= groups;
  }
  return done(firstUnderThreshold);
}

interface Sourced {
  row: IndicatorRow;
  type: DonneeSourceType;
  /** Steps along the continuum (0: the code itself). */
  distance: number;
  /** Position of the UAI among the school's (0: the row's first). */
  rank: number;
  role: UaiRole | null;
}

/** The rows of a code and of its 1:1 continuum (`codes`) at a level, in every zone of it. */
function poolOf(
  voie: Voie,
  codes: readonly Continued[],
  niveau: Niveau,
  zones: readonly Zone[],
  lookup: IndicatorLookup,
) {
  const filieres = FILIERES[voie];
  const pool: Sourced[] = [];
  zones.forEach((z, rank) => {
    for (const { code, type, distance } of codes)
      for (const row of lookup.rows(niveau, z.zone, code))
        if (filieres.includes(row.filiere)) pool.push({ row, type, distance, rank, role: z.role });
  });
  return pool;
}

/** The best row of the latest millésime (of each millésime, latest first, with `all`). */
function selectAtLevel(
  pool: Sourced[],
  niveau: Niveau,
  filieres: readonly Filiere[],
  millesime: string | undefined,
  all: boolean,
): { groups: Selection[]; filteredOut: boolean } {
  if (pool.length === 0) return { groups: [], filteredOut: false };
  const wanted = millesime ? millesimeVariants(millesime, niveau) : undefined;
  const eligible = wanted ? pool.filter((s) => wanted.includes(s.row.millesime)) : pool;
  if (eligible.length === 0) return { groups: [], filteredOut: true };

  eligible.sort(compareSourced(filieres));
  const groups: Selection[] = [];
  let lastYear: number | undefined;
  for (const best of eligible) {
    const year = endYear(best.row.millesime);
    if (year === lastYear) continue;
    lastYear = year;
    groups.push(toSelection(best, niveau));
    if (!all) break;
  }
  return { groups, filteredOut: false };
}

function toSelection(best: Sourced, niveau: Niveau): Selection {
  return new Chosen(best, niveau);
}

/**
 * The row chosen at a level. Its figures are computed when first read: match writes where the figures
 * come from and whether they are withheld, never the figures, and computing them for every distinct row
 * was a quarter of selecting.
 */
class Chosen implements Selection {
  readonly zone: string;
  readonly millesime: string;
  readonly filiere: Filiere;
  readonly donneeSourceType: DonneeSourceType;
  readonly donneeSourceCode: string;
  readonly underThreshold: boolean;
  readonly source: string;
  readonly uaiDonnee: string | null;
  readonly uaiDonneeType: UaiRole | null;
  private readonly measures: Measures;
  private computed: Figures | undefined;
  private published: Figures | undefined;

  constructor(
    best: Sourced,
    readonly niveau: Niveau,
  ) {
    const school = niveau === "etablissement";
    this.zone = best.row.zone;
    this.millesime = best.row.millesime;
    this.filiere = best.row.filiere;
    this.donneeSourceType = best.type;
    this.donneeSourceCode = best.row.code;
    this.measures = best.row.measures;
    this.underThreshold = isUnderThreshold(this.measures);
    this.source = best.row.source;
    this.uaiDonnee = school ? best.row.zone : null;
    this.uaiDonneeType = school ? best.role : null;
  }

  get figures(): Figures {
    if (this.published === undefined)
      this.published = this.underThreshold ? withhold(this.computedFigures) : this.computedFigures;
    return this.published;
  }

  get computedFigures(): Figures {
    if (this.computed === undefined) {
      this.computed = computeFigures(
        this.measures,
        rulesOf(this.filiere, this.donneeSourceType === "famille"),
      );
    }
    return this.computed;
  }
}

/**
 * Latest millésime first; for the same end year a single year beats a cumulated one; then the row's own
 * UAIs before those the catalogue de l'apprentissage associates (in their order); then the code itself
 * before its continuum (continuumRank); then the filière order of the voie.
 */
function compareSourced(filieres: readonly Filiere[]) {
  return (a: Sourced, b: Sourced): number => {
    const ya = endYear(a.row.millesime);
    const yb = endYear(b.row.millesime);
    if (ya !== yb) return yb - ya;
    const ca = a.row.millesime.includes("_") ? 1 : 0;
    const cb = b.row.millesime.includes("_") ? 1 : 0;
    if (ca !== cb) return ca - cb;
    if (a.rank !== b.rank) return a.rank - b.rank;
    const ka = continuumRank(a);
    const kb = continuumRank(b);
    if (ka !== kb) return ka - kb;
    return filieres.indexOf(a.row.filiere) - filieres.indexOf(b.row.filiere);
  };
}

/**
 * Whose figures come first, for the same millésime and school: the code's own; then a newer diploma's,
 * the most recent first; then an older diploma's, the nearest first. The reference's computeParents
 * copies to a code without figures the most recent ones along its 1:1 descendants, over an
 * `ancienne` copy, and computeChildren copies an older diploma's only where there is no `nouvelle`.
 */
function continuumRank(s: Sourced): number {
  if (s.type === "nouvelle") return CONTINUUM_DEPTH + 1 - s.distance;
  if (s.type === "ancienne") return CONTINUUM_DEPTH + s.distance;
  return 0;
}

/**
 * A code and the codes its 1:1 continuum reaches, older ones typed `ancienne`, newer ones `nouvelle`,
 * with their distance (the code itself first, distance 0).
 */
export function continuumOf(code: string, lookup: Pick<IndicatorLookup, "continuum">): Continued[] {
  const codes: Continued[] = [{ code, type: "self", distance: 0 }];
  for (const relation of ["ancien", "nouveau"] as const) {
    // Most codes have no link: no walk.
    if (lookup.continuum(code, relation).length === 0) continue;
    let frontier = [code];
    const seen = new Set(frontier);
    for (let depth = 1; depth <= CONTINUUM_DEPTH && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const c of frontier) {
        for (const other of lookup.continuum(c, relation)) {
          if (seen.has(other)) continue;
          seen.add(other);
          next.push(other);
          codes.push({ code: other, type: relation === "ancien" ? "ancienne" : "nouvelle", distance: depth });
        }
      }
      frontier = next;
    }
  }
  return codes;
}

/** A code the continuum reaches, with how (`self` for the code itself) and in how many steps. */
export interface Continued {
  code: string;
  type: DonneeSourceType;
  distance: number;
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
