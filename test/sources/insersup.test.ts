import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const file = (name: string) => ({ path: fixture("insersup", name) });
const edge = (name: string) => ({ path: fixture("edge-cases", "insersup", name) });

describe("insersup on its fixtures", () => {
  it("ODS JSON, long schema: one record per diploma × establishment × promo, other breakdowns left out", async () => {
    const { records, report } = await parseWith("insersup", [file("fr-esr-insersup.json")]);
    expect(report.files[0]).toMatchObject({
      vintage: "fr-esr-insersup long schema (nb_sortants_en_emploi_sal_fr)",
      rowsRead: 14,
      rowsKept: 3,
      rowsRejected: 0,
    });
    const rows = ofKind(records, "indicator");
    expect(rows.map((r) => [r.niveau, r.zone, r.code, r.filiere, r.millesime])).toEqual([
      ["etablissement", "0062205P", "2500249", "superieur", "2021"],
      ["etablissement", "0062205P", "2500200", "superieur", "2020_2021"],
      ["national", "", "2500249", "superieur", "2021"],
    ]);
    // 2500249, promo 2021, genre/nationalité ensemble, diplômés: 140 sortants + 12 poursuivants = 152;
    // salaried employment in France 112/118/121/123 at 6/12/18/24 months; salaries of the 12-month row.
    expect(rows[0]?.measures).toEqual({
      nb_annee_term: 152,
      nb_sortant: 140,
      nb_poursuite_etudes: 12,
      nb_en_emploi_6_mois: 112,
      nb_en_emploi_12_mois: 118,
      nb_en_emploi_18_mois: 121,
      nb_en_emploi_24_mois: 123,
      taux_emploi_sortants_6_mois: 80,
      taux_emploi_sortants_12_mois: 84.29,
      taux_emploi_sortants_18_mois: 86.43,
      taux_emploi_sortants_24_mois: 87.86,
      salaire_12_mois_q1: 1790,
      salaire_12_mois_q2: 1930,
      salaire_12_mois_q3: 2080,
    });
    expect(rows[0]?.sourceVintage).toBe(
      "fr-esr-insersup long schema (nb_sortants_en_emploi_sal_fr), date_jeu 2024_S2",
    );
    // Two promotions cumulated ("Moins de 20 sortants"): 22 + 8; "nd" at 18 months → null.
    expect(rows[1]?.measures).toMatchObject({
      nb_annee_term: 30,
      nb_en_emploi_12_mois: 14,
      nb_en_emploi_18_mois: null,
    });
    // uo_lib National, etablissement all: 2891 + 310.
    expect(rows[2]?.measures).toMatchObject({
      nb_annee_term: 3201,
      nb_en_emploi_6_mois: 2310,
      salaire_12_mois_q2: 1950,
    });
    expect(report.warnings).toEqual([
      "fr-esr-insersup.json: 1 row(s) at 30 months or more: no such column in the index",
      "fr-esr-insersup.json: 1 row(s) not indexed: breakdown by genre",
      "fr-esr-insersup.json: 1 row(s) not indexed: breakdown by nationalité",
      "fr-esr-insersup.json: 1 row(s) not indexed: not limited to graduates (obtention_diplome ≠ diplômé)",
      "fr-esr-insersup.json: 1 row(s) not indexed: diplome = all (every diploma of the scope)",
    ]);
  });

  it("ODS CSV, wide schema (BOM, CRLF): suffixed figures, promo list, nd/na, decimal commas", async () => {
    const { records, report } = await parseWith("insersup", [file("fr-esr-insersup.csv")]);
    expect(report.files[0]).toMatchObject({
      encoding: "utf-8 (BOM)",
      dialect: "delimiter ';', RFC quoting, CRLF",
      vintage: "fr-esr-insersup wide schema (2025+)",
    });
    const rows = ofKind(records, "indicator");
    expect(rows.map((r) => [r.niveau, r.zone, r.code, r.millesime])).toEqual([
      ["etablissement", "0062205P", "2400074", "2021_2022"], // promo "2021,2022"
      ["national", "", "2400074", "2022"],
    ]);
    expect(rows[0]?.measures).toMatchObject({
      nb_annee_term: 155, // 95 sortants + 60 poursuivants
      nb_en_emploi_6_mois: 41,
      nb_en_emploi_24_mois: null, // "nd"
      taux_emploi_sortants_6_mois: 43.16, // "43,16"
      salaire_12_mois_q3: 2010,
    });
    expect(report.warnings).toEqual([
      "fr-esr-insersup.csv: 1 row(s) not indexed: breakdown by genre",
      "fr-esr-insersup.csv: 1 row(s) not indexed: breakdown by régime d'inscription",
    ]);
  });

  it('private API {"results"}: nb_annee_term = nb_inscrits; "130 *" cumulates two years, "12 **" does not', async () => {
    const { records } = await parseWith("insersup", [file("insersup-api.json")]);
    const rows = ofKind(records, "indicator");
    expect(
      rows.map((r) => [r.zone, r.code, r.millesime, r.measures.nb_annee_term, r.measures.nb_sortant]),
    ).toEqual([
      ["0062205P", "2400075", "2020_2021", 193, 130],
      ["0062205P", "2400076", "2021", 14, 12],
    ]);
    expect(rows[0]?.measures).toMatchObject({
      nb_en_emploi_6_mois: 110,
      nb_en_emploi_24_mois: 125,
      salaire_12_mois_q1: 1710,
    });
    // taux_in_dsn_X (a share of the inscrits) is not a rate among sortants: not stored as one.
    expect(rows[0]?.measures.taux_emploi_sortants_6_mois).toBeNull();
  });

  it("edge cases: empty, header only, a count that is not a number, no diplome column", async () => {
    const { records, report } = await parseWith("insersup", [
      edge("empty.csv"),
      edge("header-only.csv"),
      edge("not-a-number.csv"),
    ]);
    expect(records).toEqual([]);
    expect(report.rejects).toEqual([
      {
        file: "not-a-number.csv",
        line: 2,
        reason: 'not a number: column "nb_sortants": "quatre-vingt-quinze" is not a number',
      },
    ]);
    const error = await parseWith("insersup", [edge("missing-key-column.csv")]).catch((e) => e);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/missing required column\(s\) "diplome"/);
  });
});
