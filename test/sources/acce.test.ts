import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { normalizeAcademie, normalizeDepartement } from "../../src/sources/etablissements.js";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const edge = (name: string) => ({ path: fixture("edge-cases", "acce", name) });

describe("acce on its fixtures", () => {
  it("cp1252, ';', no quoting, 62 columns: ’ (0x92) decoded, region from departement_insee_3", async () => {
    const bytes = await readFile(fixture("acce", "acce_etablissements.csv"));
    expect(bytes.includes(0x92)).toBe(true); // the file really is Windows-1252
    const { records, report } = await parseWith("acce", [
      { path: fixture("acce", "acce_etablissements.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      encoding: "windows-1252",
      dialect: "delimiter ';', no quoting, LF",
      vintage: "ACCE extraction (62 columns)",
      rowsRead: 5,
      rowsKept: 4,
      rowsRejected: 1,
    });
    const schools = ofKind(records, "etablissement");
    expect(schools.map((s) => [s.uai, s.departement, s.academie, s.region, s.nature])).toEqual([
      ["0010001W", "01", "10", "84", "320"], // Ain → Auvergne-Rhône-Alpes
      ["0010006B", "01", "10", "84", "306"],
      ["0010826T", "01", "10", "84", "600"],
      ["0062205P", "06", "23", "93", "400"], // Alpes-Maritimes → Provence-Alpes-Côte d'Azur
    ]);
    expect(schools[2]?.nom).toBe("Centre de formation d’apprentis CECOF Bernard Palissy");
    // An empty commune_libe stays null (the annuaire may fill it at build time).
    expect(schools[1]).toMatchObject({ commune: "01053", communeLibelle: null });
    expect(report.rejects[0]).toEqual({
      file: "acce_etablissements.csv",
      line: 6,
      reason: 'invalid UAI: UAI "0010826X" fails its checksum (expected letter T)',
    });
  });

  it("an extraction with chosen columns, and a pandas re-save (',' and academie 10.0)", async () => {
    const { records, report } = await parseWith("acce", [
      edge("chosen-columns.csv"),
      edge("pandas-resaved-comma.csv"),
    ]);
    expect(report.files.map((f) => [f.vintage, f.dialect?.slice(0, 14)])).toEqual([
      ["ACCE extraction (chosen columns)", "delimiter ';',"],
      ["ACCE extraction (chosen columns)", "delimiter ',',"],
    ]);
    expect(ofKind(records, "etablissement").map((s) => [s.uai, s.academie, s.region, s.commune])).toEqual([
      ["0010001W", "10", "84", null],
      ["0010001W", "10", "84", "01004"],
    ]);
  });

  it("header only and empty: nothing indexed; no numero_uai: exit 2 with the columns found", async () => {
    const { records } = await parseWith("acce", [edge("empty.csv"), edge("header-only.csv")]);
    expect(records).toEqual([]);
    const error = await parseWith("acce", [edge("missing-key-column.csv")]).catch((e) => e);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/missing required column\(s\) "numero_uai"/);
    expect(error.message).toMatch(/found: uai, nature_uai, nature_uai_libe/);
  });

  it("normalises départements and académies as INSEE and the DEPP write them", () => {
    expect(["001", "094", "971", "02A", "2B", "976", ""].map((d) => normalizeDepartement(d))).toEqual([
      "01",
      "94",
      "971",
      "2A",
      "2B",
      "976",
      null,
    ]);
    expect(["10", "10.0", "4", "", '="04"'].map((a) => normalizeAcademie(a))).toEqual([
      "10",
      "10",
      "04",
      null,
      "04",
    ]);
  });
});
