import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inserter } from "../../src/index-db/insert.js";
import { IndexReader } from "../../src/index-db/reader.js";
import { SCHEMA } from "../../src/index-db/schema.js";
import type { EtablissementRecord, IndicatorRecord } from "../../src/sources/records.js";
import type { SourceId } from "../../src/sources/types.js";
import { runCli } from "../helpers/cli.js";
import { readRows } from "../helpers/csv.js";
import { fixture } from "../helpers/paths.js";

function memoryIndex() {
  const db = new Database(":memory:");
  db.exec(SCHEMA);
  const inserter = new Inserter(db);
  const load = (source: SourceId, records: (IndicatorRecord | EtablissementRecord)[]) => {
    inserter.begin(source);
    for (const r of records) inserter.insert(r);
    inserter.commit();
  };
  return { db, inserter, load };
}

const indicator = (nbAnneeTerm: number, extra: Partial<IndicatorRecord> = {}): IndicatorRecord => ({
  kind: "indicator",
  niveau: "etablissement",
  zone: "0010001W",
  code: "23830025214",
  filiere: "pro",
  millesime: "2022_2023",
  measures: { nb_annee_term: nbAnneeTerm },
  ...extra,
});

const school = (fields: Partial<EtablissementRecord>): EtablissementRecord => ({
  kind: "etablissement",
  uai: "0010006B",
  nom: "",
  commune: null,
  communeLibelle: null,
  departement: null,
  academie: null,
  region: null,
  nature: null,
  ...fields,
});

describe("index: which source wins", () => {
  it("indicators: DEPP API > InserSup > Exposition > open data, whatever the build order", () => {
    const { db, inserter, load } = memoryIndex();
    const row = () =>
      db.prepare("SELECT nb_annee_term, source, source_vintage FROM indicator").get() as Record<
        string,
        unknown
      >;
    load("inserjeunes-open", [indicator(1, { sourceVintage: "lycée pro formation fine (labels)" })]);
    expect(row()).toEqual({
      nb_annee_term: 1,
      source: "inserjeunes-open",
      source_vintage: "lycée pro formation fine (labels)",
    });
    load("exposition-api", [indicator(2)]);
    expect(row()).toMatchObject({ nb_annee_term: 2, source: "exposition-api", source_vintage: null });
    load("inserjeunes-api", [indicator(3, { sourceVintage: "DEPP API /UAI" })]);
    expect(row()).toMatchObject({ nb_annee_term: 3, source: "inserjeunes-api" });
    // Lower ranks afterwards change nothing, and are counted.
    load("exposition-api", [indicator(4)]);
    load("inserjeunes-open", [indicator(5)]);
    expect(row()).toMatchObject({ nb_annee_term: 3, source: "inserjeunes-api" });
    expect(inserter.duplicates.get("exposition-api")).toBe(1);
    expect(inserter.duplicates.get("inserjeunes-open")).toBe(1);
    // The same source twice: the first row stays.
    load("inserjeunes-api", [indicator(6)]);
    expect(row()).toMatchObject({ nb_annee_term: 3 });
  });

  it("Exposition rows derived along the continuum go to indicator_derived, never to indicator", () => {
    const { db, load } = memoryIndex();
    load("exposition-api", [
      indicator(1064, {
        niveau: "national",
        zone: "",
        code: "23830025224",
        millesime: "2023",
        derivedFrom: { type: "ancienne", code: "23830025214" },
      }),
    ]);
    expect(db.prepare("SELECT count(*) AS n FROM indicator").get()).toEqual({ n: 0 });
    expect(
      db
        .prepare("SELECT code, donnee_source_type, donnee_source_code, nb_annee_term FROM indicator_derived")
        .get(),
    ).toEqual({
      code: "23830025224",
      donnee_source_type: "ancienne",
      donnee_source_code: "23830025214",
      nb_annee_term: 1064,
    });
  });

  it("schools: ACCE wins field by field, the annuaire fills its gaps, in either build order", () => {
    for (const order of [
      ["annuaire-education", "acce"],
      ["acce", "annuaire-education"],
    ] as const) {
      const { db, load } = memoryIndex();
      const given = {
        "annuaire-education": school({
          nom: "Lycée polyvalent Saint-Exupéry",
          communeLibelle: "Bourg-en-Bresse",
          region: "84",
        }),
        acce: school({
          nom: "Lycée polyvalent Saint-Exupéry - Lycée des métiers",
          commune: "01053",
          region: "84",
          nature: "306",
        }),
      };
      for (const source of order) load(source, [given[source]]);
      expect(
        db.prepare("SELECT nom, commune, commune_libelle, nature, source, priority FROM etablissement").get(),
      ).toEqual({
        nom: "Lycée polyvalent Saint-Exupéry - Lycée des métiers",
        commune: "01053",
        commune_libelle: "Bourg-en-Bresse",
        nature: "306",
        source: order.join("+"),
        priority: 2,
      });
    }
  });
});

