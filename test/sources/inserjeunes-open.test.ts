import { describe, expect, it } from "vitest";
import { parseMeasure, parseMillesime } from "../../src/sources/measures.js";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const file = (name: string) => ({ path: fixture("inserjeunes-open", name) });
const edge = (name: string) => ({ path: fixture("edge-cases", "inserjeunes-open", name) });

describe("inserjeunes-open on its fixtures", () => {
  it("fr-en-inserjeunes-cfa (labels, BOM, CRLF, floats): per-establishment rates, never under the field's names", async () => {
    const { records, report } = await parseWith("inserjeunes-open", [file("fr-en-inserjeunes-cfa.csv")]);
    expect(report.files[0]).toMatchObject({
      encoding: "utf-8 (BOM)",
      dialect: "delimiter ';', RFC quoting, CRLF",
      vintage: "fr-en-inserjeunes-cfa (labels)",
      rowsRead: 4,
      rowsKept: 3,
    });
    const rows = ofKind(records, "etablissement-indicator");
    // Line 2: cumul 2023-2024 → 2023_2024; "DEVENIR Part …" are shares of the terminal-year students,
    // "Taux emploi 6 mois" (73.0) is among sortants: it goes to taux_emploi_sortants_6_mois.
    expect(rows[0]).toEqual({
      kind: "etablissement-indicator",
      uai: "0010826T",
      filiere: "apprentissage",
      perimetre: "ensemble",
      millesime: "2023_2024",
      measures: {
        taux_en_formation: 38,
        taux_en_emploi_6_mois: 45,
        taux_autres_6_mois: 17,
        taux_rupture_contrats: null,
        taux_poursuite_etudes: 38,
        taux_emploi_sortants_6_mois: 73,
        taux_emploi_sortants_6_mois_attendu: 71,
        valeur_ajoutee_emploi_6_mois: 2,
        taux_emploi_sortants_12_mois: 76,
        taux_emploi_sortants_18_mois: null,
        taux_emploi_sortants_24_mois: null,
      },
      sourceVintage: "fr-en-inserjeunes-cfa (labels)",
    });
    // cumul 2018-2019 published contract ruptures (26) and a negative value added (-2.0).
    expect(rows[2]).toMatchObject({
      uai: "0010856A",
      millesime: "2018_2019",
      measures: { taux_rupture_contrats: 26, valeur_ajoutee_emploi_6_mois: -2, taux_en_formation: null },
    });
    // 0630003L publishes nothing for cumul 2023-2024: not indexed, and said so.
    expect(report.warnings).toEqual([
      "fr-en-inserjeunes-cfa.csv: 1 row(s) not indexed: no figure published (masked by the producer)",
    ]);
  });

  it("formation fine: lycée pro (labels, MEFSTAT11) and CFA (JSON, field names, CFD) at the établissement level", async () => {
    const { records, report } = await parseWith("inserjeunes-open", [
      file("fr-en-inserjeunes-lycee_pro-formation-fine.csv"),
      file("fr-en-inserjeunes-cfa-formation-fine.json"),
    ]);
    const rows = ofKind(records, "indicator");
    expect(rows.map((r) => [r.niveau, r.zone, r.code, r.filiere, r.millesime])).toEqual([
      ["etablissement", "0010001W", "23830025214", "pro", "2023_2024"],
      ["etablissement", "0010006B", "23220031223", "pro", "2023_2024"],
      ["etablissement", "0010826T", "40025214", "apprentissage", "2023_2024"],
    ]);
    expect(rows[0]?.measures).toMatchObject({
      taux_en_formation: 42,
      taux_en_emploi_6_mois: 29,
      taux_autres_6_mois: 29,
      taux_emploi_sortants_6_mois: 50,
      taux_emploi_sortants_12_mois: 61,
    });
    expect(rows[0]?.measures.nb_annee_term).toBeUndefined(); // rates only: no count is invented
    expect(rows[2]?.measures).toMatchObject({ taux_rupture_contrats: 18, taux_emploi_sortants_6_mois: 71 });
    // The CFD printed as a JSON number lost its leading zero (01022105 → 1022105): rejected, with the hint.
    expect(report.rejects).toEqual([
      {
        file: "fr-en-inserjeunes-cfa-formation-fine.json",
        line: 2,
        reason: expect.stringMatching(/invalid formation code: CFD "1022105" has 7 digits: a leading zero/),
      },
    ]);
    expect(report.files.map((f) => f.vintage)).toEqual([
      "lycée pro formation fine (labels)",
      "CFA formation fine (field names)",
    ]);
  });

  it("DEPP establishment tables: millésime and voie from the file name, one row per population", async () => {
    const { records } = await parseWith("inserjeunes-open", [
      file("depp-2022-etablissements-2022_2023-pro.csv"),
    ]);
    const rows = ofKind(records, "etablissement-indicator");
    expect(rows.map((r) => [r.uai, r.filiere, r.perimetre, r.millesime])).toEqual([
      ["0010001W", "pro", "ensemble", "2022_2023"],
      ["0010006B", "pro", "dont_apprentis", "2022_2023"],
      ["0010006B", "pro", "ensemble", "2022_2023"],
    ]);
    // "Taux" 51 is the employment rate among sortants; the three "Part" columns sum to 100.
    expect(rows[0]?.measures).toEqual({
      taux_poursuite_etudes: 54,
      taux_emploi_sortants_6_mois: 51,
      taux_emploi_sortants_6_mois_attendu: 41,
      valeur_ajoutee_emploi_6_mois: 10,
      taux_en_formation: 54,
      taux_en_emploi_6_mois: 23,
      taux_autres_6_mois: 23,
      taux_rupture_contrats: null,
      taux_emploi_sortants_12_mois: null,
      taux_emploi_sortants_18_mois: null,
      taux_emploi_sortants_24_mois: null,
    });
  });

  it("the 2018_2019 table's merged header: named columns read, the population taken from the first unnamed one", async () => {
    const { records, report } = await parseWith("inserjeunes-open", [
      edge("depp-2022-etablissements-2018_2019-pro.csv"),
    ]);
    expect(report.files[0]?.vintage).toBe(
      "DEPP establishment table, merged header (unnamed columns not read)",
    );
    const rows = ofKind(records, "etablissement-indicator");
    expect(rows.map((r) => [r.uai, r.perimetre, r.measures.taux_emploi_sortants_6_mois])).toEqual([
      ["0010001W", "ensemble", 47],
      ["0010006B", "ensemble", 55],
      ["0010006B", "dont_eleves_en_voie_pro_sco", 54],
    ]);
    expect(report.warnings[0]).toMatch(/unnamed columns \(a merged Excel header\)/);
  });

  it("the lycée pro per-establishment dataset with field names", async () => {
    const { records, report } = await parseWith("inserjeunes-open", [edge("lycee_pro-field-names.csv")]);
    expect(report.files[0]?.vintage).toBe("fr-en-inserjeunes-lycee_pro (field names)");
    expect(ofKind(records, "etablissement-indicator")).toEqual([
      expect.objectContaining({
        uai: "0010006B",
        filiere: "pro",
        perimetre: "dont_apprentis",
        millesime: "2023_2024",
        measures: expect.objectContaining({ taux_en_emploi_6_mois: 47, valeur_ajoutee_emploi_6_mois: -7 }),
      }),
    ]);
  });

  it("rejects rows it cannot place or read, naming the reason; an empty or header-only file is no error", async () => {
    const { records, report } = await parseWith("inserjeunes-open", [
      edge("depp-etablissements-pro.csv"),
      edge("not-a-number.csv"),
      edge("empty.csv"),
      edge("header-only.csv"),
    ]);
    expect(records).toEqual([]);
    expect(report.rejects.map((r) => `${r.file}:${r.line} ${r.reason}`)).toEqual([
      "depp-etablissements-pro.csv:2 no millésime: a DEPP table without an Année column must carry it in its file name (…-2022_2023-pro.csv)",
      'not-a-number.csv:2 not a number: column "DEVENIR Part en emploi 6 mois": "quarante-cinq" is not a number',
    ]);
    const error = await parseWith("inserjeunes-open", [edge("missing-key-column.csv")]).catch((e) => e);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/missing required column\(s\) "UAI"/);
  });
});

describe("figures as producers print them", () => {
  it.each([
    ["30.0", 30],
    ["-4.0", -4],
    ["54,6", 54.6],
    ["1 064", 1064],
    [" 12 ", 12],
    [42, 42],
    ["nd", null],
    ["na", null],
    ["null", null],
    ["", null],
    [null, null],
  ])("%j → %j", (raw, value) => {
    expect(parseMeasure(raw)).toMatchObject({ ok: true, value });
  });

  it("InserSup's cumulation flags", () => {
    expect(parseMeasure("130 *")).toEqual({ ok: true, value: 130, flag: "cumul" });
    expect(parseMeasure("12 **")).toEqual({ ok: true, value: 12, flag: "cumul_impossible" });
    expect(parseMeasure("quarante")).toEqual({ ok: false, reason: '"quarante" is not a number' });
  });

  it("millésimes", () => {
    expect(
      ["cumul 2023-2024", "2023_2024", "2024-2023", "2023/2024", "2023", "2023.0", "cumul", "2021-2023"].map(
        parseMillesime,
      ),
    ).toEqual(["2023_2024", "2023_2024", "2023_2024", "2023_2024", "2023", "2023", undefined, undefined]);
  });
});
