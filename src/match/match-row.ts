import {
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
import { terminalMefstat11, terminalOf } from "./recipe.js";
import type { Candidate, Methode, Nomenclature } from "./types.js";

/**
 * Per catalogue row: every identifier the row carries, tried in the priority order of DESIGN.md; every
 * candidate is kept with the method and the chain of sources that produced it. Pure: the nomenclature
 * is a parameter.
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
}

export type UaiStatus = "absent" | "valide" | "invalide" | "inconnu";

export interface UaiCheck {
  status: UaiStatus;
  value: string | null;
  reason?: string;
}

export interface RowMatch {
  uai: UaiCheck;
  voie: Voie | undefined;
  duree: number | undefined;
  candidates: Candidate[];
  /** Identifier cells that could not be read, with why. */
  invalid: string[];
  /** Number of identifier values found in the row (valid or not). */
  identifierCount: number;
  /** Valid identifiers that no nomenclature knows. */
  unknown: string[];
  /** A certificateur outside the ministries InserJeunes covers, when the row's certification has one. */
  autreMinistere: string | null;
  /** INSEE region given by the row itself. */
  region: string | null;
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

const COVERED_MINISTRIES = /[ée]ducation nationale|enseignement sup[ée]rieur|agriculture|universit[ée]/i;

interface Builder {
  nom: Nomenclature;
  duree: number | undefined;
  candidates: Candidate[];
  unknown: string[];
  certifinfos: Set<string>;
}

export function matchRow(cells: RowCells, nom: Nomenclature): RowMatch {
  const invalid: string[] = [];
  let identifierCount = 0;
  const parseAll = (values: readonly string[], parse: (v: string) => Parsed, label: string): string[] => {
    const out: string[] = [];
    for (const raw of values) {
      for (const value of splitList(raw)) {
        identifierCount++;
        const parsed = parse(value);
        if (parsed.ok) {
          if (!out.includes(parsed.value)) out.push(parsed.value);
        } else invalid.push(`${label}: ${parsed.reason}`);
      }
    }
    return out;
  };

  const duree = cells.duree ? parseDuree(cells.duree) : undefined;
  const b: Builder = { nom, duree, candidates: [], unknown: [], certifinfos: new Set() };

  for (const ms of parseAll(cells.mefstat11, parseMefstat11, "MEFSTAT11"))
    fromMefstat11(b, ms, "mefstat11", "");
  for (const mef10 of parseAll(cells.mef, parseMef10, "MEF")) {
    const mef = nom.mef(mef10);
    if (mef) fromMefstat11(b, mef.mefstat11, "mef", "bcn-n-mef");
    else b.unknown.push(`MEF ${mef10}`);
  }
  for (const cfd of parseAll(cells.cfd, parseCfd, "CFD")) fromCfd(b, cfd, "cfd", "", duree);

  const actions = parseAll(cells.af, parseOnisepAf, "Onisep AF");
  let uaiFromAction: string | null = null;
  const forIds = parseAll(cells.onisep, parseOnisepFor, "Onisep");
  for (const forId of forIds) fromOnisep(b, forId, "onisep", "", duree);
  for (const af of actions) {
    const action = nom.onisepAction(af);
    if (!action?.forId) {
      b.unknown.push(`Onisep ${af}`);
      continue;
    }
    uaiFromAction ??= action.uai;
    fromOnisep(b, action.forId, "onisep_action", "onisep-actions", duree ?? action.duree ?? undefined);
  }
  for (const rncp of parseAll(cells.rncp, parseRncp, "RNCP")) fromRncp(b, rncp, "rncp", "");
  for (const ci of parseAll(cells.certifinfo, parseCertifInfo, "Certif Info")) {
    b.certifinfos.add(ci);
    const cfds = nom.links("certifinfo", ci, "cfd");
    if (cfds.length > 0) for (const l of cfds) fromCfd(b, l.code, "certifinfo", l.source, duree);
    else {
      const rncps = nom.links("certifinfo", ci, "rncp");
      for (const l of rncps) fromRncp(b, l.code, "certifinfo", l.source);
      if (rncps.length === 0) b.unknown.push(`Certif Info ${ci}`);
    }
  }
  for (const sise of parseAll(cells.sise, parseSise, "SISE")) {
    if (nom.has("sise") && !nom.sise(sise)) b.unknown.push(`SISE ${sise}`);
    add(b, { voie: "superieur", code: sise, cfd: null, mefstat11: null, sise, methode: "sise", via: "" });
  }

  const uaiValues = parseAllUai(cells.uai, uaiFromAction);
  const uai = checkUai(uaiValues, nom);
  b.candidates.sort((x, y) => x.rank - y.rank);
  return {
    uai,
    voie: cells.voie ? parseVoie(cells.voie) : undefined,
    duree,
    candidates: b.candidates,
    invalid,
    identifierCount,
    unknown: b.unknown,
    autreMinistere: b.candidates.some((c) => c.cfd !== null || c.sise !== null)
      ? null
      : findAutreMinistere(b),
    region: cells.region?.trim() ? cells.region.trim() : null,
  };
}

function add(b: Builder, c: Omit<Candidate, "rank" | "score">): void {
  const rank = RANK[c.methode];
  if (b.candidates.some((o) => o.voie === c.voie && o.code === c.code && o.rank <= rank)) return;
  b.candidates.push({ ...c, rank, score: 1 });
}

const chain = (...parts: string[]) => parts.filter(Boolean).join(" > ");

const scolaire = (mefstat11: string, cfd: string | null, methode: Methode, via: string) =>
  ({ voie: "scolaire", code: mefstat11, cfd, mefstat11, sise: null, methode, via }) as const;
const apprentissage = (cfd: string, methode: Methode, via: string) =>
  ({ voie: "apprentissage", code: cfd, cfd, mefstat11: null, sise: null, methode, via }) as const;

function fromMefstat11(b: Builder, ms: string, methode: Methode, via: string): void {
  const mefs = b.nom.mefsByStat(ms);
  if (mefs.length === 0 && b.nom.has("mef")) b.unknown.push(`MEFSTAT11 ${ms}`);
  for (const terminal of terminalOf(ms, mefs)) {
    const cfd = mefs[0]?.cfd ?? null;
    add(b, scolaire(terminal, cfd, methode, chain(via, "bcn-n-mef")));
  }
  for (const cfd of new Set(mefs.map((m) => m.cfd)))
    add(b, apprentissage(cfd, methode, chain(via, "bcn-n-mef")));
}

function fromCfd(b: Builder, cfd: string, methode: Methode, via: string, duree: number | undefined): void {
  const formation = b.nom.formation(cfd);
  const mefs = b.nom.mefsByCfd(cfd);
  if (!formation && mefs.length === 0 && (b.nom.has("formation") || b.nom.has("mef")))
    b.unknown.push(`CFD ${cfd}`);
  add(b, apprentissage(cfd, methode, chain(via, "cfd")));
  const recipe = terminalMefstat11(cfd, duree, mefs);
  for (const ms of recipe.codes) add(b, scolaire(ms, cfd, methode, chain(via, "bcn-n-mef")));
}

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
  const linked = b.nom.links("onisep", forId, "cfd");
  if (linked.length > 0) {
    for (const l of linked) fromCfd(b, l.code, methode, chain(via, l.source), d);
    return;
  }
  const rncps = formation?.rncp
    ? [{ code: formation.rncp, source: "onisep-formations-initiales" }]
    : b.nom.links("onisep", forId, "rncp");
  for (const l of rncps) fromRncp(b, l.code, methode, chain(via, l.source), d);
  if (!formation && rncps.length === 0) b.unknown.push(`Onisep ${forId}`);
}

