import type { IndexReader } from "../index-db/reader.js";
import type { AddedCells } from "../io/catalogue-writer.js";
import { cellReader, type ColumnMapping, keyColumns } from "../match/columns.js";
import { NONE } from "../match/coverage.js";
import { DIPLOMA_TYPES, FuzzyLabelMatcher } from "../match/fuzzy.js";
import {
  type CodeMatch,
  checkUai,
  type MatchOptions,
  matchCodes,
  type UaiCheck,
} from "../match/match-row.js";
import {
  invalidRow,
  type Outcome,
  type ResolveContext,
  type ResolveOptions,
  resolveRow,
  uaiRegion,
} from "../match/outcome.js";
import type { UaiRole } from "../indicators/uai-roles.js";
import { CatalogueRoles } from "../index-db/uai-roles.js";
import { type ColumnPlan, columnPlan, type Mode, plannedCells } from "./output-columns.js";

/**
 * The answer for each catalogue row, with its ij_ cells rendered once per distinct answer. Shared by
 * match and enrich (pipeline/catalogue.ts streams the rows through it).
 */
export interface Resolved {
  outcome: Outcome;
  added: AddedCells;
  diplome: string;
  /** Codes counted in the report's "most often unmatched" list. */
  codes: string[];
  /** No single certification for the row, or one no nomenclature knows. */
  unmatched: boolean;
  /** Rows with this outcome not yet added to the tally. */
  rows: number;
  /** --history: the cells of each millésime's row, latest first (absent: one row). */
  history?: AddedCells[];
}

/** Distinct rows remembered (cleared when full): enough for repeated rows, small enough for flat memory. */
const CACHE_LIMIT = 20_000;
/** Outcomes remembered in all (one per set of codes and kind of UAI; schools with figures each make one). */
const MAX_OUTCOMES = 50_000;
const KEY_SEP = "\u001f";

export interface ResolverOptions {
  mode: Mode;
  fuzzy?: boolean;
  resolve: ResolveOptions;
  /** The columns written (--indicateurs); default: every column of the mode. */
  plan?: ColumnPlan;
  /** The role (lieu, formateur, gestionnaire) of each UAI column of the mapping, in its order. */
  uaiRoles?: readonly UaiRole[];
}

/**
 * Resolves a row's cells. A catalogue is mostly distinct (school, formation) pairs, so the answer is
 * remembered per set of codes and per *kind* of UAI — its status, its region, and the row's UAIs only
 * when one of them has figures for one of the row's codes, or (apprenticeship) one of the UAIs the
 * catalogue de l'apprentissage associates with them does — and the UAI is written into the row's cells.
 */
