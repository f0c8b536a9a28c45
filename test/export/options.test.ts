import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DataDir, resolveDataDir } from "../../src/data-dir.js";
import { buildIndex } from "../../src/index-db/build.js";
import { SOURCE_IDS, type SourceId } from "../../src/sources/types.js";
import { importSources } from "../helpers/build.js";
import { fixture } from "../helpers/paths.js";
import { memoryLogger } from "../../src/effects.js";
import { InserJeunesError } from "../../src/errors.js";
import { runFetch } from "../../src/fetch/run.js";
import { type ExportOptions, runExport } from "../../src/pipeline/export.js";
import { runCli } from "../helpers/cli.js";
import { buildFixtureIndex, DEMO_SOURCES, frozenEffects } from "../helpers/fixture-index.js";
import { readRows } from "../helpers/csv.js";

/** Formats, filters, refusals and replacement of the output directory, on the fixture index. */
describe("export options", () => {
  let dir: string;
  let dataDir: DataDir;
  let n = 0;
  const run = (options: Partial<ExportOptions>) => {
    const out = options.out ?? join(dir, `out-${++n}`);
    return runExport(
      { dataDir, datasets: ["all"], toolVersion: "0.0.0-test", ...options, out },
      frozenEffects(),
    ).then((result) => ({ out, result }));
  };
  const csv = async (out: string, name: string) => readRows(await readFile(join(out, `${name}.csv`), "utf8"));
  /** A copy of the fixture index with rows added, as the annuaire or the catalogue would put them. */
  const indexWith = async (name: string, ...statements: string[]): Promise<DataDir> => {
    const other = resolveDataDir(join(dir, name), {});
    await mkdir(other.root, { recursive: true });
    await copyFile(dataDir.index, other.index);
    await copyFile(dataDir.manifest, other.manifest);
    const db = new Database(other.index);
    for (const statement of statements) db.prepare(statement).run();
    db.close();
    return other;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "inserjeunes-export-options-"));
    dataDir = await buildFixtureIndex(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("--format json and ndjson hold the CSV's rows: numbers as numbers, withheld null, no value absent", async () => {
    const { out: csvOut } = await run({ datasets: ["certifications"] });
    const { out: jsonOut } = await run({ datasets: ["certifications"], format: "json" });
    const { out: ndOut } = await run({ datasets: ["certifications"], format: "ndjson" });
    const fromCsv = await csv(csvOut, "certifications");
    const json = JSON.parse(await readFile(join(jsonOut, "certifications.json"), "utf8")) as Record<
      string,
      unknown
    >[];
    const nd = (await readFile(join(ndOut, "certifications.ndjson"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(nd).toEqual(json);
    expect(json).toHaveLength(fromCsv.length);
    json.forEach((row, i) => {
      for (const [name, text] of Object.entries(fromCsv[i]!)) {
        if (text === "") expect(row, name).not.toHaveProperty(name);
        else if (text === "null") expect(row[name], name).toBeNull();
        else expect(String(row[name]), name).toBe(text);
      }
    });
    expect(json.find((r) => r.code_certification === "40025214")).toMatchObject({
      nb_annee_term: 821,
      taux_rupture_contrats: 18,
      code_formation_diplome: "40025214",
    });
    const pkg = JSON.parse(await readFile(join(ndOut, "datapackage.json"), "utf8"));
    expect(pkg.resources[0]).toMatchObject({ path: "certifications.ndjson", format: "ndjson" });
    expect(pkg.resources[0]).not.toHaveProperty("dialect");
  });

  it("--millesime keeps the millésimes asked, in any written form, at each level", async () => {
    const { out } = await run({
      datasets: ["certifications", "regionales", "formations"],
      filters: { millesimes: ["2022"] },
    });
    // Nationally only 23830025214 has 2022 figures (france/2022), and the continuum copies them.
    expect((await csv(out, "certifications")).map((r) => [r.code_certification, r.millesime])).toEqual([
      ["23830025214", "2022"],
      ["23830025224", "2022"],
    ]);
    // Regional and school figures are 2022_2023: "2022" means 2021_2022 there, which the fixtures lack.
    expect(await csv(out, "regionales")).toEqual([]);
    const { out: display } = await run({
      datasets: ["regionales", "formations"],
      filters: { millesimes: ["2022/2023"] },
    });
    expect(await csv(display, "regionales")).toHaveLength(3);
    expect(await csv(display, "formations")).toHaveLength(3);
  });

  it("--region keeps the regions asked (regionales, formations); the national dataset is not filtered", async () => {
    const { out } = await run({
      datasets: ["certifications", "regionales", "formations"],
      filters: { regions: ["11"] },
    });
    expect(await csv(out, "regionales")).toEqual([]);
    expect(await csv(out, "formations")).toEqual([]);
    expect(await csv(out, "certifications")).toHaveLength(12);
    const { out: ara } = await run({ datasets: ["formations"], filters: { regions: ["R84"] } });
    expect((await csv(ara, "formations")).map((r) => r.uai)).toEqual(["0010001W", "0010001W", "0010001W"]);
  });

  it("refuses, with exit 2 and nothing written: unknown dataset, couverture without catalogue, bad filters", async () => {
    const cases: [Partial<ExportOptions>, RegExp][] = [
      [{ datasets: ["nationales" as "all"] }, /unknown dataset "nationales"/],
      [{ datasets: ["couverture"] }, /couverture dataset needs a catalogue/],
      [{ filters: { regions: ["99"] } }, /--region 99: not an INSEE region code/],
      [{ filters: { millesimes: ["2021_2023"] } }, /--millesime 2021_2023/],
      [{ filters: { academies: ["Lyon!"] } }, /--academie Lyon!/],
    ];
    for (const [options, message] of cases) {
      const out = join(dir, `refused-${++n}`);
      const error = await run({ ...options, out }).catch((e: unknown) => e);
      expect(error, String(message)).toBeInstanceOf(InserJeunesError);
      expect((error as InserJeunesError).exitCode).toBe(2);
      expect((error as Error).message).toMatch(message);
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    }
  });

  it("without an index: exit 3 saying what to run", async () => {
    const error = await runExport(
      {
        dataDir: resolveDataDir(join(dir, "empty"), {}),
        datasets: ["all"],
        out: join(dir, "x"),
        toolVersion: "0",
      },
      frozenEffects(),
    ).catch((e: unknown) => e);
    expect((error as InserJeunesError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/no index/);
  });

  it("never replaces a directory that is not an export, nor a file", async () => {
    const mine = join(dir, "my-documents");
    await mkdir(mine);
    await writeFile(join(mine, "thesis.txt"), "precious");
    const error = await run({ out: mine }).catch((e: unknown) => e);
    expect((error as InserJeunesError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/not an inserjeunes export/);
    expect(await readdir(mine)).toEqual(["thesis.txt"]);
    const file = join(dir, "a-file");
    await writeFile(file, "x");
    await expect(run({ out: file })).rejects.toThrow(/is a file/);
  });

  it("replaces a previous export as a whole, leaving nothing beside it", async () => {
    const out = join(dir, "replaced");
    await run({ out, lookup: true });
    expect(await readdir(out)).toContain("lookup");
    await run({ out, datasets: ["regionales"] });
    expect((await readdir(out)).sort()).toEqual([
      "SHA256SUMS",
      "datapackage.json",
      "manifest.json",
      "regionales.csv",
    ]);
    expect((await readdir(dir)).filter((name) => name.includes("replaced"))).toEqual(["replaced"]);
  });

  it("formations: the catalogue de l'apprentissage decides uai_type; the annuaire gives académie and region", async () => {
    // A copy of the fixture index with, as the annuaire and the catalogue de l'apprentissage would put
    // them: school 0010006B (académie 10, Lyon) training apprentices of CFD 40025214 as formateur for
    // the lieu 0010007C, with figures of its own; and 0010001W in académie 10.
    const other = await indexWith(
      "with-roles",
      "INSERT INTO etablissement (uai, nom, academie, region, source, priority) VALUES ('0010006B', 'CFA', '10', '84', 'test', 1), ('0010001W', 'LP', '10', '84', 'test', 1)",
      "INSERT INTO uai_role (cle, cfd, uai_lieu, uai_formateur, uai_gestionnaire) VALUES ('k1', '40025214', '0010007C', '0010006B', '0010006B')",
      "INSERT INTO indicator (niveau, zone, code, filiere, millesime, nb_annee_term, nb_en_emploi_6_mois, nb_poursuite_etudes, source, priority) VALUES ('etablissement', '0010006B', '40025214', 'apprentissage', '2022_2023', 40, 22, 10, 'test', 1)",
    );
    const { out } = await runExport(
      {
        dataDir: other,
        datasets: ["formations"],
        out: join(dir, "roles"),
        toolVersion: "0",
        filters: { academies: ["10"] },
      },
      frozenEffects(),
    ).then((result) => ({ out: result.out }));
    const rows = await csv(out, "formations");
    const cfa = rows.filter((r) => r.uai === "0010006B");
    // 0010006B is formateur (a better role than gestionnaire) of 40025214, and of 40025224 through the
    // 1:1 continuum; 22/40 = 55 % employed at 6 months.
    expect(
      cfa.map((r) => [
        r.code_certification,
        r.uai_type,
        r.uai_donnee_type,
        r.donnee_source_type,
        r.taux_en_emploi_6_mois,
        r.academie,
      ]),
    ).toEqual([
      ["40025214", "formateur", "formateur", "self", "55", "10"],
      ["40025224", "formateur", "formateur", "ancienne", "55", "10"],
    ]);
    expect(rows.filter((r) => r.uai === "0010001W")).toHaveLength(3);
    const { out: none } = await runExport(
      {
        dataDir: other,
        datasets: ["formations"],
        out: join(dir, "roles-none"),
        toolVersion: "0",
        filters: { academies: ["01"] },
      },
      frozenEffects(),
    );
    expect(await csv(none, "formations")).toEqual([]);
  });

  it("formations: a lieu that trains for itself and for a lieu without figures is the formateur; the lieu gets a copy", async () => {
    // The reference's computeUAI on two offers of 40025214: 0470015L is lieu, formateur and
    // gestionnaire of its own, and formateur and gestionnaire of 0470016M's; only 0470015L has figures.
    // computeUAIBase types it lieu_formation; computeUaiFormateur makes it the formateur (its other lieu
    // has none; it is its own only gestionnaire, and manages no other formateur: it stays formateur);
    // computeUAILieuFormationForFormateur copies its figures to 0470016M (its only formateur), typed
    // lieu_formation with uai_donnee 0470015L, formateur — and so for 40025224, its 1:1 nouveau
    // (continuum, ancienne). 22/40 = 55 % employed at 6 months. Département 047: region 75.
    // 0470017N has two formateurs (0470015L, 0470016M) and two gestionnaires: no guess, no copy.
    const other = await indexWith(
      "with-lieux",
      `INSERT INTO uai_role (cle, cfd, uai_lieu, uai_formateur, uai_gestionnaire) VALUES
         ('k1', '40025214', '0470015L', '0470015L', '0470015L'),
         ('k2', '40025214', '0470016M', '0470015L', '0470015L'),
         ('k3', '40025214', '0470017N', '0470015L', '0470015L'),
         ('k4', '40025214', '0470017N', '0470016M', '0470018P')`,
      "INSERT INTO indicator (niveau, zone, code, filiere, millesime, nb_annee_term, nb_en_emploi_6_mois, nb_poursuite_etudes, source, priority) VALUES ('etablissement', '0470015L', '40025214', 'apprentissage', '2022_2023', 40, 22, 10, 'test', 1)",
    );
    const { out } = await runExport(
      { dataDir: other, datasets: ["formations"], out: join(dir, "lieux"), toolVersion: "0" },
      frozenEffects(),
    );
    const rows = (await csv(out, "formations")).filter((r) => r.uai?.startsWith("047"));
    expect(
      rows.map((r) => [
        r.uai,
        r.uai_type,
        r.uai_donnee,
        r.uai_donnee_type,
        r.code_certification,
        r.donnee_source_type,
        r.taux_en_emploi_6_mois,
        r.code_region,
      ]),
    ).toEqual([
      ["0470015L", "formateur", "0470015L", "formateur", "40025214", "self", "55", "75"],
      ["0470015L", "formateur", "0470015L", "formateur", "40025224", "ancienne", "55", "75"],
      ["0470016M", "lieu_formation", "0470015L", "formateur", "40025214", "self", "55", "75"],
      ["0470016M", "lieu_formation", "0470015L", "formateur", "40025224", "ancienne", "55", "75"],
    ]);
  });

  it("couverture reads the catalogue with --columns / --delimiter like match", async () => {
    const catalogue = join(dir, "offres.csv");
    await writeFile(catalogue, "ref,diplome\nA,40025214\nB,99999999\nC,\n");
    const { out } = await run({
      datasets: ["couverture"],
      catalogue: { input: catalogue, columns: "cfd=diplome" },
    });
    const rows = await csv(out, "couverture");
    const get = (d: string, v: string) => rows.find((r) => r.dimension === d && r.valeur === v)!;
    // A: 40025214 has national figures (couvert); B: a well-formed CFD nobody knows; C: no identifier.
    expect([
      get("statut", "couvert").lignes,
      get("motif", "code_inconnu").lignes,
      get("motif", "identifiant_absent").lignes,
    ]).toEqual(["1", "1", "1"]);
    expect(get("statut", "couvert").part).toBe("33.3");
  });

  it("CLI: datasets separated by commas or spaces, filters, the summary on stderr, --json on stdout", async () => {
    const out = join(dir, "cli");
    const args = ["--data-dir", dataDir.root, "--json", "export", "certifications", "regionales"];
    const run = await runCli([
      ...args,
      "--millesime",
      "2022/2023,2023",
      "--region",
      "84",
      "--format",
      "ndjson",
      "--out",
      out,
    ]);
    expect(run.code).toBe(0);
    // "2022/2023" and "2023" both mean 2023 nationally: the two 2022 rows of the 12 are left out.
    const result = JSON.parse(run.stdout);
    expect(result.datasets.map((d: { path: string; rows: number }) => [d.path, d.rows])).toEqual([
      ["certifications.ndjson", 10],
      ["regionales.ndjson", 3],
    ]);
    expect(run.stderr).toMatch(/certifications\.ndjson\s+10 rows/);
    expect(run.stderr).toMatch(/published .*cli/);
    const commas = await runCli([
      ...args.slice(0, -2),
      "certifications,regionales",
      "--format",
      "ndjson",
      "--out",
      join(dir, "commas"),
    ]);
    expect(JSON.parse(commas.stdout).datasets.map((d: { path: string }) => d.path)).toEqual([
      "certifications.ndjson",
      "regionales.ndjson",
    ]);
    const bad = await runCli([
      "--data-dir",
      dataDir.root,
      "export",
      "--format",
      "xlsx",
      "--out",
      join(dir, "bad"),
    ]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/argument 'xlsx' is invalid/)]);
  });

  it("a source fetched again after build-index: a warning, and the manifest keeps the index's sha256", async () => {
    const sub = join(dir, "refetched");
    await mkdir(sub);
    const data = await buildFixtureIndex(sub);
    const indexed = JSON.parse(await readFile(data.manifest, "utf8")).sources.certifinfo.sha256;
    const changed = join(sub, "certifinfo.csv");
    await writeFile(changed, `${await readFile(DEMO_SOURCES.certifinfo, "utf8")}\n`);
    await runFetch({ dataDir: data, files: [`certifinfo=${changed}`], ids: [] }, frozenEffects());
    const logger = memoryLogger();
    const effects = { ...frozenEffects(), logger };
    const result = await runExport(
      { dataDir: data, datasets: ["certifications"], out: join(sub, "out"), toolVersion: "0" },
      effects,
    );
    expect(logger.lines.filter((l) => l.startsWith("warning:"))).toEqual([
      "warning: certifinfo was fetched again after build-index: run `inserjeunes build-index` to export it",
    ]);
    const manifest = JSON.parse(await readFile(join(result.out, "manifest.json"), "utf8"));
    expect(manifest.sources.find((s: { id: string }) => s.id === "certifinfo")).toMatchObject({
      sha256: indexed,
      origin: null,
      retrievedAt: null,
    });
  });

  it("formations with every fixture source: the catalogue's roles and the directory's académie", async () => {
    // Every producer file of fixtures/ (their edge cases aside), as a user would fetch them.
    const root = join(dir, "every-source");
    await mkdir(root);
    const sources: Partial<Record<SourceId, string[]>> = {};
    for (const id of SOURCE_IDS) {
      if (id === "inserjeunes-api") continue;
      const entries = await readdir(fixture(id), { withFileTypes: true }).catch(() => []);
      const files = entries.filter((e) => e.isFile()).map((e) => fixture(id, e.name));
      if (files.length > 0) sources[id] = files;
    }
    const every = await importSources(root, sources);
    await runFetch(
      { dataDir: every, files: [`inserjeunes-api=${fixture("inserjeunes-api")}`], ids: [] },
      frozenEffects(),
    );
    await buildIndex({ dataDir: every, toolVersion: "0" }, frozenEffects());
    const { out } = await runExport(
      { dataDir: every, datasets: ["formations"], out: join(root, "out"), toolVersion: "0" },
      frozenEffects(),
    );
    const rows = await csv(out, "formations");
    const roles = (uai: string) => [
      ...new Set(
        rows
          .filter((r) => r.uai === uai)
          .map((r) => `${r.code_certification} ${r.uai_type} ${r.academie} ${r.code_region}`),
      ),
    ];
    // catalogue-apprentissage page-1: CFD 40025214 taught at 0010001W (lieu), 0010826T formateur and
    // gestionnaire: formateur wins; 40025224 (its 1:1 nouveau) inherits the role. Académie 10 (Lyon).
    expect(roles("0010826T")).toEqual(["40025214 formateur 10 84", "40025224 formateur 10 84"]);
    // Voie scolaire at 0010001W: lieu_formation; the annuaire puts it in académie 10.
    expect(roles("0010001W").every((r) => / lieu_formation 10 84$/.test(r))).toBe(true);
    // 0010001W has no apprenticeship figures of its own, and 0010826T is its only formateur: the
    // reference's computeUAILieuFormationForFormateur copies 0010826T's to it, with their source named.
    expect(
      rows
        .filter((r) => r.uai === "0010001W" && r.filiere === "apprentissage")
        .map((r) => [r.code_certification, r.uai_type, r.uai_donnee, r.uai_donnee_type, r.millesime]),
    ).toEqual(
      rows
        .filter((r) => r.uai === "0010826T")
        .map((r) => [r.code_certification, "lieu_formation", "0010826T", "formateur", r.millesime]),
    );
    // InserSup figures of 0062205P (Université Côte d’Azur, ACCE: académie 23 Nice, region 93): role inconnu.
    expect(roles("0062205P").every((r) => / inconnu 23 93$/.test(r))).toBe(true);
    const keys = rows.map((r) => `${r.uai}|${r.code_certification}|${r.filiere}|${r.millesime}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
