import { regionFromInsee, regionFromName } from "../sources/regions.js";
import {
  cleanCell,
  type Parsed,
  parseCertifInfo,
  parseCfd,
  parseDuree,
  parseMef10,
  parseMefstat11,
  parseOnisepAf,
  parseOnisepFor,
  parseRncp,
  parseSise,
  parseUai,
  parseVoie,
  splitList,
  type Voie,
} from "./identifiers.js";
import type { RowUai, UaiRole } from "../indicators/uai-roles.js";
import { terminalMefstat11, terminalOf } from "./recipe.js";
import type { Candidate, LinkInfo, Methode, Nomenclature } from "./types.js";

/**
 * Per catalogue row: every identifier the row carries, tried in the priority order of DESIGN.md; every
 * candidate is kept with the method and the chain of sources that produced it. Pure: the nomenclature
 * is a parameter.
 *
 * The work is split in two so that a million-row catalogue pays for each distinct set of codes once:
 * matchCodes (everything but the UAI) and checkUai (the UAI alone).
 */
export const IDENTIFIER_KINDS = [
  "mefstat11",
  "mef",
  "cfd",
  "onisep",
  "af",
  "rncp",
  "certifinfo",
  "sise",
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Raw cells of a row, by role (several columns may feed one role: UAI lieu, formateur, gestionnaire). */
export interface RowCells {
  uai: string[];
  mefstat11: string[];
  mef: string[];
  cfd: string[];
  onisep: string[];
  af: string[];
  rncp: string[];
  certifinfo: string[];
  sise: string[];
  duree?: string;
  voie?: string;
  region?: string;
  libelle?: string;
  diplome?: string;
}

/** A row's cells by role, empty but for the ones given (export-links and tests build rows this way). */
export const rowCells = (given: Partial<RowCells>): RowCells => ({
  uai: [],
  mefstat11: [],
  mef: [],
  cfd: [],
  onisep: [],
  af: [],
  rncp: [],
  certifinfo: [],
  sise: [],
  ...given,
});

export type UaiStatus = "absent" | "valide" | "invalide" | "inconnu";

export interface UaiCheck {
  status: UaiStatus;
  value: string | null;
  reason?: string;
  /**
   * Every well-formed UAI of the row, in the order of its columns (lieu, formateur, gestionnaire), with
   * the role its column names: the UAIs whose figures count as the school's. Absent = [value] as a lieu.
   */
  uais?: RowUai[];
}

/** What the codes of a row (everything but its UAI) lead to. */
export interface CodeMatch {
  voie: Voie | undefined;
  duree: number | undefined;
  candidates: Candidate[];
  /** Identifier cells that could not be read, with why. */
  invalid: string[];
  /** Number of identifier values found in the row (valid or not). */
  identifierCount: number;
  /** Valid identifiers of the row, as "KIND value" (for the coverage report). */
  identifiers: string[];
  /** Malformed identifier values, as "KIND value". */
  badValues: string[];
  /** Valid identifiers that no nomenclature knows. */
  unknown: string[];
  /** Identifiers of a known formation (Onisep, Certif Info) to which no official code is linked. */
  withoutCode: string[];
  /** A certificateur outside the ministries InserJeunes covers, when the row's certification has one. */
  autreMinistere: string | null;
  /** INSEE region given by the row itself. */
  region: string | null;
  /** UAI of the Onisep action (AF) the row names, used when the row has no UAI of its own. */
  uaiFromAction: string | null;
}

export interface RowMatch extends CodeMatch {
  uai: UaiCheck;
}

/** --fuzzy: CFDs whose label is close to the row's, blocked by diploma type (see fuzzy.ts). */
export interface LabelMatcher {
  match(libelle: string, diplome: string | undefined): { cfd: string; score: number }[];
}

export interface MatchOptions {
  /** Voie fixed by a preset, when the catalogue has no voie column. */
  voie?: Voie;
  fuzzy?: LabelMatcher;
  /** MEFs closed before this date give way to open ones of the same CFD (recipe.ts mefsClosedBefore). */
  mefsClosedBefore?: string;
}

const RANK: Record<Methode, number> = {
  mefstat11: 1,
  mef: 2,
  cfd: 3,
  onisep: 4,
  onisep_action: 5,
  rncp: 6,
  certifinfo: 7,
  sise: 8,
  libelle_approx: 9,
};

/**
 * Which source to believe first for each kind of link (DESIGN.md "Matching"); a later source is used
 * only when the earlier ones state nothing. Sources not listed come last.
 */
const LINK_PRIORITY = {
  onisepToCfd: ["onisep-formations-initiales", "onisep-table-passage", "certifinfo"],
  rncpToCfd: [
    "certifinfo",
    "kit-apprentissage",
    "onisep-table-passage",
    "onisep-formations-initiales",
    "catalogue-apprentissage",
  ],
  certifinfoToCfd: ["certifinfo", "onisep-table-passage"],
} as const;

const COVERED_MINISTRIES = /[ée]ducation nationale|enseignement sup[ée]rieur|agriculture|universit[ée]/i;

interface Builder {
  nom: Nomenclature;
  duree: number | undefined;
  mefsClosedBefore: string | undefined;
  candidates: Candidate[];
  unknown: string[];
  withoutCode: string[];
  certifinfos: Set<string>;
}

export function matchRow(cells: RowCells, nom: Nomenclature, options: MatchOptions = {}): RowMatch {
  const codes = matchCodes(cells, nom, options);
  return withUai(codes, checkUai(cells.uai, codes.uaiFromAction, nom));
}

/**
 * The codes of a row with its UAI. Every field is copied by name (the `satisfies` makes the compiler
 * ask for any field added to CodeMatch): `{ ...codes, uai }` gives each object its own hidden class in
 * V8, allocated in the old generation, and the resolver makes one per distinct answer.
 */
export function withUai(codes: CodeMatch, uai: UaiCheck): RowMatch {
  return {
    voie: codes.voie,
    duree: codes.duree,
    candidates: codes.candidates,
    invalid: codes.invalid,
    identifierCount: codes.identifierCount,
    identifiers: codes.identifiers,
    badValues: codes.badValues,
    unknown: codes.unknown,
    withoutCode: codes.withoutCode,
    autreMinistere: codes.autreMinistere,
    region: codes.region,
    uaiFromAction: codes.uaiFromAction,
    uai,
  } satisfies { [K in keyof Required<RowMatch>]: RowMatch[K] };
}

export function matchCodes(cells: RowCells, nom: Nomenclature, options: MatchOptions = {}): CodeMatch {
  const invalid: string[] = [];
  const identifiers: string[] = [];
  const badValues: string[] = [];
  let identifierCount = 0;
  const parseAll = (values: readonly string[], parse: (v: string) => Parsed, label: string): string[] => {
    const out: string[] = [];
    for (const raw of values) {
      for (const value of splitList(raw)) {
        identifierCount++;
        const parsed = parse(value);
        if (parsed.ok) {
          if (!out.includes(parsed.value)) {
            out.push(parsed.value);
            identifiers.push(`${label} ${parsed.value}`);
          }
        } else {
          invalid.push(`${label}: ${parsed.reason}`);
          badValues.push(`${label} ${value}`);
        }
      }
    }
    return out;
  };

  const duree = cells.duree ? parseDuree(cells.duree) : undefined;
  const b: Builder = {
    nom,
    duree,
    mefsClosedBefore: options.mefsClosedBefore,
    candidates: [],
    unknown: [],
    withoutCode: [],
    certifinfos: new Set(),
  };

  for (const ms of parseAll(cells.mefstat11, parseMefstat11, "MEFSTAT11"))
    fromMefstat11(b, ms, "mefstat11", "");
  for (const mef10 of parseAll(cells.mef, parseMef10, "MEF")) {
    const mef = nom.mef(mef10);
    if (mef) fromMefstat11(b, mef.mefstat11, "mef", "bcn-n-mef");
    else if (nom.has("mef")) b.unknown.push(`MEF ${mef10}`);
  }
  for (const cfd of parseAll(cells.cfd, parseCfd, "CFD")) fromCfd(b, cfd, "cfd", "", duree);
  for (const forId of parseAll(cells.onisep, parseOnisepFor, "Onisep"))
    fromOnisep(b, forId, "onisep", "", duree);

  let uaiFromAction: string | null = null;
  for (const af of parseAll(cells.af, parseOnisepAf, "Onisep")) {
    const action = nom.onisepAction(af);
    if (!action?.forId) {
      b.unknown.push(`Onisep ${af}${nom.has("onisep_action") ? "" : " (no Onisep actions file indexed)"}`);
      continue;
    }
    uaiFromAction ??= action.uai;
    fromOnisep(b, action.forId, "onisep_action", "onisep-actions", duree ?? action.duree ?? undefined);
  }
  for (const rncp of parseAll(cells.rncp, parseRncp, "RNCP")) fromRncp(b, rncp, "rncp", "");
  for (const ci of parseAll(cells.certifinfo, parseCertifInfo, "Certif Info")) fromCertifInfo(b, ci);
  for (const sise of parseAll(cells.sise, parseSise, "SISE")) {
    if (nom.has("sise") && !nom.sise(sise)) b.unknown.push(`SISE ${sise}`);
    add(b, { voie: "superieur", code: sise, cfd: null, mefstat11: null, sise, methode: "sise", via: "" });
  }

  // Label similarity: only with --fuzzy, and never when an identifier matched.
  if (b.candidates.length === 0 && options.fuzzy && cells.libelle?.trim()) {
    for (const { cfd, score } of options.fuzzy.match(cells.libelle, cells.diplome))
      fromCfd(b, cfd, "libelle_approx", "libelle", duree, score);
  }

  b.candidates.sort((x, y) => x.rank - y.rank);
  const voie = cells.voie !== undefined ? parseVoie(cells.voie) : options.voie;
  const region = regionOfCell(cells.region, invalid);
  return {
    voie: voie ?? options.voie,
    duree,
    candidates: exact(b.candidates),
    invalid: exact(invalid),
    identifierCount,
    identifiers: exact(identifiers),
    badValues: exact(badValues),
    unknown: exact(b.unknown),
    withoutCode: exact(b.withoutCode),
    autreMinistere: b.candidates.some((c) => c.cfd !== null || c.sise !== null)
      ? null
      : findAutreMinistere(b),
    region,
    uaiFromAction,
  };
}

/**
 * The row's region column as an INSEE region code: `84`, `084`, `R84`, `1` or its name. Anything else
 * is said in the row's detail, and the UAI's region is used instead.
 */
function regionOfCell(raw: string | undefined, invalid: string[]): string | null {
  const v = raw ? cleanCell(raw) : "";
  if (v === "") return null;
  const region = regionFromInsee(v) ?? regionFromName(v);
  if (!region) invalid.push(`région: "${v}" is no region (an INSEE code such as 84, or its name)`);
  return region?.insee ?? null;
}

/**
 * The array at its exact size: one grown by push keeps room for 17 elements, and the resolver keeps a
 * CodeMatch per distinct set of codes for the whole run.
 */
function exact<T>(list: T[]): T[] {
  return list.length === 0 ? [] : list.slice();
}

function add(b: Builder, c: CandidateFields, score = 1): void {
  const rank = RANK[c.methode];
  if (b.candidates.some((o) => o.voie === c.voie && o.code === c.code && o.rank <= rank)) return;
  // Built field by field, not with a spread: V8 gives every `{ ...c, rank }` object its own hidden
  // class (about 300 bytes, in the old generation), and the resolver keeps candidates for the run.
  const candidate: Candidate = {
    voie: c.voie,
    code: c.code,
    cfd: c.cfd,
    mefstat11: c.mefstat11,
    sise: c.sise,
    methode: c.methode,
    via: c.via,
  } as Candidate;
  if (c.famille !== undefined) candidate.famille = c.famille;
  candidate.rank = rank;
  candidate.score = score;
  b.candidates.push(candidate);
}

const chain = (...parts: string[]) => parts.filter(Boolean).join(" > ");

type CandidateFields = Omit<Candidate, "rank" | "score">;
const scolaire = (
  mefstat11: string,
  cfd: string | null,
  methode: Methode,
  via: string,
  famille?: string,
): CandidateFields => ({
  voie: "scolaire",
  code: mefstat11,
  cfd,
  mefstat11,
  sise: null,
  methode,
  via,
  famille: famille || undefined,
});
const apprentissage = (cfd: string, methode: Methode, via: string): CandidateFields => ({
  voie: "apprentissage",
  code: cfd,
  cfd,
  mefstat11: null,
  sise: null,
  methode,
  via,
});

/** The links of the first source (in priority order) that states any. */
function firstSource(links: readonly LinkInfo[], priority: readonly string[]): LinkInfo[] {
  if (links.length <= 1) return [...links];
  const rank = (l: LinkInfo) => {
    const ranks = l.source.split("+").map((s) => priority.indexOf(s));
    const known = ranks.filter((r) => r >= 0);
    return known.length > 0 ? Math.min(...known) : priority.length;
  };
  const best = Math.min(...links.map(rank));
  return links.filter((l) => rank(l) === best);
}

/**
 * A seconde commune (année commune of a famille de métiers) leads to the terminal codes of every
 * specialty of its famille, tagged with the famille: precomputed at build time (famille_terminal).
 */
function secondeCommune(b: Builder, cfd: string): { codes: string[]; famille: string } | undefined {
  const terminals = b.nom.certificationsTerminales(cfd);
  if (terminals.length === 0) return undefined;
  return { codes: [...new Set(terminals.map((t) => t.code))].sort(), famille: terminals[0]!.groupe };
}

/** Adds the terminal codes of a seconde commune's famille; false when the CFD is not one. */
function addSecondeCommune(b: Builder, cfd: string, methode: Methode, via: string, score: number): boolean {
  const commune = secondeCommune(b, cfd);
  if (!commune) return false;
  const sources = chain(via, "bcn-n-mef", "bcn-n-lien-formation-groupe");
  for (const code of commune.codes) add(b, scolaire(code, null, methode, sources, commune.famille), score);
  return true;
}

function fromMefstat11(b: Builder, ms: string, methode: Methode, via: string): void {
  const mefs = b.nom.mefsByStat(ms);
  if (mefs.length === 0 && b.nom.has("mef")) b.unknown.push(`MEFSTAT11 ${ms}`);
  const cfd = mefs[0]?.cfd ?? null;
  if (!cfd || !addSecondeCommune(b, cfd, methode, via, 1))
    for (const terminal of terminalOf(ms, mefs))
      add(b, scolaire(terminal, cfd, methode, chain(via, "bcn-n-mef")));
  for (const c of new Set(mefs.map((m) => m.cfd))) add(b, apprentissage(c, methode, chain(via, "bcn-n-mef")));
}

function fromCfd(
  b: Builder,
  cfd: string,
  methode: Methode,
  via: string,
  duree: number | undefined,
  score = 1,
): void {
  const formation = b.nom.formation(cfd);
  const mefs = b.nom.mefsByCfd(cfd);
  if (!formation && mefs.length === 0 && (b.nom.has("formation") || b.nom.has("mef")))
    b.unknown.push(`CFD ${cfd}`);
  add(b, apprentissage(cfd, methode, chain(via, "cfd")), score);
  if (addSecondeCommune(b, cfd, methode, via, score)) return;
  for (const ms of terminalMefstat11(cfd, duree, mefs, b.mefsClosedBefore).codes)
    add(b, scolaire(ms, cfd, methode, chain(via, "bcn-n-mef")), score);
}

/** FOR id → formations initiales `code scolarité`; else the table de passage, then Certif Info codeIdeo2. */
function fromOnisep(
  b: Builder,
  forId: string,
  methode: Methode,
  via: string,
  duree: number | undefined,
): void {
  const formation = b.nom.onisepFormation(forId);
  const d = duree ?? formation?.duree ?? undefined;
  if (formation?.cfd) {
    fromCfd(b, formation.cfd, methode, chain(via, "onisep-formations-initiales"), d);
    return;
  }
  const linked = firstSource(b.nom.links("onisep", forId, "cfd"), LINK_PRIORITY.onisepToCfd);
  if (linked.length > 0) {
    for (const l of linked) fromCfd(b, l.code, methode, chain(via, l.source), d);
    return;
  }
  const rncps = formation?.rncp
    ? [{ code: formation.rncp, source: "onisep-formations-initiales" }]
    : b.nom.links("onisep", forId, "rncp");
  const before = b.candidates.length;
  for (const l of rncps) fromRncp(b, l.code, methode, chain(via, l.source), d);
  for (const ci of b.nom.links("onisep", forId, "certifinfo")) b.certifinfos.add(ci.code);
  if (b.candidates.length > before) return;
  // A formation Onisep knows, whose RNCP (if any) leads to no official code: known, but without code.
  if (formation) b.withoutCode.push(`Onisep ${forId}`);
  else if (rncps.length === 0) b.unknown.push(`Onisep ${forId}`);
}

/** RNCP → Certif Info, kit apprentissage, table de passage → CFD; else InserSup SISE. */
function fromRncp(b: Builder, rncp: string, methode: Methode, via: string, duree = b.duree): void {
  const cfds = firstSource(b.nom.links("rncp", rncp, "cfd"), LINK_PRIORITY.rncpToCfd);
  for (const l of cfds) fromCfd(b, l.code, methode, chain(via, l.source), duree);
  const certifinfos = b.nom.links("rncp", rncp, "certifinfo");
  for (const ci of certifinfos) b.certifinfos.add(ci.code);
  let sises: readonly LinkInfo[] = [];
  if (cfds.length === 0) {
    sises = b.nom.links("rncp", rncp, "sise");
    for (const l of sises)
      add(b, {
        voie: "superieur",
        code: l.code,
        cfd: null,
        mefstat11: null,
        sise: l.code,
        methode,
        via: chain(via, l.source),
      });
  }
  if (cfds.length > 0 || sises.length > 0) return;
  if (certifinfos.length > 0) b.withoutCode.push(`RNCP ${rncp}`);
  else b.unknown.push(`RNCP ${rncp}`);
}

/** Certif Info → its CFD; else its RNCP → 6; else its Onisep formation (codeIdeo2) → 4. */
function fromCertifInfo(b: Builder, ci: string): void {
  b.certifinfos.add(ci);
  const cfds = firstSource(b.nom.links("certifinfo", ci, "cfd"), LINK_PRIORITY.certifinfoToCfd);
  if (cfds.length > 0) {
    for (const l of cfds) fromCfd(b, l.code, "certifinfo", l.source, b.duree);
    return;
  }
  const rncps = b.nom.links("certifinfo", ci, "rncp");
  for (const l of rncps) fromRncp(b, l.code, "certifinfo", l.source);
  if (rncps.length > 0) return;
  const forIds = b.nom.links("certifinfo", ci, "onisep");
  for (const l of forIds) fromOnisep(b, l.code, "certifinfo", l.source, b.duree);
  if (forIds.length > 0) return;
  if (b.nom.certificateurs(ci).length > 0) b.withoutCode.push(`Certif Info ${ci}`);
  else b.unknown.push(`Certif Info ${ci}`);
}

function findAutreMinistere(b: Builder): string | null {
  for (const ci of b.certifinfos) {
    for (const { certificateur, valideur } of b.nom.certificateurs(ci)) {
      const who = certificateur || valideur;
      if (who && !COVERED_MINISTRIES.test(`${certificateur} ${valideur}`)) return who;
    }
  }
  return null;
}

/**
 * The UAI of the row: the first valid one, columns in priority order (lieu > formateur > gestionnaire),
 * else the first problem found. Known = in the annuaire / ACCE or named by the catalogue de
 * l'apprentissage; without a directory indexed, no UAI is called unknown.
 */
/**
 * The row's UAI: the first well-formed one that a directory knows (else the first well-formed one,
 * `inconnu`), and every well-formed one in column order with its column's role (`roles[i]` for
 * `values[i]`; lieu when not given, and for the UAI of an Onisep action).
 */
export function checkUai(
  values: readonly string[],
  fromAction: string | null,
  nom: Nomenclature,
  roles: readonly UaiRole[] = [],
): UaiCheck {
  const parsed = values.flatMap((v, i) =>
    splitList(v).map((raw) => ({ raw, parsed: parseUai(raw), role: roles[i] ?? ("lieu" as const) })),
  );
  if (parsed.length === 0 && fromAction)
    parsed.push({ raw: fromAction, parsed: parseUai(fromAction), role: "lieu" });
  if (parsed.length === 0) return { status: "absent", value: null };
  const uais: RowUai[] = [];
  for (const { parsed: p, role } of parsed)
    if (p.ok && !uais.some((u) => u.value === p.value)) uais.push({ value: p.value, role });
  const known = (uai: string) =>
    !nom.hasEtablissements() || nom.etablissement(uai) !== undefined || nom.uaiInCatalogue(uai);
  const withUais = (check: UaiCheck): UaiCheck =>
    uais.length > 1 || (uais.length === 1 && uais[0]!.role !== "lieu") ? { ...check, uais } : check;
  for (const { parsed: p } of parsed)
    if (p.ok && known(p.value)) return withUais({ status: "valide", value: p.value });
  const firstValid = parsed.find((p) => p.parsed.ok)?.parsed;
  if (firstValid?.ok)
    return withUais({
      status: "inconnu",
      value: firstValid.value,
      reason: `UAI ${firstValid.value} is in neither the annuaire / ACCE nor the catalogue de l'apprentissage`,
    });
  const first = parsed[0]!.parsed;
  return { status: "invalide", value: null, reason: first.ok ? "" : first.reason };
}

/** The candidates a voie retains: those of the best-ranked strategy that found any, distinct by code. */
export function candidatesForVoie(match: Pick<CodeMatch, "candidates">, voie: Voie): Candidate[] {
  const ofVoie = match.candidates.filter((c) => c.voie === voie);
  if (ofVoie.length === 0) return [];
  const best = Math.min(...ofVoie.map((c) => c.rank));
  const seen = new Set<string>();
  return ofVoie.filter((c) => c.rank === best && !seen.has(c.code) && seen.add(c.code));
}
