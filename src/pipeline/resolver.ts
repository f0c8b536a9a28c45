import type { CodeSet, IndexReader } from "../index-db/reader.js";
import { continuumOf } from "../indicators/select.js";
import type { UaiRole } from "../indicators/uai-roles.js";
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
  withUai,
} from "../match/match-row.js";
import { mefsClosedBefore } from "../match/recipe.js";
import {
  invalidRow,
  type Outcome,
  type ResolveContext,
  type ResolveOptions,
  resolveRow,
  uaiRegion,
} from "../match/outcome.js";
import { type ColumnPlan, columnPlan, type Mode, plannedCells } from "./output-columns.js";

/**
 * What the tally counts of an answer. Shared by every answer with the same values (a few hundred in a
 * run), so that an answer keeps one reference, not six fields: answers are kept for the whole run.
 */
export interface Verdict extends Pick<Outcome, "statut" | "motif" | "methode" | "voie"> {
  diplome: string;
  /** No single certification for the row, or one no nomenclature knows. */
  unmatched: boolean;
  /** Set by the pipeline: its answers without codes, counted together (see catalogue.ts). */
  group: TallyGroup | undefined;
}

/**
 * The answer for each catalogue row: its verdict, what the rejects file needs, and its ij_ cells
 * (rendered once per distinct answer; the writer keeps their CSV text on it). One object per answer,
 * kept for the whole run: with the resolver's code entries, it is the memory that grows with the
 * catalogue. Shared by match and enrich (pipeline/catalogue.ts streams the rows through it).
 */
export interface Resolved extends AddedCells {
  verdict: Verdict;
  detail: string;
  /** Codes counted in the report's "most often unmatched" list. */
  codes: readonly string[];
  /** Rows with this outcome not yet added to the tally. */
  rows: number;
  /** --history: the cells of each millésime's row, latest first (undefined: one row). */
  history: AddedCells[] | undefined;
  /** --verbose: whose school figures were used or left out (UAI roles), for which UAI and code. */
  uaiNotes: { notes: string[]; uai: string; code: string } | undefined;
}

/** The answers without codes of a verdict: the tally cannot tell them apart. */
export interface TallyGroup {
  /** Whether the group's first rows were added to the tally. */
  added: boolean;
  /** Rows added later, at the end. */
  pending: number;
}

/**
 * Stands for the row's UAI problem in a remembered answer's `detail`: an answer is shared by every UAI
 * of a kind (invalid ones, unknown ones…), and the rejects file names each row's own (`rowDetail`).
 */
const UAI_REASON = "\u0000uai\u0000";

/** The detail of an answer for one row, with the problem of the row's UAI in words. */
export function rowDetail(r: Pick<Resolved, "detail">, uaiReason: string): string {
  return r.detail.includes(UAI_REASON) ? r.detail.replace(UAI_REASON, uaiReason) : r.detail;
}

const NO_CODES: readonly string[] = Object.freeze([]);

/** One verdict per distinct value, per run (a verdict carries the run's tally group). */
function verdicts() {
  const made = new Map<string, Verdict>();
  return (o: Outcome, diplome: string, unmatched: boolean): Verdict => {
    const key = `${o.statut}\u0000${o.motif}\u0000${o.methode}\u0000${o.voie ?? "\u0001"}\u0000${diplome}\u0000${unmatched}`;
    let v = made.get(key);
    if (!v) {
      v = {
        statut: o.statut,
        motif: o.motif,
        methode: o.methode,
        voie: o.voie,
        diplome,
        unmatched,
        group: undefined,
      };
      made.set(key, v);
    }
    return v;
  };
}

function answer(o: Outcome, verdict: Verdict, added: AddedCells, codes: readonly string[]): Resolved {
  return {
    verdict,
    detail: o.detail,
    cells: added.cells,
    slot: added.slot,
    csvDelimiter: undefined,
    csvBefore: "",
    csvAfter: "",
    codes: codes.length > 0 ? codes : NO_CODES,
    rows: 0,
    history: undefined,
    uaiNotes: o.uaiNotes ? { notes: o.uaiNotes, uai: o.uai ?? "", code: o.candidate?.code ?? "" } : undefined,
  };
}

/** "0" … "999", made once: enrich's figure cells are mostly small numbers, kept once per answer. */
const NUMBER_STRINGS = Array.from({ length: 1000 }, (_, i) => String(i));

