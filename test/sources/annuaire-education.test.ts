import { describe, expect, it } from "vitest";
import { InserJeunesError } from "../../src/errors.js";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const edge = (name: string) => ({ path: fixture("edge-cases", "annuaire-education", name) });

describe("annuaire-education on its fixtures", () => {
  it("label export (UTF-8 BOM, CRLF, 71 columns): one school per row, INSEE codes normalised", async () => {
    const { records, report } = await parseWith("annuaire-education", [
      { path: fixture("annuaire-education", "fr-en-annuaire-education.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      encoding: "utf-8 (BOM)",
      dialect: "delimiter ';', RFC quoting, CRLF",
      vintage: "labels (71 columns, bassin de formation)",
      rowsRead: 5,
      rowsKept: 4,
      rowsRejected: 1,
    });
    const schools = ofKind(records, "etablissement");
    expect(schools.map((s) => s.uai)).toEqual(["0010001W", "0010006B", "0940176F", "0131436R"]);
    // Row 2 of the file: Code_departement 001 → 01, Code_academie 10, Code_region 84 as given.
    expect(schools[0]).toEqual({
      kind: "etablissement",
      uai: "0010001W",
      nom: "Lycée professionnel Alexandre Bérard",
      commune: "01004",
      communeLibelle: "Ambérieu-en-Bugey",
      departement: "01",
      academie: "10",
      region: "84",
      nature: "320",
    });
    // 0131436R has an empty Code_region: its département 013 (Bouches-du-Rhône) gives PACA, 93.
    expect(schools[3]).toMatchObject({ departement: "13", academie: "02", region: "93" });
    // 0010001X: the check letter of 0010001 is W.
    expect(report.rejects).toEqual([
      {
        file: "fr-en-annuaire-education.csv",
        line: 6,
        reason: expect.stringMatching(/invalid UAI: .*checksum/),
      },
    ]);
    expect(report.warnings).toEqual([]);
  });

  it("reads the 2023 label variant, the field-name export (no BOM, LF) and the JSON export by column name", async () => {
    const { records, report } = await parseWith("annuaire-education", [
      edge("labels-2023.csv"),
      edge("field-names.csv"),
      edge("json-export.json"),
    ]);
    expect(report.files.map((f) => [f.vintage, f.encoding, f.dialect])).toEqual([
      [
        "2023 labels (69 columns, etablissement_multi_lignes)",
        "utf-8 (BOM)",
        "delimiter ';', RFC quoting, CRLF",
      ],
      ["field names (69 columns, nombre_d_eleves)", "utf-8", "delimiter ';', RFC quoting, LF"],
      ["field names (69 columns, nombre_d_eleves)", "json", undefined],
    ]);
    const schools = ofKind(records, "etablissement");
    expect(schools.map((s) => [s.uai, s.departement, s.academie, s.region])).toEqual([
      ["0010001W", "01", "10", "84"],
      ["0010001W", "01", "10", "84"],
      ["0010006B", "01", "10", "84"],
      ["0010001W", "01", "10", "84"],
    ]);
    expect(report.warnings).toEqual([]);
  });

  it("a column the producer added is a warning, not an error", async () => {
    const { records, report } = await parseWith("annuaire-education", [edge("extra-column.csv")]);
    expect(ofKind(records, "etablissement").map((s) => s.uai)).toEqual(["0010001W"]);
    expect(report.warnings).toEqual([
      "extra-column.csv: column(s) not known for Annuaire de l'éducation, ignored: Indice_position_sociale",
    ]);
  });

  it("an empty file and a header-only file index nothing, without an error", async () => {
    const { records, report } = await parseWith("annuaire-education", [
      edge("empty.csv"),
      edge("header-only.csv"),
    ]);
    expect(records).toEqual([]);
    expect(report.rowsRead).toBe(0);
    expect(report.warnings).toEqual(["empty.csv: empty file, nothing read"]);
  });

  it("a file without the UAI column is an input error (exit 2) naming the file and the columns", async () => {
    const error = await parseWith("annuaire-education", [edge("missing-key-column.csv")]).catch((e) => e);
    expect(error).toBeInstanceOf(InserJeunesError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(
      /missing-key-column\.csv: Annuaire de l'éducation is missing required column\(s\) "Identifiant_de_l_etablissement"/,
    );
    expect(error.message).toMatch(/found: Code_UAI, Nom_etablissement/);
  });
});