/**
 * The whole chain on the fixtures: fetch --file → build-index → enrich, through the built bin.
 * Expected figures, by hand from the fixtures:
 *  1 0010826T (a CFA known to ACCE only) × CFD 40025214: the latest establishment figures are the open-data
 *    CFA formation fine, cumul 2023-2024 → 2023_2024: DEVENIR parts 48 / 33 / 19 as published, rupture 18,
 *    no count (so no 12-month rate: the file's "Taux emploi 12 mois" 75 is among sortants).
 *  2 0010006B (annuaire + ACCE, region 84) has no figures for 40025214 → region/01 body (académique 01 =
 *    INSEE 84): 66/120 = 55, 30/120 = 25, autres 20.
 *  3 0010856A: a valid UAI that neither directory knows, but the catalogue de l'apprentissage names (page-2,
 *    a lieu de formation) → known, no figures of its own → pas_de_donnees_etablissement; département 01 →
 *    region 84: 55/25/20.
 *  4 0131436R (annuaire only, region from département 13 → 93): no figures there → national 2023:
 *    392/821 = 47.75 → 48, 270/821 = 32.89 → 33, autres 19.
 *  6 0010002X: valid (10002 % 23 = 20 → X), known to no directory nor the catalogue → uai_inconnu;
 *    département 01 → region 84: 55/25/20.
 *  5 0062205P × SISE 2500249: InserSup promo 2021, 140 sortants + 12 poursuivants = 152: 112/152 = 73.68 → 74,
 *    12/152 = 7.89 → 8, autres 18; 12 months 118/152 = 77.63 → 78, autres 14; salaries 1790/1930/2080.
 *  7 0010001W × CFD 40025214: no apprenticeship figures of its own; the catalogue de l'apprentissage
 *    (page-1: uai_formation 0010001W, formateur and gestionnaire 0010826T) names one formateur, 0010826T,
 *    whose figures (row 1's) are given, ij_uai_donnee_type formateur, ij_uai still 0010001W.
 *  Row 1's 0010826T is named by the catalogue as formateur (and gestionnaire), never as a lieu: formateur.
 */
