import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataDir } from "../../src/data-dir.js";
import { InserJeunesError } from "../../src/errors.js";
import type { Measures } from "../../src/indicators/rates.js";
import type { CatalogueOptions } from "../../src/pipeline/catalogue.js";
import { runCatalogue } from "../helpers/catalogue.js";
import { readRows } from "../helpers/csv.js";
import { ENRICH_COLUMNS } from "../../src/pipeline/output-columns.js";
import type { IndexRecord, IndicatorRecord } from "../../src/sources/records.js";
import { buildTestIndex } from "../helpers/index.js";
import { DEMO_SOURCES, describeReal, fixture, real } from "../helpers/paths.js";

/**
 * enrich's rules on an index of the demo's fixture sources (see test/e2e/demo.test.ts) plus records for
 * what those fixtures lack:
 * - the famille de métiers "Relation client" (groupe G0005) with the BCN 2025 codes of its seconde
 *   commune 40031211 (2473121131 → 23810031211, year 1 of 3) and two bac pro (40031213 → 23830031213,
 *   40031214 → 23830031214), and invented figures for them, chosen so that their national 2023 sums
 *   are the reference's aggregation test (nb_annee_term 100, poursuite 5, emploi 6 50, emploi 12 25);
 * - a catalogue de l'apprentissage with one formateur (0750002V) for two lieux of CFD 40031106, and
 *   establishment figures for that formateur only;
 * - for one key (0010006B × 40025214, 2022_2023) both an open-data row (rates only) and a DEPP API row
 *   (counts);
 * - the InserSup fixture (fixtures/insersup/fr-esr-insersup.csv: 0062205P × SISE 2400074, promo
 *   "2021,2022" flagged *, and the national row of 2400074, promo 2022).
 * The real InserSup rows of ../shared/real-samples are enriched at the end, on their own index.
 */
let dir: string;
let dataDir: DataDir;

const indicator = (
  niveau: IndicatorRecord["niveau"],
  zone: string,
  code: string,
  filiere: IndicatorRecord["filiere"],
  millesime: string,
  measures: Measures,
): IndicatorRecord => ({ kind: "indicator", niveau, zone, code, filiere, millesime, measures });

