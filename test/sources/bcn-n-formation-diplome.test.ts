import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const parseCase = (name: string) =>
  parseWith("bcn-n-formation-diplome", [{ path: fixture("bcn-n-formation-diplome", "cases", name) }]);

describe("bcn-n-formation-diplome on its fixture (2024+ export, 52 columns, cp1252)", () => {
  it("reads the continuum columns and keeps a literal quote of an unquoted value", async () => {
    const { records, report } = await parseWith("bcn-n-formation-diplome", [
      { path: fixture("bcn-n-formation-diplome", "N_FORMATION_DIPLOME.csv") },
    ]);
    const formations = ofKind(records, "formation");
    expect(formations).toHaveLength(8);
    expect(report.rowsRejected).toBe(0);
    expect(report.files[0]?.vintage).toBe("BCN export 2024+ (52 columns)");
    const mv = formations.find((f) => f.cfd === "40025214")!;
    expect(mv).toEqual({
      kind: "formation",
      table: "N",
      cfd: "40025214",
      niveau: "400",
      libelleCourt: "BAC PRO",
      libelle: "MAINTENANCE DES VEHICULES OPTION A VOITURES PARTICULIERES (BAC PRO)",
      dateOuverture: "2014-09-01",
      dateFermeture: "2028-08-31",
      datePremiereSession: "2017",
      dateDerniereSession: "2027",
      niveauQualificationRncp: "04",
      anciens: ["40025207"],
      nouveaux: ["40025224"],
    });
    expect(formations.find((f) => f.cfd === "40025224")?.anciens).toEqual(["40025214"]);
  });
});

describe("bcn-n-formation-diplome vintages and traps", () => {
  it("continuum as the BCN declares it: a split 1→4, a fusion whose row names itself as nouveau", async () => {
    const { records } = await parseCase("continuum-split-fusion-self.csv");
    const byCfd = new Map(ofKind(records, "formation").map((f) => [f.cfd, f]));
    expect(byCfd.get("50022355")?.nouveaux).toEqual(["50032310", "50032311", "50032312", "50032313"]);
    // 50022426 lists itself in NOUVEAU_DIPLOME_1: not a link.
    expect(byCfd.get("50022426")).toMatchObject({
      anciens: ["50022415", "50022416", "50022417", "50022418"],
      nouveaux: [],
    });
    expect(byCfd.get("50033412")).toMatchObject({
      anciens: ["50033408", "50033409", "50033410"],
      nouveaux: ["50033413"],
    });
  });

  it('the pipe export keeps a literal " inside an unquoted value', async () => {
    const { records, report } = await parseCase("pipe-export-literal-quote.csv");
    expect(report.files[0]?.dialect).toBe("delimiter pipe, no quoting, LF");
    const [f] = ofKind(records, "formation");
    expect(f?.libelle).toBe("ARTS ET TECHNIQUES DU VERRE OPTION TAILLEUR-GRAVEUR (CAP)");
    expect(report.warnings).toEqual([]);
  });

  it("the 2020 export (56 columns, no NIVEAU_QUALIFICATION_RNCP), cp1252 ’ decoded", async () => {
    const { records, report } = await parseCase("export-2020-56-columns-cp1252.csv");
    expect(report.files[0]).toMatchObject({
      vintage: "BCN export 2020 (56 columns)",
      encoding: "windows-1252",
    });
    const [csa, mv] = ofKind(records, "formation");
    expect(csa).toMatchObject({
      cfd: "46321211",
      niveau: "463",
      libelle: "CONDUITE D’UN ELEVAGE HELICICOLE ET COMMERCIALISATION DES PRODUITS (CSA)",
      niveauQualificationRncp: null,
      dateFermeture: "2020-08-31",
    });
    expect(mv).toMatchObject({ cfd: "40025214", dateFermeture: null, nouveaux: ["40025224"] });
  });

  it("the BCN API JSON: lower-case keys, sessions as numbers, null continuum columns", async () => {
    const { records, report } = await parseCase("bcn-api.json");
    expect(report.files[0]?.vintage).toBe("BCN API JSON");
    expect(report.warnings).toEqual([]);
    const [mv, renove] = ofKind(records, "formation");
    expect(mv).toMatchObject({
      cfd: "40025214",
      datePremiereSession: "2017",
      dateOuverture: "2014-09-01",
      anciens: ["40025207"],
      nouveaux: ["40025224"],
    });
    expect(renove).toMatchObject({
      cfd: "40025224",
      dateFermeture: null,
      anciens: ["40025214"],
      nouveaux: [],
    });
  });
});
