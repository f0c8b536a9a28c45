import {
  continuumOf,
  type IndicatorLookup,
  type NiveauOption,
  type SchoolUai,
  type SelectRequest,
  type Selection,
  type SelectResult,
  selectFamille,
  selectIndicators,
} from "../indicators/select.js";
import { apprentissageDataUais, type UaiRoleLookup } from "../indicators/uai-roles.js";
import { departementFromUai, regionFromDepartement } from "../sources/regions.js";
import { codePrefix, type Voie } from "./identifiers.js";
import { candidatesForVoie, type RowMatch } from "./match-row.js";
import type { Candidate, Methode, Nomenclature } from "./types.js";

/**
 * The verdict on one row: a status from a fixed list, the reason (motif), and, when one certification
 * was found, the figures chosen for it. Never a guess: several codes stay "plusieurs_codes".
 */
export const STATUTS = ["couvert", "sous_seuil", "non_couvert", "plusieurs_codes", "invalide"] as const;
export type Statut = (typeof STATUTS)[number];

/**
 * The fixed list of ij_motif values, documented in the README, modelled on the field's coverage taxonomy
 * (trajectoires-pro coverage reports: "Non couvert - code certification inconnu", "- UAI Inconnu",
 * "- Plusieurs formations en année terminale associées", "- Plusieurs certifications associées au départ
 * dont une seule est couverte", "- Autres ministères certificateurs", "- Nouvelle formation", "- Sous le
 * seuil de 20 élèves", "- Problème de qualité du code formation en entrée", "- Sans raison évidente").
 */
export const MOTIFS = {
  ligne_malformee: "the line has more or fewer fields than the header (its cells are kept as they are)",
  identifiant_absent: "the row carries no identifier (CFD, MEF, MEFSTAT11, Onisep, RNCP, Certif Info, SISE)",
  identifiant_invalide: "every identifier of the row is malformed",
  code_inconnu: "the identifiers are well-formed but no nomenclature of the index knows them",
  formation_sans_code:
    "the formation is known (Onisep, Certif Info) but no CFD, MEFSTAT11 or SISE is linked to it",
  autre_ministere: "a certification of another ministry (Certif Info certificateur): outside InserJeunes",
  plusieurs_codes: "several official codes remain for the row; all are listed in ij_candidats",
  plusieurs_annees_terminales:
    "one diploma, several terminal-year codes (durée missing or matching no dispositif): all listed in ij_candidats",
  plusieurs_codes_un_couvert:
    "several codes remain and only one has figures (listed first in ij_candidats): none is chosen",
  seconde_commune:
    "a seconde commune of a famille de métiers: the terminal codes of its specialties are listed in ij_candidats",
  nouvelle_formation: "a diploma too recent to have a cohort in the published millésimes",
  pas_de_donnees: "the code is known but has no InserJeunes figures at the allowed levels",
  millesime_indisponible: "figures exist, but not for the millésime asked with --millesime",
  sous_le_seuil: "fewer than 20 students in the terminal year: figures withheld",
  uai_absent: "--niveau etablissement, but the row has no UAI",
  uai_invalide: "the UAI fails its format or checksum; figures of a wider level are given when allowed",
  uai_inconnu:
    "the UAI is not in the annuaire / ACCE and has no figures; a wider level is given when allowed",
  pas_de_donnees_etablissement: "no figures for this school: regional or national ones are given",
  sous_seuil_etablissement:
    "the school's figures are under the threshold: regional or national ones are given",
} as const;
export type Motif = keyof typeof MOTIFS;

export interface Outcome {
  statut: Statut;
  motif: Motif | "";
  candidate: Candidate | undefined;
  voie: Voie | undefined;
  uai: string | null;
  selection: Selection | undefined;
  /** Every candidate code when ambiguous. */
  candidats: string[];
  /** How the code(s) were found (also set when ambiguous). */
  methode: Methode | "";
  /** Why, in words (invalid cells, unknown codes): for --rejects and --verbose, not a column. */
  detail: string;
  /** The terminal codes of a seconde commune (ij_certifications_terminales). */
  terminales?: string[];
  /** Whose school figures were used or left out (UAI roles), for --verbose; also in `detail`. */
  uaiNotes?: string[];
  /** With --history: the outcome of each millésime at the chosen level, latest first (this one first). */
  history?: Outcome[];
}

