import { describe, expect, it } from "vitest";
import { candidatesForVoie, checkUai, matchRow, type RowCells } from "../../src/match/match-row.js";
import { MemoryNomenclature, mef, rowCells } from "../helpers/nomenclature.js";

/**
 * Every strategy of DESIGN.md "Matching", on real codes where the samples have them: N_MEF rows of the
 * BCN 2025 export (real-samples/joinable-subset/bcn_nMef_tjp2025_utf8bom.subset.csv), links as Certif Info
 * (Code_Scolarité, Code_RNCP, codeIdeo2), Onisep 2022 and the kit apprentissage state them for the same
 * diplomas (joinable-subset/*.csv). The famille de métiers "Relation client" uses the codes of the
 * Affelnet extract (23820031213/14) and the trajectoires-pro N_LIEN_FORMATION_GROUPE fixture (G0005 →
 * 40031211); its MEF10s are built on the BCN pattern (dispositif + CFD + durée + année). Links marked
 * "constructed" exist to exercise a rule (a disagreement, a SISE link).
 */
const MEFS = [
  // Bac pro maintenance des véhicules option A (40025214), 3 ans, dispositif 247.
  mef("2472521431", "247", "40025214", 3, 1, "23810025214"),
  mef("2472521432", "247", "40025214", 3, 2, "23820025214"),
  mef("2472521433", "247", "40025214", 3, 3, "23830025214"),
  // BTS comptabilité et gestion (32031408): 2 ans (311) and 1 an (310).
  mef("3103140811", "310", "32031408", 1, 1, "32111031408"),
  mef("3113140821", "311", "32031408", 2, 1, "32211031408"),
  mef("3113140822", "311", "32031408", 2, 2, "32221031408"),
  // 2nde pro commune "métiers de la relation client" (40031211) and two bac pro of its famille.
  mef("2473121131", "247", "40031211", 3, 1, "23810031211"),
  mef("2473121331", "247", "40031213", 3, 1, "23810031213"),
  mef("2473121332", "247", "40031213", 3, 2, "23820031213"),
  mef("2473121333", "247", "40031213", 3, 3, "23830031213"),
  mef("2473121431", "247", "40031214", 3, 1, "23810031214"),
  mef("2473121432", "247", "40031214", 3, 2, "23820031214"),
  mef("2473121433", "247", "40031214", 3, 3, "23830031214"),
];

const nom = new MemoryNomenclature({
  mefs: MEFS,
  formations: [
    { cfd: "40025214" },
    { cfd: "32031408" },
    { cfd: "40031211" },
    { cfd: "40031213" },
    { cfd: "40031214" },
  ],
  onisep: [
    // 2024+ formations initiales give the CFD (code scolarité) and the durée.
    { forId: "FOR.5615", cfd: "40025214", rncp: "19117", duree: 3 },
    // 2022 rows have no code scolarité (BTS CG: RNCP 35521, 2 ans): the CFD comes from elsewhere.
    { forId: "FOR.1054", cfd: null, rncp: "35521", duree: 2 },
    // An école spécialisée: no official code at all.
    { forId: "FOR.7172", cfd: null, rncp: null, duree: 1 },
  ],
  actions: [{ afId: "AF.69395", forId: "FOR.5615", uai: "0010001W", duree: 3 }],
  links: [
    // FOR.1054: Certif Info 83602 (codeIdeo2) says 32031408; the table de passage too (constructed).
    { from: "onisep", code: "FOR.1054", to: "cfd", target: "32031408", source: "certifinfo" },
    { from: "onisep", code: "FOR.1054", to: "cfd", target: "32031408", source: "onisep-table-passage" },
    // RNCP 19117 → 40025214 (Certif Info 82775, kit apprentissage "RNCP19117").
    { from: "rncp", code: "19117", to: "cfd", target: "40025214", source: "certifinfo" },
    { from: "rncp", code: "19117", to: "cfd", target: "40025214", source: "kit-apprentissage" },
    // A disagreement (constructed): the kit is only used when Certif Info says nothing.
    { from: "rncp", code: "39159", to: "cfd", target: "32031408", source: "certifinfo" },
    { from: "rncp", code: "39159", to: "cfd", target: "99999999", source: "kit-apprentissage" },
    { from: "rncp", code: "37380", to: "cfd", target: "01022105", source: "kit-apprentissage" },
    // A master: RNCP → SISE (constructed; SISE 2500249 is the InserSup fixture's master MEEF).
    { from: "rncp", code: "35915", to: "sise", target: "2500249", source: "insersup" },
    { from: "certifinfo", code: "82775", to: "cfd", target: "40025214", source: "certifinfo" },
    { from: "certifinfo", code: "83602", to: "rncp", target: "39159", source: "certifinfo" },
    // A Certif Info id known only by its Onisep formation (constructed).
    { from: "certifinfo", code: "100000", to: "onisep", target: "FOR.5615", source: "certifinfo" },
    // CESI engineer (Certif Info 13386, RNCP 13207): no CFD.
    { from: "rncp", code: "13207", to: "certifinfo", target: "13386", source: "certifinfo" },
  ],
  certificateurs: {
    "13386": [{ certificateur: "CESI", valideur: "" }],
    "82775": [{ certificateur: "Ministère de l'éducation nationale", valideur: "" }],
  },
  sise: ["2500249"],
  familles: [{ groupe: "G0005", libelle: "RELATION CLIENT", cfds: ["40031211", "40031213", "40031214"] }],
});

