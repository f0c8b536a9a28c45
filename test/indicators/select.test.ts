import { describe, expect, it } from "vitest";
import {
  type IndicatorLookup,
  type IndicatorRow,
  millesimeVariants,
  selectFamille,
  selectIndicators,
} from "../../src/indicators/select.js";

function lookup(
  rows: IndicatorRow[],
  continuum: Record<string, { ancien?: string[]; nouveau?: string[] }> = {},
): IndicatorLookup {
  return {
    rows: (niveau, zone, code) =>
      rows.filter((r) => r.niveau === niveau && r.zone === zone && r.code === code),
    continuum: (code, relation) => continuum[code]?.[relation] ?? [],
  };
}
const row = (
  p: Partial<IndicatorRow> & Pick<IndicatorRow, "niveau" | "code" | "millesime">,
): IndicatorRow => ({
  zone: "",
  filiere: "pro",
  measures: { nb_annee_term: 100, nb_poursuite_etudes: 50, nb_en_emploi_6_mois: 30 },
  source: "test",
  ...p,
});

describe("millésimes", () => {
  it("--millesime 2023 is 2023 nationally and 2022_2023 (or single-year 2023) elsewhere", () => {
    expect(millesimeVariants("2023", "national")).toEqual(["2023"]);
    expect(millesimeVariants("2023", "etablissement")).toEqual(["2022_2023", "2023"]);
    expect(millesimeVariants("2022_2023", "national")).toEqual(["2023"]);
    expect(millesimeVariants("2023-2022", "regional")).toEqual(["2022_2023", "2023"]);
  });

  it("takes the latest millésime; a single year beats a cumulated one ending the same year (InserSup)", () => {
    const rows = [
      row({
        niveau: "etablissement",
        zone: "0062205P",
        code: "2500249",
        filiere: "superieur",
        millesime: "2020_2021",
      }),
      row({
        niveau: "etablissement",
        zone: "0062205P",
        code: "2500249",
        filiere: "superieur",
        millesime: "2021",
      }),
      row({
        niveau: "etablissement",
        zone: "0062205P",
        code: "2500249",
        filiere: "superieur",
        millesime: "2019_2020",
      }),
    ];
    const r = selectIndicators(
      { voie: "superieur", code: "2500249", uai: "0062205P", region: null, niveau: "auto" },
      lookup(rows),
    );
    expect(r.selection?.millesime).toBe("2021");
  });

  it("a pinned millésime without data says that other millésimes exist", () => {
    const rows = [row({ niveau: "national", code: "23830025214", millesime: "2022" })];
    const r = selectIndicators(
      { voie: "scolaire", code: "23830025214", uai: null, region: null, niveau: "auto", millesime: "2023" },
      lookup(rows),
    );
    expect(r.selection).toBeUndefined();
    expect(r.otherMillesimes).toBe(true);
  });
});

describe("levels", () => {
  const rows = [
    row({
      niveau: "etablissement",
      zone: "0010001W",
      code: "23220031223",
      millesime: "2022_2023",
      measures: { nb_annee_term: 8 },
    }),
    row({ niveau: "regional", zone: "84", code: "23220031223", millesime: "2022_2023" }),
    row({ niveau: "national", code: "23220031223", millesime: "2023" }),
  ];
  const request = { voie: "scolaire" as const, code: "23220031223", uai: "0010001W", region: "84" };

  it("auto: the school under the threshold gives way to the region", () => {
    const r = selectIndicators({ ...request, niveau: "auto" }, lookup(rows));
    expect(r.selection?.niveau).toBe("regional");
    expect(r.tried).toEqual([
      { niveau: "etablissement", found: "sous_seuil" },
      { niveau: "regional", found: "couvert" },
    ]);
  });

  it("a forced level is the only one tried", () => {
    const r = selectIndicators({ ...request, niveau: "etablissement" }, lookup(rows));
    expect(r.selection?.niveau).toBe("etablissement");
    expect(r.selection?.underThreshold).toBe(true);
    expect(r.selection?.figures.taux_en_formation).toBeNull();
  });

  it("apprentissage never reads scolaire rows of the same code", () => {
    const r = selectIndicators({ ...request, voie: "apprentissage", niveau: "auto" }, lookup(rows));
    expect(r.selection).toBeUndefined();
  });
});