export interface ResolveOptions {
  niveau: NiveauOption;
  millesime?: string;
  /** --famille aggregate: a seconde commune gets the summed counts of its terminal codes. */
  famille?: "aggregate";
  /** --history: every millésime with figures at the chosen level. */
  history?: boolean;
}

export interface ResolveContext {
  nomenclature: Nomenclature;
  indicators: IndicatorLookup;
  /** Latest national millésime in the index (for "nouvelle formation"). */
  latestYear: number | null;
  /** UAI roles of the catalogue de l'apprentissage; without it only the row's own UAIs are tried. */
  roles?: UaiRoleLookup;
}

const VOIE_ORDER: readonly Voie[] = ["scolaire", "apprentissage", "superieur"];
const LEVEL_RANK = { etablissement: 0, regional: 1, national: 2 } as const;

export function formatCode(c: Pick<Candidate, "voie" | "code">): string {
  return c.voie === "scolaire"
    ? `${codePrefix.mefstat11}${c.code}`
    : c.voie === "apprentissage"
      ? `${codePrefix.cfd}${c.code}`
      : `${codePrefix.sise}${c.code}`;
}

export function invalidRow(motif: "ligne_malformee", detail = ""): Outcome {
  return {
    statut: "invalide",
    motif,
    candidate: undefined,
    voie: undefined,
    uai: null,
    selection: undefined,
    candidats: [],
    methode: "",
    detail,
  };
}

/** The voies to consider: the row's own when it has candidates there, else every voie that has some. */
function voiesOf(match: RowMatch): Voie[] {
  if (match.voie && match.candidates.some((c) => c.voie === match.voie)) return [match.voie];
  return VOIE_ORDER.filter((v) => match.candidates.some((c) => c.voie === v));
}

