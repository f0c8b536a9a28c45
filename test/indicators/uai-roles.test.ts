import { describe, expect, it } from "vitest";
import type { IndicatorRow } from "../../src/indicators/select.js";
import type { CatalogueOffer, UaiRole } from "../../src/indicators/uai-roles.js";
import { checkUai, matchCodes, type RowMatch } from "../../src/match/match-row.js";
import { type Outcome, resolveRow } from "../../src/match/outcome.js";
import { MemoryNomenclature, national, rowCells } from "../helpers/nomenclature.js";

/**
 * Apprenticeship UAI roles, case by case as the reference's computeUAI tests state them
 * (trajectoires-pro server/tests/jobs/stats/computeUAI-test.js: "Lorsque l'UAI des données correspond
 * au lieu de formation / au formateur / au gestionnaire", "N'écrase pas les données d'un lieu de
 * formation si elles existent déjà", the continuum cases, "Pour la voie scolaire"). Their UAIs
 * (ABCD1234…) fail the UAI checksum, so valid Paris UAIs stand in: L = lieu, F = formateur,
 * G = gestionnaire. Figures are invented; nb_annee_term tells whose they are (100 = L's, 200 = F's,
 * 300 = G's). CFD 40025214 (bac pro MV) and its ancien 40025207 (BCN continuum, 1:1).
 */
const [L, F, G, L2, F2, G2, X] = [
  "0750001U",
  "0750002V",
  "0750003W",
  "0750004X",
  "0750005Y",
  "0750006Z",
  "0750007A",
];
const CFD = "40025214";
const ANCIEN = "40025207";

const school = (uai: string, nb: number, code = CFD, millesime = "2022_2023"): IndicatorRow => ({
  niveau: "etablissement",
  zone: uai,
  code,
  filiere: "apprentissage",
  millesime,
  measures: { nb_annee_term: nb, nb_poursuite_etudes: 10, nb_en_emploi_6_mois: 40 },
  source: "inserjeunes-api",
});
const offer = (lieu: string | null, formateur: string | null, gestionnaire: string | null, cfd = CFD) =>
  ({ cfd, lieu, formateur, gestionnaire }) satisfies CatalogueOffer;

function world(offers: CatalogueOffer[], figures: IndicatorRow[]) {
  return new MemoryNomenclature({
    formations: [{ cfd: CFD }, { cfd: ANCIEN }],
    offers,
    indicators: [...figures, national(CFD, "apprentissage", 821)],
    continuum: [
      { code: CFD, relation: "ancien", other: ANCIEN },
      { code: ANCIEN, relation: "nouveau", other: CFD },
    ],
  });
}

/** enrich one apprenticeship row: its UAI columns (value and the role the column's name says). */
function enrich(
  nom: MemoryNomenclature,
  uais: string | [string, UaiRole][],
  options: { code?: string; voie?: string; millesime?: string } = {},
): Outcome {
  const cells = rowCells({ cfd: [options.code ?? CFD], voie: options.voie ?? "apprentissage" });
  const columns: [string, UaiRole][] = typeof uais === "string" ? [[uais, "lieu"]] : uais;
  const match: RowMatch = {
    ...matchCodes(cells, nom),
    uai: checkUai(
      columns.map(([u]) => u),
      null,
      nom,
      columns.map(([, r]) => r),
    ),
  };
  return resolveRow(
    match,
    { niveau: "auto", ...(options.millesime ? { millesime: options.millesime } : {}) },
    { nomenclature: nom, indicators: nom, latestYear: 2023, roles: nom },
  );
}

/** What enrich writes for a row: level, whose figures (nb_annee_term), ij_uai_donnee_type, ij_uai. */
const seen = (o: Outcome) => [
  o.selection?.niveau,
  o.selection?.figures.nb_annee_term,
  o.selection?.uaiDonnee ?? null,
  o.selection?.uaiDonneeType ?? null,
  o.uai,
];