const mef = (mef10: string, mefstat11: string, cfd: string, annee: number): IndexRecord => ({
  kind: "mef",
  mef10,
  mefstat11,
  cfd,
  dispositif: "247",
  duree: 3,
  annee,
  dateOuverture: null,
  dateFermeture: null,
  statut: null,
  libelle: "",
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "inserjeunes-enrich-"));
  dataDir = await buildTestIndex(dir, {
    files: {
      ...Object.fromEntries(Object.entries(DEMO_SOURCES).map(([id, path]) => [id, [path]])),
      insersup: [fixture("insersup", "fr-esr-insersup.csv")],
    },
    records: {
      "bcn-n-mef": [
        mef("2473121131", "23810031211", "40031211", 1),
        mef("2473121333", "23830031213", "40031213", 3),
        mef("2473121433", "23830031214", "40031214", 3),
        mef("2473121533", "23830031215", "40031215", 3),
      ],
      "bcn-n-groupe-formation": [
        {
          kind: "groupe",
          groupe: "G0005",
          type: "TG01",
          libelle: "RELATION CLIENT",
          dateOuverture: null,
          dateFermeture: null,
        },
      ],
      "bcn-n-lien-formation-groupe": ["40031211", "40031213", "40031214"].map((cfd) => ({
        kind: "lien-groupe" as const,
        groupe: "G0005",
        cfd,
        dateFermeture: null,
      })),
      "catalogue-apprentissage": [
        { cle: "k1", lieu: "0750001U" },
        { cle: "k2", lieu: "0750004X" },
      ].map(({ cle, lieu }) => ({
        kind: "uai-role" as const,
        cle,
        cfd: "40031106",
        uaiLieu: lieu,
        uaiFormateur: "0750002V",
        uaiGestionnaire: "0750003W",
        duree: 3,
      })),
      "inserjeunes-open": [
        indicator("etablissement", "0010006B", "40025214", "apprentissage", "2022_2023", {
          taux_en_emploi_6_mois: 50,
          taux_en_formation: 30,
          taux_autres_6_mois: 20,
        }),
      ],
      "inserjeunes-api": [
        indicator("etablissement", "0010006B", "40025214", "apprentissage", "2022_2023", {
          nb_annee_term: 40,
          nb_poursuite_etudes: 10,
          nb_en_emploi_6_mois: 22,
        }),
        indicator("national", "", "23830031213", "pro", "2023", {
          nb_annee_term: 60,
          nb_poursuite_etudes: 3,
          nb_en_emploi_6_mois: 30,
          nb_en_emploi_12_mois: 15,
          // Published rates and salaries are not summed (the reference's _getFilieresStats).
          taux_en_emploi_6_mois: 49,
          salaire_12_mois_q2: 1500,
        }),
        indicator("national", "", "23830031214", "pro", "2023", {
          nb_annee_term: 40,
          nb_poursuite_etudes: 2,
          nb_en_emploi_6_mois: 20,
          nb_en_emploi_12_mois: 10,
        }),
        indicator("national", "", "23830031213", "pro", "2022", {
          nb_annee_term: 15,
          nb_poursuite_etudes: 2,
        }),
        indicator("etablissement", "0010001W", "23830031213", "pro", "2022_2023", {
          nb_annee_term: 12,
          nb_poursuite_etudes: 3,
          nb_en_emploi_6_mois: 5,
        }),
        indicator("etablissement", "0010001W", "23830031214", "pro", "2022_2023", {
          nb_annee_term: 10,
          nb_poursuite_etudes: 2,
          nb_en_emploi_6_mois: 6,
        }),
        // A bac pro with figures in two regions and the nation (for a catalogue's region column).
        indicator("regional", "84", "23830031215", "pro", "2022_2023", {
          nb_annee_term: 30,
          nb_poursuite_etudes: 6,
          nb_en_emploi_6_mois: 12,
        }),
        indicator("regional", "11", "23830031215", "pro", "2022_2023", {
          nb_annee_term: 50,
          nb_poursuite_etudes: 5,
          nb_en_emploi_6_mois: 35,
        }),
        indicator("national", "", "23830031215", "pro", "2023", {
          nb_annee_term: 200,
          nb_poursuite_etudes: 20,
          nb_en_emploi_6_mois: 100,
        }),
        indicator("etablissement", "0750002V", "40031106", "apprentissage", "2022_2023", {
          nb_annee_term: 50,
          nb_poursuite_etudes: 10,
          nb_en_emploi_6_mois: 25,
        }),
      ],
    },
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** enrich a `;` CSV; rows as objects of the output columns. */
async function enrich(lines: string[], options: Partial<CatalogueOptions> = {}, data = () => dataDir) {
  const path = join(dir, "catalogue.csv");
  await writeFile(path, `${lines.join("\n")}\n`);
  const { out, summary, logger } = await runCatalogue({
    mode: "enrich",
    input: path,
    dataDir: data(),
    ...options,
  });
  const columns = out.slice(0, out.indexOf("\n")).split(";");
  return { rows: readRows(out), columns, summary, logger };
}

const INPUT_COLUMNS = new Set(["id", "sise", "uai"]);
const pick = (rows: Record<string, string>[], ...names: string[]) =>
  rows.map((r) => names.map((n) => r[n.startsWith("ij_") || INPUT_COLUMNS.has(n) ? n : `ij_${n}`]));

describe("apprenticeship UAI roles through the resolver", () => {
  it("two lieux of one formateur get its figures; rows repeat and share answers correctly", async () => {
    // 40031106 has no national or regional figures: a UAI without an associated formateur gets none.
    // 0750002V: 25/50 = 50, 10/50 = 20, autres 30.
    const { rows, logger } = await enrich(
      [
        "id;uai;cfd;voie",
        "1;0750001U;40031106;apprentissage",
        "2;0750004X;40031106;apprentissage",
        "3;0750005Y;40031106;apprentissage",
        "4;0750001U;40031106;apprentissage",
        "5;0750002V;40031106;apprentissage",
        "6;0750005Y;40031106;apprentissage",
      ],
      {},
    );
    expect(pick(rows, "id", "statut", "uai", "niveau", "uai_donnee_type", "taux_en_emploi_6_mois")).toEqual([
      ["1", "couvert", "0750001U", "etablissement", "formateur", "50"],
      ["2", "couvert", "0750004X", "etablissement", "formateur", "50"],
      ["3", "non_couvert", "0750005Y", "", "", ""],
      ["4", "couvert", "0750001U", "etablissement", "formateur", "50"],
      ["5", "couvert", "0750002V", "etablissement", "formateur", "50"],
      ["6", "non_couvert", "0750005Y", "", "", ""],
    ]);
    // --verbose says whose figures they are (ij_uai stays the row's).
    expect(logger.lines).toContain(
      "debug: line 2: UAI 0750001U × 40031106: figures of 0750002V, formateur (catalogue de l'apprentissage)",
    );
  });
});

describe("a region column", () => {
  it("names the region whose figures a row gets, row by row, whatever its UAI's region", async () => {
    // 0010001W (département 01, région 84) has no school figures for 23830031215. By hand:
    // region 84: 12/30 = 40, 6/30 = 20, autres 40; region 11: 35/50 = 70, 5/50 = 10, autres 20;
    // no region named: the UAI's own (84); nation (no UAI, no region): 100/200 = 50, 20/200 = 10, autres 40.
    const { rows } = await enrich([
      "id;uai;mefstat11;code_region",
      "1;0010001W;23830031215;11",
      "2;0010001W;23830031215;84",
      "3;0010001W;23830031215;11",
      "4;0010001W;23830031215;",
      "5;;23830031215;",
      // The same region as catalogues write it: R11, 011, its name; a value that names no region
      // leaves the UAI's (84), and says so in the row's detail.
      "6;0010001W;23830031215;R11",
      "7;0010001W;23830031215;011",
      "8;0010001W;23830031215;Île-de-France",
      "9;0010001W;23830031215;Atlantide",
    ]);
    expect(
      pick(
        rows,
        "id",
        "niveau",
        "millesime",
        "taux_en_emploi_6_mois",
        "taux_en_formation",
        "taux_autres_6_mois",
      ),
    ).toEqual([
      ["1", "regional", "2022_2023", "70", "10", "20"],
      ["2", "regional", "2022_2023", "40", "20", "40"],
      ["3", "regional", "2022_2023", "70", "10", "20"],
      ["4", "regional", "2022_2023", "40", "20", "40"],
      ["5", "national", "2023", "50", "10", "40"],
      ["6", "regional", "2022_2023", "70", "10", "20"],
      ["7", "regional", "2022_2023", "70", "10", "20"],
      ["8", "regional", "2022_2023", "70", "10", "20"],
      ["9", "regional", "2022_2023", "40", "20", "40"],
    ]);
  });
});

describe("open data and the DEPP API for one key", () => {
  it("the API row, with counts, wins whole over the open-data rates (insert.ts INDICATOR_PRIORITY)", async () => {
    // 22/40 = 55, 10/40 = 25, autres 20 (the open data said 50 / 30 / 20).
    const { rows } = await enrich(["uai;cfd;voie", "0010006B;40025214;apprentissage"]);
    expect(
      pick(
        rows,
        "niveau",
        "nb_annee_term",
        "nb_en_emploi_6_mois",
        "taux_en_emploi_6_mois",
        "taux_en_formation",
      ),
    ).toEqual([["etablissement", "40", "22", "55", "25"]]);
  });
});

describe("salaries and contract ruptures, where published", () => {
  it("national salaries at 12 months (DEPP /france) and taux_rupture_contrats (apprentissage)", async () => {
    // france/2023/voie_pro_sco_educ_nat.json: salaire_TS_Q1..Q3_12_mois 1350 / 1520 / 1700 for
    // 23830025214; france/2023/apprentissage.json: taux_rupture_contrats 18 for 40025214.
    const { rows } = await enrich(["mefstat11;cfd;voie", "23830025214;;scolaire", ";40025214;apprentissage"]);
    expect(
      pick(
        rows,
        "niveau",
        "salaire_12_mois_q1",
        "salaire_12_mois_q2",
        "salaire_12_mois_q3",
        "taux_rupture_contrats",
      ),
    ).toEqual([
      ["national", "1350", "1520", "1700", ""],
      ["national", "", "", "", "18"],
    ]);
  });
});

describe("--famille aggregate (secondes communes)", () => {
  const lines = ["id;uai;mefstat11", "1;;23810031211", "2;0010001W;23810031211", "3;0010006B;23810031211"];

  it("without it: plusieurs_codes, the terminal codes listed", async () => {
    const { rows } = await enrich(lines.slice(0, 2));
    expect(pick(rows, "statut", "motif", "candidats", "certifications_terminales")).toEqual([
      [
        "plusieurs_codes",
        "seconde_commune",
        "MEFSTAT11:23830031213|MEFSTAT11:23830031214",
        "MEFSTAT11:23830031213|MEFSTAT11:23830031214",
      ],
    ]);
  });

  it("sums the terminal codes' counts per level and millésime, rates by the aggregate rules", async () => {
    const { rows } = await enrich(lines, { famille: "aggregate" });
    // 1 national 2023: 60 + 40 = 100 term, 3 + 2 = 5 poursuite, 30 + 20 = 50 emploi 6, 15 + 10 = 25
    //   emploi 12 (the reference's test): formation 5, emploi 6 50, autres 6 45, emploi 12 25, autres 70.
    // 2 school 0010001W 2022_2023: 12 + 10 = 22 (each under 20, the sum is not): 5/22 = 22.7 → 23,
    //   11/22 = 50, autres 27.
    // 3 school 0010006B has none; region 84 neither → national, as 1.
    expect(
      pick(
        rows,
        "statut",
        "motif",
        "niveau",
        "millesime",
        "donnee_source_type",
        "donnee_source_code",
        "nb_annee_term",
        "taux_en_formation",
        "taux_en_emploi_6_mois",
        "taux_autres_6_mois",
        "taux_en_emploi_12_mois",
        "taux_autres_12_mois",
        "salaire_12_mois_q2",
      ),
    ).toEqual([
      [
        "couvert",
        "",
        "national",
        "2023",
        "famille",
        "23830031213|23830031214",
        "100",
        "5",
        "50",
        "45",
        "25",
        "70",
        "",
      ],
      [
        "couvert",
        "",
        "etablissement",
        "2022_2023",
        "famille",
        "23830031213|23830031214",
        "22",
        "23",
        "50",
        "27",
        "",
        "",
        "",
      ],
      [
        "couvert",
        "pas_de_donnees_etablissement",
        "national",
        "2023",
        "famille",
        "23830031213|23830031214",
        "100",
        "5",
        "50",
        "45",
        "25",
        "70",
        "",
      ],
    ]);
    expect(pick(rows, "code_certification", "candidats", "certifications_terminales")[0]).toEqual([
      "",
      "",
      "MEFSTAT11:23830031213|MEFSTAT11:23830031214",
    ]);
  });

  it("with --history: the 2022 national sum (15, one code) is under the threshold", async () => {
    const { rows, summary } = await enrich(lines.slice(0, 2), { famille: "aggregate", history: true });
    expect(
      pick(rows, "statut", "millesime", "nb_annee_term", "taux_en_formation", "donnee_source_code"),
    ).toEqual([
      ["couvert", "2023", "100", "5", "23830031213|23830031214"],
      ["sous_seuil", "2022", "15", "", "23830031213"],
    ]);
    expect([summary.rows, summary.rowsWritten]).toEqual([1, 2]);
  });
});

describe("--indicateurs", () => {
  it("keeps only the named figure columns (with or without ij_); status, codes and provenance stay", async () => {
    const { columns, rows } = await enrich(["mefstat11", "23830025214"], {
      indicateurs: ["taux_en_emploi_6_mois", "ij_nb_annee_term"],
    });
    expect(columns).toEqual([
      "mefstat11",
      ...ENRICH_COLUMNS.filter(
        (c) =>
          !c.match(/^ij_(nb|taux|salaire)_/) || c === "ij_nb_annee_term" || c === "ij_taux_en_emploi_6_mois",
      ),
    ]);
    expect(columns).not.toContain("ij_taux_en_formation");
    expect(columns).toContain("ij_uai_donnee_type");
    // National 2023 of 23830025214: 1064 term, 230/1064 = 21.6 → 22.
    expect(pick(rows, "statut", "niveau", "nb_annee_term", "taux_en_emploi_6_mois")).toEqual([
      ["couvert", "national", "1064", "22"],
    ]);
  });

  it("an unknown name is a usage error (exit 2) that lists the valid names", async () => {
    const error = await enrich(["mefstat11", "23830025214"], {
      indicateurs: ["taux_emploi", "nb_annee_term"],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InserJeunesError);
    expect((error as InserJeunesError).exitCode).toBe(2);
    expect((error as InserJeunesError).message).toContain("unknown indicator(s) taux_emploi");
    expect((error as InserJeunesError).hint).toContain("taux_en_emploi_6_mois");
  });
});

describe("--history", () => {
  it("one row per millésime at the chosen level, latest first; rows without figures once", async () => {
    // 23830025214 national: 2023 (1064 term, 230 → 22 %) and 2022 (france/2022: 1000 term, 200 emploi 6
    // → 20 %, 500 poursuite → 50 %, autres 30). 40031106 has no figures: one row.
    const { rows, summary } = await enrich(
      ["id;mefstat11;cfd;voie", "1;23830025214;;scolaire", "2;;40031106;apprentissage"],
      {
        history: true,
      },
    );
    expect(
      pick(rows, "id", "statut", "millesime", "nb_annee_term", "taux_en_emploi_6_mois", "taux_autres_6_mois"),
    ).toEqual([
      ["1", "couvert", "2023", "1064", "22", "30"],
      ["1", "couvert", "2022", "1000", "20", "30"],
      ["2", "non_couvert", "", "", "", ""],
    ]);
    expect([summary.rows, summary.rowsWritten]).toEqual([2, 3]);
  });

  it("match refuses the enrich-only options (it adds no figures)", async () => {
    const error = await enrich(["mefstat11", "23830025214"], { mode: "match", history: true }).catch(
      (e: unknown) => e,
    );
    expect((error as InserJeunesError).exitCode).toBe(2);
  });

  it("cannot be combined with --millesime", async () => {
    const error = await enrich(["mefstat11", "23830025214"], { history: true, millesime: "2023" }).catch(
      (e: unknown) => e,
    );
    expect((error as InserJeunesError).exitCode).toBe(2);
  });
});

describe("supérieur: InserSup figures by (UAI, SISE), national when the UAI has none", () => {
  it("the school's, else the nation's (no regional level for the supérieur)", async () => {
    // fr-esr-insersup.csv: 0062205P × 2400074, promo 2021,2022 (flag *: cumulated → 2021_2022): 95
    //   sortants + 60 poursuivants = 155; 41/155 = 26.45 → 26, 60/155 = 38.71 → 39, autres 35.
    // 0010001W has none → the national row, promo 2022: 10412 + 7930 = 18342; 6120/18342 = 33.37 → 33,
    //   7930/18342 = 43.23 → 43, autres 24; 12 months 6890/18342 = 37.56 → 38, autres 19;
    //   salaries (salaire_q1..q3_12) 1600 / 1780 / 2010.
    const { rows } = await enrich(["uai;sise", "0062205P;2400074", "0010001W;2400074"]);
    expect(
      pick(
        rows,
        "statut",
        "motif",
        "voie",
        "niveau",
        "millesime",
        "filiere",
        "nb_annee_term",
        "taux_en_emploi_6_mois",
        "taux_en_formation",
        "taux_autres_6_mois",
        "taux_en_emploi_12_mois",
        "taux_autres_12_mois",
        "salaire_12_mois_q2",
      ),
    ).toEqual([
      [
        "couvert",
        "",
        "superieur",
        "etablissement",
        "2021_2022",
        "superieur",
        "155",
        "26",
        "39",
        "35",
        "30",
        "31",
        "1780",
      ],
      [
        "couvert",
        "pas_de_donnees_etablissement",
        "superieur",
        "national",
        "2022",
        "superieur",
        "18342",
        "33",
        "43",
        "24",
        "38",
        "19",
        "1780",
      ],
    ]);
  });
});

/**
 * Real InserSup rows (../shared/real-samples), each file parsed by the insersup source module:
 * - insersup/trajpro_fixture_fr-esr-insersup_ods_records_2024S2.json (ODS long schema, 0062205P ×
 *   2500249, promo 2021): the line kept per month is genre = nationalité = ensemble, diplômé: 123
 *   sortants, 11 poursuivants (nb_annee_term = 134), 105 / 106 / 109 / 109 in salaried employment at
 *   6 / 12 / 18 / 24 months;
 * - trajectoires-pro/server/…/inserSup/formationsMillesimesMixtesWithDouble.json (the InserSup API shape,
 *   0062205P × 2400074): annee_universitaire 2020-2021 twice, nb_sortants "54" (single year 2021,
 *   nb_inscrits 119, 65 poursuivants, dsn 23 at 6 months, 25 at 12) and "130 *" (cumulated 2020_2021,
 *   193 inscrits);
 * - trajectoires-pro/at-8f30046-parent/…/inserSup/formationsMillesimesMixtesWithDouble.json (the old ODS
 *   schema, 0062205P × 2500200): promo 2021 (120 + 11 = 131), 2020 (117 + 24 = 141) and 2020+2021 flagged
 *   * (22 + 8 = 30); rates among sortants only (taux_emploi_sal_fr), no employment count.
 */
describeReal("supérieur on real InserSup rows", () => {
  let realDir = "";
  let realData: DataDir;
  const trajpro = (...parts: string[]) =>
    real(
      "trajectoires-pro",
      ...parts,
      "server",
      "tests",
      "fixtures",
      "files",
      "inserSup",
      "formationsMillesimesMixtesWithDouble.json",
    );

  beforeAll(async () => {
    realDir = await mkdtemp(join(tmpdir(), "inserjeunes-insersup-"));
    realData = await buildTestIndex(realDir, {
      files: {
        insersup: [
          real("insersup", "trajpro_fixture_fr-esr-insersup_ods_records_2024S2.json"),
          trajpro(),
          trajpro("at-8f30046-parent"),
        ],
      },
    });
  });

  afterAll(async () => {
    await rm(realDir, { recursive: true, force: true });
  });

  it("figures per (UAI, SISE); a single year beats the cumulated one; a rate without its count is empty", async () => {
    const { rows } = await enrich(
      ["uai;sise", "0062205P;2500249", "0062205P;2400074", "0062205P;2500200", "0010001W;2500249"],
      {},
      () => realData,
    );
    // 1 2500249: 105/134 = 78.36 → 78, 11/134 = 8.21 → 8, autres 14; 106/134 = 79.10 → 79, autres 13;
    //   109/134 = 81.34 → 81 at 18 and 24 months, autres 11.
    // 2 2400074: the single year 2021 (119) wins over 2020_2021 (193), both ending in 2021 (the reference's
    //   "retourne en priorité un millésime unique"): 23/119 = 19.33 → 19, 65/119 = 54.62 → 55, autres 26;
    //   25/119 = 21.01 → 21, autres 24; 27/119 = 22.69 → 23 at 24 months, autres 22 (the reference's
    //   InserSup test: 55 / 19 / 26; the file's own taux_in_dsn_6 / _12 / _24 say 19,3 / 21,0 / 22,7).
    // 3 2500200: 2021 (131) over 2020_2021 (30): 11/131 = 8.40 → 8; the old schema has no employment
    //   count, so every employment rate and taux_autres is empty, not 0.
    // 4 another UAI, no national InserSup row in these files: pas_de_donnees.
    expect(
      pick(
        rows,
        "statut",
        "niveau",
        "millesime",
        "nb_annee_term",
        "taux_en_emploi_6_mois",
        "taux_en_formation",
        "taux_autres_6_mois",
        "taux_en_emploi_12_mois",
        "taux_autres_12_mois",
        "taux_en_emploi_24_mois",
        "taux_autres_24_mois",
      ),
    ).toEqual([
      ["couvert", "etablissement", "2021", "134", "78", "8", "14", "79", "13", "81", "11"],
      ["couvert", "etablissement", "2021", "119", "19", "55", "26", "21", "24", "23", "22"],
      ["couvert", "etablissement", "2021", "131", "", "8", "", "", "", "", ""],
      ["non_couvert", "", "", "", "", "", "", "", "", "", ""],
    ]);
    expect(rows[3]!["ij_motif"]).toBe("pas_de_donnees");
  });

  it("--history: one row per year; the cumulated 2020_2021 never shows beside the single 2021", async () => {
    const { rows } = await enrich(
      ["uai;sise", "0062205P;2500200", "0062205P;2400074"],
      { history: true },
      () => realData,
    );
    // 2500200: 2021 (131: 11 → 8 %), 2020 (141: 24/141 = 17.02 → 17 %). 2400074: 2021 only.
    expect(pick(rows, "sise", "millesime", "nb_annee_term", "taux_en_formation")).toEqual([
      ["2500200", "2021", "131", "8"],
      ["2500200", "2020", "141", "17"],
      ["2400074", "2021", "119", "55"],
    ]);
  });
});

describe("a forced --niveau", () => {
  it("says nothing of the school's figures when the school level is not looked at", async () => {
    // 0010006B has its own figures for 40025214 (2022_2023, 40 in terminal year): with --niveau auto
    // they are given; with --niveau national the nation's are, and the school was never looked at, so
    // the motif is not pas_de_donnees_etablissement ("no figures for this school"), which would be false.
    const lines = ["uai;cfd;voie", "0010006B;40025214;apprentissage"];
    const auto = await enrich(lines);
    const national = await enrich(lines, { niveau: "national" });
    expect(pick(auto.rows, "statut", "motif", "niveau")).toEqual([["couvert", "", "etablissement"]]);
    expect(pick(national.rows, "statut", "motif", "niveau")).toEqual([["couvert", "", "national"]]);
  });
});

describe("a pinned millésime", () => {
  it("without figures for it, the row says other millésimes exist (millesime_indisponible)", async () => {
    // 0010006B × 40025214 has figures for 2022_2023 only (DEPP API and open data fixtures above): 2019
    // maps to 2018_2019 for the school and the region, 2019 for the nation; none has figures.
    const lines = ["uai;cfd;voie", "0010006B;40025214;apprentissage"];
    const { rows } = await enrich(lines, { millesime: "2019" });
    expect(pick(rows, "statut", "motif", "niveau")).toEqual([["non_couvert", "millesime_indisponible", ""]]);
    const pinned = await enrich(lines, { millesime: "2023" });
    expect(pick(pinned.rows, "statut", "niveau", "millesime")).toEqual([
      ["couvert", "etablissement", "2022_2023"],
    ]);
  });
});