const cells = rowCells;
const codes = (row: Partial<RowCells>, voie: "scolaire" | "apprentissage" | "superieur") =>
  candidatesForVoie(matchRow(cells(row), nom), voie).map((c) => `${c.code} ${c.methode} ${c.via}`);

describe("strategies (DESIGN.md order)", () => {
  it("1. a non-terminal MEFSTAT11 maps to the terminal one of its CFD and dispositif", () => {
    expect(codes({ mefstat11: ["23810025214"] }, "scolaire")).toEqual(["23830025214 mefstat11 bcn-n-mef"]);
    expect(codes({ mefstat11: ["23810025214"] }, "apprentissage")).toEqual(["40025214 mefstat11 bcn-n-mef"]);
  });

  it("2. a MEF10 goes through N_MEF", () => {
    expect(codes({ mef: ["2472521432"] }, "scolaire")).toEqual(["23830025214 mef bcn-n-mef > bcn-n-mef"]);
  });

  it("3. a CFD with its durée follows the Onisep recipe; without, every terminal code stays", () => {
    expect(codes({ cfd: ["32031408"], duree: "2 ans" }, "scolaire")).toEqual(["32221031408 cfd bcn-n-mef"]);
    expect(codes({ cfd: ["32031408"] }, "scolaire")).toEqual([
      "32111031408 cfd bcn-n-mef",
      "32221031408 cfd bcn-n-mef",
    ]);
    expect(codes({ cfd: ["32031408"] }, "apprentissage")).toEqual(["32031408 cfd cfd"]);
  });

  it("4. Onisep FOR: formations initiales first, then the table de passage before Certif Info", () => {
    expect(
      codes({ onisep: ["https://www.onisep.fr/http/redirection/formation/slug/FOR.5615"] }, "scolaire"),
    ).toEqual(["23830025214 onisep onisep-formations-initiales > bcn-n-mef"]);
    // FOR.1054's durée (2 ans, from Onisep) picks the 2-year BTS.
    expect(codes({ onisep: ["FOR.1054"] }, "scolaire")).toEqual([
      "32221031408 onisep certifinfo+onisep-table-passage > bcn-n-mef",
    ]);
  });

  it("5. Onisep AF: the action gives the FOR id, its UAI (when the row has none) and its durée", () => {
    const m = matchRow(cells({ af: ["AF.69395"] }), nom);
    expect(m.uai).toEqual({ status: "valide", value: "0010001W" });
    expect(candidatesForVoie(m, "scolaire").map((c) => [c.code, c.methode])).toEqual([
      ["23830025214", "onisep_action"],
    ]);
    const own = matchRow(cells({ af: ["AF.69395"], uai: ["0010006B"] }), nom);
    expect(own.uai.value).toBe("0010006B");
  });

  it("6. RNCP: Certif Info first, the kit apprentissage only when Certif Info says nothing", () => {
    expect(codes({ rncp: ["RNCP19117"] }, "apprentissage")).toEqual([
      "40025214 rncp certifinfo+kit-apprentissage > cfd",
    ]);
    expect(codes({ rncp: ["39159"] }, "apprentissage")).toEqual(["32031408 rncp certifinfo > cfd"]);
    expect(codes({ rncp: ["37380"] }, "apprentissage")).toEqual(["01022105 rncp kit-apprentissage > cfd"]);
  });

  it("6. RNCP without a CFD: the InserSup SISE", () => {
    expect(codes({ rncp: ["35915"] }, "superieur")).toEqual(["2500249 rncp insersup"]);
  });

  it("7. Certif Info: its CFD, else its RNCP, else its Onisep formation", () => {
    expect(codes({ certifinfo: ["82775"] }, "apprentissage")).toEqual([
      "40025214 certifinfo certifinfo > cfd",
    ]);
    expect(codes({ certifinfo: ["83602"] }, "apprentissage")).toEqual([
      "32031408 certifinfo certifinfo > certifinfo > cfd",
    ]);
    expect(codes({ certifinfo: ["100000"] }, "scolaire")).toEqual([
      "23830025214 certifinfo certifinfo > onisep-formations-initiales > bcn-n-mef",
    ]);
  });

  it("8. SISE is the supérieur key itself", () => {
    expect(codes({ sise: ["2500249"] }, "superieur")).toEqual(["2500249 sise "]);
    expect(matchRow(cells({ sise: ["2500250"] }), nom).unknown).toEqual(["SISE 2500250"]);
  });

  it("the best strategy wins per voie; all candidates stay in the match", () => {
    const m = matchRow(cells({ cfd: ["40025214"], rncp: ["39159"] }), nom);
    expect(candidatesForVoie(m, "apprentissage").map((c) => c.code)).toEqual(["40025214"]);
    expect(m.candidates.map((c) => `${c.voie} ${c.code} ${c.methode}`)).toContain(
      "apprentissage 32031408 rncp",
    );
  });

  it("a seconde commune leads to the terminal codes of its famille's specialties", () => {
    const m = matchRow(cells({ mefstat11: ["23810031211"] }), nom);
    expect(candidatesForVoie(m, "scolaire").map((c) => [c.code, c.famille])).toEqual([
      ["23830031213", "G0005"],
      ["23830031214", "G0005"],
    ]);
    expect(
      candidatesForVoie(matchRow(cells({ cfd: ["40031211"] }), nom), "scolaire").map((c) => c.code),
    ).toEqual(["23830031213", "23830031214"]);
  });

  it("lists split on ; | , and spaces", () => {
    const m = matchRow(cells({ rncp: ["RNCP19117; RNCP39159"] }), nom);
    expect(m.identifiers).toEqual(["RNCP 19117", "RNCP 39159"]);
    expect(candidatesForVoie(m, "apprentissage").map((c) => c.code)).toEqual(["40025214", "32031408"]);
  });
});

