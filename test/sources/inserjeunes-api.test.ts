import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requestContext } from "../../src/sources/inserjeunes-api.js";
import { describeReal, fixture, real, withTempDir } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const api = (rel: string) => ({ path: fixture("inserjeunes-api", ...rel.split("/")), relPath: rel });

describe("inserjeunes-api on its fixtures", () => {
  it("national scolaire 2023: a double-encoded body, grouped per code, DEVENIR parts as published rates", async () => {
    const { records, report } = await parseWith("inserjeunes-api", [
      api("france/2023/voie_pro_sco_educ_nat.json"),
    ]);
    const rows = ofKind(records, "indicator");
    expect(rows.map((r) => r.code)).toEqual([
      "23830025214",
      "32221031408",
      "23220031223",
      "32221033107",
      "23910022105",
    ]);
    expect(report.rowsRead).toBe(12 + 5 + 5 + 4 + 7);
    expect(rows[0]).toEqual({
      kind: "indicator",
      niveau: "national",
      zone: "",
      code: "23830025214",
      filiere: "pro",
      millesime: "2023",
      measures: {
        nb_annee_term: 1064,
        nb_sortant: 552,
        nb_poursuite_etudes: 512,
        nb_en_emploi_6_mois: 230,
        nb_en_emploi_12_mois: 274,
        nb_en_emploi_18_mois: 291,
        nb_en_emploi_24_mois: 319,
        salaire_12_mois_q1: 1350,
        salaire_12_mois_q2: 1520,
        salaire_12_mois_q3: 1700,
        // The DEPP's taux_emploi_6_mois is among sortants: its own column, never taux_en_emploi_6_mois.
        taux_emploi_sortants_6_mois: 42,
        taux_poursuite_etudes: 48,
      },
      sourceVintage: "DEPP API /france",
    });
    expect(rows[4]?.measures).toMatchObject({
      taux_en_emploi_6_mois: 40,
      taux_en_formation: 25,
      taux_autres_6_mois: 35,
    });
  });

  it("per school and per region: zone from the path, ensemble rows skipped, filière from each row", async () => {
    const { records } = await parseWith("inserjeunes-api", [
      api("uai/0010001W/2022_2023.json"),
      api("region/01/2022_2023.json"),
    ]);
    const rows = ofKind(records, "indicator");
    expect(rows.map((r) => [r.niveau, r.zone, r.code, r.filiere, r.millesime])).toEqual([
      ["etablissement", "0010001W", "23830025214", "pro", "2022_2023"],
      ["etablissement", "0010001W", "23220031223", "pro", "2022_2023"],
      ["regional", "84", "23220031223", "pro", "2022_2023"],
      ["regional", "84", "40025214", "apprentissage", "2022_2023"],
    ]);
  });

  it("a body stored where its request cannot be known is rejected with the expected layout", async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, "misc"));
      const path = join(dir, "misc", "reponse.json");
      await writeFile(path, '{"data":[]}');
      const { records, report } = await parseWith("inserjeunes-api", [
        { path, relPath: "misc/reponse.json" },
      ]);
      expect(records).toHaveLength(0);
      expect(report.rejects[0]?.reason).toMatch(/france\/<YYYY>\/<filiere>\.json/);
    });
  });

  it("reads the request context from the path", () => {
    expect(requestContext("france/2024/voie_pro_sco_agri.json")).toEqual({
      niveau: "national",
      zone: "",
      millesime: "2024",
      filiere: "agricole",
    });
    expect(requestContext("region/10/2022_2023.json")).toEqual({
      niveau: "regional",
      zone: "11",
      millesime: "2022_2023",
    });
    expect(requestContext("uai/0010001X/2022_2023.json")).toEqual({
      error: expect.stringMatching(/checksum/),
    });
  });
});

const edge = (name: string, relPath: string) => ({
  path: fixture("edge-cases", "inserjeunes-api", name),
  relPath,
});

