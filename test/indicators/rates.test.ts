import { describe, expect, it } from "vitest";
import {
  computeFigures,
  isUnderThreshold,
  percentage,
  roundHalfEven,
  sumMeasures,
  withhold,
} from "../../src/indicators/rates.js";

describe("half-to-even percentages (the reference's numberUtils tests)", () => {
  it.each([
    [50.4, 50],
    [50.5, 50],
    [51.5, 52],
    [50.6, 51],
    [32.5, 32],
  ])("roundHalfEven(%s) = %s", (x, expected) => expect(roundHalfEven(x)).toBe(expected));

  it("computes on integers: 13/40 is exactly 32.5 → 32, 103/200 = 51.5 → 52, 101/200 = 50.5 → 50", () => {
    expect(percentage(13, 40)).toBe(32);
    expect(percentage(103, 200)).toBe(52);
    expect(percentage(101, 200)).toBe(50);
    expect(percentage(1, 3)).toBe(33);
    expect(percentage(2, 3)).toBe(67);
  });

  it("cannot divide by zero or by nothing", () => {
    expect(percentage(1, 0)).toBeNull();
    expect(percentage(Number.NaN, 10)).toBeNull();
  });
});

describe("computeFigures", () => {
  it("reference test: nb_en_emploi_12 = 10, nb_annee_term = 100, taux_en_formation (API) = 50 → 10 and 40", () => {
    const f = computeFigures({ nb_annee_term: 100, nb_en_emploi_12_mois: 10, taux_en_formation: 50 });
    expect(f.taux_en_emploi_12_mois).toBe(10);
    expect(f.taux_autres_12_mois).toBe(40);
  });

  it("reference test: DEVENIR_part_* = 15/25/60 are kept as published", () => {
    const f = computeFigures({
      nb_annee_term: 100,
      nb_poursuite_etudes: 50,
      nb_en_emploi_6_mois: 50,
      taux_en_emploi_6_mois: 15,
      taux_en_formation: 25,
      taux_autres_6_mois: 60,
    });
    expect([f.taux_en_emploi_6_mois, f.taux_en_formation, f.taux_autres_6_mois]).toEqual([15, 25, 60]);
  });

  it("reference rounding test: 13/40 = 32.5 → 32, formation 28 → autres 40, the three sum to 100", () => {
    const f = computeFigures({ nb_annee_term: 40, nb_en_emploi_12_mois: 13, taux_en_formation: 28 });
    expect(f.taux_en_emploi_12_mois).toBe(32);
    expect(f.taux_autres_12_mois).toBe(40);
  });

  it("taux_autres is never negative: 101/200 → 50, 103/200 → 52, autres = max(100 − 50 − 52, 0) = 0", () => {
    const f = computeFigures({ nb_annee_term: 200, nb_poursuite_etudes: 103, nb_en_emploi_6_mois: 101 });
    expect([f.taux_en_emploi_6_mois, f.taux_en_formation, f.taux_autres_6_mois]).toEqual([50, 52, 0]);
  });

  it("aggregate rules (reference test): 100 term, 5 poursuite, 50 emploi 6, 25 emploi 12", () => {
    const f = computeFigures(
      { nb_annee_term: 100, nb_poursuite_etudes: 5, nb_en_emploi_6_mois: 50, nb_en_emploi_12_mois: 25 },
      "aggregate",
    );
    expect([
      f.taux_en_formation,
      f.taux_en_emploi_6_mois,
      f.taux_autres_6_mois,
      f.taux_autres_12_mois,
    ]).toEqual([5, 50, 45, 70]);
  });

  it("InserSup test: inscrits 119, poursuivants 65, emploi 6 23 → 55, 19, 26", () => {
    const f = computeFigures(
      { nb_annee_term: 119, nb_poursuite_etudes: 65, nb_en_emploi_6_mois: 23 },
      "insersup",
    );
    expect([f.taux_en_formation, f.taux_en_emploi_6_mois, f.taux_autres_6_mois]).toEqual([55, 19, 26]);
  });

  it("InserSup rows are taken as published: no nb_sortant derived, no 0 emploi at 100 % poursuite", () => {
    // The reference maps InserSup's nb_sortants to nb_sortant as is; computeMissingStats belongs to the
    // InserJeunes import only. The rates of the InserSup test above are unchanged (65/119 → 55, 23/119 → 19).
    const sup = computeFigures(
      { nb_annee_term: 119, nb_poursuite_etudes: 65, nb_sortant: null, nb_en_emploi_6_mois: 23 },
      "insersup",
    );
    expect([sup.nb_sortant, sup.taux_en_formation, sup.taux_en_emploi_6_mois]).toEqual([null, 55, 19]);
    // 40 inscrits, 40 poursuivants, nb_in_dsn_6 "nd": employment unknown, so every emploi figure is empty.
    const all = computeFigures({ nb_annee_term: 40, nb_poursuite_etudes: 40 }, "insersup");
    expect([all.nb_en_emploi_6_mois, all.taux_en_emploi_6_mois, all.taux_autres_6_mois]).toEqual([
      null,
      null,
      null,
    ]);
    // The same counts from the InserJeunes import: 100 % poursuite ⇒ 0 emploi (test below).
    const ij = computeFigures({ nb_annee_term: 40, nb_poursuite_etudes: 40 });
    expect([ij.nb_en_emploi_6_mois, ij.taux_en_emploi_6_mois, ij.taux_autres_6_mois]).toEqual([0, 0, 0]);
  });

  it("a rate that cannot be computed is empty, not 0", () => {
    const f = computeFigures({ nb_annee_term: 50, nb_poursuite_etudes: 10 });
    expect(f.taux_en_emploi_12_mois).toBeNull();
    expect(f.taux_autres_12_mois).toBeNull();
    expect(f.taux_en_formation).toBe(20);
  });

  it("derives nb_sortant and, at 100 % poursuite, zero emploi (the reference's computeMissingStats)", () => {
    const f = computeFigures({ nb_annee_term: 30, nb_poursuite_etudes: 30 });
    expect(f.nb_sortant).toBe(0);
    expect(f.nb_en_emploi_6_mois).toBe(0);
    expect(f.taux_en_emploi_6_mois).toBe(0);
    expect(f.taux_autres_6_mois).toBe(0);
  });
});

describe("the 20-student threshold", () => {
  it("19 is under, 20 is not, unknown is not", () => {
    expect(isUnderThreshold({ nb_annee_term: 19 })).toBe(true);
    expect(isUnderThreshold({ nb_annee_term: 20 })).toBe(false);
    expect(isUnderThreshold({})).toBe(false);
  });

  it("withholds every rate and count but nb_annee_term", () => {
    const f = withhold(
      computeFigures({ nb_annee_term: 12, nb_sortant: 7, nb_poursuite_etudes: 5, nb_en_emploi_6_mois: 4 }),
    );
    expect(f.nb_annee_term).toBe(12);
    for (const [name, v] of Object.entries(f)) if (name !== "nb_annee_term") expect(v, name).toBeNull();
  });

  it("sums counts of several codes, null when all are null", () => {
    expect(sumMeasures([{ nb_annee_term: 10, nb_sortant: null }, { nb_annee_term: 15 }])).toMatchObject({
      nb_annee_term: 25,
      nb_sortant: null,
    });
  });
});
