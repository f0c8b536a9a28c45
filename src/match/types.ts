import type { CodeType } from "../sources/records.js";
import type { Voie } from "./identifiers.js";

/**
 * What matching needs to know about the nomenclatures. Implemented over the SQLite index by
 * src/index-db/reader.ts; tests implement it over plain arrays. Matching itself stays pure.
 */
export interface MefInfo {
  mef10: string;
  mefstat11: string;
  cfd: string;
  dispositif: string | null;
  duree: number | null;
  annee: number | null;
  dateFermeture: string | null;
  terminalMefstat11: string | null;
}

export interface FormationInfo {
  cfd: string;
  niveau: string;
  libelle: string | null;
  dateOuverture: string | null;
  dateFermeture: string | null;
  datePremiereSession: string | null;
}

export interface LinkInfo {
  code: string;
  source: string;
}

export interface OnisepFormationInfo {
  forId: string;
  cfd: string | null;
  rncp: string | null;
  duree: number | null;
}

export interface OnisepActionInfo {
  afId: string;
  forId: string | null;
  uai: string | null;
  duree: number | null;
}

export interface CertificateurInfo {
  certificateur: string;
  valideur: string;
}

export interface EtablissementInfo {
  uai: string;
  region: string | null;
  academie: string | null;
}

export interface SiseInfo {
  libelle: string | null;
  /** TYPE_DIPLOME_SISE, its label and level (N_TYPE_DIPLOME_SISE), when indexed. */
  typeDiplome?: string | null;
  typeLibelle?: string | null;
  niveauInterministeriel?: string | null;
}

/** Diploma type of a CFD's first 3 characters (N_NIVEAU_FORMATION_DIPLOME): "BAC PRO", "CAP"… */
export interface NiveauInfo {
  niveau: string;
  libelleCourt: string | null;
  libelle: string | null;
  niveauInterministeriel: string | null;
  niveauQualificationRncp: string | null;
}

/** A famille de métiers a CFD belongs to (directly in the BCN, or along its 1:1 continuum). */
export interface FamilleInfo {
  groupe: string;
  libelle: string | null;
  /** The CFD is the année commune (seconde commune) of the famille. */
  anneeCommune: boolean;
  via: "bcn" | "continuum";
}

/** A terminal code of a famille, for a code of its année commune (ij_certifications_terminales). */
export interface TerminalInfo {
  /** Terminal-year MEFSTAT11. */
  code: string;
  cfd: string;
  groupe: string;
  via: "bcn" | "continuum";
}

/** A label of a diploma, for --fuzzy: from the BCN, Certif Info or Onisep. */
export interface LabelInfo {
  cfd: string;
  libelle: string;
  source: string;
  /** BCN closing date of the CFD (yyyy-mm-dd), null when open-ended. */
  dateFermeture: string | null;
}

export interface Nomenclature {
  formation(cfd: string): FormationInfo | undefined;
  mef(mef10: string): MefInfo | undefined;
  mefsByStat(mefstat11: string): readonly MefInfo[];
  mefsByCfd(cfd: string): readonly MefInfo[];
  /** Codes of `toType` linked to `code` of `fromType`, each with the source that states the link. */
  links(fromType: CodeType, code: string, toType: CodeType): readonly LinkInfo[];
  onisepFormation(forId: string): OnisepFormationInfo | undefined;
  onisepAction(afId: string): OnisepActionInfo | undefined;
  certificateurs(certifinfo: string): readonly CertificateurInfo[];
  sise(code: string): SiseInfo | undefined;
  niveau(niveau: string): NiveauInfo | undefined;
  familles(cfd: string): readonly FamilleInfo[];
  /**
   * For a code of a seconde commune (its MEFSTAT11 or its CFD): the terminal MEFSTAT11s of the
   * specialities of its famille, same durée. Empty for any other code.
   */
  certificationsTerminales(code: string): readonly TerminalInfo[];
  etablissement(uai: string): EtablissementInfo | undefined;
  /** Whether a directory of schools (annuaire, ACCE) was indexed: without one, no UAI is "unknown". */
  hasEtablissements(): boolean;
  /** Whether the catalogue de l'apprentissage names this UAI (lieu, formateur or gestionnaire). */
  uaiInCatalogue(uai: string): boolean;
  /** Labels of the diplomas whose CFD starts with one of these niveaux (--fuzzy). */
  labels(niveaux: readonly string[]): readonly LabelInfo[];
  /** Whether these tables were indexed at all (an absent table explains an unknown code). */
  has(table: "mef" | "formation" | "sise" | "onisep" | "onisep_action" | "certifinfo"): boolean;
}

export type Methode =
  | "mefstat11"
  | "mef"
  | "cfd"
  | "onisep"
  | "onisep_action"
  | "rncp"
  | "certifinfo"
  | "sise"
  | "libelle_approx";

/** One official code a row may mean, with how it was found. */
export interface Candidate {
  voie: Voie;
  /** The join key of that voie: MEFSTAT11 (scolaire), CFD (apprentissage), SISE (supérieur). */
  code: string;
  cfd: string | null;
  mefstat11: string | null;
  sise: string | null;
  methode: Methode;
  /** Strategy rank (1 = MEFSTAT11 given … 9 = label): lower wins. */
  rank: number;
  /** The chain of sources that produced it, e.g. "certifinfo > bcn-n-mef". */
  via: string;
  /** 1 for identifiers, the similarity for --fuzzy. */
  score: number;
  /** Set on the terminal codes of a seconde commune: the famille de métiers (groupe) they come from. */
  famille?: string;
}