describe("continuum", () => {
  it("a new diploma without data gets the 1:1 ancien's, typed 'ancienne'", () => {
    const rows = [row({ niveau: "national", code: "23830025214", millesime: "2023" })];
    const r = selectIndicators(
      { voie: "scolaire", code: "23830025224", uai: null, region: null, niveau: "national" },
      lookup(rows, { "23830025224": { ancien: ["23830025214"] } }),
    );
    expect(r.selection).toMatchObject({
      donneeSourceType: "ancienne",
      donneeSourceCode: "23830025214",
      millesime: "2023",
    });
  });

  it("its own data wins for the same millésime, a more recent continuum millésime wins over older own data", () => {
    const rows = [
      row({ niveau: "national", code: "40030004", filiere: "apprentissage", millesime: "2022" }),
      row({ niveau: "national", code: "40030001", filiere: "apprentissage", millesime: "2022" }),
      row({ niveau: "national", code: "40030001", filiere: "apprentissage", millesime: "2021" }),
    ];
    const chain = { "40030004": { ancien: ["40030001"] }, "40030001": { nouveau: ["40030004"] } };
    const own = selectIndicators(
      { voie: "apprentissage", code: "40030004", uai: null, region: null, niveau: "national" },
      lookup(rows, chain),
    );
    expect(own.selection).toMatchObject({ donneeSourceType: "self", millesime: "2022" });
    const old = selectIndicators(
      { voie: "apprentissage", code: "40030001", uai: null, region: null, niveau: "national" },
      lookup(rows.slice(0, 1), chain),
    );
    expect(old.selection).toMatchObject({ donneeSourceType: "nouvelle", donneeSourceCode: "40030004" });
  });
});

describe("continuum: whose figures when several diplomas of the chain have some", () => {
  // A 1:1 chain 40030001 (Bac pro GA) → 40030004 (AGORA) → 40030009 (a later renovation), each link
  // made reciprocal as derive.ts does.
  const chain = {
    "40030001": { nouveau: ["40030004"] },
    "40030004": { ancien: ["40030001"], nouveau: ["40030009"] },
    "40030009": { ancien: ["40030004"] },
  };
  const national = (code: string, nb: number) =>
    row({
      niveau: "national",
      code,
      filiere: "apprentissage",
      millesime: "2023",
      measures: { nb_annee_term: nb },
    });
  const select = (code: string, rows: IndicatorRow[]) =>
    selectIndicators(
      { voie: "apprentissage", code, uai: null, region: null, niveau: "national" },
      lookup(rows, chain),
    ).selection;

  it("a newer diploma's figures before an older one's (computeParents overwrites an 'ancienne' copy)", () => {
    // 40030004 has none for 2023; its ancien and its nouveau both have some: the reference keeps the
    // copy computeParents makes from 40030009 ('nouvelle'), computeChildren skips a code that has one.
    const s = select("40030004", [national("40030001", 21), national("40030009", 22)]);
    expect(s).toMatchObject({ donneeSourceType: "nouvelle", donneeSourceCode: "40030009" });
    expect(s?.figures.nb_annee_term).toBe(22);
  });

  it("among newer diplomas the most recent; among older ones the nearest", () => {
    // 40030001 has none: 40030004 and 40030009 have some; computeParents takes the most recent self
    // figures along the descendants (getMostRecentStatsFromDiplomeGraph walks down to the last one).
    expect(select("40030001", [national("40030004", 21), national("40030009", 22)])).toMatchObject({
      donneeSourceType: "nouvelle",
      donneeSourceCode: "40030009",
    });
    // 40030009 has none, nor has any newer diploma: the nearest older one's (computeChildren stops at
    // a code with its own figures).
    expect(select("40030009", [national("40030001", 21), national("40030004", 22)])).toMatchObject({
      donneeSourceType: "ancienne",
      donneeSourceCode: "40030004",
    });
  });
});

