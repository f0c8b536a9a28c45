import { bcnNFormationDiplome } from "./bcn-n-formation-diplome.js";
import { bcnNMef } from "./bcn-n-mef.js";
import { certifinfo } from "./certifinfo.js";
import { inserjeunesApi } from "./inserjeunes-api.js";
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
  "catalogue-apprentissage": pendingSources["catalogue-apprentissage"],
  "annuaire-education": pendingSources["annuaire-education"],
  acce: pendingSources.acce,
  "inserjeunes-api": inserjeunesApi,
  "inserjeunes-open": pendingSources["inserjeunes-open"],
  insersup: pendingSources.insersup,
  "exposition-api": pendingSources["exposition-api"],
} satisfies Record<SourceId, Source>;

export function getSource(id: SourceId): Source {
  return sources[id];
}

export { isSourceId, SOURCE_IDS, type Source, type SourceId };