describe("inserjeunes-api edge cases", () => {
  it("every filière value of /region, null valeur_mesure, unknown measures and ensemble rows reported", async () => {
    const { records, report } = await parseWith("inserjeunes-api", [
      edge("region-every-filiere-null-values.json", "region/15/2022_2023.json"),
    ]);
    // Région académique 15 = Nouvelle-Aquitaine, INSEE 75.
    expect(ofKind(records, "indicator").map((r) => [r.zone, r.code, r.filiere, r.measures])).toEqual([
      [
        "75",
        "23831021405",
        "agricole", // voie_pro_sco_agri
        {
          nb_annee_term: 96,
          nb_sortant: 58,
          nb_poursuite_etudes: 38,
          nb_en_emploi_6_mois: 31,
          taux_en_emploi_6_mois: 32,
          taux_en_formation: 40,
          taux_autres_6_mois: 28,
        },
      ],
      [
        "75",
        "23830031106",
        "pro", // voie_pro_sco_educ_nat
        {
          nb_annee_term: 412,
          nb_sortant: 261,
          nb_poursuite_etudes: 151,
          nb_en_emploi_6_mois: 118,
          taux_emploi_sortants_6_mois: 45,
        },
      ],
      [
        "75",
        "40031106",
        "apprentissage", // a null valeur_mesure stays null
        {
          nb_annee_term: 64,
          nb_sortant: 50,
          nb_poursuite_etudes: 14,
          nb_en_emploi_6_mois: null,
          taux_rupture_contrats: null,
        },
      ],
    ]);
    expect(report.warnings).toEqual([
      'region/15/2022_2023.json: 1 row(s) not indexed: unknown id_mesure "nb_en_emploi_30_mois"',
      "region/15/2022_2023.json: 1 row(s) not indexed: ensemble rows (totals of the whole scope, no formation code)",
      "region/15/2022_2023.json: 1 code(s) not indexed: every valeur_mesure is null",
    ]);
  });

  it('a stored /UAI 400 body {"msg":"UAI incorrect ou agricole"} is one report line, not an error', async () => {
    const { records, report } = await parseWith("inserjeunes-api", [
      edge("uai-refused-400.json", "uai/0672477D/2022_2023.json"),
    ]);
    expect(records).toEqual([]);
    expect(report.rowsRejected).toBe(0);
    expect(report.warnings).toEqual([
      '1 stored body answered "UAI incorrect ou agricole" (no data for that request): uai/0672477D/2022_2023.json',
    ]);
  });

  it("the ensemble rows of a /UAI body become the establishment's totals (no formation code)", async () => {
    const { records } = await parseWith("inserjeunes-api", [
      edge("uai-ensemble-rows.json", "uai/0010826T/2022_2023.json"),
    ]);
    expect(
      ofKind(records, "indicator").map((r) => [r.niveau, r.zone, r.code, r.measures.nb_annee_term]),
    ).toEqual([["etablissement", "0010826T", "40025214", 47]]);
    expect(ofKind(records, "etablissement-indicator")).toEqual([
      {
        kind: "etablissement-indicator",
        uai: "0010826T",
        filiere: "apprentissage",
        perimetre: "ensemble",
        millesime: "2022_2023",
        measures: {
          taux_emploi_sortants_6_mois: 70,
          taux_emploi_sortants_6_mois_attendu: 69,
          valeur_ajoutee_emploi_6_mois: 1,
        },
        sourceVintage: "DEPP API /UAI",
      },
    ]);
  });

  it("rejects a row with an unknown filière or a valeur_mesure that is not a number", async () => {
    const { records, report } = await parseWith("inserjeunes-api", [
      edge("unknown-filiere-and-not-a-number.json", "region/01/2023_2024.json"),
    ]);
    expect(report.rejects.map((r) => `${r.line} ${r.reason}`)).toEqual([
      '1 unknown filière: "voie_pro_sco_mer" (expected voie_pro_sco_educ_nat, voie_pro_sco_agri, apprentissage)',
      '2 not a number: valeur_mesure of nb_annee_term: "cent vingt" is not a number',
    ]);
    expect(ofKind(records, "indicator").map((r) => [r.zone, r.code, r.measures])).toEqual([
      ["84", "40025214", { nb_sortant: 90 }],
    ]);
  });
});

describeReal("inserjeunes-api on Orion's flattened /region responses (joinable subset)", () => {
  it("1,427 rows: 23830025214 in Île-de-France 2019_2020 = 1064 term, 512 poursuite, 230 emploi à 6 mois", async () => {
    const { records, report } = await parseWith("inserjeunes-api", [
      { path: real("joinable-subset", "inserjeunes_api_region_flattened_by_orion_utf8bom.subset.csv") },
    ]);
    expect(report.rowsKept).toBe(1427);
    const row = ofKind(records, "indicator").find(
      (r) => r.code === "23830025214" && r.zone === "11" && r.millesime === "2019_2020",
    );
    // The file's row 2019_2020_10_scolaire_23830025214: …;1064;274;291;319;230;512;552;50;53;58;42;48 —
    // its taux_emploi_X_mois are among sortants and keep that meaning.
    expect(row?.measures).toMatchObject({
      nb_annee_term: 1064,
      nb_poursuite_etudes: 512,
      nb_en_emploi_6_mois: 230,
      taux_emploi_sortants_6_mois: 42,
      taux_emploi_sortants_24_mois: 58,
      taux_poursuite_etudes: 48,
    });
    expect(row?.measures.taux_en_emploi_6_mois).toBeUndefined();
  });
});