describe("famille (--famille aggregate)", () => {
  // The reference's _getFilieresStats test: nb_annee_term 100, poursuite 5, emploi 6 50, emploi 12 25,
  // here split over two terminal codes of one famille.
  const rows = [
    row({
      niveau: "national",
      code: "23830031213",
      millesime: "2023",
      measures: {
        nb_annee_term: 70,
        nb_poursuite_etudes: 4,
        nb_en_emploi_6_mois: 35,
        nb_en_emploi_12_mois: 20,
      },
    }),
    row({
      niveau: "national",
      code: "23830031214",
      millesime: "2023",
      measures: {
        nb_annee_term: 30,
        nb_poursuite_etudes: 1,
        nb_en_emploi_6_mois: 15,
        nb_en_emploi_12_mois: 5,
      },
    }),
    // An older millésime with one code only: not mixed into 2023.
    row({ niveau: "national", code: "23830031214", millesime: "2022", measures: { nb_annee_term: 500 } }),
  ];
  const request = {
    voie: "scolaire" as const,
    codes: ["23830031213", "23830031214"],
    uai: null,
    region: null,
    niveau: "auto" as const,
  };

  it("sums the latest millésime's counts and recomputes every rate: 5 / 50 / 45, 25 / 70", () => {
    const { selection } = selectFamille(request, lookup(rows));
    expect(selection).toMatchObject({
      millesime: "2023",
      donneeSourceType: "famille",
      donneeSourceCode: "23830031213|23830031214",
      underThreshold: false,
    });
    const f = selection!.figures;
    expect([
      f.nb_annee_term,
      f.taux_en_formation,
      f.taux_en_emploi_6_mois,
      f.taux_autres_6_mois,
      f.taux_en_emploi_12_mois,
      f.taux_autres_12_mois,
    ]).toEqual([100, 5, 50, 45, 25, 70]);
  });

  it("sums counts each completed first, as the reference sums stored (computeMissingStats) counts", () => {
    const famille = (a: IndicatorRow["measures"], b: IndicatorRow["measures"]) =>
      selectFamille(
        request,
        lookup([
          row({ niveau: "national", code: "23830031213", millesime: "2023", measures: a }),
          row({ niveau: "national", code: "23830031214", millesime: "2023", measures: b }),
        ]),
      ).selection!.figures;
    // 31213 has no nb_sortant: 30 − 10 = 20 is stored for it, so the sum is 20 + 15 = 35 (summing
    // first would give 15, the only one published).
    const sortant = famille(
      { nb_annee_term: 30, nb_poursuite_etudes: 10 },
      { nb_annee_term: 30, nb_poursuite_etudes: 10, nb_sortant: 15 },
    );
    expect(sortant.nb_sortant).toBe(35);
    // 31213: 25 of 25 go on studying, so its emploi is stored as 0; 31214 has 12 in emploi at 6 months:
    // 12 / 55 = 21.8 % → 22 (summing first would leave the count, and the rate, empty).
    const emploi = famille(
      { nb_annee_term: 25, nb_poursuite_etudes: 25 },
      { nb_annee_term: 30, nb_poursuite_etudes: 10, nb_en_emploi_6_mois: 12 },
    );
    expect([emploi.nb_en_emploi_6_mois, emploi.taux_en_emploi_6_mois]).toEqual([12, 22]);
  });

  it("a sum under 20 is sous le seuil; --history gives each millésime's own sum", () => {
    const small = rows.map((r) => ({ ...r, measures: { ...r.measures, nb_annee_term: 9 } }));
    const r = selectFamille({ ...request, history: true }, lookup(small));
    expect(r.selection).toMatchObject({
      underThreshold: true,
      figures: { nb_annee_term: 18, taux_en_formation: null },
    });
    expect(r.history?.map((h) => [h.millesime, h.figures.nb_annee_term, h.donneeSourceCode])).toEqual([
      ["2023", 18, "23830031213|23830031214"],
      ["2022", 9, "23830031214"],
    ]);
  });
});

describe("history", () => {
  it("one selection per end year, latest first; a single year stands for its cumulated twin", () => {
    const zone = {
      niveau: "etablissement" as const,
      zone: "0062205P",
      code: "2500200",
      filiere: "superieur" as const,
    };
    const rows = [
      row({ ...zone, millesime: "2020_2021", measures: { nb_annee_term: 30 } }),
      row({ ...zone, millesime: "2021", measures: { nb_annee_term: 131 } }),
      row({ ...zone, millesime: "2020", measures: { nb_annee_term: 141 } }),
    ];
    const r = selectIndicators(
      { voie: "superieur", code: "2500200", uai: "0062205P", region: null, niveau: "auto", history: true },
      lookup(rows),
    );
    expect(r.history?.map((h) => [h.millesime, h.figures.nb_annee_term])).toEqual([
      ["2021", 131],
      ["2020", 141],
    ]);
    // Without --history, no list is made.
    expect(
      selectIndicators(
        { voie: "superieur", code: "2500200", uai: "0062205P", region: null, niveau: "auto" },
        lookup(rows),
      ).history,
    ).toBeUndefined();
  });
});