export function resolveRow(match: RowMatch, options: ResolveOptions, context: ResolveContext): Outcome {
  const uaiForData = match.uai.status === "valide" || match.uai.status === "inconnu" ? match.uai.value : null;
  const base: OutcomeBase = {
    uai: match.uai.value,
    selection: undefined,
    candidats: [] as string[],
    methode: "" as Methode | "",
    detail: describe(match),
  };

  if (match.candidates.length === 0) {
    const motif: Motif = match.autreMinistere
      ? "autre_ministere"
      : match.identifierCount === 0
        ? "identifiant_absent"
        : match.withoutCode.length > 0
          ? "formation_sans_code"
          : match.unknown.length > 0
            ? "code_inconnu"
            : "identifiant_invalide";
    const statut: Statut =
      motif === "identifiant_absent" || motif === "identifiant_invalide" ? "invalide" : "non_couvert";
    return outcome(base, { statut, motif, candidate: undefined, voie: match.voie });
  }

  const voies = voiesOf(match);
  if (options.niveau === "etablissement" && !uaiForData) {
    const motif: Motif = match.uai.status === "absent" ? "uai_absent" : "uai_invalide";
    const first = candidatesForVoie(match, voies[0]!);
    const candidate = first.length === 1 ? first[0] : undefined;
    return outcome(base, {
      statut: "non_couvert",
      motif,
      candidate,
      voie: match.voie ?? candidate?.voie,
      methode: first[0]?.methode ?? "",
      candidats: first.length > 1 ? first.map(formatCode) : [],
    });
  }

  const region = regionOf(match, uaiForData, context.nomenclature);
  const notes: string[] = [];
  // One shape for every request (no spreads: this runs once or twice per distinct row).
  const request = (voie: Voie, code: string, uais: readonly SchoolUai[]): SelectRequest => ({
    voie,
    code,
    uai: uaiForData,
    uais,
    region,
    niveau: options.niveau,
    millesime: options.millesime,
    history: options.history,
  });
  const select = (voie: Voie, code: string) => {
    const schools = schoolUais(match, voie, code, context);
    if (schools.notes.length > 0) notes.push(...schools.notes);
    return selectIndicators(request(voie, code, schools.uais), context.indicators);
  };
  const perVoie = voies.map((voie) => {
    const candidates = candidatesForVoie(match, voie);
    return {
      voie,
      candidates,
      result: candidates.length === 1 ? select(voie, candidates[0]!.code) : undefined,
    };
  });

  // The voie with data, at the most specific level; publishable figures before withheld ones.
  const withData = perVoie
    .filter((p) => p.result?.selection)
    .sort((a, b) => {
      const sa = a.result!.selection!;
      const sb = b.result!.selection!;
      if (sa.underThreshold !== sb.underThreshold) return sa.underThreshold ? 1 : -1;
      return LEVEL_RANK[sa.niveau] - LEVEL_RANK[sb.niveau];
    });
  const chosen = withData[0];
  if (chosen?.result?.selection)
    return withFigures(
      Object.assign({}, base, {
        candidate: chosen.candidates[0],
        voie: chosen.voie,
        methode: chosen.candidates[0]!.methode,
      }),
      chosen.result,
      match,
      uaiForData,
      notes,
    );

  const ambiguous = perVoie.find((p) => p.candidates.length > 1);
  const famille = ambiguous?.candidates[0]!.famille;
  if (
    ambiguous &&
    options.famille === "aggregate" &&
    ambiguityMotif(ambiguous.candidates, 0) === "seconde_commune"
  ) {
    // --famille aggregate: the famille's terminal codes summed, at the row's school, region or nation.
    const codes = ambiguous.candidates.map((c) => c.code);
    const schools = schoolUais(match, ambiguous.voie, codes[0]!, context).uais;
    const result = selectFamille(
      { ...request(ambiguous.voie, codes[0]!, schools), codes },
      context.indicators,
    );
    const terminales = ambiguous.candidates.map(formatCode);
    const common: Base = Object.assign({}, base, {
      candidate: undefined,
      voie: ambiguous.voie,
      methode: ambiguous.candidates[0]!.methode,
      terminales,
      detail: joinDetail(base.detail, [
        `famille ${famille}: ${codes.length} terminal code(s) summed where they have figures`,
      ]),
    });
    if (result.selection) return withFigures(common, result, match, uaiForData, []);
    return outcome(common, {
      selection: undefined,
      statut: "non_couvert",
      motif: result.otherMillesimes ? "millesime_indisponible" : "pas_de_donnees",
    });
  }
  if (ambiguous) {
    const covered = ambiguous.candidates.filter(
      (c) => select(ambiguous.voie, c.code).selection !== undefined,
    );
    const ordered = [...covered, ...ambiguous.candidates.filter((c) => !covered.includes(c))];
    const motif = ambiguityMotif(ambiguous.candidates, covered.length);
    const out = outcome(base, {
      statut: "plusieurs_codes",
      motif,
      candidate: undefined,
      voie: ambiguous.voie,
      candidats: ordered.map(formatCode),
      methode: ambiguous.candidates[0]!.methode,
    });
    if (motif === "seconde_commune") out.terminales = ordered.map(formatCode);
    return out;
  }

  const single = perVoie.find((p) => p.candidates.length === 1)!;
  const candidate = single.candidates[0]!;
  const out = outcome(base, {
    detail: joinDetail(base.detail, notes),
    statut: "non_couvert",
    motif: noDataMotif(match, candidate, single.result, context),
    candidate,
    voie: single.voie,
    methode: candidate.methode,
  });
  if (notes.length > 0) out.uaiNotes = [...new Set(notes)];
  return out;
}

type Base = Omit<Outcome, "statut" | "motif" | "selection">;
type OutcomeBase = Pick<Outcome, "uai" | "selection" | "candidats" | "methode" | "detail">;

/**
 * An outcome: the fields of `base`, then `own` (which may override them), as `{ ...base, ...own }`.
 * Not written as a spread: V8 gives every object made by `{ ...base, statut, … }` its own hidden class,
 * allocated in the old generation (on a 1M-row catalogue: ~130 MB of garbage and ~1 s of CPU).
 */
function outcome<B extends object>(base: B, own: Omit<Outcome, keyof B> & Partial<Outcome>): Outcome {
  return Object.assign({}, base, own) as Outcome;
}

const NO_CATALOGUE: UaiRoleLookup = { offers: () => [] };
const NO_SCHOOL: { uais: SchoolUai[]; notes: string[] } = { uais: [], notes: [] };

