import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeReal, fixture, real, withTempDir } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("bcn-n-mef on its fixture (2023+ export: cp1252, ';', no quoting)", () => {
  it("reads every row by column name, codes as strings", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [{ path: fixture("bcn-n-mef", "N_MEF.csv") }]);
    const mefs = ofKind(records, "mef");
    expect(mefs).toHaveLength(28);
    expect(report.rowsRejected).toBe(0);
    expect(report.files[0]).toMatchObject({
      encoding: "windows-1252",
      vintage: "BCN export 2023+ (22 columns)",
    });
    expect(mefs.find((m) => m.mef10 === "2472521433")).toEqual({
      kind: "mef",
      mef10: "2472521433",
      mefstat11: "23830025214",
      cfd: "40025214",
      dispositif: "247",
      duree: 3,
      annee: 3,
      dateOuverture: "2016-09-01",
      dateFermeture: "2028-08-31",
      statut: "3",
      libelle: "Tle pro maintenance des véhicules option A voitures particulières",
    });
    // Leading zero kept: MC cuisinier en desserts de restaurant.
    expect(mefs.find((m) => m.cfd === "01022105")?.mefstat11).toBe("23910022105");
  });

  it("a missing required column is an error naming the file, what was expected and what was found", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "N_MEF.csv");
      await writeFile(path, "MEF;FORMATION_DIPLOME;DUREE_DISPOSITIF\n2472521433;40025214;3\n");
      await expect(parseWith("bcn-n-mef", [{ path }])).rejects.toThrow(
        /N_MEF\.csv: BCN N_MEF is missing required column\(s\) "MEF_STAT_11", "DISPOSITIF_FORMATION", "ANNEE_DISPOSITIF"[\s\S]*found: MEF, FORMATION_DIPLOME, DUREE_DISPOSITIF/,
      );
    });
  });

  it("rejects a malformed row with its line and keeps the others", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "N_MEF.csv");
      await writeFile(
        path,
        "MEF;DISPOSITIF_FORMATION;FORMATION_DIPLOME;DUREE_DISPOSITIF;ANNEE_DISPOSITIF;MEF_STAT_11\n" +
          "2472521433;247;40025214;3;3;23830025214\n" +
          "2472521432;247;4002521;3;2;23820025214\n" +
          "2472521431;247;40025214;3\n",
      );
      const { records, report } = await parseWith("bcn-n-mef", [{ path }]);
      expect(records).toHaveLength(1);
      expect(report.rejects).toEqual([
        {
          file: "N_MEF.csv",
          line: 3,
          reason: expect.stringMatching(/^invalid code: CFD "4002521" has 7 digits/),
        },
        { file: "N_MEF.csv", line: 4, reason: "wrong number of fields: 4 fields, header has 6" },
      ]);
    });
  });
});

describeReal("bcn-n-mef on real exports", () => {
  it("2025 export re-saved with a BOM (tjp2025_nMef_utf8bom): 300 rows", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [
      { path: real("bcn", "tjp2025_nMef_utf8bom.head300.csv") },
    ]);
    expect(report.files[0]?.encoding).toBe("utf-8 (BOM)");
    expect(ofKind(records, "mef")).toHaveLength(300);
  });

  it("2020 export, 27 columns, cp1252 (tc2020_n_mef): 300 rows, vintage detected", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [
      { path: real("bcn", "tc2020_n_mef.head300.csv") },
    ]);
    expect(report.files[0]?.vintage).toBe("BCN export 2020 (27 columns)");
    expect(records).toHaveLength(300);
  });

  it("joinable subset: 23830025214 is the terminal year of 40025214 (DUREE_DISPOSITIF 3)", async () => {
    const { records } = await parseWith("bcn-n-mef", [
      { path: real("joinable-subset", "bcn_nMef_tjp2025_utf8bom.subset.csv") },
    ]);
    const mefs = ofKind(records, "mef");
    expect(mefs).toHaveLength(46);
    const years = mefs.filter((m) => m.cfd === "40025214").map((m) => [m.annee, m.mefstat11]);
    expect(years.sort()).toEqual([
      [1, "23810025214"],
      [2, "23820025214"],
      [3, "23830025214"],
    ]);
    expect(mefs.find((m) => m.mefstat11 === "23830025214")?.duree).toBe(3);
  });

  it("BCN API JSON (lower-case keys): the edited 9-char MEF is rejected, not guessed", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [
      { path: real("bcn", "bcn-api_N_MEF_EDITED.json") },
    ]);
    expect(records).toHaveLength(0);
    expect(report.files[0]?.vintage).toBe("BCN API JSON");
    expect(report.rejects[0]?.reason).toMatch(/MEF "999999991" is not 10 characters/);
  });
});
