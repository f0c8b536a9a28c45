import { bcnExport, bcnPage } from "./bcn.js";
import { parseFormationDiplome } from "./bcn-formation-diplome.js";
import type { Source } from "./types.js";

/**
 * BCN V_FORMATION_DIPLOME: the union of the diplomas that can be prepared by apprenticeship, including
 * those of the agriculture ministry. It has no continuum columns. In the index, N_FORMATION_DIPLOME wins
 * where both tables have a CFD (it is built first); V adds the CFDs N lacks; `in_n` / `in_v` say which
 * table had each one.
 */
export const bcnVFormationDiplome: Source = {
  id: "bcn-v-formation-diplome",
  title: "BCN V_FORMATION_DIPLOME (diplômes, y compris agriculture)",
  licence: "Licence Ouverte 2.0",
  homepage: bcnPage("V_FORMATION_DIPLOME"),
  access: bcnExport("V_FORMATION_DIPLOME"),
  parse: (files, ctx) => parseFormationDiplome("V", files, ctx),
};