/** The cells, in an array of their exact size, small numbers shared. */
function shareNumbers(cells: readonly string[]): string[] {
  const out = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    const shared = c.length > 0 && c.length <= 3 ? NUMBER_STRINGS[Number(c)] : undefined;
    out[i] = shared === c ? shared : c;
  }
  return out;
}

/**
 * Answers are remembered per distinct set of code cells and per distinct UAI cell. Cells whose codes all
 * parse and are known come from finite nomenclatures: they get a large cache, so that a national
 * catalogue computes each answer once. Cells with a malformed or unknown value (typos, garbage) get a
 * tiny one of their own: they are cheap to recompute, never push known codes out, and are mostly
 * distinct, so an entry kept longer would only outlive the young generation and become old garbage
 * (4,096 per half: 1M-row match 7 MB more peak RSS than 64, for no hits). Both are
 * generational (when the young half is full, the old half is dropped and entries still in use move
 * up), so memory is bounded whatever the catalogue, and stays flat on catalogues larger than the
 * nomenclatures. Sizes are per half: a national catalogue has ~60,000 distinct sets of codes and there
 * are ~80,000 UAIs; with --fuzzy the label is part of the key (a set of codes per label), so less.
 *
 * The answer for a malformed UAI is shared by every malformed UAI, but such a UAI is an input error, not
 * a kind of school: kept on the set of codes, it would add an answer to each set of codes met with one
 * (on the bench, 2 % of rows put 13,000 of them in the 1M-row run, 30 % of what the caches grew by
 * after 100k rows). Like malformed codes, those answers get a tiny cache of their own.
 */
const KNOWN_LIMIT = 65_536;
const FUZZY_LIMIT = 16_384;
const OTHER_LIMIT = 64;
const KEY_SEP = "\u001f";
const KIND_SEP = "\u001d";

