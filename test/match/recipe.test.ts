import { describe, expect, it } from "vitest";
import { mefsClosedBefore, terminalMefstat11, terminalOf } from "../../src/match/recipe.js";
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

  it("a MEF closed before the latest millésime's school year gives way to an open one", () => {
    // BCN 2025 N_MEF rows of CFD 67010001 (6e, 4e, 3e générales, one-year dispositifs 100, 102,
    // 103): 1001000111 closed 31/08/1995, 1021000111 open (no DATE_FERMETURE), 1031000111 closed
    // 31/08/1999 (real-samples/bcn/tjp2025_nMef_utf8bom.head300.csv).
    const college = [
      { ...mef("1001000111", "100", "67010001", 1, 1, "21110010001"), dateFermeture: "1995-08-31" },
      mef("1021000111", "102", "67010001", 1, 1, "21150010001"),
      { ...mef("1031000111", "103", "67010001", 1, 1, "21160010001"), dateFermeture: "1999-08-31" },
    ];
    // Latest millésime 2023: its leavers were in school in 2022-2023.
    const cutoff = mefsClosedBefore(2023);
    expect(cutoff).toBe("2022-09-01");
    expect(terminalMefstat11("67010001", 1, college, cutoff)).toEqual({
      codes: ["21150010001"],
      note: "duree",
    });
    expect(terminalMefstat11("67010001", undefined, college, cutoff).codes).toEqual(["21150010001"]);
    // Without a cutoff (an index without figures), or when every candidate is closed, all stay listed.
    expect(terminalMefstat11("67010001", 1, college).codes).toHaveLength(3);
    const closed = college.map((m) => ({ ...m, dateFermeture: m.dateFermeture ?? "2001-08-31" }));
    expect(terminalMefstat11("67010001", 1, closed, cutoff).codes).toHaveLength(3);
    // CAP 50031117's 1-year MEF 2403111711 closes 31/08/2026 (joinable-subset N_MEF): still current
    // for millésime 2023, so a CAP without durée keeps its three terminal codes.
    const cap = [
      { ...mef("2403111711", "240", "50031117", 1, 1, "23110031117"), dateFermeture: "2026-08-31" },
      { ...mef("2413111722", "241", "50031117", 2, 2, "23220031117"), dateFermeture: "2027-08-31" },
      { ...mef("2423111733", "242", "50031117", 3, 3, "23330031117"), dateFermeture: "2027-08-31" },
    ];
    expect(terminalMefstat11("50031117", undefined, cap, cutoff).codes).toEqual([
      "23110031117",
      "23220031117",
      "23330031117",
    ]);
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