/** A row with figures: couvert or sous_seuil, the motif of the level used, and the --history rows. */
function withFigures(
  base: Base,
  result: SelectResult,
  match: RowMatch,
  uai: string | null,
  notes: readonly string[],
): Outcome {
  const of = (selection: Selection): Outcome =>
    outcome(base, {
      statut: selection.underThreshold ? "sous_seuil" : "couvert",
      motif: selection.underThreshold ? "sous_le_seuil" : fallbackMotif(match, result, uai),
      selection,
    });
  const selection = result.selection!;
  const borrowed =
    selection.uaiDonnee && selection.uaiDonnee !== match.uai.value
      ? [
          `figures of ${selection.uaiDonnee}${selection.uaiDonneeType ? `, ${selection.uaiDonneeType}` : ""} (${
            match.uai.uais?.some((u) => u.value === selection.uaiDonnee)
              ? "a UAI column of the row"
              : "catalogue de l'apprentissage"
          })`,
        ]
      : [];
  const out: Outcome = of(selection);
  if (notes.length > 0 || borrowed.length > 0) {
    out.uaiNotes = [...new Set([...notes, ...borrowed])];
    out.detail = joinDetail(base.detail, out.uaiNotes);
  }
  if (result.history) out.history = result.history.map((h) => Object.assign(of(h), { detail: out.detail }));
  return out;
}

function joinDetail(detail: string, more: readonly string[]): string {
  const parts = [detail, ...new Set(more)].filter((p) => p !== "");
  return parts.join("; ");
}

/**
 * The UAIs whose figures count as the school's for this code: the row's own (in column order), and for
 * apprenticeship the formateur and gestionnaire the catalogue de l'apprentissage associates with them
 * (uai-roles.ts), each with its role.
 */
function schoolUais(
  match: RowMatch,
  voie: Voie,
  code: string,
  context: ResolveContext,
): { uais: SchoolUai[]; notes: string[] } {
  const value = match.uai.status === "valide" || match.uai.status === "inconnu" ? match.uai.value : null;
  if (!value) return NO_SCHOOL;
  const roles = context.roles ?? NO_CATALOGUE;
  // The usual case: one UAI, typed by a lieu column, that the catalogue de l'apprentissage does not name.
  if (!match.uai.uais && (voie !== "apprentissage" || roles.offers(value).length === 0))
    return { uais: [{ uai: value, role: "lieu" }], notes: [] };
  const rowUais = match.uai.uais ?? [{ value, role: "lieu" as const }];
  if (voie !== "apprentissage") {
    // Scolaire and supérieur: lieu, formateur and gestionnaire are one school (the reference types the
    // figures lieu_formation); another UAI column of the row names another school, whose figures are
    // not this formation's. The row's UAI only, with its column's role.
    const own = rowUais.find((u) => u.value === value);
    return { uais: [{ uai: value, role: own?.role ?? "lieu" }], notes: [] };
  }
  if (rowUais.every((u) => roles.offers(u.value).length === 0))
    return { uais: rowUais.map((u) => ({ uai: u.value, role: u.role })), notes: [] };
  const cfds = continuumOf(code, context.indicators).map((c) => c.code);
  const hasFigures = (uai: string) =>
    cfds.some((c) =>
      context.indicators.rows("etablissement", uai, c).some((r) => r.filiere === "apprentissage"),
    );
  const plan = apprentissageDataUais(rowUais, cfds, roles, hasFigures);
  return { uais: plan.uais.map((u) => ({ uai: u.uai, role: u.role })), notes: plan.notes };
}

function ambiguityMotif(candidates: readonly Candidate[], covered: number): Motif {
  if (covered === 1) return "plusieurs_codes_un_couvert";
  const famille = candidates[0]!.famille;
  if (famille && candidates.every((c) => c.famille === famille)) return "seconde_commune";
  const cfd = candidates[0]!.cfd;
  if (cfd && candidates.every((c) => c.cfd === cfd)) return "plusieurs_annees_terminales";
  return "plusieurs_codes";
}

