import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("bcn-n-diplome-sise", () => {
  it("N_DIPLOME_SISE and N_TYPE_DIPLOME_SISE in one folder, each recognised by its header (pipe exports)", async () => {
    const { records, report } = await parseWith("bcn-n-diplome-sise", [
      { path: fixture("bcn-n-diplome-sise", "N_DIPLOME_SISE.csv") },
      { path: fixture("bcn-n-diplome-sise", "N_TYPE_DIPLOME_SISE.csv") },
    ]);
    expect(report.files.map((f) => [f.file, f.vintage, f.dialect])).toEqual([
      ["N_DIPLOME_SISE.csv", "BCN export 2024+ (20 columns)", "delimiter pipe, no quoting, LF"],
      ["N_TYPE_DIPLOME_SISE.csv", "BCN export 2021+ (17 columns)", "delimiter pipe, no quoting, LF"],
    ]);
    const sise = ofKind(records, "sise");
    expect(sise.map((s) => s.sise)).toEqual(["2001235", "9020036", "R023010"]);
    expect(sise[0]).toEqual({
      kind: "sise",
      sise: "2001235",
      typeDiplome: "DJ",
      libelle: "INGENIERIE DU COMMERCE ET DE LA VENTE - GESTION COMMERCIALE DES P M E",
      dateOuverture: null,
      dateFermeture: "2000-08-31",
    });
    const types = new Map(ofKind(records, "sise-type").map((t) => [t.typeDiplome, t]));
    expect(types.get("DR")).toEqual({
      kind: "sise-type",
      typeDiplome: "DR",
      libelleCourt: "BUT",
      libelle: "BACHELOR UNIVERSITAIRE DE TECHNOLOGIE",
      niveauInterministeriel: "2",
      cycle: "2",
      duree: 3,
    });
    // A N_COMMENTAIRE that starts with a quoted word ("Label" créé…) is read as it is.
    expect(types.get("63")?.libelleCourt).toBe("PAREO");
    expect(report.rowsRejected).toBe(0);
  });

  it("the 2021 ';' export (25 columns, cp1252) and the BCN API JSON", async () => {
    const a = await parseWith("bcn-n-diplome-sise", [
      { path: fixture("bcn-n-diplome-sise", "cases", "export-2021-25-columns-cp1252.csv") },
    ]);
    expect(a.report.files[0]).toMatchObject({
      vintage: "BCN export 2021 (25 columns)",
      encoding: "windows-1252",
    });
    expect(ofKind(a.records, "sise")[0]).toMatchObject({
      sise: "8000250",
      typeDiplome: "NI",
      libelle: expect.stringContaining("MAITRISE D’OUVRAGE"),
    });
    const b = await parseWith("bcn-n-diplome-sise", [
      { path: fixture("bcn-n-diplome-sise", "cases", "bcn-api.json") },
    ]);
    expect(b.report.files[0]?.vintage).toBe("BCN API JSON");
    expect(ofKind(b.records, "sise")).toEqual([
      {
        kind: "sise",
        sise: "2500249",
        typeDiplome: "XB",
        libelle: "METIERS DE L'ENSEIGNEMENT, DE L'EDUCATION ET DE LA FORMATION (MEEF), 2E DEGRE",
        dateOuverture: "2014-09-01",
        dateFermeture: null,
      },
    ]);
  });
});
