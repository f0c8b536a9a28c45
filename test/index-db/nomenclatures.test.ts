import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataDir } from "../../src/data-dir.js";
import { InserJeunesError } from "../../src/errors.js";
import type { BuildResult } from "../../src/index-db/build.js";
import { IndexReader } from "../../src/index-db/reader.js";
import { runStatus } from "../../src/status.js";
import { importAndBuild } from "../helpers/build.js";
import { fixture, withTempDir } from "../helpers/paths.js";

/**
 * Every nomenclature fixture imported with fetch --file, then build-index: what the index precomputes so
 * that a lookup is one query. Expected values are read off the fixtures:
 * - famille G0004 (BCN N_LIEN_FORMATION_GROUPE): 40030003 (MEF 2473000331, year 1 of 3 only: the seconde
 *   commune), 40030004, 40031114, 40031116, 40031106, whose terminal MEFs (année = durée = 3) are
 *   23830030004, 23830031114, 23830031116 (fixtures/bcn-n-mef/N_MEF_famille_G0004.csv) and 23830031106
 *   (fixtures/bcn-n-mef/N_MEF.csv);
 * - continuum (fixtures/bcn-n-formation-diplome): 40025207 → 40025214 → 40025224 and
 *   40031104 → 40031106 → 40031116 are 1:1; 50022355 splits into four CAPs; 50033412 merges three.
 */
const SOURCES = {
  "bcn-n-mef": [fixture("bcn-n-mef", "N_MEF.csv"), fixture("bcn-n-mef", "N_MEF_famille_G0004.csv")],
  "bcn-n-formation-diplome": [
    fixture("bcn-n-formation-diplome", "N_FORMATION_DIPLOME.csv"),
    fixture("bcn-n-formation-diplome", "cases", "continuum-split-fusion-self.csv"),
  ],
  "bcn-v-formation-diplome": [
    fixture("bcn-v-formation-diplome", "V_FORMATION_DIPLOME.csv"),
    fixture("bcn-v-formation-diplome", "cases", "export-2020-35-columns.csv"),
  ],
  "bcn-n-niveau-formation-diplome": [
    fixture("bcn-n-niveau-formation-diplome", "N_NIVEAU_FORMATION_DIPLOME.csv"),
  ],
  "bcn-n-diplome-sise": [
    fixture("bcn-n-diplome-sise", "N_DIPLOME_SISE.csv"),
    fixture("bcn-n-diplome-sise", "N_TYPE_DIPLOME_SISE.csv"),
  ],
  "bcn-n-groupe-formation": [fixture("bcn-n-groupe-formation", "N_GROUPE_FORMATION.json")],
  "bcn-n-lien-formation-groupe": [fixture("bcn-n-lien-formation-groupe", "N_LIEN_FORMATION_GROUPE.json")],
  "onisep-formations-initiales": [
    fixture("onisep-formations-initiales", "ideo-formations_initiales_en_france.csv"),
  ],
  "onisep-actions-lycee": [
    fixture("onisep-actions-lycee", "ideo-actions_de_formation_initiale-univers_lycee.csv"),
  ],
  "onisep-actions-sup": [fixture("onisep-actions-sup", "605344579a7d7.json")],
  "onisep-table-passage": [fixture("onisep-table-passage", "6152ccdf850ef.csv")],
  certifinfo: [
    fixture("certifinfo", "certifinfo.csv"),
    fixture("certifinfo", "cases", "rco-bucket-inserJeune-certifinfo.csv"),
    fixture("certifinfo", "cases", "rco-bucket-inserJeune-sise-rncp.csv"),
  ],
  "kit-apprentissage": [fixture("kit-apprentissage", "Kit_apprentissage.csv")],
};