describe("apprenticeship: the data is carried by the lieu, else the formateur, else the gestionnaire", () => {
  it.each([
    // [case, offers, figures, row UAI, expected: niveau, nb_annee_term, uai_donnee, type]
    [
      "data at the lieu (L ← F, G): the lieu's, typed lieu",
      [offer(L, F, G)],
      [school(L, 100)],
      L,
      ["etablissement", 100, L, "lieu"],
    ],
    [
      "data at the lieu with several formateurs and gestionnaires: still the lieu's",
      [offer(L, F, G), offer(L, F2, G2)],
      [school(L, 100)],
      L,
      ["etablissement", 100, L, "lieu"],
    ],
    [
      "data at the formateur, row = the lieu: the formateur's, typed formateur",
      [offer(L, F, G)],
      [school(F, 200)],
      L,
      ["etablissement", 200, F, "formateur"],
    ],
    [
      "data at the formateur, row = the formateur itself: typed formateur (named only as formateur)",
      [offer(L, F, G)],
      [school(F, 200)],
      F,
      ["etablissement", 200, F, "formateur"],
    ],
    [
      "a formateur with two lieux: each lieu gets its figures",
      [offer(L, F, G), offer(L2, F, G2)],
      [school(F, 200)],
      L2,
      ["etablissement", 200, F, "formateur"],
    ],
    [
      "N'écrase pas: the lieu's own figures win over its formateur's",
      [offer(L, F, G)],
      [school(L, 100), school(F, 200)],
      L,
      ["etablissement", 100, L, "lieu"],
    ],
    [
      "data at the gestionnaire, row = the lieu (its formateur has none): the gestionnaire's",
      [offer(L, F2, G)],
      [school(G, 300)],
      L,
      ["etablissement", 300, G, "gestionnaire"],
    ],
    [
      "data at the gestionnaire, row = the gestionnaire: typed gestionnaire",
      [offer(L, F2, G)],
      [school(G, 300)],
      G,
      ["etablissement", 300, G, "gestionnaire"],
    ],
    [
      "a gestionnaire with two lieux (two formateurs): each lieu gets its figures",
      [offer(L, F, G), offer(L2, F2, G)],
      [school(G, 300)],
      L2,
      ["etablissement", 300, G, "gestionnaire"],
    ],
    [
      "N'écrase pas: the lieu's own figures win over its gestionnaire's",
      [offer(L, F2, G)],
      [school(L, 100), school(G, 300)],
      L,
      ["etablissement", 100, L, "lieu"],
    ],
    [
      "the formateur before the gestionnaire",
      [offer(L, F, G)],
      [school(F, 200), school(G, 300)],
      L,
      ["etablissement", 200, F, "formateur"],
    ],
    [
      "a formateur that is its own only gestionnaire: its figures reach its lieu typed gestionnaire",
      // F trains at L2 and manages F2, whose lieu X has no figures: computeUaiGestionnaire types F's
      // figures gestionnaire, and computeUAILieuFormationForGestionnaire copies them to L2 (and X),
      // whose only gestionnaire F is.
      [offer(L2, F, F), offer(X, F2, F)],
      [school(F, 200)],
      L2,
      ["etablissement", 200, F, "gestionnaire"],
    ],
    [
      "a gestionnaire whose figures are typed formateur gives nothing to the lieux it manages",
      // G manages L (trained by F2) and trains at X (managed by G2): G's figures are typed formateur,
      // so only computeUAILieuFormationForFormateur copies them, to X; L keeps none: the nation's.
      [offer(L, F2, G), offer(X, G, G2)],
      [school(G, 300)],
      L,
      ["national", 821, null, null],
    ],
    [
      "a formateur whose figures are typed lieu (its own lieu has two formateurs) gives nothing",
      // F is L2's only formateur, but F's figures count F's own lieu, trained by F and F2: typed
      // lieu_formation, they are copied nowhere.
      [offer(L2, F, G2), offer(F, F, G2), offer(F, F2, G2)],
      [school(F, 200)],
      L2,
      ["national", 821, null, null],
    ],
    [
      "a formateur named by no offer with a lieu: its gestionnaire's figures",
      [offer(null, F, G)],
      [school(G, 300)],
      F,
      ["etablissement", 300, G, "gestionnaire"],
    ],
    [
      "UAI unknown to the catalogue: its own figures, typed by its column (lieu)",
      [],
      [school(X, 100)],
      X,
      ["etablissement", 100, X, "lieu"],
    ],
    [
      "no figures anywhere at the school level: national, no role",
      [offer(L, F, G)],
      [],
      L,
      ["national", 821, null, null],
    ],
  ] as const)("%s", (_case, offers, figures, uai, expected) => {
    const o = enrich(world([...offers], [...figures]), uai);
    expect(seen(o)).toEqual([...expected, uai]);
    expect(o.statut).toBe("couvert");
  });

  it("several formateurs for the lieu: no guess; a unique gestionnaire still counts", () => {
    const offers = [offer(L, F, G), offer(L, F2, G)];
    const withG = enrich(world(offers, [school(F, 200), school(G, 300)]), L);
    expect(seen(withG)).toEqual(["etablissement", 300, G, "gestionnaire", L]);
    // Neither unique: the school level has nothing, the nation is used, and the detail says why.
    const none = enrich(world([offer(L, F, G), offer(L, F2, G2)], [school(F, 200), school(F2, 250)]), L);
    expect(seen(none)).toEqual(["national", 821, null, null, L]);
    expect(none.motif).toBe("pas_de_donnees_etablissement");
    expect(none.detail).toContain(
      `the catalogue de l'apprentissage names 2 formateurs for ${L} × ${CFD} (${F}, ${F2}): none of their figures is used`,
    );
  });

  it("the continuum: the catalogue offer of the new CFD names the lieu whose figures are under the ancien", () => {
    // computeUAI-test "en utilisant l'ancien code diplome": offer on the CFD, figures under its ancien.
    const o = enrich(world([offer(L, F, G)], [school(L, 100, ANCIEN)]), L);
    expect(seen(o)).toEqual(["etablissement", 100, L, "lieu", L]);
    expect(o.selection).toMatchObject({ donneeSourceType: "ancienne", donneeSourceCode: ANCIEN });
    // … "le nouveau code diplome": offer on the ancien, the row and the figures on the new CFD; and the
    // formateur found through the ancien's offer.
    const n = enrich(world([offer(L, F, G, ANCIEN)], [school(F, 200)]), L);
    expect(seen(n)).toEqual(["etablissement", 200, F, "formateur", L]);
  });

  it("a lieu that is its own only formateur, with another lieu without figures, is the formateur", () => {
    // computeUaiFormateur: X teaches at X and at L2; X's figures count L2's apprentices too.
    const offers = [offer(X, X, G), offer(L2, X, G)];
    expect(seen(enrich(world(offers, [school(X, 200)]), X))).toEqual([
      "etablissement",
      200,
      X,
      "formateur",
      X,
    ]);
    expect(seen(enrich(world(offers, [school(X, 200)]), L2))).toEqual([
      "etablissement",
      200,
      X,
      "formateur",
      L2,
    ]);
    // When every other lieu has figures of its own, X's are its own: lieu.
    const both = world(offers, [school(X, 200), school(L2, 100)]);
    expect(seen(enrich(both, X))).toEqual(["etablissement", 200, X, "lieu", X]);
  });

  it("a formateur that is its own only gestionnaire, with another formateur without figures, is the gestionnaire", () => {
    // computeUaiGestionnaire: X is formateur (of L) and gestionnaire of F2, which has no figures.
    const offers = [offer(L, X, X), offer(L2, F2, X)];
    expect(seen(enrich(world(offers, [school(X, 300)]), X))).toEqual([
      "etablissement",
      300,
      X,
      "gestionnaire",
      X,
    ]);
    // F2's lieu L2 has figures of its own: F2 is covered, X stays the formateur.
    const covered = world(offers, [school(X, 300), school(L2, 100)]);
    expect(seen(enrich(covered, X))).toEqual(["etablissement", 300, X, "formateur", X]);
  });

  it("the latest millésime wins, whoever carries it (the reference copies per millésime)", () => {
    const o = enrich(world([offer(L, F, G)], [school(L, 100, CFD, "2021_2022"), school(F, 200)]), L);
    expect([o.selection?.millesime, o.selection?.uaiDonnee]).toEqual(["2022_2023", F]);
    // Pinned to the lieu's millésime: the lieu's.
    const pinned = enrich(world([offer(L, F, G)], [school(L, 100, CFD, "2021_2022"), school(F, 200)]), L, {
      millesime: "2022",
    });
    expect([pinned.selection?.millesime, pinned.selection?.uaiDonnee]).toEqual(["2021_2022", L]);
  });

  it("a lieu under the threshold keeps its own figures (sous le seuil), as the reference never overwrites them", () => {
    const o = enrich(world([offer(L, F, G)], [school(L, 12), school(F, 200)]), L);
    // The school level is under the threshold: auto goes on to the nation (no regional figures here).
    expect([o.statut, o.motif, o.selection?.niveau]).toEqual([
      "couvert",
      "sous_seuil_etablissement",
      "national",
    ]);
  });

  it("the row's own UAI columns in their order: lieu, then formateur, then gestionnaire", () => {
    // A catalogue row (Lieu: UAI, Formateur: UAI, Responsable: UAI) the catalogue de l'apprentissage does
    // not know: the first column with figures; its role is its column's.
    const nom = world([], [school(F, 200), school(G, 300)]);
    const row: [string, UaiRole][] = [
      [L, "lieu"],
      [F, "formateur"],
      [G, "gestionnaire"],
    ];
    expect(seen(enrich(nom, row))).toEqual(["etablissement", 200, F, "formateur", L]);
    expect(seen(enrich(world([], [school(G, 300)]), row))).toEqual([
      "etablissement",
      300,
      G,
      "gestionnaire",
      L,
    ]);
  });
});

describe("scolaire: the row's UAI only, typed lieu (the reference: lieu_formation)", () => {
  const nom = new MemoryNomenclature({
    mefs: [
      {
        mef10: "2473121431",
        mefstat11: "23830025214",
        cfd: CFD,
        dispositif: "247",
        duree: 3,
        annee: 3,
        dateFermeture: null,
        terminalMefstat11: null,
      },
    ],
    formations: [{ cfd: CFD }],
    indicators: [
      { ...school(L, 31, "23830025214"), filiere: "pro" },
      { ...school(G, 300, "23830025214"), filiere: "pro" },
    ],
    offers: [offer(L, F, G)],
  });

  it("its own figures: lieu", () => {
    const o = enrich(nom, L, { voie: "scolaire" });
    expect(seen(o)).toEqual(["etablissement", 31, L, "lieu", L]);
  });

  it("another UAI column names another school: its figures are not this formation's", () => {
    const o = enrich(
      nom,
      [
        [X, "lieu"],
        [G, "gestionnaire"],
      ],
      { voie: "scolaire" },
    );
    expect(o.selection).toBeUndefined();
    expect([o.statut, o.motif, o.uai]).toEqual(["non_couvert", "pas_de_donnees", X]);
  });
});