/** The row's problems in words: invalid cells, unknown codes, the UAI. */
function describe(match: RowMatch): string {
  const parts = [...match.invalid];
  if (match.unknown.length > 0) parts.push(`unknown: ${match.unknown.join(", ")}`);
  if (match.withoutCode.length > 0) parts.push(`no official code linked: ${match.withoutCode.join(", ")}`);
  if (match.autreMinistere) parts.push(`certificateur: ${match.autreMinistere}`);
  if (match.uai.reason) parts.push(match.uai.reason);
  return parts.join("; ");
}

function regionOf(match: RowMatch, uai: string | null, nom: Nomenclature): string | null {
  if (match.region) return match.region;
  return uai ? uaiRegion(uai, nom) : null;
}

/** INSEE region of a school: from the annuaire / ACCE, else from the département its UAI encodes. */
export function uaiRegion(uai: string, nom: Pick<Nomenclature, "etablissement">): string | null {
  return nom.etablissement(uai)?.region ?? regionFromDepartement(departementFromUai(uai))?.insee ?? null;
}

/**
 * The cursus of a candidate, in years: the BCN's DUREE_DISPOSITIF (its terminal MEF's, else the CFD's
 * terminal MEFs' — the row's durée when it is one of them, else the shortest), else the row's durée,
 * else 2. The BCN first: Onisep announces a bac pro in famille de métiers as 2 ans.
 */
function cursus(candidate: Candidate, match: RowMatch, nom: Nomenclature): number {
  const own = candidate.mefstat11
    ? nom.mefsByStat(candidate.mefstat11).find((m) => m.duree !== null)
    : undefined;
  if (own?.duree) return own.duree;
  const durees = new Set<number>();
  if (candidate.cfd)
    for (const m of nom.mefsByCfd(candidate.cfd))
      if (m.duree !== null && m.annee === m.duree) durees.add(m.duree);
  if (match.duree !== undefined && (durees.size === 0 || durees.has(match.duree))) return match.duree;
  return durees.size > 0 ? Math.min(...durees) : 2;
}

/** Why a couvert row got figures of a wider level than the school. */
function fallbackMotif(match: RowMatch, result: SelectResult, uai: string | null): Motif | "" {
  if (result.selection?.niveau === "etablissement") return "";
  if (match.uai.status === "absent") return "";
  if (match.uai.status === "invalide") return "uai_invalide";
  const school = result.tried.find((t) => t.niveau === "etablissement");
  if (school?.found === "sous_seuil") return "sous_seuil_etablissement";
  if (match.uai.status === "inconnu") return "uai_inconnu";
  // A forced --niveau regional or national never looks at the school: nothing to say of its figures.
  return uai && school ? "pas_de_donnees_etablissement" : "";
}

function noDataMotif(
  match: RowMatch,
  candidate: Candidate,
  result: SelectResult | undefined,
  context: ResolveContext,
): Motif {
  if (result?.otherMillesimes) return "millesime_indisponible";
  const known =
    (candidate.cfd !== null && context.nomenclature.formation(candidate.cfd) !== undefined) ||
    (candidate.mefstat11 !== null && context.nomenclature.mefsByStat(candidate.mefstat11).length > 0) ||
    (candidate.sise !== null && context.nomenclature.sise(candidate.sise) !== undefined);
  if (!known && match.unknown.length > 0) return "code_inconnu";
  if (candidate.cfd && context.latestYear !== null) {
    // The field's coverage reports: new when the earliest opening of the diploma and of its older 1:1
    // diplomas (a renovation continues a lineage), plus the cursus, plus one year, is after the latest
    // millésime ("DATE_OUVERTURE + DUREE_DISPOSITIF + 1 > dernier millésime").
    let opened = Number.NaN;
    for (const { code, type } of continuumOf(candidate.cfd, context.indicators)) {
      if (type === "nouvelle") continue;
      const date = context.nomenclature.formation(code)?.dateOuverture;
      const year = date ? Number.parseInt(date.slice(0, 4), 10) : Number.NaN;
      if (Number.isFinite(year) && !(year >= opened)) opened = year;
    }
    const duree = cursus(candidate, match, context.nomenclature);
    if (Number.isFinite(opened) && opened + duree + 1 > context.latestYear) return "nouvelle_formation";
  }
  return "pas_de_donnees";
}
