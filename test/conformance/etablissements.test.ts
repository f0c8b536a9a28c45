import { expect, it } from "vitest";
import { describeReal, real } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

/** Real producer files of ../shared/real-samples: every row read, exact counts and values from the files. */
describeReal("conformance: acce on real extractions", () => {
  it.each([
    ["acce", "trajpro_fixture_acce_etablissements_latin1.csv"],
    ["trajectoires-pro", "server", "tests", "fixtures", "files", "acce", "acce_etablissements.csv"],
  ])("%s/…: the 62-column ISO-8859-1 extraction, 1 row (0010001W)", async (...parts) => {
    const { records, report } = await parseWith("acce", [{ path: real(...parts) }]);
    expect(report.files[0]).toMatchObject({
      encoding: "windows-1252",
      vintage: "ACCE extraction (62 columns)",
      rowsRead: 1,
      rowsKept: 1,
    });
    expect(report.warnings).toEqual([]);
    // The row: 0010001W;320;…;01004;Ambérieu-en-Bugey;10;Lyon;100;France;001;Ain;…;Lycée professionnel
    // Alexandre Bérard - Lycée des métiers de l'énergie et de l'habitat;… (é is byte 0xE9).
    expect(ofKind(records, "etablissement")).toEqual([
      {
        kind: "etablissement",
        uai: "0010001W",
        nom: "Lycée professionnel Alexandre Bérard - Lycée des métiers de l'énergie et de l'habitat",
        commune: "01004",
        communeLibelle: "Ambérieu-en-Bugey",
        departement: "01",
        academie: "10",
        region: "84",
        nature: "320",
      },
    ]);
  });
});

describeReal("conformance: annuaire-education on real exports", () => {
  it("field-name extract (6 rows, no BOM, LF): four regions, départements 010 → 10", async () => {
    const { records, report } = await parseWith("annuaire-education", [
      { path: real("annuaire-education", "fr-en-annuaire-education_fieldnames_extract.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      vintage: "field names (69 columns, nombre_d_eleves)",
      rowsRead: 6,
      rowsKept: 6,
    });
    const schools = ofKind(records, "etablissement");
    // First row: 0101015Z;Lycée professionnel La Salle;…;10387;Troyes;010;19;44;…;320;LYCEE PROFESSIONNEL
    expect(schools[0]).toEqual({
      kind: "etablissement",
      uai: "0101015Z",
      nom: "Lycée professionnel La Salle",
      commune: "10387",
      communeLibelle: "Troyes",
      departement: "10",
      academie: "19",
      region: "44",
      nature: "320",
    });
    // Code_region of the six rows: 44, 76, 76, 76, 93, 32.
    expect(schools.map((s) => s.region)).toEqual(["44", "76", "76", "76", "93", "32"]);
    expect(schools[5]).toMatchObject({ uai: "0594200V", departement: "59", academie: "09", nature: "151" });
  });

  it("label export (200 rows of Val-de-Marne, BOM, CRLF): every row kept, région 11, académie 24", async () => {
    const { records, report } = await parseWith("annuaire-education", [
      { path: real("annuaire-education", "fr-en-annuaire-education_labels_export.head200.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      encoding: "utf-8 (BOM)",
      dialect: "delimiter ';', RFC quoting, CRLF",
      vintage: "labels (71 columns, bassin de formation)",
      rowsRead: 200,
      rowsKept: 200,
    });
    expect(report.warnings).toEqual([]);
    const schools = ofKind(records, "etablissement");
    expect(new Set(schools.map((s) => `${s.departement}/${s.academie}/${s.region}`))).toEqual(
      new Set(["94/24/11"]),
    );
    expect(schools[0]).toMatchObject({
      uai: "0940176F",
      nom: "Ecole élémentaire Robert Doisneau",
      commune: "94034",
      communeLibelle: "Fresnes",
      nature: "151",
    });
    expect(schools[199]).toMatchObject({ uai: "0940200G", nom: "Ecole maternelle Centre", nature: "101" });
  });

  it("2023 label export (100 rows of Ille-et-Vilaine): the 69-column generation", async () => {
    const { records, report } = await parseWith("annuaire-education", [
      { path: real("annuaire-education", "fr-en-annuaire-education_labels_export_2023.head100.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      vintage: "2023 labels (69 columns, etablissement_multi_lignes)",
      rowsRead: 100,
      rowsKept: 100,
    });
    expect(report.warnings).toEqual([]);
    const schools = ofKind(records, "etablissement");
    expect(schools[0]).toMatchObject({
      uai: "0350122T",
      nom: "Ecole primaire publique les Lucioles",
      commune: "35016",
      communeLibelle: "Baulon",
      departement: "35",
      academie: "14",
      region: "53",
    });
    expect(schools.every((s) => s.region === "53")).toBe(true);
  });
});
