import { onisepDownload } from "./onisep.js";
import { parseOnisepActions } from "./onisep-actions.js";
import type { Source } from "./types.js";

/** Onisep Idéo-Actions de formation initiale, univers enseignement supérieur (dataset 605344579a7d7). */
export const onisepActionsSup: Source = {
  id: "onisep-actions-sup",
  title: "Onisep Idéo-Actions de formation initiale, univers enseignement supérieur",
  licence: "Licence Ouverte 2.0",
  homepage: "https://opendata.onisep.fr/data/605344579a7d7/",
  access: onisepDownload("605344579a7d7"),
  parse: parseOnisepActions,
};
