import { describe, expect, it } from "vitest";
import { terminalMefstat11, terminalOf } from "../../src/match/recipe.js";
import { mef } from "../helpers/nomenclature.js";

// N_MEF rows as in the BCN (fixtures/bcn-n-mef/N_MEF.csv, from the 2025 export).
const bacProMv = [
  mef("2472521431", "247", "40025214", 3, 1, "23810025214"),
  mef("2472521432", "247", "40025214", 3, 2, "23820025214"),
  mef("2472521433", "247", "40025214", 3, 3, "23830025214"),
];
const btsCg = [
  mef("3103140811", "310", "32031408", 1, 1, "32111031408"),
  mef("3113140821", "311", "32031408", 2, 1, "32211031408"),
  mef("3113140822", "311", "32031408", 2, 2, "32221031408"),
];

describe("the Onisep recipe (CFD + durée → terminal MEFSTAT11)", () => {
  it("keeps the row whose année = durée = the durée given", () => {
    expect(terminalMefstat11("40025214", 3, bacProMv)).toEqual({ codes: ["23830025214"], note: "duree" });
    expect(terminalMefstat11("32031408", 2, btsCg).codes).toEqual(["32221031408"]);
    expect(terminalMefstat11("32031408", 1, btsCg).codes).toEqual(["32111031408"]);
  });

  it("bac pro announced as 2 ans (famille de métiers) takes year 3", () => {
    expect(terminalMefstat11("40025214", 2, bacProMv)).toEqual({
      codes: ["23830025214"],
      note: "duree_bac_pro_famille",
    });
  });

  it("without a durée, every terminal code of the CFD remains (the caller reports plusieurs_codes)", () => {
    expect(terminalMefstat11("32031408", undefined, btsCg).codes).toEqual(["32111031408", "32221031408"]);
  });

  it("BT Métiers de la musique (42032302) keeps dispositif 222", () => {
    const bt = [
      mef("2222302321", "222", "42032302", 2, 2, "22220032302"),
      mef("2232302322", "223", "42032302", 2, 2, "22320032302"),
    ];
    expect(terminalMefstat11("42032302", 2, bt).codes).toEqual(["22220032302"]);
  });

  it("a durée that matches no dispositif falls back to every terminal code, and says so", () => {
    expect(terminalMefstat11("32031408", 3, btsCg)).toEqual({
      codes: ["32111031408", "32221031408"],
      note: "duree_ignoree",
    });
  });

  it("a CFD without MEF gives nothing", () => {
    expect(terminalMefstat11("56122101", 2, [])).toEqual({ codes: [], note: "aucun_mef" });
  });
});

describe("terminal year of a MEFSTAT11", () => {
  it("uses the precomputed terminal code, else sets the 4th character to the durée", () => {
    const first = { ...bacProMv[0]!, terminalMefstat11: "23830025214" };
    expect(terminalOf("23810025214", [first])).toEqual(["23830025214"]);
    expect(terminalOf("23810025214", [bacProMv[0]!])).toEqual(["23830025214"]);
    expect(terminalOf("99999999999", [])).toEqual(["99999999999"]);
  });
});
