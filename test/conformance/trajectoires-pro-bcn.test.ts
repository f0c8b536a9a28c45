import { expect, it } from "vitest";
import { IndexReader } from "../../src/index-db/reader.js";
import { importAndBuild } from "../helpers/build.js";
import { describeReal, real, withTempDir } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

/** The BCN fixtures of the reference server (trajectoires-pro), real API responses and CSV exports. */
const bcn = (name: string) => real("trajectoires-pro", "server", "tests", "fixtures", "files", "bcn", name);

describeReal("conformance: trajectoires-pro BCN fixtures", () => {
  it("N_GROUPE_FORMATION (29 groupes) and N_LIEN_FORMATION_GROUPE (148 links), BCN API JSON", async () => {
    const g = await parseWith("bcn-n-groupe-formation", [{ path: bcn("N_GROUPE_FORMATION.json") }]);
    expect(g.report).toMatchObject({ rowsRead: 29, rowsKept: 29, rowsRejected: 0, warnings: [] });
    const groupes = ofKind(g.records, "groupe");
    expect(groupes[0]).toEqual({
      kind: "groupe",
      groupe: "G0003",
      type: "TG01",
      libelle: "Construction durable du bâtiment et des travaux publics",
      dateOuverture: "2019-09-01",
      dateFermeture: null,
    });
    expect(groupes.filter((x) => x.type === "TG01")).toHaveLength(19);

    const l = await parseWith("bcn-n-lien-formation-groupe", [{ path: bcn("N_LIEN_FORMATION_GROUPE.json") }]);
    expect(l.report).toMatchObject({ rowsRead: 148, rowsKept: 148, rowsRejected: 0, warnings: [] });
    const liens = ofKind(l.records, "lien-groupe");
    expect(liens[0]).toEqual({ kind: "lien-groupe", groupe: "G0003", cfd: "40020006", dateFermeture: null });
    expect(liens.filter((x) => x.groupe === "G0013").map((x) => x.cfd)).toEqual([
      "40025222",
      "40025224",
      "40025225",
      "40025226",
      "40025214",
      "40025219",
      "40025220",
      "40025221",
      "40025215",
      "40025216",
    ]);
  });

  it("indexed: every CFD of N_LIEN_FORMATION_GROUPE has its famille", async () => {
    await withTempDir(async (root) => {
      const { dataDir, result } = await importAndBuild(root, {
        "bcn-n-groupe-formation": [bcn("N_GROUPE_FORMATION.json")],
        "bcn-n-lien-formation-groupe": [bcn("N_LIEN_FORMATION_GROUPE.json")],
      });
      expect(result.rowCounts).toMatchObject({ groupe: 29, lien_groupe: 148, famille: 148 });
      const reader = new IndexReader(dataDir.index);
      expect(reader.familles("40025214")).toEqual([
        {
          groupe: "G0013",
          libelle: "Maintenance des matériels et des véhicules",
          anneeCommune: false,
          via: "bcn",
        },
      ]);
      reader.close();
    });
  });

  it("N_NIVEAU_FORMATION_DIPLOME (215) and N_TYPE_DIPLOME_SISE (235): full real tables", async () => {
    const n = await parseWith("bcn-n-niveau-formation-diplome", [
      { path: bcn("N_NIVEAU_FORMATION_DIPLOME.json") },
    ]);
    expect(n.report).toMatchObject({ rowsKept: 215, rowsRejected: 0 });
    expect(ofKind(n.records, "niveau").find((x) => x.niveau === "500")?.libelleCourt).toBe("CAP");
    const t = await parseWith("bcn-n-diplome-sise", [
      { path: bcn("N_TYPE_DIPLOME_SISE.json") },
      { path: bcn("n_type_diplome_sise.csv") },
      { path: bcn("N_DIPLOME_SISE.json") },
      { path: bcn("n_sise.csv") },
    ]);
    expect(t.report.files.map((f) => [f.file, f.vintage, f.rowsKept])).toEqual([
      ["N_TYPE_DIPLOME_SISE.json", "BCN API JSON", 235],
      ["n_type_diplome_sise.csv", "BCN export 2021+ (17 columns)", 232],
      ["N_DIPLOME_SISE.json", "BCN API JSON", 1],
      ["n_sise.csv", "BCN export 2024+ (20 columns)", 1],
    ]);
    // The same real diploma in the API (dates with a time) and in the pipe export.
    expect(ofKind(t.records, "sise")).toEqual([
      expect.objectContaining({ sise: "2001235", typeDiplome: "DJ", dateFermeture: "2000-08-31" }),
      expect.objectContaining({ sise: "2001235", typeDiplome: "DJ", dateFermeture: "2000-08-31" }),
    ]);
  });

  it("continuum fixtures: made-up codes (old_1, new_1…) are reported, never linked", async () => {
    const a = await parseWith("bcn-n-formation-diplome", [
      { path: bcn("N_FORMATION_DIPLOME_CONTINUUM.json") },
    ]);
    expect(ofKind(a.records, "formation")).toEqual([
      expect.objectContaining({ cfd: "14545678", anciens: [], nouveaux: [] }),
    ]);
    expect(a.report.warnings).toEqual([
      'N_FORMATION_DIPLOME_CONTINUUM.json: 1 row(s) with an unreadable ANCIEN_DIPLOME_n, link ignored (first at line 1: CFD "OLD_1" is not 8 characters (digits or capital letters); CFD "OLD_2" is not 8 characters (digits or capital letters))',
      'N_FORMATION_DIPLOME_CONTINUUM.json: 1 row(s) with an unreadable NOUVEAU_DIPLOME_n, link ignored (first at line 1: CFD "NEW_1" is not 8 characters (digits or capital letters); CFD "NEW_2" is not 8 characters (digits or capital letters))',
    ]);
    const b = await parseWith("bcn-n-formation-diplome", [
      { path: bcn("N_FORMATION_DIPLOME_CONTINUUM_MISSING.json") },
    ]);
    expect(b.report).toMatchObject({ rowsRead: 3, rowsKept: 1, rowsRejected: 2 });
    expect(b.report.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, 'invalid code: CFD "OLD_1" is not 8 characters (digits or capital letters)'],
      [3, 'invalid code: CFD "NEW_1" is not 8 characters (digits or capital letters)'],
    ]);
  });

  it('empty API answers ({"data": []}) are a warning, an unknown CFD in N_MEF is rejected', async () => {
    for (const [id, file] of [
      ["bcn-n-mef", "N_MEF_EMPTY.json"],
      ["bcn-n-formation-diplome", "N_FORMATION_DIPLOME_EMPTY.json"],
      ["bcn-v-formation-diplome", "V_FORMATION_DIPLOME_EMPTY.json"],
    ] as const) {
      const { records, report } = await parseWith(id, [{ path: bcn(file) }]);
      expect([records.length, report.rowsRead, report.warnings]).toEqual([0, 0, []]);
    }
    const inconnu = await parseWith("bcn-n-mef", [{ path: bcn("N_MEF_DIPLOME_INCONNU.json") }]);
    expect(inconnu.report.rejects[0]?.reason).toBe(
      'invalid code: MEF "999999991" is not 10 characters; CFD "INCONNU" is not 8 characters (digits or capital letters)',
    );
  });
});
