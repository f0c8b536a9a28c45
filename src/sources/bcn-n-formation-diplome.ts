import { parseFormationDiplome } from "./bcn-formation-diplome.js";
import type { Source } from "./types.js";

/** BCN N_FORMATION_DIPLOME: diplomas of the Éducation nationale, with the ancien/nouveau continuum. */
export const bcnNFormationDiplome: Source = {
  id: "bcn-n-formation-diplome",
  title: "BCN N_FORMATION_DIPLOME (diplômes, continuum ancien/nouveau)",
  licence: "Licence Ouverte 2.0",
  homepage: "https://bcn.depp.education.fr/bcn/workspace/viewTable/n/N_FORMATION_DIPLOME",
  access: {
    kind: "http",
    files: [
      {
        url: "https://bcn.depp.education.fr/bcn/index.php/export/CSV?n=N_FORMATION_DIPLOME&separator=%3B",
        fileName: "N_FORMATION_DIPLOME.csv",
      },
    ],
  },
  parse: (files, ctx) => parseFormationDiplome("N", files, ctx),
};