describe("index built from every establishment and indicator source", () => {
  const sources: Record<string, string> = {
    "bcn-n-mef": fixture("bcn-n-mef", "N_MEF.csv"),
    "bcn-n-formation-diplome": fixture("bcn-n-formation-diplome", "N_FORMATION_DIPLOME.csv"),
    "annuaire-education": fixture("annuaire-education", "fr-en-annuaire-education.csv"),
    acce: fixture("acce", "acce_etablissements.csv"),
    "catalogue-apprentissage": fixture("catalogue-apprentissage"),
    "inserjeunes-api": fixture("inserjeunes-api"),
    "inserjeunes-open": fixture("inserjeunes-open"),
    insersup: fixture("insersup"),
    "exposition-api": fixture("exposition-api"),
  };
  let dir = "";
  let reader: IndexReader;
  const data = () => ["--data-dir", join(dir, "data")];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "inserjeunes-test-"));
    const fetched = await runCli([
      ...data(),
      "fetch",
      ...Object.entries(sources).flatMap(([id, p]) => ["--file", `${id}=${p}`]),
    ]);
    expect(fetched.code, fetched.stderr).toBe(0);
    const built = await runCli([...data(), "build-index", "--report", join(dir, "report.json")]);
    expect(built.code, built.stderr).toBe(0);
    reader = new IndexReader(join(dir, "data", "index.sqlite"));
  }, 60_000);

  afterAll(async () => {
    reader?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("fills every table it owns", async () => {
    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8"));
    expect(report.rowCounts).toMatchObject({
      etablissement: 6, // 0010001W, 0010006B, 0940176F, 0131436R (annuaire) + 0010826T, 0062205P (ACCE only)
      uai_role: 4,
      indicator_derived: 2,
      indicator_etablissement: 7,
    });
  });

  it("answers the school lookups match and enrich use (region = INSEE code)", () => {
    expect(["0010001W", "0010826T", "0131436R", "0010856A"].map((u) => reader.etablissement(u))).toEqual([
      { uai: "0010001W", region: "84", academie: "10" },
      { uai: "0010826T", region: "84", academie: "10" },
      { uai: "0131436R", region: "93", academie: "02" },
      undefined,
    ]);
    expect(
      reader.db
        .prepare("SELECT uai_lieu, uai_formateur, uai_gestionnaire FROM uai_role WHERE cfd = ?")
        .all("40025214"),
    ).toEqual([{ uai_lieu: "0010001W", uai_formateur: "0010826T", uai_gestionnaire: "0010826T" }]);
  });

  it("keeps the DEPP API's national row where Exposition repeats it", () => {
    expect(
      reader.rows("national", "", "23830025214").map((r) => [r.millesime, r.source, r.sourceVintage]),
    ).toEqual([
      ["2022", "inserjeunes-api", "DEPP API /france"],
      ["2023", "inserjeunes-api", "DEPP API /france"],
    ]);
  });

  it("enrich: school figures, the region of known and unknown UAIs, then the nation", async () => {
    const catalogue = join(dir, "catalogue.csv");
    await writeFile(
      catalogue,
      [
        "id;uai;cfd;sise;duree;voie",
        "1;0010826T;40025214;;3 ans;apprentissage",
        "2;0010006B;40025214;;3 ans;apprentissage",
        "3;0010856A;40025214;;3 ans;apprentissage",
        "4;0131436R;40025214;;3 ans;apprentissage",
        "5;0062205P;;2500249;;",
        "6;0010002X;40025214;;3 ans;apprentissage",
        "7;0010001W;40025214;;3 ans;apprentissage",
        "",
      ].join("\n"),
    );
    const out = join(dir, "enriched.csv");
    const enriched = await runCli([...data(), "enrich", catalogue, "--out", out]);
    expect(enriched.code, enriched.stderr).toBe(0);
    const rows = readRows(await readFile(out, "utf8"));
    const pick = (row: Record<string, string>, ...names: string[]) => names.map((n) => row[`ij_${n}`]);
    const cols = [
      "statut",
      "motif",
      "niveau",
      "millesime",
      "nb_annee_term",
      "taux_en_emploi_6_mois",
      "taux_en_formation",
      "taux_autres_6_mois",
    ];
    expect(rows.map((r) => pick(r, ...cols))).toEqual([
      ["couvert", "", "etablissement", "2023_2024", "", "48", "33", "19"],
      ["couvert", "pas_de_donnees_etablissement", "regional", "2022_2023", "120", "55", "25", "20"],
      ["couvert", "pas_de_donnees_etablissement", "regional", "2022_2023", "120", "55", "25", "20"],
      ["couvert", "pas_de_donnees_etablissement", "national", "2023", "821", "48", "33", "19"],
      ["couvert", "", "etablissement", "2021", "152", "74", "8", "18"],
      ["couvert", "uai_inconnu", "regional", "2022_2023", "120", "55", "25", "20"],
      ["couvert", "", "etablissement", "2023_2024", "", "48", "33", "19"],
    ]);
    expect(rows.map((r) => pick(r, "uai", "uai_donnee_type"))).toEqual([
      ["0010826T", "formateur"],
      ["0010006B", ""],
      ["0010856A", ""],
      ["0131436R", ""],
      ["0062205P", "lieu"],
      ["0010002X", ""],
      ["0010001W", "formateur"],
    ]);
    expect(pick(rows[0]!, "taux_rupture_contrats", "taux_en_emploi_12_mois")).toEqual(["18", ""]);
    expect(
      pick(rows[4]!, "filiere", "taux_en_emploi_12_mois", "taux_autres_12_mois", "salaire_12_mois_q2"),
    ).toEqual(["superieur", "78", "14", "1930"]);
  });
});
