import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("bcn-v-formation-diplome on its fixture (2024+ export, 32 columns, re-saved UTF-8 with BOM)", () => {
  it("reads the CFDs of every ministry, letters included, with no continuum", async () => {
    const { records, report } = await parseWith("bcn-v-formation-diplome", [
      { path: fixture("bcn-v-formation-diplome", "V_FORMATION_DIPLOME.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      encoding: "utf-8 (BOM)",
      vintage: "BCN export 2024+ (32 columns)",
    });
    const formations = ofKind(records, "formation");
    expect(formations.map((f) => f.cfd)).toEqual(["40025214", "01022105", "46X25201", "1702550H"]);
    expect(
      formations.every((f) => f.table === "V" && f.anciens.length === 0 && f.nouveaux.length === 0),
    ).toBe(true);
    expect(formations[2]).toMatchObject({
      niveau: "46X",
      libelle: "CONSEILLER TECHNIQUE CYCLES (ANFA) (TH DE NIV 4)",
      niveauQualificationRncp: "04",
    });
  });

  it("the 2020 export (35 columns) and the BCN API JSON", async () => {
    const a = await parseWith("bcn-v-formation-diplome", [
      { path: fixture("bcn-v-formation-diplome", "cases", "export-2020-35-columns.csv") },
    ]);
    expect(a.report.files[0]?.vintage).toBe("BCN export 2020 (35 columns)");
    expect(ofKind(a.records, "formation")[0]).toMatchObject({ cfd: "40025214", dateFermeture: null });
    const b = await parseWith("bcn-v-formation-diplome", [
      { path: fixture("bcn-v-formation-diplome", "cases", "bcn-api.json") },
    ]);
    expect(b.report.files[0]?.vintage).toBe("BCN API JSON");
    expect(ofKind(b.records, "formation")[0]).toMatchObject({
      cfd: "46X25201",
      table: "V",
      dateOuverture: "2022-09-01",
      dateFermeture: null,
    });
  });
});
