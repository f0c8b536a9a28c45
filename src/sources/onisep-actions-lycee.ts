import { onisepDownload } from "./onisep.js";
import { parseOnisepActions } from "./onisep-actions.js";
import type { Source } from "./types.js";

/** Onisep Idéo-Actions de formation initiale, univers lycée (dataset 605340ddc19a9). */
export const onisepActionsLycee: Source = {
  id: "onisep-actions-lycee",
  title: "Onisep Idéo-Actions de formation initiale, univers lycée",
  licence: "Licence Ouverte 2.0",
  homepage: "https://opendata.onisep.fr/data/605340ddc19a9/",
  access: onisepDownload("605340ddc19a9"),
  parse: parseOnisepActions,
};