class Generations<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  constructor(private readonly half: number) {}
  get(key: string): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const old = this.old.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }
  set(key: string, value: V): V {
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
    return value;
  }
}

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
  const latestYear = index.latestYear();
  const matchOptions: MatchOptions = {
    ...(mapping.voie ? { voie: mapping.voie } : {}),
    ...(options.fuzzy ? { fuzzy: new FuzzyLabelMatcher(index) } : {}),
    mefsClosedBefore: mefsClosedBefore(latestYear),
  };
  const context: ResolveContext = {
    nomenclature: index,
    indicators: index,
    latestYear,
    roles: index,
  };
  const resolveOptions = options.resolve;
  const plan = options.plan ?? columnPlan(options.mode);
  const verdictOf = verdicts();
  const uaiSlot = plan.columns.indexOf("ij_uai");
  const cellsOf = (o: Outcome): AddedCells => ({
    cells: shareNumbers(plannedCells(o, options.mode, plan)),
    slot: uaiSlot,
    csvDelimiter: undefined,
    csvBefore: "",
    csvAfter: "",
  });
  // Label similarity is slow: with --fuzzy, an entry keeps its match rather than make it again.
  const keepCodes = options.fuzzy === true;
  // Per set of codes: the codes whose figures it may use, and its outcomes per kind of UAI.
  const knownCodes = new Generations<CodeEntry>(options.fuzzy ? FUZZY_LIMIT : KNOWN_LIMIT);
  const otherCodes = new Generations<CodeEntry>(OTHER_LIMIT);
  const knownUais = new Generations<UaiEntry>(KNOWN_LIMIT);
  const otherUais = new Generations<UaiEntry>(OTHER_LIMIT);
  const badUaiAnswers = new Generations<Resolved>(OTHER_LIMIT);
  const codeColumns = keys.codes;
  const uaiColumns = keys.uai;
  const join = (fields: readonly string[], columns: readonly number[]) => {
    let key = "";
    for (let i = 0; i < columns.length; i++) key += (fields[columns[i]!] ?? "") + KEY_SEP;
    return key;
  };
  // The code cells of a row as one key: only the non-empty ones, each after a mark of its column (most
  // rows fill one or two of the code columns); charCodeAt flattens it (V8 keeps a concatenation as a
  // tree of pieces otherwise), so that hashing and comparing it is one pass and a kept key is small.
  const marks = codeColumns.map((_, i) => `${KEY_SEP}${i}\u001e`);
  const codeKey = (fields: readonly string[]) => {
    let key = "";
    for (let i = 0; i < codeColumns.length; i++) {
      const v = fields[codeColumns[i]!];
      if (v) key += marks[i]! + v;
    }
    key.charCodeAt(0);
    return key;
  };
  const uaiEntry = (fields: readonly string[], fromAction: string | null): UaiEntry => {
    // One UAI column and no Onisep action (the usual case): the cell itself is the key.
    const single = uaiColumns.length === 1 && fromAction === null;
    const key = single
      ? (fields[uaiColumns[0]!] ?? "")
      : `${join(fields, uaiColumns)}\u001e${fromAction ?? ""}`;
    const hit = knownUais.get(key) ?? otherUais.get(key);
    if (hit) return hit;
    const check = checkUai(
      uaiColumns.map((i) => fields[i] ?? ""),
      fromAction,
      index,
      options.uaiRoles,
    );
    const usable = check.status === "valide" || check.status === "inconnu" ? check.value : null;
    const region = usable ? uaiRegion(usable, index) : null;
    const own = check.uais?.map((u) => u.value) ?? (usable ? [usable] : []);
    const entry: UaiEntry = {
      key,
      regionBit: region ? regionBit(region) : 0,
      check,
      shared: check.reason ? Object.assign({}, check, { reason: UAI_REASON }) : check,
      region,
      own,
      schoolCodes: union(own.map((u) => index.codesWithFigures("etablissement", u))),
      partnerCodes: undefined,
      regionCodes: region ? index.codesWithFigures("regional", region) : undefined,
      kinds: ["", "", "", ""],
    };
    return (check.status === "valide" || check.status === "absent" ? knownUais : otherUais).set(key, entry);
  };
  /** Codes with figures of the UAIs the catalogue de l'apprentissage puts on the same offers. */
  const partnerCodes = (uai: UaiEntry): CodeSet | undefined => {
    if (uai.partnerCodes !== undefined) return uai.partnerCodes ?? undefined;
    const partners = new Set<string>();
    for (const u of uai.own)
      for (const o of index.offers(u))
        for (const p of [o.lieu, o.formateur, o.gestionnaire]) if (p && !uai.own.includes(p)) partners.add(p);
    uai.partnerCodes = union([...partners].map((p) => index.codesWithFigures("etablissement", p))) ?? null;
    return uai.partnerCodes ?? undefined;
  };
  // Kinds without a school are shared by every UAI of a status and region: one string each.
  const kindNames = new Map<string, string>();
  const kindName = (status: string, region: string | null, school: string): string => {
    const name = `${status}|${region ?? ""}|${school}`;
    if (school) return name;
    let shared = kindNames.get(name);
    if (shared === undefined) kindNames.set(name, (shared = name));
    return shared;
  };
  // The regions, each as one bit, for the code entries' region masks (31 fit; more are looked up).
  const regionBits = new Map<string, number>();
  const regionBit = (region: string): number => {
    let bit = regionBits.get(region);
    if (bit === undefined) regionBits.set(region, (bit = regionBits.size < 31 ? 1 << regionBits.size : 0));
    return bit;
  };
  /** Whether the UAI's region has figures for one of the entry's codes, remembered per region. */
  const hasRegion = (code: CodeEntry, uai: UaiEntry): boolean => {
    const bit = uai.regionBit;
    if (bit !== 0 && (code.regionsKnown & bit) !== 0) return (code.regionsWith & bit) !== 0;
    let regional = false;
    for (const c of code.closure) if (uai.regionCodes!.has(c)) regional = true;
    code.regionsKnown |= bit;
    if (regional) code.regionsWith |= bit;
    return regional;
  };
  const codeEntry = (key: string, row: readonly string[]): CodeEntry => {
    const hit = knownCodes.get(key) ?? otherCodes.get(key);
    if (hit) return hit;
    const codes = matchCodes(read(row), index, matchOptions);
    const rowRegion = codes.region;
    const entry: CodeEntry = {
      codes,
      region: rowRegion,
      uaiFromAction: codes.uaiFromAction,
      closure: closureOf(codes, index),
      regionCodes: rowRegion ? index.codesWithFigures("regional", rowRegion) : undefined,
      apprentissage: codes.candidates.some((c) => c.voie === "apprentissage"),
      schools: undefined,
      regionsKnown: 0,
      regionsWith: 0,
      kind: "",
      resolved: undefined,
      more: undefined,
    };
    const known = codes.unknown.length === 0 && codes.badValues.length === 0;
    return (known ? knownCodes : otherCodes).set(key, entry);
  };

  const resolve = (row: readonly string[]): Resolved => {
    const key = codeKey(row);
    const code = codeEntry(key, row);
    const uai = uaiEntry(row, code.uaiFromAction);
    const value = uai.check.value;
    resolve.uai = value ?? "";
    resolve.uaiReason = uai.check.reason ?? "";
    // The UAI and its region change the answer only when they have figures for one of the row's codes:
    // which schools and regions do is remembered on the code entry.
    const ownRegion = code.region;
    let school = false;
    let regional = false;
    if (uai.schoolCodes) {
      if (code.schools === undefined) code.schools = schoolsOf(code.closure, index);
      const schools = code.schools;
      if (schools) for (const set of schools) for (const u of uai.own) if (set.has(u)) school = true;
    }
    if (ownRegion !== null) {
      if (code.regionCodes) for (const c of code.closure) if (code.regionCodes.has(c)) regional = true;
    } else if (uai.regionCodes) regional = hasRegion(code, uai);
    if (!school && code.apprentissage && uai.own.length > 0) {
      const partners = partnerCodes(uai);
      if (partners) for (const c of code.closure) if (partners.has(c)) school = true;
    }
    const status = uai.check.status;
    const schoolKey = school ? uai.key : "";
    // Kinds of this UAI (none, region, school, both) are made once; a region column names its own.
    const k = (regional ? 1 : 0) + (school ? 2 : 0);
    const kind =
      ownRegion !== null
        ? kindName(status, regional ? ownRegion : "", schoolKey)
        : uai.kinds[k] || (uai.kinds[k] = kindName(status, regional ? uai.region : "", schoolKey));
    const badUai = status === "invalide";
    // Its kind too: a region column, or another UAI column's school, still makes it differ.
    const badKey = badUai ? key + KIND_SEP + kind : "";
    const hit = badUai
      ? badUaiAnswers.get(badKey)
      : code.kind === kind
        ? code.resolved
        : code.more && otherKind(code.more, kind);
    if (hit) return hit;
    // The match is kept only until the entry's first outcome (it is most of an entry's size): another
    // kind of UAI for the same codes (rarer) matches the row's codes again.
    const codes = code.codes ?? matchCodes(read(row), index, matchOptions);
    if (!keepCodes && !badUai) code.codes = undefined;
    // The answer is shared by the UAIs of its kind: their problem in words is put back row by row.
    const outcome = resolveRow(withUai(codes, uai.shared), resolveOptions, context);
    const unmatched = outcome.candidate === undefined || outcome.motif === "code_inconnu";
    const resolved = answer(
      outcome,
      verdictOf(outcome, diplomaType(outcome, codes, index), unmatched),
      cellsOf(outcome),
      unmatched ? unmatchedCodes(codes) : NO_CODES,
    );
    if (outcome.history && outcome.history.length > 1) resolved.history = outcome.history.map(cellsOf);
    if (badUai) return badUaiAnswers.set(badKey, resolved);
    if (code.resolved === undefined) {
      code.kind = kind;
      code.resolved = resolved;
    } else code.more = addKind(code.more, kind, resolved);
    return resolved;
  };
  /** The answer for a row that could not be read (a broken quote, too many fields…). */
  resolve.malformed = (problem: string): Resolved => {
    const outcome = invalidRow("ligne_malformee", problem);
    return answer(
      outcome,
      verdictOf(outcome, NONE, true),
      { cells: plannedCells(outcome, options.mode, plan) },
      NO_CODES,
    );
  };
  /** The UAI written in the last resolved row's ij_uai. */
  resolve.uai = "";
  /** The problem of the last resolved row's UAI, in words (see rowDetail). */
  resolve.uaiReason = "";
  return resolve;
}