export function resolver(options: ResolverOptions, mapping: ColumnMapping, index: IndexReader) {
  const read = cellReader(mapping);
  const keys = keyColumns(mapping, options.fuzzy);
  const matchOptions: MatchOptions = {
    ...(mapping.voie ? { voie: mapping.voie } : {}),
    ...(options.fuzzy ? { fuzzy: new FuzzyLabelMatcher(index) } : {}),
  };
  const roles = new CatalogueRoles(index.db, (uai) => index.uaiInCatalogue(uai));
  const context: ResolveContext = {
    nomenclature: index,
    indicators: index,
    latestYear: index.latestYear(),
    roles,
  };
  const resolveOptions = options.resolve;
  const plan = options.plan ?? columnPlan(options.mode);
  const uaiSlot = plan.columns.indexOf("ij_uai");
  const cellsOf = (o: Outcome): AddedCells => ({ cells: plannedCells(o, options.mode, plan), slot: uaiSlot });
  // Per set of codes: the match, the codes whose figures it may use, and its outcomes per kind of UAI.
  const codeCache = new Map<string, CodeEntry>();
  let outcomeCount = 0;
  const uaiCache = new Map<string, UaiEntry>();
  const join = (fields: readonly string[], columns: readonly number[]) => {
    let key = "";
    for (const i of columns) key += (fields[i] ?? "") + KEY_SEP;
    return key;
  };
  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= CACHE_LIMIT) map.clear();
    map.set(key, value);
    return value;
  };
  const uaiEntry = (fields: readonly string[], fromAction: string | null): UaiEntry => {
    // One UAI column and no Onisep action (the usual case): the cell itself is the key.
    const single = keys.uai.length === 1 && fromAction === null;
    const key = single ? (fields[keys.uai[0]!] ?? "") : `${join(fields, keys.uai)}\u001e${fromAction ?? ""}`;
    const hit = uaiCache.get(key);
    if (hit) return hit;
    const check = checkUai(
      keys.uai.map((i) => fields[i] ?? ""),
      fromAction,
      index,
      options.uaiRoles,
    );
    const usable = check.status === "valide" || check.status === "inconnu" ? check.value : null;
    const region = usable ? uaiRegion(usable, index) : null;
    const own = check.uais?.map((u) => u.value) ?? (usable ? [usable] : []);
    return remember(uaiCache, key, {
      key,
      check,
      region,
      own,
      schoolCodes: union(own.map((u) => index.codesWithFigures("etablissement", u))),
      regionCodes: region ? index.codesWithFigures("regional", region) : undefined,
    });
  };
  /** Codes with figures of the UAIs the catalogue de l'apprentissage puts on the same offers. */
  const partnerCodes = (uai: UaiEntry): ReadonlySet<string> | undefined => {
    if (uai.partnerCodes !== undefined) return uai.partnerCodes ?? undefined;
    const partners = new Set<string>();
    for (const u of uai.own)
      for (const o of roles.offers(u))
        for (const p of [o.lieu, o.formateur, o.gestionnaire]) if (p && !uai.own.includes(p)) partners.add(p);
    uai.partnerCodes = union([...partners].map((p) => index.codesWithFigures("etablissement", p))) ?? null;
    return uai.partnerCodes ?? undefined;
  };

  const resolve = (fields: readonly string[]): Resolved => {
    const codeKey = join(fields, keys.codes);
    let code = codeCache.get(codeKey);
    if (!code) {
      const codes = matchCodes(read(fields), index, matchOptions);
      const rowRegion = codes.region;
      code = remember(codeCache, codeKey, {
        codes,
        closure: closureOf(codes, index),
        regionCodes: rowRegion ? index.codesWithFigures("regional", rowRegion) : undefined,
        apprentissage: codes.candidates.some((c) => c.voie === "apprentissage"),
        outcomes: new Map(),
      });
    }
    const uai = uaiEntry(fields, code.codes.uaiFromAction);
    const value = uai.check.value;
    resolve.uai = value ?? "";
    // The UAI and its region change the answer only when they have figures for one of the row's codes.
    const regionCodes = code.codes.region !== null ? code.regionCodes : uai.regionCodes;
    const region = code.codes.region ?? uai.region;
    let school = false;
    let regional = false;
    if (uai.schoolCodes || regionCodes)
      for (const c of code.closure) {
        if (uai.schoolCodes?.has(c)) school = true;
        if (regionCodes?.has(c)) regional = true;
      }
    if (!school && code.apprentissage && uai.own.length > 0) {
      const partners = partnerCodes(uai);
      if (partners) for (const c of code.closure) if (partners.has(c)) school = true;
    }
    const kind = `${uai.check.status}|${regional ? region : ""}|${school ? uai.key : ""}`;
    const hit = code.outcomes.get(kind);
    if (hit) return hit;
    const outcome = resolveRow({ ...code.codes, uai: uai.check }, resolveOptions, context);
    const unmatched = outcome.candidate === undefined || outcome.motif === "code_inconnu";
    if (++outcomeCount > MAX_OUTCOMES) {
      // Many schools with figures: start again rather than grow.
      codeCache.clear();
      outcomeCount = 0;
    }
    const resolved: Resolved = {
      outcome,
      added: cellsOf(outcome),
      ...(outcome.history && outcome.history.length > 1 ? { history: outcome.history.map(cellsOf) } : {}),
      diplome: diplomaType(outcome, code.codes, index),
      codes: unmatched ? unmatchedCodes(code.codes) : [],
      unmatched,
      rows: 0,
    };
    code.outcomes.set(kind, resolved);
    return resolved;
  };
  /** The UAI written in the last resolved row's ij_uai. */
  resolve.uai = "";
  return resolve;
}