describe("what cannot be matched, and why", () => {
  it("malformed identifiers are reasons, with the value", () => {
    const m = matchRow(cells({ cfd: ["4002521"], uai: ["001001W"] }), nom);
    expect(m.invalid).toEqual([
      'CFD: CFD "4002521" has 7 digits: a leading zero was probably lost (04002521?)',
    ]);
    expect(m.badValues).toEqual(["CFD 4002521"]);
    expect(m.uai.status).toBe("invalide");
  });

  it("a certification of another ministry is named", () => {
    expect(matchRow(cells({ rncp: ["13207"] }), nom).autreMinistere).toBe("CESI");
  });

  it("a known Onisep formation without any official code is told apart from an unknown one", () => {
    const m = matchRow(cells({ onisep: ["FOR.7172", "FOR.99999"] }), nom);
    expect(m.withoutCode).toEqual(["Onisep FOR.7172"]);
    expect(m.unknown).toEqual(["Onisep FOR.99999"]);
  });

  it("an AF id with no Onisep actions indexed says so", () => {
    const empty = new MemoryNomenclature({});
    expect(matchRow(cells({ af: ["AF.1"] }), empty).unknown).toEqual([
      "Onisep AF.1 (no Onisep actions file indexed)",
    ]);
  });
});

describe("UAI", () => {
  const withDirectory = new MemoryNomenclature({
    etablissements: [{ uai: "0010001W", region: "84", academie: "10" }],
    catalogueUais: ["0331707B"],
  });

  it("valid and known to the annuaire, known to the catalogue de l'apprentissage, or unknown", () => {
    expect(checkUai(["0010001W"], null, withDirectory).status).toBe("valide");
    expect(checkUai(["0331707B"], null, withDirectory).status).toBe("valide");
    expect(checkUai(["0010006B"], null, withDirectory)).toMatchObject({
      status: "inconnu",
      value: "0010006B",
    });
  });

  it("checksum and format failures say what is wrong", () => {
    expect(checkUai(["0010001X"], null, withDirectory)).toMatchObject({
      status: "invalide",
      reason: 'UAI "0010001X" fails its checksum (expected letter W)',
    });
    expect(checkUai([""], null, withDirectory).status).toBe("absent");
  });

  it("columns in priority order: the first valid, known UAI wins (lieu > formateur > gestionnaire)", () => {
    expect(checkUai(["0010001X", "0010006B", "0010001W"], null, withDirectory).value).toBe("0010001W");
    expect(checkUai([' ="0010001w" '], null, withDirectory).value).toBe("0010001W");
  });

  it("without any directory indexed, no UAI is called unknown", () => {
    expect(checkUai(["0010006B"], null, nom).status).toBe("valide");
  });
});

describe("a region column", () => {
  it("reads an INSEE code as catalogues write it, or a name; says what names no region", () => {
    // INSEE 84 = Auvergne-Rhône-Alpes, 01 = Guadeloupe (sources/regions.ts).
    const region = (value: string) => matchRow(cells({ cfd: ["40025214"], region: value }), nom);
    expect(["84", "084", "R84", "Auvergne-Rhône-Alpes", "1"].map((v) => region(v).region)).toEqual([
      "84",
      "84",
      "84",
      "84",
      "01",
    ]);
    const unknown = region("Atlantide");
    expect(unknown.region).toBeNull();
    expect(unknown.invalid).toEqual([
      'région: "Atlantide" is no region (an INSEE code such as 84, or its name)',
    ]);
  });
});
