import { bcnExport, bcnPage } from "./bcn.js";
import { parseFormationDiplome } from "./bcn-formation-diplome.js";
import type { Source } from "./types.js";

/** BCN N_FORMATION_DIPLOME: diplomas of the Éducation nationale, with the ancien/nouveau continuum. */
export const bcnNFormationDiplome: Source = {
  id: "bcn-n-formation-diplome",
  title: "BCN N_FORMATION_DIPLOME (diplômes, continuum ancien/nouveau)",
  licence: "Licence Ouverte 2.0",
  homepage: bcnPage("N_FORMATION_DIPLOME"),
  access: bcnExport("N_FORMATION_DIPLOME"),
  parse: (files, ctx) => parseFormationDiplome("N", files, ctx),
};
