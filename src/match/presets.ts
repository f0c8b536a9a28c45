import type { Voie } from "./identifiers.js";

/**
 * Column roles of the catalogues partners actually have. Each role lists the names that producer uses
 * (CSV labels and JSON / API keys; compared after normalisation of case, accents and punctuation). The
 * first name present wins, except for the UAI, where every one present is kept in the field's priority
 * order (lieu > formateur > gestionnaire). A preset may fix the voie when the file has no voie column.
 */
export type PresetRole =
  | "uai"
  | "cfd"
  | "mef"
  | "mefstat11"
  | "rncp"
  | "certifinfo"
  | "onisep"
  | "af"
  | "sise"
  | "duree"
  | "voie"
  | "libelle"
  | "diplome"
  | "region";

export interface Preset {
  description: string;
  voie?: Voie;
  roles: Partial<Record<PresetRole, readonly string[]>>;
}

export const PRESETS = {
  "onisep-actions": {
    description:
      "Onisep Idéo-Actions de formation (605340ddc19a9, 605344579a7d7), CSV labels or JSON keys; voie scolaire",
    voie: "scolaire",
    roles: {
      af: ["Action de Formation (AF) identifiant Onisep", "action_de_formation_af_identifiant_onisep"],
      onisep: ["FOR URL et ID Onisep", "for_url_et_id_onisep"],
      uai: ["ENS code UAI", "ens_code_uai"],
      duree: ["AF durée cycle standard", "af_duree_cycle_standard"],
      libelle: ["Formation (FOR) libellé", "formation_for_libelle"],
      diplome: ["FOR type", "for_type"],
    },
  },
  "catalogue-apprentissage": {
    description:
      "catalogue de l'apprentissage: back-office export labels (Formation: code CFD, Lieu: UAI…) or API keys; voie apprentissage",
    voie: "apprentissage",
    roles: {
      cfd: [
        "Formation: code CFD",
        "cfd",
        "Code du diplome ou du titre suivant la nomenclature de l'Education nationale (CodeEN)",
      ],
      rncp: ["Formation: code RNCP", "rncp_code"],
      mef: ["Formation: codes MEF", "bcn_mefs_10.mef10"],
      certifinfo: ["Identifiant Certifinfo", "id_certifinfo"],
      onisep: ["Formation: URL Onisep", "onisep_url"],
      uai: [
        "Lieu: UAI",
        "uai_formation",
        "UAI formation",
        "Formateur: UAI",
        "etablissement_formateur_uai",
        "UAI formateur",
        "Responsable: UAI",
        "etablissement_gestionnaire_uai",
        "UAI Responsable",
      ],
      duree: ["Formation: durée collectée", "duree"],
      libelle: ["Formation: libellé long BCN", "intitule_long"],
      diplome: ["diplome"],
    },
  },
  parcoursup: {
    description:
      "Parcoursup lists for InserJeunes (CODECFD, CODEMEF, CODESISE, LISTE_RNCP, LISTE_IDEO, UAI_COMPOSANTE > UAI_AFF > UAI_GES, APPRENTISSAGEOUSCOLAIRE)",
    roles: {
      cfd: ["CODECFD"],
      mef: ["CODEMEF"],
      sise: ["CODESISE"],
      rncp: ["LISTE_RNCP"],
      onisep: ["LISTE_IDEO"],
      uai: ["UAI_COMPOSANTE", "UAI_AFF", "UAI_GES"],
      voie: ["APPRENTISSAGEOUSCOLAIRE"],
      libelle: ["LIBSPÉCIALITÉ", "LIBFORMATION"],
      diplome: ["LIBFORMATION"],
    },
  },
  affelnet: {
    description:
      "Affelnet offer extracts (Etablissement d'accueil, MEF STAT 11, Statut Offre de formation ST/AP) and the SLA catalogue (ID_ETAB, CO_MEFSTAT, CO_STA)",
    roles: {
      uai: ["Etablissement d'accueil", "ID_ETAB"],
      mefstat11: ["MEF STAT 11", "CO_MEFSTAT"],
      voie: ["Statut Offre de formation", "CO_STA"],
      libelle: ["LIB_MEF", "Libellé formation", "LL_MEF"],
    },
  },
  lheo: {
    description: "LHEO 2.2 / 2.3 offers read as one row per action (applied by default to LHEO files)",
    roles: {
      rncp: ["code-RNCP"],
      certifinfo: ["code-CERTIFINFO"],
      cfd: ["extra-CFD"],
      onisep: ["FOR_ID ONISEP"],
      af: ["ACT_ID ONISEP"],
      uai: ["code-UAI-lieu-formation", "code-UAI-formateur", "code-UAI-organisme-formation"],
      duree: ["duree-indicative", "duree-cycle"],
      libelle: ["intitule-formation"],
      region: ["lieu-region"],
    },
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
