import { acce } from "./acce.js";
import { annuaireEducation } from "./annuaire-education.js";
import { bcnNFormationDiplome } from "./bcn-n-formation-diplome.js";
import { bcnNMef } from "./bcn-n-mef.js";
import { catalogueApprentissage } from "./catalogue-apprentissage.js";
import { certifinfo } from "./certifinfo.js";
import { expositionApi } from "./exposition-api.js";
import { inserjeunesApi } from "./inserjeunes-api.js";
import { inserjeunesOpen } from "./inserjeunes-open.js";
import { insersup } from "./insersup.js";
import { onisepFormationsInitiales } from "./onisep-formations-initiales.js";
import { pendingSources } from "./pending.js";
import { isSourceId, SOURCE_IDS, type Source, type SourceId } from "./types.js";

/** The registry: one line per source. Order = build order (nomenclatures before what links to them). */
export const sources = {
  "bcn-n-mef": bcnNMef,
  "bcn-n-formation-diplome": bcnNFormationDiplome,
  "bcn-v-formation-diplome": pendingSources["bcn-v-formation-diplome"],
  "bcn-n-niveau-formation-diplome": pendingSources["bcn-n-niveau-formation-diplome"],
  "bcn-n-diplome-sise": pendingSources["bcn-n-diplome-sise"],
  "bcn-n-groupe-formation": pendingSources["bcn-n-groupe-formation"],
  "bcn-n-lien-formation-groupe": pendingSources["bcn-n-lien-formation-groupe"],
  "onisep-formations-initiales": onisepFormationsInitiales,
  "onisep-actions-lycee": pendingSources["onisep-actions-lycee"],
  "onisep-actions-sup": pendingSources["onisep-actions-sup"],
  "onisep-table-passage": pendingSources["onisep-table-passage"],
  certifinfo,
  "kit-apprentissage": pendingSources["kit-apprentissage"],
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
