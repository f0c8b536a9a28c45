import type { Measures } from "../indicators/rates.js";

/**
 * What sources yield: plain typed records, every code a string. The index layer (src/index-db) is the
 * only one that turns them into SQLite rows. One `kind` per table family.
 */

/** BCN N_MEF: one MEF (10 chars) with its statistical code and its place in the cursus. */
export interface MefRecord {
  kind: "mef";
  mef10: string;
  mefstat11: string;
  cfd: string;
  dispositif: string;
  duree: number | null;
  annee: number | null;
  dateOuverture: string | null;
  dateFermeture: string | null;
  statut: string | null;
  libelle: string;
}

/** BCN N_ or V_FORMATION_DIPLOME: a diploma (CFD), with the continuum links where the table has them. */
export interface FormationRecord {
  kind: "formation";
  table: "N" | "V";
  cfd: string;
  niveau: string;
  libelleCourt: string;
  libelle: string;
  dateOuverture: string | null;
  dateFermeture: string | null;
  datePremiereSession: string | null;
  dateDerniereSession: string | null;
  niveauQualificationRncp: string | null;
  anciens: string[];
  nouveaux: string[];
}

/** BCN N_NIVEAU_FORMATION_DIPLOME: diploma type by the first 3 chars of a CFD. */
export interface NiveauRecord {
  kind: "niveau";
  niveau: string;
  libelleCourt: string;
  libelle: string;
  niveauInterministeriel: string | null;
  niveauQualificationRncp: string | null;
}

/** BCN N_DIPLOME_SISE: a higher-education diploma (the InserSup key). */
export interface SiseRecord {
  kind: "sise";
  sise: string;
  typeDiplome: string;
  libelle: string;
  dateOuverture: string | null;
  dateFermeture: string | null;
}

/** BCN N_TYPE_DIPLOME_SISE: the type and level of a SISE diploma (`TYPE_DIPLOME_SISE` of N_DIPLOME_SISE). */
export interface SiseTypeRecord {
  kind: "sise-type";
  typeDiplome: string;
  libelleCourt: string;
  libelle: string;
  /** Old interministerial level (5 CAP … 1 master/doctorat), mapped to the RNCP levels by the field. */
  niveauInterministeriel: string | null;
  cycle: string | null;
  duree: number | null;
}

/** BCN N_GROUPE_FORMATION / N_LIEN_FORMATION_GROUPE: familles de métiers. */
export interface GroupeRecord {
  kind: "groupe";
  groupe: string;
  /** TG01 familles de métiers (bac pro), TG02 / TG03 other groupings. */
  type: string | null;
  libelle: string;
  dateOuverture: string | null;
  dateFermeture: string | null;
}
export interface LienGroupeRecord {
  kind: "lien-groupe";
  groupe: string;
  cfd: string;
  dateFermeture: string | null;
}

/** Onisep Idéo-Formations initiales: one formation (FOR id). */
export interface OnisepFormationRecord {
  kind: "onisep-formation";
  forId: string;
  cfd: string | null;
  rncp: string | null;
  duree: number | null;
  libelle: string;
  typeFormation: string;
}

/** Onisep Idéo-Actions de formation: one action (AF id) of a formation in a school. */
export interface OnisepActionRecord {
  kind: "onisep-action";
  afId: string;
  forId: string;
  uai: string | null;
  /** Durée of the last cycle ("AF durée cycle standard"): bac pro in famille de métiers says 2 ans. */
  duree: number | null;
  libelle: string;
  typeFormation: string;
}

/** Identifier kinds a link can join. */
export type CodeType = "cfd" | "rncp" | "certifinfo" | "onisep" | "mef10" | "mefstat11" | "sise";

/** One correspondence between two identifiers, with the source that states it. */
export interface LinkRecord {
  kind: "link";
  fromType: CodeType;
  fromCode: string;
  toType: CodeType;
  toCode: string;
}

/** Certif Info: the certification itself (certificateur, type, level) besides its links. */
export interface CertifInfoRecord {
  kind: "certifinfo";
  certifinfo: string;
  libelle: string;
  typeDiplome: string;
  niveauEuropeen: string | null;
  certificateur: string;
  valideur: string;
  cfd: string | null;
  rncp: string | null;
  forId: string | null;
  /** SISE code, in the RCO copies that carry one (`Code Sise`). */
  sise: string | null;
}

/** Catalogue de l'apprentissage: who carries an apprenticeship offer (lieu / formateur / gestionnaire). */
export interface UaiRoleRecord {
  kind: "uai-role";
  cle: string;
  cfd: string;
  uaiLieu: string | null;
  uaiFormateur: string | null;
  uaiGestionnaire: string | null;
  duree: number | null;
}

/** Annuaire de l'éducation / ACCE: one school. `region` is the INSEE region code. */
export interface EtablissementRecord {
  kind: "etablissement";
  uai: string;
  nom: string;
  commune: string | null;
  communeLibelle: string | null;
  departement: string | null;
  academie: string | null;
  region: string | null;
  nature: string | null;
}

export type Niveau = "national" | "regional" | "etablissement";
export type Filiere = "pro" | "agricole" | "apprentissage" | "superieur";

/**
 * One group of indicator measures: level, zone (UAI, INSEE region code, or "" for national), code
 * (MEFSTAT11, CFD or SISE), filière, millésime.
 */
export interface IndicatorRecord {
  kind: "indicator";
  niveau: Niveau;
  zone: string;
  code: string;
  filiere: Filiere;
  millesime: string;
  measures: Measures;
  /** Edition of the source the figures come from (file vintage, InserSup date_jeu, Exposition import date). */
  sourceVintage?: string;
  /**
   * Set on Exposition rows that copy another code's figures along the continuum (donnee_source.type
   * ancienne/nouvelle): they are stored apart and never read as figures measured for `code`.
   */
  derivedFrom?: { type: "ancienne" | "nouvelle"; code: string };
}

/**
 * Figures published per establishment without a formation code (DEPP tables, open-data per-UAI
 * datasets, the `ensemble` rows of the DEPP API): they cannot answer a (UAI, code) lookup and are
 * indexed apart. `perimetre`: "ensemble", or the sub-population the producer names ("dont_apprentis"…).
 * `filiere` is "" when the producer does not say.
 */
export interface EtablissementIndicatorRecord {
  kind: "etablissement-indicator";
  uai: string;
  filiere: Filiere | "";
  perimetre: string;
  millesime: string;
  measures: Measures;
  sourceVintage?: string;
}

export type IndexRecord =
  | MefRecord
  | FormationRecord
  | NiveauRecord
  | SiseRecord
  | SiseTypeRecord
  | GroupeRecord
  | LienGroupeRecord
  | OnisepFormationRecord
  | OnisepActionRecord
  | LinkRecord
  | CertifInfoRecord
  | UaiRoleRecord
  | EtablissementRecord
  | IndicatorRecord
  | EtablissementIndicatorRecord;
