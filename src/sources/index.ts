import { acce } from "./acce.js";
import { annuaireEducation } from "./annuaire-education.js";
import { bcnNDiplomeSise } from "./bcn-n-diplome-sise.js";
import { bcnNFormationDiplome } from "./bcn-n-formation-diplome.js";
import { bcnNGroupeFormation } from "./bcn-n-groupe-formation.js";
import { bcnNLienFormationGroupe } from "./bcn-n-lien-formation-groupe.js";
import { bcnNMef } from "./bcn-n-mef.js";
import { bcnNNiveauFormationDiplome } from "./bcn-n-niveau-formation-diplome.js";
import { bcnVFormationDiplome } from "./bcn-v-formation-diplome.js";
import { catalogueApprentissage } from "./catalogue-apprentissage.js";
import { certifinfo } from "./certifinfo.js";
import { expositionApi } from "./exposition-api.js";
import { inserjeunesApi } from "./inserjeunes-api.js";
import { inserjeunesOpen } from "./inserjeunes-open.js";
import { insersup } from "./insersup.js";
import { kitApprentissage } from "./kit-apprentissage.js";
import { onisepActionsLycee } from "./onisep-actions-lycee.js";
import { onisepActionsSup } from "./onisep-actions-sup.js";
import { onisepFormationsInitiales } from "./onisep-formations-initiales.js";
import { onisepTablePassage } from "./onisep-table-passage.js";
import { isSourceId, SOURCE_IDS, type Source, type SourceId } from "./types.js";

/** The registry: one line per source. Order = build order (nomenclatures before what links to them). */
export const sources = {
  "bcn-n-mef": bcnNMef,
  "bcn-n-formation-diplome": bcnNFormationDiplome,
  "bcn-v-formation-diplome": bcnVFormationDiplome,
  "bcn-n-niveau-formation-diplome": bcnNNiveauFormationDiplome,
  "bcn-n-diplome-sise": bcnNDiplomeSise,
  "bcn-n-groupe-formation": bcnNGroupeFormation,
  "bcn-n-lien-formation-groupe": bcnNLienFormationGroupe,
  "onisep-formations-initiales": onisepFormationsInitiales,
  "onisep-actions-lycee": onisepActionsLycee,
  "onisep-actions-sup": onisepActionsSup,
  "onisep-table-passage": onisepTablePassage,
  certifinfo,
  "kit-apprentissage": kitApprentissage,
  "catalogue-apprentissage": catalogueApprentissage,
  "annuaire-education": annuaireEducation,
  acce,
  "inserjeunes-api": inserjeunesApi,
  "inserjeunes-open": inserjeunesOpen,
  insersup,
  "exposition-api": expositionApi,
} satisfies Record<SourceId, Source>;

export function getSource(id: SourceId): Source {
  return sources[id];
}

export { isSourceId, SOURCE_IDS, type Source, type SourceId };
