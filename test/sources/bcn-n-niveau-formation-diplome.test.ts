import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("bcn-n-niveau-formation-diplome", () => {
  it("2024 export (10 columns): the diploma type of each CFD prefix", async () => {
    const { records, report } = await parseWith("bcn-n-niveau-formation-diplome", [
      { path: fixture("bcn-n-niveau-formation-diplome", "N_NIVEAU_FORMATION_DIPLOME.csv") },
    ]);
    expect(report.files[0]?.vintage).toBe("BCN export 2024+ (10 columns)");
    const niveaux = new Map(ofKind(records, "niveau").map((n) => [n.niveau, n]));
    expect(niveaux.size).toBe(8);
    expect(niveaux.get("400")).toEqual({
      kind: "niveau",
      niveau: "400",
      libelleCourt: "BAC PRO",
      libelle: "BAC PROFESSIONNEL",
      niveauInterministeriel: "4",
      niveauQualificationRncp: "04",
    });
    expect(niveaux.get("46X")?.libelleCourt).toBe("TH4-X");
    expect(niveaux.get("010")?.niveauQualificationRncp).toBe("XX");
  });

  it("2020 export (14 columns, cp1252): vintage told apart, no RNCP level, ’ decoded", async () => {
    const { records, report } = await parseWith("bcn-n-niveau-formation-diplome", [
      { path: fixture("bcn-n-niveau-formation-diplome", "cases", "export-2020-14-columns-cp1252.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      vintage: "BCN export 2020 (14 columns)",
      encoding: "windows-1252",
    });
    expect(report.warnings).toEqual([]);
    expect(
      ofKind(records, "niveau").map((n) => [n.niveau, n.libelleCourt, n.niveauQualificationRncp]),
    ).toEqual([
      ["400", "BAC PRO", null],
      ["500", "CAP", null],
      ["463", "CSA NIV4", null],
    ]);
  });
});
