import { expect, it } from "vitest";
import { describeReal, real } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

/**
 * The indicator files of ../shared/real-samples (inserjeunes/, insersup/ and the non-BCN fixtures of
 * trajectoires-pro/). Expected counts were taken from the files: a row is "masked" when every figure
 * column is empty or "nd".
 */
const depp = (name: string) => real("trajectoires-pro", "at-18b5498-parent", "server", "data", name);
const insersupFixture = (...parts: string[]) =>
  real("trajectoires-pro", ...parts, "server", "tests", "fixtures", "files", "inserSup");

describeReal("conformance: inserjeunes-open on real open-data files and DEPP tables", () => {
  it("fr-en-inserjeunes-cfa label export: 300 rows (50 per cumul), 226 with figures", async () => {
    const { records, report } = await parseWith("inserjeunes-open", [
      { path: real("inserjeunes", "fr-en-inserjeunes-cfa_labels.50perYear.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      vintage: "fr-en-inserjeunes-cfa (labels)",
      rowsRead: 300,
      rowsKept: 226,
      rowsRejected: 0,
    });
    expect(report.warnings).toEqual([
      "fr-en-inserjeunes-cfa_labels.50perYear.csv: 74 row(s) not indexed: no figure published (masked by the producer)",
    ]);
    const rows = ofKind(records, "etablissement-indicator");
    const perMillesime: Record<string, number> = {};
    for (const r of rows) perMillesime[r.millesime] = (perMillesime[r.millesime] ?? 0) + 1;
    expect(perMillesime).toEqual({
      "2023_2024": 36,
      "2022_2023": 35,
      "2021_2022": 40,
      "2020_2021": 32,
      "2019_2020": 33,
      "2018_2019": 50,
    });
    // Line 2: cumul 2023-2024;0630003L;Cours Supérieurs de Coiffure, Clermont-Ferrand;…;30.0;57.0;13.0;;30.0;81.0;73.0;8.0;73.0;;;10002.0
    expect(rows[0]).toMatchObject({
      uai: "0630003L",
      filiere: "apprentissage",
      perimetre: "ensemble",
      millesime: "2023_2024",
      measures: {
        taux_en_formation: 30,
        taux_en_emploi_6_mois: 57,
        taux_autres_6_mois: 13,
        taux_rupture_contrats: null,
        taux_emploi_sortants_6_mois: 81,
        taux_emploi_sortants_6_mois_attendu: 73,
        valeur_ajoutee_emploi_6_mois: 8,
        taux_emploi_sortants_12_mois: 73,
      },
    });
    // cumul 2018-2019 published contract ruptures (46 rows) instead of the DEVENIR parts:
    // 0021923E;…;;;;36;38.0;48.0;50.0;-2.0;54.0;54.0;59.0;1.0
    expect(rows.filter((r) => r.measures.taux_rupture_contrats !== null)).toHaveLength(46);
    expect(rows.find((r) => r.uai === "0021923E")?.measures).toMatchObject({
      taux_rupture_contrats: 36,
      taux_en_formation: null,
      taux_poursuite_etudes: 38,
      valeur_ajoutee_emploi_6_mois: -2,
      taux_emploi_sortants_24_mois: 59,
    });
  });

  it.each([
    // file, rows, kept, populations kept: ensemble / dont apprentis / dont élèves en voie pro sco
    [
      real("inserjeunes", "trajpro_depp-2022-etablissements-2018_2019-pro.head100.csv"),
      "2018_2019",
      "pro",
      100,
      85,
      [62, 7, 16],
    ],
    [
      real("inserjeunes", "trajpro_depp-2022-etablissements-2022_2023-apprentissage.head100.csv"),
      "2022_2023",
      "apprentissage",
      100,
      83,
      [83, 0, 0],
    ],
    [
      real("inserjeunes", "trajpro_depp-2022-etablissements-2022_2023-pro.head100.csv"),
      "2022_2023",
      "pro",
      100,
      92,
      [54, 15, 23],
    ],
    [
      depp("depp-2022-etablissements-2018_2019-apprentissage.csv"),
      "2018_2019",
      "apprentissage",
      851,
      739,
      [739, 0, 0],
    ],
    [
      depp("depp-2022-etablissements-2022_2023-apprentissage.csv"),
      "2022_2023",
      "apprentissage",
      2527,
      2015,
      [2015, 0, 0],
    ],
    [depp("depp-2022-etablissements-2022_2023-pro.csv"), "2022_2023", "pro", 5605, 4917, [2909, 690, 1318]],
  ] as const)("DEPP table %s", async (path, millesime, filiere, read, kept, populations) => {
    const { records, report } = await parseWith("inserjeunes-open", [{ path }]);
    expect(report).toMatchObject({ rowsRead: read, rowsKept: kept, rowsRejected: 0 });
    const rows = ofKind(records, "etablissement-indicator");
    expect(new Set(rows.map((r) => `${r.millesime}/${r.filiere}`))).toEqual(
      new Set([`${millesime}/${filiere}`]),
    );
    const count = (p: string) => rows.filter((r) => r.perimetre === p).length;
    expect([count("ensemble"), count("dont_apprentis"), count("dont_eleves_en_voie_pro_sco")]).toEqual(
      populations,
    );
  });

  it("exact values: 0010001W in 2022_2023 and 2018_2019, 0010826T in the apprentissage tables", async () => {
    const { records } = await parseWith("inserjeunes-open", [
      { path: depp("depp-2022-etablissements-2022_2023-pro.csv") },
      { path: real("inserjeunes", "trajpro_depp-2022-etablissements-2018_2019-pro.head100.csv") },
      { path: depp("depp-2022-etablissements-2018_2019-apprentissage.csv") },
      { path: depp("depp-2022-etablissements-2022_2023-apprentissage.csv") },
    ]);
    const find = (uai: string, millesime: string) =>
      ofKind(records, "etablissement-indicator").find(
        (r) => r.uai === uai && r.millesime === millesime && r.perimetre === "ensemble",
      )?.measures;
    // 0010001W;…;ensemble;54;51;41;10;54;23;23
    expect(find("0010001W", "2022_2023")).toMatchObject({
      taux_poursuite_etudes: 54,
      taux_emploi_sortants_6_mois: 51,
      taux_emploi_sortants_6_mois_attendu: 41,
      valeur_ajoutee_emploi_6_mois: 10,
      taux_en_formation: 54,
      taux_en_emploi_6_mois: 23,
      taux_autres_6_mois: 23,
    });
    // 2018_2019 (merged header): "0010001W";…;"ensemble";49;47;41;6;51;55;56 — only Taux / Taux attendu /
    // Valeur ajoutée are named: 47, 41, 6.
    expect(find("0010001W", "2018_2019")).toEqual({
      taux_en_formation: null,
      taux_en_emploi_6_mois: null,
      taux_autres_6_mois: null,
      taux_rupture_contrats: null,
      taux_poursuite_etudes: null,
      taux_emploi_sortants_6_mois: 47,
      taux_emploi_sortants_6_mois_attendu: 41,
      valeur_ajoutee_emploi_6_mois: 6,
      taux_emploi_sortants_12_mois: null,
      taux_emploi_sortants_18_mois: null,
      taux_emploi_sortants_24_mois: null,
    });
    // "0010826T";…;41;38;67;63;4;68;69;71 and 0010826T;…;42;70;69;1;42;41;17
    expect(find("0010826T", "2018_2019")).toMatchObject({
      taux_emploi_sortants_6_mois: 67,
      valeur_ajoutee_emploi_6_mois: 4,
    });
    expect(find("0010826T", "2022_2023")).toMatchObject({
      taux_emploi_sortants_6_mois: 70,
      taux_en_emploi_6_mois: 41,
    });
  });
});

describeReal("conformance: insersup on real ODS records and API responses", () => {
  it("2024_S2 long schema, 60 records: one line per diploma × establishment once filtered", async () => {
    const { records, report } = await parseWith("insersup", [
      { path: real("insersup", "trajpro_fixture_fr-esr-insersup_ods_records_2024S2.json") },
    ]);
    expect(report).toMatchObject({ rowsRead: 60, rowsKept: 1, rowsRejected: 0 });
    // genre ∈ {femme, homme} 40 records; nationalité français 10; obtention_diplome ensemble 5;
    // the 5 kept (ensemble, ensemble, diplômé) are 6/12/18/24/30 months: 30 has no column.
    expect(report.warnings).toEqual([
      "trajpro_fixture_fr-esr-insersup_ods_records_2024S2.json: 1 row(s) at 30 months or more: no such column in the index",
      "trajpro_fixture_fr-esr-insersup_ods_records_2024S2.json: 40 row(s) not indexed: breakdown by genre",
      "trajpro_fixture_fr-esr-insersup_ods_records_2024S2.json: 10 row(s) not indexed: breakdown by nationalité",
      "trajpro_fixture_fr-esr-insersup_ods_records_2024S2.json: 5 row(s) not indexed: not limited to graduates (obtention_diplome ≠ diplômé)",
    ]);
    // nb_sortants 123, nb_poursuivants 11; nb_sortants_en_emploi_sal_fr 105/106/109/109 at 6/12/18/24.
    expect(ofKind(records, "indicator")).toEqual([
      {
        kind: "indicator",
        niveau: "etablissement",
        zone: "0062205P",
        code: "2500249",
        filiere: "superieur",
        millesime: "2021",
        measures: {
          nb_sortant: 123,
          nb_poursuite_etudes: 11,
          nb_annee_term: 134,
          nb_en_emploi_6_mois: 105,
          nb_en_emploi_12_mois: 106,
          nb_en_emploi_18_mois: 109,
          nb_en_emploi_24_mois: 109,
          taux_emploi_sortants_6_mois: 85.37,
          taux_emploi_sortants_12_mois: 86.18,
          taux_emploi_sortants_18_mois: 88.62,
          taux_emploi_sortants_24_mois: 88.62,
          salaire_12_mois_q1: null,
          salaire_12_mois_q2: null,
          salaire_12_mois_q3: null,
        },
        sourceVintage: "fr-esr-insersup long schema (nb_sortants_en_emploi_sal_fr), date_jeu 2024_S2",
      },
    ]);
  });

  it.each([
    // 2023_S2 schema (taux_emploi_sal_fr only): promo 2021 = 120 + 11, promo 2020 = 117 + 24
    [
      real("insersup", "trajpro_fixture_fr-esr-insersup_ods_records_2023S2_oldschema.json"),
      7,
      ["2500249/2021/131", "2500249/2020/141"],
    ],
    [insersupFixture("at-8f30046-parent") + "/formations.json", 7, ["2500249/2021/131", "2500249/2020/141"]],
    [insersupFixture("at-8f30046-parent") + "/formationsInvalid.json", 4, ["2500249/2020/141"]],
    // promo ["2020","2021"] with flag "*" (22 + 8 = 30) next to single-year promos
    [
      insersupFixture("at-8f30046-parent") + "/formationsMillesimesMixtes.json",
      7,
      ["2500200/2020_2021/30", "2500200/2020/141"],
    ],
    [
      insersupFixture("at-8f30046-parent") + "/formationsMillesimesMixtesWithDouble.json",
      10,
      ["2500200/2020_2021/30", "2500200/2021/131", "2500200/2020/141"],
    ],
    [insersupFixture("at-8f30046-parent") + "/formationsTwoMillesimes.json", 3, ["2500200/2020_2021/30"]],
    // private API: nb_annee_term = nb_inscrits; "130 *" → 2020_2021
    [real("insersup", "trajpro_fixture_insersup_private_api_results.json"), 1, ["2400074/2021/119"]],
    [insersupFixture() + "/formations.json", 1, ["2400074/2021/119"]],
    [
      insersupFixture() + "/formationsMillesimesMixtes.json",
      2,
      ["2400074/2021/119", "2400075/2020_2021/193"],
    ],
    [
      insersupFixture() + "/formationsMillesimesMixtesWithDouble.json",
      2,
      ["2400074/2021/119", "2400074/2020_2021/193"],
    ],
  ] as const)("%s", async (path, read, expected) => {
    const { records, report } = await parseWith("insersup", [{ path }]);
    expect(report).toMatchObject({ rowsRead: read, rowsRejected: 0 });
    expect(
      ofKind(records, "indicator").map((r) => `${r.code}/${r.millesime}/${r.measures.nb_annee_term}`),
    ).toEqual(expected);
  });

  it("2023_S2: rates among sortants kept as published, no count invented from them", async () => {
    const { records } = await parseWith("insersup", [
      { path: real("insersup", "trajpro_fixture_fr-esr-insersup_ods_records_2023S2_oldschema.json") },
    ]);
    // promo 2020: taux_emploi_sal_fr 69.2 / 71.8 / 85.5 / 88.0 at 6 / 12 / 18 / 24 months
    expect(ofKind(records, "indicator")[1]?.measures).toMatchObject({
      taux_emploi_sortants_6_mois: 69.2,
      taux_emploi_sortants_12_mois: 71.8,
      taux_emploi_sortants_18_mois: 85.5,
      taux_emploi_sortants_24_mois: 88,
      nb_en_emploi_6_mois: null,
    });
  });

  it("the etablissements.json of the old job (a list of UAIs, no diplome) is refused with the columns", async () => {
    const error = await parseWith("insersup", [
      { path: insersupFixture("at-8f30046-parent") + "/etablissements.json" },
    ]).catch((e) => e);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/missing required column\(s\) "diplome"[\s\S]*found: etablissement/);
  });
});