function fromRncp(b: Builder, rncp: string, methode: Methode, via: string, duree = b.duree): void {
  const cfds = b.nom.links("rncp", rncp, "cfd");
  for (const l of cfds) fromCfd(b, l.code, methode, chain(via, l.source), duree);
  for (const ci of b.nom.links("rncp", rncp, "certifinfo")) b.certifinfos.add(ci.code);
  if (cfds.length === 0 && b.nom.links("rncp", rncp, "certifinfo").length === 0)
    b.unknown.push(`RNCP ${rncp}`);
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

function parseAllUai(
  values: readonly string[],
  fromAction: string | null,
): { raw: string; parsed: Parsed }[] {
  const out = values.flatMap((v) => splitList(v)).map((raw) => ({ raw, parsed: parseUai(raw) }));
  if (out.length === 0 && fromAction) out.push({ raw: fromAction, parsed: parseUai(fromAction) });
  return out;
}

/** The first valid UAI of the row (columns in priority order), else the first problem found. */
function checkUai(values: { raw: string; parsed: Parsed }[], nom: Nomenclature): UaiCheck {
  if (values.length === 0) return { status: "absent", value: null };
  for (const { parsed } of values) {
    if (parsed.ok && (!nom.hasEtablissements() || nom.etablissement(parsed.value)))
      return { status: "valide", value: parsed.value };
  }
  const first = values[0]!;
  if (first.parsed.ok)
    return {
      status: "inconnu",
      value: first.parsed.value,
      reason: `UAI ${first.parsed.value} is not in the annuaire / ACCE`,
    };
  return { status: "invalide", value: null, reason: first.parsed.reason };
}

/** The candidates a voie retains: those of the best-ranked strategy that found any, distinct by code. */
export function candidatesForVoie(match: RowMatch, voie: Voie): Candidate[] {
  const ofVoie = match.candidates.filter((c) => c.voie === voie);
  if (ofVoie.length === 0) return [];
  const best = Math.min(...ofVoie.map((c) => c.rank));
  const seen = new Set<string>();
  return ofVoie.filter((c) => c.rank === best && !seen.has(c.code) && seen.add(c.code));
}
