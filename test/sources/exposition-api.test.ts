import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const file = (name: string) => ({ path: fixture("exposition-api", name) });
const edge = (name: string) => ({ path: fixture("edge-cases", "exposition-api", name) });

describe("exposition-api on its fixtures", () => {
  it("JSON lists: level from the row, prefixed codes stripped, derived rows kept apart", async () => {
    const { records, report } = await parseWith("exposition-api", [
      file("certifications.json"),
      file("formations.json"),
    ]);
    const rows = ofKind(records, "indicator");
    expect(
      rows.map((r) => [r.niveau, r.zone, r.code, r.filiere, r.millesime, r.derivedFrom?.type ?? "self"]),
    ).toEqual([
      ["national", "", "23830025214", "pro", "2023", "self"],
      ["national", "", "23830025224", "pro", "2023", "ancienne"],
      ["national", "", "32221033107", "pro", "2023", "self"],
      ["national", "", "40025214", "apprentissage", "2023", "self"],
      ["etablissement", "0010001W", "23830025214", "pro", "2022_2023", "self"], // "MEFSTAT11:23830025214"
      ["etablissement", "0010826T", "40025214", "apprentissage", "2022_2023", "self"], // "CFD:40025214"
    ]);
    // The renovated Bac pro shows its ancestor's figures: where they come from is kept.
    expect(rows[1]?.derivedFrom).toEqual({ type: "ancienne", code: "23830025214" });
    // Counts, 6-month rates as published, salaries; the 12-24 month rates are recomputed from counts.
    expect(rows[0]?.measures).toEqual({
      nb_annee_term: 1064,
      nb_sortant: 552,
      nb_poursuite_etudes: 512,
      nb_en_emploi_6_mois: 230,
      nb_en_emploi_12_mois: 274,
      nb_en_emploi_18_mois: 291,
      nb_en_emploi_24_mois: 319,
      taux_en_emploi_6_mois: 22,
      taux_en_formation: 48,
      taux_autres_6_mois: 30,
      taux_rupture_contrats: null,
      salaire_12_mois_q1: 1350,
      salaire_12_mois_q2: 1520,
      salaire_12_mois_q3: 1700,
    });
    // Under 20 in the terminal year, Exposition publishes only nb_annee_term.
    expect(rows[2]?.measures).toMatchObject({
      nb_annee_term: 12,
      nb_sortant: null,
      taux_en_emploi_6_mois: null,
    });
    expect(rows[0]?.sourceVintage).toBe("Exposition API JSON, imported 2025-12-20");
    expect(report.warnings).toEqual([
      "certifications.json: 1 row(s) stored apart (indicator_derived): donnee_source ancienne (the figures of another code, copied along the continuum)",
    ]);
  });

  it("CSV exports: 'null' strings, region names → INSEE codes, a SISE: prefix", async () => {
    const { records, report } = await parseWith("exposition-api", [
      file("certifications.csv"),
      file("regionales.csv"),
    ]);
    expect(report.files.map((f) => f.vintage)).toEqual(["Exposition CSV export", "Exposition CSV export"]);
    const rows = ofKind(records, "indicator");
    expect(
      rows.map((r) => [r.niveau, r.zone, r.code, r.filiere, r.millesime, r.derivedFrom?.code ?? ""]),
    ).toEqual([
      ["national", "", "50034303", "apprentissage", "2019", ""],
      ["national", "", "2500249", "superieur", "2021", ""],
      ["regional", "84", "23220031223", "pro", "2022_2023", ""], // Auvergne-Rhône-Alpes
      ["regional", "11", "40025214", "apprentissage", "2019_2020", ""], // Île-de-France
      ["regional", "84", "23830025224", "pro", "2022_2023", "23830025214"],
    ]);
    // The swagger's example row: 9 in the terminal year, every other value "null".
    expect(rows[0]?.measures).toMatchObject({
      nb_annee_term: 9,
      nb_en_emploi_6_mois: null,
      taux_en_formation: null,
    });
  });

  it("rejects an unknown filière or donnee_source type; empty, header-only and keyless files", async () => {
    const { records, report } = await parseWith("exposition-api", [
      edge("unknown-filiere-and-source.csv"),
      edge("empty.csv"),
      edge("header-only.csv"),
    ]);
    expect(records).toEqual([]);
    expect(report.rejects.map((r) => `${r.line} ${r.reason}`)).toEqual([
      '2 unknown donnee_source type: "famille"',
      '3 unknown filière: "scolaire"',
    ]);
    const error = await parseWith("exposition-api", [edge("missing-key-column.csv")]).catch((e) => e);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/missing required column\(s\) "code_certification"/);
  });
});