interface CodeEntry {
  /** Until the first outcome is made (kept with --fuzzy). */
  codes: CodeMatch | undefined;
  /** The region the row itself names (a region column). */
  region: string | null;
  uaiFromAction: string | null;
  /** Candidate codes and their continuum: the codes whose figures the row may get. */
  closure: string[];
  /** Codes with figures in the region the row itself names (a region column). */
  regionCodes: CodeSet | undefined;
  /** A candidate is an apprenticeship code: the catalogue's UAI roles may change the answer. */
  apprentissage: boolean;
  /** The UAIs with figures for each of its codes that has some (made when first needed; null: none). */
  schools: readonly ReadonlySet<string>[] | null | undefined;
  /** Regions (bits, see regionBit) known to have, or not, figures for one of its codes; those that do. */
  regionsKnown: number;
  regionsWith: number;
  /**
   * Outcomes per kind of UAI (status, and the region and UAI when they have figures): the first one
   * inline (most codes have one or two), the others in `more`.
   */
  kind: string;
  resolved: Resolved | undefined;
  more: Kinds | undefined;
}

/** Few kinds: [kind, outcome, kind, outcome…] (a Map costs ~500 bytes); many: a Map. */
type Kinds = (string | Resolved)[] | Map<string, Resolved>;
const FEW_KINDS = 16;