interface CodeEntry {
  codes: CodeMatch;
  /** Candidate codes and their continuum: the codes whose figures the row may get. */
  closure: string[];
  /** Codes with figures in the region the row itself names (a region column). */
  regionCodes: ReadonlySet<string> | undefined;
  /** A candidate is an apprenticeship code: the catalogue's UAI roles may change the answer. */
  apprentissage: boolean;
  /** Outcomes per kind of UAI (status, and the region and UAI when they have figures). */
  outcomes: Map<string, Resolved>;
}

interface UaiEntry {
  /** The row's UAI cells (and Onisep action UAI), as a key. */
  key: string;
  check: UaiCheck;
  region: string | null;
  /** The row's well-formed UAIs. */
  own: string[];
  /** Codes with figures at each of them. */
  schoolCodes: ReadonlySet<string> | undefined;
  /** Codes with figures at the UAIs of the same catalogue offers (computed when needed). */
  partnerCodes?: ReadonlySet<string> | null;
  regionCodes: ReadonlySet<string> | undefined;
}

/** The codes of several sets as one (the set itself when there is one). */
function union(sets: readonly (ReadonlySet<string> | undefined)[]): ReadonlySet<string> | undefined {
  const present = sets.filter((s): s is ReadonlySet<string> => s !== undefined);
  if (present.length <= 1) return present[0];
  const all = new Set<string>();
  for (const set of present) for (const c of set) all.add(c);
  return all;
}

/** Candidate codes and their continuum (1:1 ancien / nouveau, as select.ts follows it). */
function closureOf(codes: CodeMatch, index: IndexReader): string[] {
  const closure = new Set(codes.candidates.map((c) => c.code));
  for (const relation of ["ancien", "nouveau"] as const) {
    let frontier = [...closure];
    for (let depth = 0; depth < 6 && frontier.length > 0; depth++) {
      const next = frontier.flatMap((c) => index.continuum(c, relation)).filter((c) => !closure.has(c));
      for (const c of next) closure.add(c);
      frontier = next;
    }
  }
  return [...closure];
}

/** The codes to blame: unknown ones, else every identifier (ambiguous rows), else the malformed values. */
function unmatchedCodes(codes: CodeMatch): string[] {
  if (codes.unknown.length > 0 || codes.withoutCode.length > 0)
    return [...codes.unknown, ...codes.withoutCode];
  return codes.identifiers.length > 0 ? codes.identifiers : codes.badValues;
}

export function malformed(problem: string, mode: Mode, plan = columnPlan(mode)): Resolved {
  const outcome = invalidRow("ligne_malformee", problem);
  return {
    outcome,
    added: { cells: plannedCells(outcome, mode, plan) },
    diplome: NONE,
    codes: [],
    unmatched: true,
    rows: 0,
  };
}

/** The diploma type of the row's code, for the report: BCN niveau label, else its code. */
function diplomaType(outcome: Outcome, codes: CodeMatch, index: IndexReader): string {
  const candidate = outcome.candidate ?? codes.candidates[0];
  if (!candidate) return NONE;
  if (candidate.voie === "superieur") return "supérieur (SISE)";
  const cfd = candidate.cfd ?? index.mefsByStat(candidate.code)[0]?.cfd;
  if (!cfd) return NONE;
  const niveau = index.formation(cfd)?.niveau ?? cfd.slice(0, 3);
  return (
    index.niveau(niveau)?.libelleCourt ??
    DIPLOMA_TYPES.find((d) => d.niveaux.includes(niveau))?.type ??
    `niveau ${niveau}`
  );
}