describe("index of the nomenclatures", () => {
  let root: string;
  let reader: IndexReader;
  let result: BuildResult;
  let dataDir: DataDir;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "inserjeunes-index-"));
    ({ dataDir, result } = await importAndBuild(root, SOURCES));
    reader = new IndexReader(dataDir.index);
  });
  afterAll(async () => {
    reader.close();
    await rm(root, { recursive: true, force: true });
  });

  const continuumRows = (code: string, relation: "ancien" | "nouveau") =>
    reader.db
      .prepare("SELECT other, one_to_one FROM continuum WHERE code = ? AND relation = ? ORDER BY other")
      .all(code, relation)
      .map((r) => {
        const row = r as { other: string; one_to_one: number };
        return `${row.other}${row.one_to_one ? " (1:1)" : ""}`;
      });

  it("N_FORMATION_DIPLOME wins over V_ where both have a CFD; V adds its own; in_n / in_v kept", () => {
    const flags = reader.db.prepare("SELECT in_n, in_v, date_fermeture FROM formation WHERE cfd = ?");
    // The V fixture of 2020 has 40025214 still open: the N row (closing 2028) is the one kept.
    expect(flags.get("40025214")).toEqual({ in_n: 1, in_v: 1, date_fermeture: "2028-08-31" });
    expect(flags.get("46X25201")).toEqual({ in_n: 0, in_v: 1, date_fermeture: null });
    expect(reader.formation("1702550H")?.niveau).toBe("170");
    expect(reader.niveau("400")).toEqual({
      niveau: "400",
      libelleCourt: "BAC PRO",
      libelle: "BAC PROFESSIONNEL",
      niveauInterministeriel: "4",
      niveauQualificationRncp: "04",
    });
  });

  it("continuum made reciprocal; only exclusive links are 1:1 (no split, no fusion, no self link)", () => {
    expect(continuumRows("40025214", "ancien")).toEqual(["40025207 (1:1)"]);
    expect(continuumRows("40025214", "nouveau")).toEqual(["40025224 (1:1)"]);
    expect(continuumRows("40025224", "ancien")).toEqual(["40025214 (1:1)"]);
    // Split: 50022355 → four CAPs, each of which gets 50022355 as ancien, none of it 1:1.
    expect(continuumRows("50022355", "nouveau")).toEqual(["50032310", "50032311", "50032312", "50032313"]);
    expect(continuumRows("50032311", "ancien")).toEqual(["50022355"]);
    // 50022426 names itself as its nouveau diplôme: no link; its four anciens are a fusion.
    expect(continuumRows("50022426", "nouveau")).toEqual([]);
    expect(continuumRows("50022415", "nouveau")).toEqual(["50022426"]);
    // Fusion of three into 50033412, then a 1:1 renovation.
    expect(continuumRows("50033408", "nouveau")).toEqual(["50033412"]);
    expect(continuumRows("50033412", "nouveau")).toEqual(["50033413 (1:1)"]);
    expect(reader.continuum("50033412", "ancien")).toEqual([]);
  });

  it("the 1:1 CFD links are projected on the terminal MEFSTAT11s", () => {
    expect(reader.continuum("23830025214", "nouveau")).toEqual(["23830025224"]);
    expect(reader.continuum("23830025224", "ancien")).toEqual(["23830025214"]);
    expect(reader.continuum("23830031106", "nouveau")).toEqual(["23830031116"]);
  });

  it("terminal MEFSTAT11 of every MEF year; none for the seconde commune", () => {
    expect(reader.mef("2473111632")?.terminalMefstat11).toBe("23830031116");
    expect(reader.mef("2473000331")).toMatchObject({ mefstat11: "23810030003", terminalMefstat11: null });
  });

  it("familles de métiers: the seconde commune lists the terminal codes of its famille in one query", () => {
    const terminals = ["23830030004", "23830031106", "23830031114", "23830031116"];
    expect(reader.certificationsTerminales("23810030003").map((t) => t.code)).toEqual(terminals);
    expect(reader.certificationsTerminales("40030003").map((t) => t.code)).toEqual(terminals);
    expect(reader.certificationsTerminales("23810030003")[1]).toEqual({
      code: "23830031106",
      cfd: "40031106",
      groupe: "G0004",
      via: "bcn",
    });
    // A speciality is not an année commune.
    expect(reader.certificationsTerminales("23830031106")).toEqual([]);
    expect(reader.familles("40030003")).toEqual([
      {
        groupe: "G0004",
        libelle: "Gestion administrative, du transport et de la logistique",
        anneeCommune: true,
        via: "bcn",
      },
    ]);
    // 40031104 is not in N_LIEN_FORMATION_GROUPE: it belongs to G0004 through its 1:1 nouveau 40031106.
    expect(reader.familles("40031104")).toEqual([
      expect.objectContaining({ groupe: "G0004", anneeCommune: false, via: "continuum" }),
    ]);
    expect(reader.familles("40025207").map((f) => [f.groupe, f.via])).toEqual([["G0013", "continuum"]]);
  });

  it("FOR id → CFD / RNCP / durée, AF → FOR + UAI + durée, links with the sources that state them", () => {
    expect(reader.onisepFormation("FOR.5615")).toEqual({
      forId: "FOR.5615",
      cfd: "40025214",
      rncp: "19117",
      duree: 3,
    });
    expect(reader.onisepAction("AF.69395")).toEqual({
      afId: "AF.69395",
      forId: "FOR.5615",
      uai: "0010001W",
      duree: 2,
    });
    expect(reader.onisepAction("AF.12045")).toEqual({
      afId: "AF.12045",
      forId: "FOR.1054",
      uai: "0010001W",
      duree: 2,
    });
    expect(reader.links("rncp", "19117", "cfd")).toEqual([
      {
        code: "40025214",
        source: "certifinfo+kit-apprentissage+onisep-formations-initiales+onisep-table-passage",
      },
    ]);
    expect(reader.links("onisep", "FOR.3651", "cfd")).toEqual([
      { code: "40034403", source: "onisep-table-passage" },
    ]);
    expect(reader.links("certifinfo", "82775", "onisep")).toEqual([
      { code: "FOR.5615", source: "certifinfo+onisep-table-passage" },
    ]);
    // An old RNCP code, from the ancien-diplôme columns of Certif Info.
    expect(reader.links("rncp", "510", "cfd")).toEqual([{ code: "40025207", source: "certifinfo" }]);
    expect(reader.links("rncp", "34537", "sise")).toEqual([
      { code: "2500249", source: "certifinfo" },
      { code: "2500250", source: "certifinfo" },
    ]);
  });

  it("SISE diplomas with their type, plus the 3 fictitious BUT codes of InserSup", () => {
    expect(reader.sise("2001235")).toEqual({
      libelle: "INGENIERIE DU COMMERCE ET DE LA VENTE - GESTION COMMERCIALE DES P M E",
      typeDiplome: "DJ",
      typeLibelle: "LIC (IUP)",
      niveauInterministeriel: "2",
    });
    expect(reader.sise("0000002")).toEqual({
      libelle: "INFORMATION-COMMUNICATION",
      typeDiplome: "DR",
      typeLibelle: "BUT",
      niveauInterministeriel: "2",
    });
  });

  it("the build report: per file its sha256, vintage, dialect and counts; per table its rows", async () => {
    const mef = result.reports.find((r) => r.source === "bcn-n-mef")!;
    const bytes = await readFile(fixture("bcn-n-mef", "N_MEF.csv"));
    expect(mef.files[0]).toMatchObject({
      file: "N_MEF.csv",
      sha256: createHash("sha256").update(bytes).digest("hex"),
      vintage: "BCN export 2021+ (22 columns)",
      rowsRead: 28,
      rowsKept: 28,
    });
    const certif = result.reports.find((r) => r.source === "certifinfo")!;
    expect(certif.files.map((f) => f.vintage)).toEqual([
      "Certif Info open data / Orion export (37 columns)",
      "RCO bucket inserJeune-certifinfo",
      "RCO bucket inserJeune-sise-rncp",
    ]);
    expect(result.rowCounts).toMatchObject({
      mef: 37,
      famille_terminal: 8,
      sise: 6,
      sise_type: 5,
      groupe: 4,
    });
  });

  it("status: vintage and rows kept per source", async () => {
    const status = await runStatus({ dataDir }, { now: () => new Date("2026-01-15T10:00:00Z") });
    expect(status.index).toMatchObject({ present: true, toolVersion: "test", problem: null });
    const kit = status.sources.find((s) => s.source === "kit-apprentissage")!;
    expect(kit).toMatchObject({
      present: true,
      indexedRows: 5,
      vintage: "Kit apprentissage 2023 (9 columns)",
    });
    const sise = status.sources.find((s) => s.source === "bcn-n-diplome-sise")!;
    expect(sise.vintage).toBe("BCN export 2024+ (20 columns) + BCN export 2021+ (17 columns)");
    expect(status.sources.find((s) => s.source === "acce")).toMatchObject({
      present: false,
      indexedRows: null,
    });
  });
});

describe("build-index --strict", () => {
  it("any rejected row fails the build with exit 5 and leaves the previous index as it was", async () => {
    await withTempDir(async (root) => {
      const { dataDir } = await importAndBuild(root, { "bcn-n-mef": [fixture("bcn-n-mef", "N_MEF.csv")] });
      const before = await stat(dataDir.index);
      const error = await importAndBuild(
        root,
        { "bcn-n-mef": [fixture("bcn-n-mef", "cases", "malformed-rows.csv")] },
        { strict: true },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InserJeunesError);
      expect((error as InserJeunesError).exitCode).toBe(5);
      expect((error as InserJeunesError).message).toMatch(
        /--strict: 2 row\(s\) rejected \(first: malformed-rows\.csv:3, invalid code: CFD "4002521"/,
      );
      const after = await stat(dataDir.index);
      expect(after.mtimeMs).toBe(before.mtimeMs);
      const reader = new IndexReader(dataDir.index);
      expect(reader.mefsByCfd("40025214")).toHaveLength(3);
      reader.close();
    });
  });
});
