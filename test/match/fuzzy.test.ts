import { describe, expect, it } from "vitest";
import { diplomaTypeOf, FuzzyLabelMatcher, normalizeLabel } from "../../src/match/fuzzy.js";
import { matchRow } from "../../src/match/match-row.js";
import type { LabelInfo } from "../../src/match/types.js";
import { MemoryNomenclature, rowCells } from "../helpers/nomenclature.js";

/**
 * Labels as the producers write them: BCN LIBELLE_LONG_200 and DATE_FERMETURE of
 * real-samples/joinable-subset/bcn_nFormationDiplome_tjp2025_cp1252.subset.csv, Certif Info Libelle_Diplome
 * of certifinfo_rco_tjp2024_utf8.subset.csv. 40025224 (the renovated bac pro MV, NOUVEAU_DIPLOME_1 of
 * 40025214) is given the same label to test the tie-break.
 */
const bcn = (cfd: string, libelle: string, dateFermeture: string | null = null): LabelInfo => ({
  cfd,
  libelle,
  source: "bcn",
  dateFermeture,
});
const labels: LabelInfo[] = [
  bcn("50033412", "COMMERCIALISATION ET SERVICES EN HOTEL-CAFE-RESTAURANT (CAP)", "2025-08-31"),
  bcn("50031223", "FLEURISTE (CAP)"),
  bcn("40025214", "MAINTENANCE DES VEHICULES OPTION A VOITURES PARTICULIERES (BAC PRO)", "2028-08-31"),
  bcn("40025224", "MAINTENANCE DES VEHICULES OPTION A VOITURES PARTICULIERES (BAC PRO)"),
  bcn("40031106", "LOGISTIQUE (BAC PRO)", "2027-08-31"),
  bcn("32031212", "NEGOCIATION ET DIGITALISATION DE LA RELATION CLIENT (BTS)"),
  bcn("32033107", "OPTICIEN LUNETIER (BTS)"),
  bcn("32031408", "COMPTABILITE ET GESTION (BTS)"),
  { cfd: "32031408", libelle: "BTS comptabilité et gestion", source: "certifinfo", dateFermeture: null },
  {
    cfd: "50031117",
    libelle: "CAP conducteur routier marchandise",
    source: "certifinfo",
    dateFermeture: "2027-08-31",
  },
];
const nom = new MemoryNomenclature({ labels });
const matcher = new FuzzyLabelMatcher(nom);

describe("diploma type blocking", () => {
  it.each([
    ["Bac pro Maintenance des véhicules option A", "BAC PRO"],
    ["baccalauréat professionnel", "BAC PRO"],
    ["BTS Comptabilité et gestion", "BTS"],
    ["brevet de technicien supérieur agricole", "BTSA"],
    ["CAP Fleuriste", "CAP"],
    ["Certificat d'aptitude professionnelle", "CAP"],
    ["MC cuisinier en desserts de restaurant", "MC"],
    ["Master mention lettres", undefined],
  ])("%s → %s", (text, type) => {
    expect(diplomaTypeOf(text)?.type).toBe(type);
  });

  it("labels lose their type, accents and punctuation", () => {
    expect(normalizeLabel("MAINTENANCE DES VEHICULES OPTION A VOITURES PARTICULIERES (BAC PRO)")).toBe(
      "maintenance des vehicules option a voitures particulieres",
    );
    expect(normalizeLabel("Bac pro Hôtel-café-restaurant")).toBe("hotel cafe restaurant");
  });
});

describe("FuzzyLabelMatcher", () => {
  it("finds the diploma of the same type, with its similarity", () => {
    const [hit] = matcher.match("BTS Comptabilité et gestion", undefined);
    expect(hit).toEqual({ cfd: "32031408", score: 1 });
    expect(matcher.match("CAP Fleuriste", undefined).map((m) => m.cfd)).toEqual(["50031223"]);
    expect(matcher.match("Logistique", "baccalauréat professionnel").map((m) => m.cfd)).toEqual(["40031106"]);
  });

  it("a shorter label still matches, with a lower score", () => {
    const hits = matcher.match("Bac pro Maintenance des véhicules option A", undefined);
    expect(hits.map((h) => h.cfd)).toEqual(["40025224"]);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(0.6);
    expect(hits[0]!.score).toBeLessThan(1);
  });

  it("among equally close labels, the diploma open longest wins (renovations share labels)", () => {
    expect(
      matcher.match("Bac pro maintenance des vehicules option A voitures particulieres", undefined),
    ).toEqual([{ cfd: "40025224", score: 1 }]);
  });

  it("never crosses types, and never guesses without one", () => {
    expect(matcher.match("BTS Fleuriste", undefined)).toEqual([]);
    expect(matcher.match("Fleuriste", undefined)).toEqual([]);
    expect(matcher.match("CAP jardinier paysagiste", undefined)).toEqual([]);
  });
});

describe("in matching", () => {
  const cells = rowCells;

  it("is used only when no identifier matched, and says so in the methode and score", () => {
    const m = matchRow(cells({ libelle: "CAP Fleuriste" }), nom, { fuzzy: matcher });
    expect(m.candidates.map((c) => [c.voie, c.code, c.methode, c.score])).toEqual([
      ["apprentissage", "50031223", "libelle_approx", 1],
    ]);
    const withCode = matchRow(cells({ libelle: "CAP Fleuriste", cfd: ["50033412"] }), nom, {
      fuzzy: matcher,
    });
    expect(withCode.candidates.map((c) => c.methode)).toEqual(["cfd"]);
    expect(matchRow(cells({ libelle: "CAP Fleuriste" }), nom).candidates).toEqual([]);
  });
});