function otherKind(more: Kinds, kind: string): Resolved | undefined {
  if (more instanceof Map) return more.get(kind);
  for (let i = 0; i < more.length; i += 2) if (more[i] === kind) return more[i + 1] as Resolved;
  return undefined;
}

function addKind(more: Kinds | undefined, kind: string, resolved: Resolved): Kinds {
  if (more instanceof Map) return more.set(kind, resolved);
  // A copy of its exact size (push would leave room for 17 elements, kept for the run).
  more = more ? [...more, kind, resolved] : [kind, resolved];
  if (more.length < 2 * FEW_KINDS) return more;
  const map = new Map<string, Resolved>();
  for (let i = 0; i < more.length; i += 2) map.set(more[i] as string, more[i + 1] as Resolved);
  return map;
}

interface UaiEntry {
  /** The row's UAI cells (and Onisep action UAI), as a key. */
  key: string;
  /** Its region's bit in the code entries' region masks (0: none, or too many regions). */
  regionBit: number;
  check: UaiCheck;
  /** `check`, its problem in words replaced by a stand-in (the answer is shared by such UAIs). */
  shared: UaiCheck;
  region: string | null;
  /** The row's well-formed UAIs. */
  own: string[];
  /** Codes with figures at each of them. */
  schoolCodes: CodeSet | undefined;
  /** Codes with figures at the UAIs of the same catalogue offers (computed when needed; null: none). */
  partnerCodes: CodeSet | null | undefined;
  regionCodes: CodeSet | undefined;
  /** The outcome keys of this UAI, by (regional figures ? 1 : 0) + (school figures ? 2 : 0) ("": not yet). */
  kinds: [string, string, string, string];
}

/**
 * The UAIs that have school figures for these codes: the index's set of each code that has some (null:
 * none). Not merged into one set: a merged copy per code entry was 4 MB of a 1M-row run's growth.
 */
function schoolsOf(codes: readonly string[], index: IndexReader): readonly ReadonlySet<string>[] | null {
  let n = 0;
  for (const c of codes) if (index.zonesWithFigures("etablissement", c)) n++;
  if (n === 0) return null;
  // Made to its exact size (filter's array keeps room for 17, for the whole run).
  const present = new Array<ReadonlySet<string>>(n);
  n = 0;
  for (const c of codes) {
    const set = index.zonesWithFigures("etablissement", c);
    if (set) present[n++] = set;
  }
  return present;
}

/** The codes of several sets as one (the set itself when there is one). */
function union(sets: readonly (CodeSet | undefined)[]): CodeSet | undefined {
  const present = sets.filter((s): s is CodeSet => s !== undefined);
  if (present.length <= 1) return present[0];
  const all = new Set<string>();
  for (const set of present) for (const c of set.keys()) all.add(c);
  return all;
}

/** Candidate codes and their continuum: the codes select.ts may take figures from. */
function closureOf(codes: CodeMatch, index: IndexReader): string[] {
  const closure = new Set<string>();
  for (const candidate of codes.candidates)
    for (const { code } of continuumOf(candidate.code, index)) closure.add(code);
  // Made to its exact size (kept per code entry for the run).
  const out = new Array<string>(closure.size);
  let i = 0;
  for (const c of closure) out[i++] = c;
  return out;
}

/** The codes to blame: unknown ones, else every identifier (ambiguous rows), else the malformed values. */
function unmatchedCodes(codes: CodeMatch): readonly string[] {
  // Copies of their exact size (concat, slice): kept with the answer for the run, where the match's
  // arrays grew by push.
  if (codes.unknown.length > 0 || codes.withoutCode.length > 0)
    return codes.unknown.concat(codes.withoutCode);
  return (codes.identifiers.length > 0 ? codes.identifiers : codes.badValues).slice();
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
