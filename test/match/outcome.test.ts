import { describe, expect, it } from "vitest";
import { matchRow, type RowCells } from "../../src/match/match-row.js";
import { resolveRow } from "../../src/match/outcome.js";
import { MemoryNomenclature, mef, rowCells, national } from "../helpers/nomenclature.js";

/**
 * The verdict per row: one code per voie or plusieurs_codes, and the motif from the fixed list. Codes as
 * in match-row.test.ts (BCN 2025 N_MEF rows of CAP fleuriste 50031223 and BTS CG 32031408); the figures
 * are invented to put each rule to work (40 in terminal year = couvert, 12 = sous le seuil).
 */
const nom = new MemoryNomenclature({
  mefs: [
    mef("2403122311", "240", "50031223", 1, 1, "23110031223"),
    mef("2413122321", "241", "50031223", 2, 1, "23210031223"),
    mef("2413122322", "241", "50031223", 2, 2, "23220031223"),
    mef("2423122333", "242", "50031223", 3, 3, "23330031223"),
    mef("3103140811", "310", "32031408", 1, 1, "32111031408"),
    mef("3113140822", "311", "32031408", 2, 2, "32221031408"),
    mef("2473121131", "247", "40031211", 3, 1, "23810031211"),
    mef("2473121333", "247", "40031213", 3, 3, "23830031213"),
    mef("2473121433", "247", "40031214", 3, 3, "23830031214"),
    mef("2472541033", "247", "40025410", 3, 3, "23830025410"),
  ],
  formations: [
    { cfd: "50031223" },
    { cfd: "32031408" },
    { cfd: "40031211" },
    { cfd: "40031213" },
    { cfd: "40031214" },
    // Opened in 2023: no cohort can be published before 2025.
    { cfd: "40025224", dateOuverture: "2023-09-01" },
    // Opened in 2021, 2-year cursus: 2021 + 2 + 1 = 2024 > 2023, still new for the field's reports.
    { cfd: "40025214", dateOuverture: "2021-09-01" },
    // Opened in 2023 but renovating 40030001 (opened 2010, its 1:1 ancien): 2010 + 2 + 1 ≤ 2023, not new.
    { cfd: "40030004", dateOuverture: "2023-09-01" },
    { cfd: "40030001", dateOuverture: "2010-09-01" },
    // A bac pro opened in 2020: its N_MEF cursus is 3 years, 2020 + 3 + 1 > 2023 (even when the row
    // says "2 ans", as Onisep does for a famille de métiers).
    { cfd: "40025410", dateOuverture: "2020-09-01" },
  ],
  continuum: [
    { code: "40030004", relation: "ancien", other: "40030001" },
    { code: "40030001", relation: "nouveau", other: "40030004" },
  ],
  familles: [{ groupe: "G0005", libelle: "RELATION CLIENT", cfds: ["40031211", "40031213", "40031214"] }],
  indicators: [national("23220031223", "pro"), national("32031408", "apprentissage", 12)],
  certificateurs: { "13386": [{ certificateur: "CESI", valideur: "" }] },
  links: [{ from: "rncp", code: "13207", to: "certifinfo", target: "13386", source: "certifinfo" }],
});
const context = { nomenclature: nom, indicators: nom, latestYear: 2023 };
const cells = rowCells;
const resolve = (c: Partial<RowCells>, niveau: "auto" | "etablissement" = "auto") =>
  resolveRow(matchRow(cells(c), nom), { niveau }, context);

