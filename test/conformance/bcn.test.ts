import { expect, it } from "vitest";
import { describeReal, real } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

/**
 * Every BCN table of ../shared/real-samples/bcn/ that a nomenclature source reads, parsed as build-index
 * does. Row counts are the files' data lines (bcn/SOURCES.md: header + 300 rows for the .head300 files);
 * values are copied from the files.
 */
describeReal("conformance: real BCN exports (real-samples/bcn)", () => {
  it("N_MEF: 2020 export (27 columns, cp1252), 2023 export (cp1252), 2025 copy (UTF-8 BOM)", async () => {
    const a = await parseWith("bcn-n-mef", [{ path: real("bcn", "tc2020_n_mef.head300.csv") }]);
    expect(a.report).toMatchObject({ rowsRead: 300, rowsKept: 300, rowsRejected: 0, warnings: [] });
    expect(a.report.files[0]).toMatchObject({
      vintage: "BCN export 2020 (27 columns)",
      encoding: "windows-1252",
    });
    expect(ofKind(a.records, "mef")[0]).toMatchObject({
      mef10: "3112320121",
      mefstat11: "32211023201",
      cfd: "32023201",
      duree: 2,
      annee: 1,
    });
    expect(ofKind(a.records, "mef").find((m) => m.libelle === "1bp2   métiers de la piscine")).toBeDefined();

    const b = await parseWith("bcn-n-mef", [{ path: real("bcn", "tjp2023_nMef_cp1252.head300.csv") }]);
    expect(b.report).toMatchObject({ rowsRead: 300, rowsKept: 300, warnings: [] });
    expect(b.report.files[0]?.vintage).toBe("BCN export 2021+ (22 columns)");
    // Year 9 = indéterminé. Row 3001000511 has a literal quote in an unquoted cell: still 300 rows.
    expect(ofKind(b.records, "mef")[0]).toMatchObject({
      mef10: "9999990299",
      mefstat11: "99990099902",
      annee: 9,
    });
    expect(ofKind(b.records, "mef").at(-1)?.mefstat11).toBe("23220022414");

    const c = await parseWith("bcn-n-mef", [{ path: real("bcn", "tjp2025_nMef_utf8bom.head300.csv") }]);
    expect(c.report.files[0]).toMatchObject({
      encoding: "utf-8 (BOM)",
      vintage: "BCN export 2021+ (22 columns)",
    });
    expect(c.report.rowsKept).toBe(300);
    expect(ofKind(c.records, "mef")[0]).toMatchObject({ mef10: "2543340421", cfd: "45033404" });
  });

  it("N_MEF pipe fixture (ISO-8859-1) and API JSON with a hand-edited 9-char MEF, rejected not guessed", async () => {
    const pipe = await parseWith("bcn-n-mef", [
      { path: real("bcn", "trajpro_fixture_n_mef_pipe_EDITED.csv") },
    ]);
    expect(pipe.report.files[0]?.dialect).toBe("delimiter pipe, no quoting, LF");
    expect(ofKind(pipe.records, "mef")).toEqual([
      expect.objectContaining({
        mef10: "1234567890",
        mefstat11: "12345678910",
        cfd: "12345678",
        libelle: "test",
      }),
    ]);
    const api = await parseWith("bcn-n-mef", [{ path: real("bcn", "bcn-api_N_MEF_EDITED.json") }]);
    expect(api.records).toHaveLength(0);
    expect(api.report.files[0]?.vintage).toBe("BCN API JSON");
    expect(api.report.rejects).toEqual([
      {
        file: "bcn-api_N_MEF_EDITED.json",
        line: 1,
        reason: 'invalid code: MEF "999999991" is not 10 characters',
      },
    ]);
  });

  it("N_FORMATION_DIPLOME 2020 (56 columns) and 2025 (52 columns), cp1252, literal quotes, 7-char codes", async () => {
    const a = await parseWith("bcn-n-formation-diplome", [
      { path: real("bcn", "tc2020_n_formation_diplome.head300.csv") },
    ]);
    expect(a.report).toMatchObject({ rowsRead: 300, rowsKept: 300, rowsRejected: 0 });
    expect(a.report.files[0]?.vintage).toBe("BCN export 2020 (56 columns)");
    const f2020 = new Map(ofKind(a.records, "formation").map((f) => [f.cfd, f]));
    expect(f2020.get("01022404")?.libelle).toBe("BETON PRET A L'EMPLOI (MC NIVEAU V)");
    expect(f2020.get("46321211")?.libelle).toBe(
      "CONDUITE D’UN ELEVAGE HELICICOLE ET COMMERCIALISATION DES PRODUITS (CSA)",
    );
    // Two rows of the BCN carry 7-character ancien codes (5103300, 5102002, 5102003): warned, not linked.
    expect(f2020.get("51022201")?.anciens).toEqual(["51020001"]);
    expect(a.report.warnings).toEqual([
      'tc2020_n_formation_diplome.head300.csv: 2 row(s) with an unreadable ANCIEN_DIPLOME_n, link ignored (first at line 19: CFD "5103300" has 7 digits: a leading zero was probably lost (05103300?))',
    ]);

    const b = await parseWith("bcn-n-formation-diplome", [
      { path: real("bcn", "tjp2025_nFormationDiplome_cp1252.head300.csv") },
    ]);
    expect(b.report).toMatchObject({ rowsRead: 300, rowsKept: 300 });
    expect(b.report.files[0]?.vintage).toBe("BCN export 2024+ (52 columns)");
    const f2025 = new Map(ofKind(b.records, "formation").map((f) => [f.cfd, f]));
    expect(f2025.get("46321218")?.libelle).toBe("APICULTURE (CSA)");
    expect(f2025.get("50022355")?.nouveaux).toEqual(["50032310", "50032311", "50032312", "50032313"]);
    expect(f2025.get("50022426")?.nouveaux).toEqual([]); // it names itself as its nouveau
  });

  it("V_FORMATION_DIPLOME 2020 (35 columns, cp1252), 2025 (UTF-8 BOM) and the API JSON", async () => {
    const a = await parseWith("bcn-v-formation-diplome", [
      { path: real("bcn", "tc2020_v_formation_diplome.head300.csv") },
    ]);
    expect(a.report).toMatchObject({ rowsKept: 300, rowsRejected: 0 });
    expect(a.report.files[0]?.vintage).toBe("BCN export 2020 (35 columns)");
    expect(ofKind(a.records, "formation")[0]).toMatchObject({
      cfd: "56M23202",
      niveau: "56M",
      libelle: "COUVREUR (BC)",
    });
    const b = await parseWith("bcn-v-formation-diplome", [
      { path: real("bcn", "tjp2025_vFormationDiplome_utf8bom.head300.csv") },
    ]);
    expect(b.report).toMatchObject({ rowsKept: 300, rowsRejected: 0 });
    expect(ofKind(b.records, "formation").at(-1)?.cfd).toBe("13511001");
    const c = await parseWith("bcn-v-formation-diplome", [
      { path: real("bcn", "bcn-api_V_FORMATION_DIPLOME_EDITED.json") },
    ]);
    expect(ofKind(c.records, "formation")).toEqual([
      expect.objectContaining({
        cfd: "40023203",
        niveau: "403",
        datePremiereSession: "1996",
        dateFermeture: "2022-08-31",
      }),
    ]);
  });

  it("N_NIVEAU_FORMATION_DIPLOME: 189 rows (2020), 212 (2024 copy), 215 (API 2025)", async () => {
    const counts: Array<[string, number, string]> = [
      ["tc2020_n_niveau_formation_diplome.csv", 189, "BCN export 2020 (14 columns)"],
      ["tjp2025_nNiveauFormationDiplome_utf8.csv", 212, "BCN export 2024+ (10 columns)"],
      ["bcn-api_N_NIVEAU_FORMATION_DIPLOME.json", 215, "BCN API JSON"],
    ];
    for (const [file, rows, vintage] of counts) {
      const { records, report } = await parseWith("bcn-n-niveau-formation-diplome", [
        { path: real("bcn", file) },
      ]);
      expect([file, report.rowsKept, report.rowsRejected, report.files[0]?.vintage]).toEqual([
        file,
        rows,
        0,
        vintage,
      ]);
      const bacPro = ofKind(records, "niveau").find((n) => n.niveau === "400");
      expect(bacPro?.libelleCourt).toBe("BAC PRO");
    }
    const api = await parseWith("bcn-n-niveau-formation-diplome", [
      { path: real("bcn", "bcn-api_N_NIVEAU_FORMATION_DIPLOME.json") },
    ]);
    expect(ofKind(api.records, "niveau")[0]).toEqual({
      kind: "niveau",
      niveau: "967",
      libelleCourt: "BAFD",
      libelle: "BREVET D'APTITUDE AUX FONCTIONS DE DIRECTEUR",
      niveauInterministeriel: "9",
      niveauQualificationRncp: "00",
    });
  });

  it("N_DIPLOME_SISE (2021 cp1252, pipe fixture, API) and N_TYPE_DIPLOME_SISE (pipe 232, API 235)", async () => {
    const a = await parseWith("bcn-n-diplome-sise", [
      { path: real("bcn", "ldapsaisie2021_n_diplome_sise_cp1252.head300.csv") },
    ]);
    expect(a.report).toMatchObject({ rowsKept: 300, rowsRejected: 0 });
    const sise = new Map(ofKind(a.records, "sise").map((s) => [s.sise, s]));
    expect(sise.get("9020036")?.typeDiplome).toBe("02");
    expect(sise.get("R023010")?.typeDiplome).toBe("07");
    expect(sise.get("8000250")?.libelle).toMatch(/^DSA - .* MAITRISE D'’OUVRAGE ARCHITECTURALE/);

    const pipe = await parseWith("bcn-n-diplome-sise", [
      { path: real("bcn", "trajpro_fixture_n_sise_pipe.csv") },
    ]);
    expect(ofKind(pipe.records, "sise").map((s) => s.sise)).toEqual(["2001235"]);

    const types = await parseWith("bcn-n-diplome-sise", [
      { path: real("bcn", "trajpro_fixture_n_type_diplome_sise_pipe.csv") },
      { path: real("bcn", "bcn-api_N_TYPE_DIPLOME_SISE.json") },
      { path: real("bcn", "bcn-api_N_DIPLOME_SISE.json") },
    ]);
    expect(types.report.files.map((f) => [f.file, f.rowsKept])).toEqual([
      ["trajpro_fixture_n_type_diplome_sise_pipe.csv", 232],
      ["bcn-api_N_TYPE_DIPLOME_SISE.json", 235],
      ["bcn-api_N_DIPLOME_SISE.json", 1],
    ]);
    const dr = ofKind(types.records, "sise-type").filter((t) => t.typeDiplome === "DR");
    expect(dr.map((t) => [t.libelleCourt, t.duree])).toEqual([
      ["BUT", 3],
      ["BUT", 3],
    ]);
  });
});