describe("resolveRow", () => {
  it.each([
    // [row, statut, motif, code or candidates]
    [{ cfd: ["50031223"], duree: "2 ans", voie: "scolaire" }, "couvert", "", "MEFSTAT11:23220031223"],
    [{ cfd: ["32031408"], voie: "apprentissage" }, "sous_seuil", "sous_le_seuil", "CFD:32031408"],
    [
      { cfd: ["32031408"], voie: "scolaire" },
      "plusieurs_codes",
      "plusieurs_annees_terminales",
      "MEFSTAT11:32111031408|MEFSTAT11:32221031408",
    ],
    [
      { cfd: ["50031223"], voie: "scolaire" },
      "plusieurs_codes",
      "plusieurs_codes_un_couvert",
      "MEFSTAT11:23220031223|MEFSTAT11:23110031223|MEFSTAT11:23330031223",
    ],
    [
      { mefstat11: ["23810031211"] },
      "plusieurs_codes",
      "seconde_commune",
      "MEFSTAT11:23830031213|MEFSTAT11:23830031214",
    ],
    [
      { cfd: ["50031223", "32031408"], duree: "2 ans", voie: "scolaire" },
      "plusieurs_codes",
      "plusieurs_codes_un_couvert",
      "MEFSTAT11:23220031223|MEFSTAT11:32221031408",
    ],
    [{ cfd: ["40025224"], voie: "apprentissage" }, "non_couvert", "nouvelle_formation", "CFD:40025224"],
    [{ cfd: ["40025214"], voie: "apprentissage" }, "non_couvert", "nouvelle_formation", "CFD:40025214"],
    [{ cfd: ["40030004"], voie: "apprentissage" }, "non_couvert", "pas_de_donnees", "CFD:40030004"],
    [
      { cfd: ["40025410"], duree: "2 ans", voie: "scolaire" },
      "non_couvert",
      "nouvelle_formation",
      "MEFSTAT11:23830025410",
    ],
    [
      { cfd: ["32031408"], duree: "2 ans", voie: "scolaire" },
      "non_couvert",
      "pas_de_donnees",
      "MEFSTAT11:32221031408",
    ],
    [{ cfd: ["12345678"], voie: "apprentissage" }, "non_couvert", "code_inconnu", "CFD:12345678"],
    [{ rncp: ["13207"] }, "non_couvert", "autre_ministere", ""],
    [{ cfd: ["4002521"] }, "invalide", "identifiant_invalide", ""],
    [{}, "invalide", "identifiant_absent", ""],
  ] as const)("%o → %s / %s", (row, statut, motif, codes) => {
    const o = resolve(structuredClone(row) as Partial<RowCells>);
    expect([o.statut, o.motif]).toEqual([statut, motif]);
    expect(
      o.candidate
        ? `${o.voie === "scolaire" ? "MEFSTAT11" : "CFD"}:${o.candidate.code}`
        : o.candidats.join("|"),
    ).toBe(codes);
  });

  it("without a voie, both are tried and the one with figures is reported", () => {
    // 32031408 + 2 ans: scolaire 32221031408 has no figures, apprentissage 32031408 has (under the threshold).
    const o = resolve({ cfd: ["32031408"], duree: "2 ans" });
    expect([o.statut, o.voie, o.candidate?.code]).toEqual(["sous_seuil", "apprentissage", "32031408"]);
  });

  it("a voie with no candidate is ignored rather than blocking (a SISE row said 'scolaire')", () => {
    const o = resolve({ cfd: ["50031223"], duree: "2 ans", voie: "superieur" });
    expect([o.statut, o.voie]).toEqual(["couvert", "scolaire"]);
  });

  it("--niveau etablissement without a UAI: uai_absent, the code still given", () => {
    const o = resolve({ cfd: ["50031223"], duree: "2 ans", voie: "scolaire" }, "etablissement");
    expect([o.statut, o.motif, o.candidate?.code]).toEqual(["non_couvert", "uai_absent", "23220031223"]);
  });

  it("says why in words, for --rejects", () => {
    expect(resolve({ cfd: ["4002521"], uai: ["0010001X"] }).detail).toBe(
      'CFD: CFD "4002521" has 7 digits: a leading zero was probably lost (04002521?); UAI "0010001X" fails its checksum (expected letter W)',
    );
  });
});
