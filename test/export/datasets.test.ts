import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataDir } from "../../src/data-dir.js";
import { type ExportResult, runExport } from "../../src/pipeline/export.js";
import { DATASETS, SPECS } from "../../src/pipeline/export-spec.js";
import { buildFixtureIndex, frozenEffects } from "../helpers/fixture-index.js";
import { fixture } from "../helpers/paths.js";
import { type Row, readRows } from "../helpers/csv.js";
import { EXPECTED, everything } from "./helpers.js";

/**
 * `export all --catalogue onisep-demo.csv --lookup` on the index built from fixtures/ (every source of the
 * demo pipeline). The golden files in test/export/expected/ were checked by hand; the rows below are
 * recomputed from the fixture rows, with where each figure comes from.
 */
const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

describe("export all (fixture index)", () => {
  let dir: string;
  let dataDir: DataDir;
  let out: string;
  let result: ExportResult;
  const rows = async (name: string) => readRows(await readFile(join(out, `${name}.csv`), "utf8"));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "inserjeunes-export-"));
    dataDir = await buildFixtureIndex(dir);
    out = join(dir, "publication");
    result = await runExport(everything(dataDir, out), frozenEffects());
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(DATASETS)("%s.csv is byte for byte the golden file", async (name) => {
    expect(await readFile(join(out, `${name}.csv`), "utf8")).toBe(
      await readFile(join(EXPECTED, `${name}.csv`), "utf8"),
    );
  });

  it("writes exactly the datasets, the lookups and the three descriptions", async () => {
    expect((await readdir(out)).sort()).toEqual([
      "SHA256SUMS",
      "certifications.csv",
      "correspondances.csv",
      "couverture.csv",
      "datapackage.json",
      "formations.csv",
      "lookup",
      "manifest.json",
      "regionales.csv",
    ]);
    expect((await readdir(join(out, "lookup"))).sort()).toEqual([
      "certifications.ndjson",
      "formations.ndjson",
      "inserjeunes.sqlite",
      "regionales.ndjson",
    ]);
    expect(result.datasets.map((d) => [d.name, d.rows])).toEqual([
      ["certifications", 12],
      ["regionales", 3],
      ["formations", 3],
      ["correspondances", 205],
      ["couverture", 42],
    ]);
    // Nothing left beside the published directory.
    expect((await readdir(dir)).sort()).toEqual(["data", "publication"]);
  });

  it("certifications: the national rows, plus those the 1:1 continuum gives to the renovated bac pro", async () => {
    const all = await rows("certifications");
    // 9 national rows in the DEPP API fixtures (france/2022, france/2023) + 3 continuum rows.
    expect(all).toHaveLength(12);
    expect(all.filter((r) => r.donnee_source_type === "self")).toHaveLength(9);
    // N_FORMATION_DIPLOME: 40025224 (bac pro MV option A, renovated 2024) has ANCIEN_DIPLOME_1 = 40025214,
    // whose NOUVEAU_DIPLOME_1 = 40025224: a 1:1 link. Each has one terminal MEF (N_MEF année 3 of 3:
    // 23830025214, 23830025224), so the link carries over to them. 40025224 has no figures: it gets
    // those of 40025214 for each millésime, type ancienne.
    const derived = all.filter((r) => r.donnee_source_type !== "self");
    expect(
      derived.map((r) => [
        r.code_certification,
        r.filiere,
        r.millesime,
        r.donnee_source_type,
        r.donnee_source_code_certification,
      ]),
    ).toEqual([
      ["23830025224", "pro", "2022", "ancienne", "23830025214"],
      ["23830025224", "pro", "2023", "ancienne", "23830025214"],
      ["40025224", "apprentissage", "2023", "ancienne", "40025214"],
    ]);
    // france/2023/voie_pro_sco_educ_nat: 23830025214 has 1064 in terminal year, 230 in employment at
    // 6 months (230/1064 = 21.6 → 22), 512 studying (48.1 → 48), autres 100 − 22 − 48 = 30; salaries
    // 1350/1520/1700. The derived row repeats them under the new code and its CFD.
    const own = all.find((r) => r.code_certification === "23830025214" && r.millesime === "2023")!;
    const copy = all.find((r) => r.code_certification === "23830025224" && r.millesime === "2023")!;
    expect([
      own.nb_annee_term,
      own.taux_en_emploi_6_mois,
      own.taux_en_formation,
      own.taux_autres_6_mois,
    ]).toEqual(["1064", "22", "48", "30"]);
    expect([own.salaire_12_mois_q1, own.salaire_12_mois_q2, own.salaire_12_mois_q3]).toEqual([
      "1350",
      "1520",
      "1700",
    ]);
    const figures = (r: Row) => Object.entries(r).filter(([k]) => /^(nb|taux|salaire)_/.test(k));
    expect(figures(copy)).toEqual(figures(own));
    expect(copy.code_formation_diplome).toBe("40025224");
    // 40025214 apprentissage 2023: 821 in terminal year, 392 employed at 6 months (47.75 → 48).
    const apprentissage = all.find((r) => r.code_certification === "40025224")!;
    expect([apprentissage.nb_annee_term, apprentissage.taux_en_emploi_6_mois]).toEqual(["821", "48"]);
    // No row for diplomas the BCN fixture does not know: 40025207 (ancien of 40025214), 56122105
    // (nouveau of 01022105); 50033412 has three anciens (not 1:1) and no figures anyway.
    for (const code of ["40025207", "56122105", "50033412"])
      expect(all.some((r) => r.code_certification === code)).toBe(false);
  });

  it("the null convention: withheld = null, cannot be computed = empty", async () => {
    const all = await rows("certifications");
    // 32221033107 (BTS opticien lunetier, 2 ans) has 12 < 20 in terminal year (DEPP API fixture,
    // france/2023: nb_annee_term 12, nb_sortant 7, nb_poursuite_etudes 5, nb_en_emploi_6_mois 4, no
    // other measure): what it has, and the three rates they give (6 months, formation, autres 6), is
    // withheld; the 12/18/24-month counts and rates and the contract ruptures it never had stay empty,
    // as the reference nulls only the keys a document has; its salaries were never published: empty.
    const under = all.find((r) => r.code_certification === "32221033107")!;
    expect(under.nb_annee_term).toBe("12");
    const withheld = [
      "nb_sortant",
      "nb_poursuite_etudes",
      "nb_en_emploi_6_mois",
      "taux_en_emploi_6_mois",
      "taux_en_formation",
      "taux_autres_6_mois",
    ];
    for (const [name, value] of Object.entries(under))
      if (/^(nb|taux)_/.test(name) && name !== "nb_annee_term")
        expect(value, name).toBe(withheld.includes(name) ? "null" : "");
    expect([under.salaire_12_mois_q1, under.salaire_12_mois_q2]).toEqual(["", ""]);
    // 23220031223 (CAP fleuriste 2 ans, 200 students): no count at 18 months → rate empty, not null.
    const fleuriste = all.find((r) => r.code_certification === "23220031223")!;
    expect([fleuriste.nb_en_emploi_18_mois, fleuriste.taux_en_emploi_18_mois]).toEqual(["", ""]);
    // 101/200 = 50.5 → 50 and 103/200 = 51.5 → 52 (half to even); autres = max(100 − 50 − 52, 0) = 0.
    expect([
      fleuriste.taux_en_emploi_6_mois,
      fleuriste.taux_en_formation,
      fleuriste.taux_autres_6_mois,
    ]).toEqual(["50", "52", "0"]);
  });

  it("regionales: the region of the DEPP file, named, with its continuum row", async () => {
    const all = await rows("regionales");
    // region/01 = région académique 01 = INSEE 84 (Auvergne-Rhône-Alpes).
    expect(all.map((r) => [r.region, r.code_region, r.code_certification, r.donnee_source_type])).toEqual([
      ["Auvergne-Rhône-Alpes", "84", "23220031223", "self"],
      ["Auvergne-Rhône-Alpes", "84", "40025214", "self"],
      ["Auvergne-Rhône-Alpes", "84", "40025224", "ancienne"],
    ]);
    // 40025214 apprentissage: 120 in terminal year, 66 employed (55), 30 studying (25), autres 20.
    const r = all[1]!;
    expect([r.nb_annee_term, r.taux_en_emploi_6_mois, r.taux_en_formation, r.taux_autres_6_mois]).toEqual([
      "120",
      "55",
      "25",
      "20",
    ]);
    expect(Object.keys(r)).not.toContain("salaire_12_mois_q1");
  });

  it("formations: per school, with the role of the UAI and its region", async () => {
    const all = await rows("formations");
    expect(all.map((r) => [r.uai, r.code_certification, r.donnee_source_type])).toEqual([
      ["0010001W", "23220031223", "self"],
      ["0010001W", "23830025214", "self"],
      ["0010001W", "23830025224", "ancienne"],
    ]);
    // uai/0010001W: 31 in terminal year; 9/31 = 29.03 → 29, 13/31 = 41.94 → 42, autres 29;
    // 11/31 = 35.48 → 35 at 12 months, autres 100 − 35 − 42 = 23.
    const mv = all[1]!;
    expect([
      mv.nb_annee_term,
      mv.taux_en_emploi_6_mois,
      mv.taux_en_formation,
      mv.taux_autres_6_mois,
      mv.taux_en_emploi_12_mois,
      mv.taux_autres_12_mois,
    ]).toEqual(["31", "29", "42", "29", "35", "23"]);
    // Voie scolaire: the school is where the training takes place; the UAI's département 01 (Ain) is in
    // region 84. No annuaire in the fixtures: académie unknown.
    expect([mv.uai_type, mv.uai_donnee, mv.uai_donnee_type, mv.code_region, mv.academie]).toEqual([
      "lieu_formation",
      "0010001W",
      "lieu_formation",
      "84",
      "",
    ]);
    // The CAP fleuriste of the school has 8 (< 20) students: withheld.
    expect([all[0]!.nb_annee_term, all[0]!.taux_en_emploi_6_mois]).toEqual(["8", "null"]);
  });

  it("correspondances: what match finds for each identifier, with the sources of each step", async () => {
    const all = await rows("correspondances");
    const of = (type: string, code: string) =>
      all
        .filter((r) => r.type_code === type && r.code === code)
        .map((r) => [r.code_certification, r.duree, r.source]);
    // Onisep FOR.5615: code scolarité 40025214, 3 ans → N_MEF année 3 → 23830025214; apprentissage: the CFD.
    expect(of("onisep", "FOR.5615")).toEqual([
      ["MEFSTAT11:23830025214", "3", "onisep-formations-initiales > bcn-n-mef"],
      ["CFD:40025214", "", "onisep-formations-initiales > cfd"],
    ]);
    // Certif Info 100735 (CAP fleuriste) gives the CFD 50031223 but no durée: the CAP in 1, 2 and 3 years.
    expect(of("certifinfo", "100735").map(([code]) => code)).toEqual([
      "MEFSTAT11:23110031223",
      "MEFSTAT11:23220031223",
      "MEFSTAT11:23330031223",
      "CFD:50031223",
    ]);
    // RNCP 19117 is stated by Certif Info and by Onisep.
    expect(of("rncp", "19117")[1]).toEqual([
      "CFD:40025214",
      "",
      "certifinfo+onisep-formations-initiales > cfd",
    ]);
    // A first-year MEFSTAT11 leads to the terminal one.
    expect(of("mefstat11", "23810025214")[0]).toEqual(["MEFSTAT11:23830025214", "3", "bcn-n-mef"]);
    // Certif Info 82775 names the code it replaced: Code_Ancien_Diplome 20230, Code_Ancien_RNCP 510,
    // Code_Ancien_Scolarité 40025207 — a catalogue still carrying the old codes gets the old CFD.
    expect(of("certifinfo", "20230")).toEqual([["CFD:40025207", "", "certifinfo > cfd"]]);
    expect(of("rncp", "510")).toEqual([["CFD:40025207", "", "certifinfo > cfd"]]);
    // Identifiers that lead to no certification are not listed: RNCP 13207 (CESI, no CFD), FOR.6913.
    expect(of("rncp", "13207")).toEqual([]);
    expect(of("onisep", "FOR.6913")).toEqual([]);
    expect(all.find((r) => r.code === "FOR.5615")!.libelle).toBe(
      "bac pro Maintenance des véhicules option A voitures particulières",
    );
  });

  it("couverture: the 20 demo rows by statut, motif, methode, voie and diploma type; the codes that failed", async () => {
    const all = await rows("couverture");
    const get = (dimension: string, valeur: string) =>
      all.find((r) => r.dimension === dimension && r.valeur === valeur)?.lignes;
    // Rows of onisep-demo.csv (see test/e2e/demo.test.ts): couvert 1–6, 8, 11, 16, 19; sous_seuil 7;
    // non_couvert 10, 14, 15, 17, 18; plusieurs_codes 9; invalide 12, 13, 20.
    expect(
      ["couvert", "sous_seuil", "non_couvert", "plusieurs_codes", "invalide"].map((s) => get("statut", s)),
    ).toEqual(["10", "1", "5", "1", "3"]);
    expect(all[0]).toEqual({ dimension: "ensemble", valeur: "lignes", lignes: "20", part: "100", motif: "" });
    expect(all.find((r) => r.valeur === "couvert")!.part).toBe("50");
    // Found by CFD: rows 3, 4, 9, 10, 11, 16, 17, 18; by Onisep: 1, 2, 19; by RNCP: 6, 7.
    expect([get("methode", "cfd"), get("methode", "onisep"), get("methode", "rncp")]).toEqual([
      "8",
      "3",
      "2",
    ]);
    // code_inconnu: row 10 (CFD absent from the BCN); formation_sans_code: row 15 (FOR.6913, no CFD);
    // plusieurs_codes_un_couvert: row 9 (three CAP dispositifs, one with figures).
    expect(
      ["code_inconnu", "formation_sans_code", "plusieurs_codes_un_couvert", "nouvelle_formation"].map((m) =>
        get("motif", m),
      ),
    ).toEqual(["1", "1", "1", "0"]);
    // Voie apprentissage: rows 3, 6, 10, 18.
    expect(get("voie", "apprentissage")).toBe("4");
    // Diploma types: BAC PRO rows 1, 3, 6, 11, 16, 18, 19; CAP 2, 5, 9, 17; BTS 4, 7; MC 8 and 10 (niveau 561).
    expect(["BAC PRO", "CAP", "BTS", "MC"].map((d) => get("diplome", d))).toEqual(["7", "4", "2", "2"]);
    // The codes that failed, with their motif: rows 13, 9, 10, 15 (FOR and its RNCP), 14.
    expect(all.filter((r) => r.dimension === "code_non_trouve").map((r) => [r.valeur, r.motif])).toEqual([
      ["CFD 4002521", "identifiant_invalide"],
      ["CFD 50031223", "plusieurs_codes_un_couvert"],
      ["CFD 56122101", "code_inconnu"],
      ["Onisep FOR.6913", "formation_sans_code"],
      ["RNCP 13207", "autre_ministere"],
      ["RNCP 7426", "formation_sans_code"],
    ]);
  });

  it("each dataset's header is its Table Schema and its primary key is unique", async () => {
    for (const name of DATASETS) {
      const text = await readFile(join(out, `${name}.csv`), "utf8");
      expect(text.split("\n")[0]).toBe(SPECS[name].fields.map((f) => f.name).join(";"));
      const keys = readRows(text).map((r) => SPECS[name].primaryKey.map((k) => r[k]).join("|"));
      expect(new Set(keys).size, name).toBe(keys.length);
      for (const key of keys)
        expect(
          key.split("|").every((part) => part !== ""),
          `${name} ${key}`,
        ).toBe(true);
    }
  });

  it("datapackage.json: every resource with its bytes, sha256, dialect and schema", async () => {
    const pkg = JSON.parse(await readFile(join(out, "datapackage.json"), "utf8"));
    expect(pkg).toMatchObject({ name: "inserjeunes", version: "0.0.0-test", profile: "data-package" });
    expect(pkg.licenses[0].name).toBe("etalab-2.0");
    expect(pkg.sources).toHaveLength(5);
    for (const resource of pkg.resources) {
      const bytes = await readFile(join(out, resource.path));
      expect(resource.bytes, resource.path).toBe(bytes.length);
      expect(resource.hash, resource.path).toBe(`sha256:${sha256(bytes)}`);
    }
    const certifications = pkg.resources.find((r: { name: string }) => r.name === "certifications");
    expect(certifications).toMatchObject({
      path: "certifications.csv",
      format: "csv",
      encoding: "utf-8",
      dialect: { delimiter: ";", header: true },
      schema: { primaryKey: ["code_certification", "filiere", "millesime"], missingValues: ["", "null"] },
    });
    expect(certifications.schema.fields.find((f: { name: string }) => f.name === "nb_annee_term").type).toBe(
      "integer",
    );
    expect(pkg.resources.map((r: { path: string }) => r.path)).toContain("lookup/inserjeunes.sqlite");
  });

  it("SHA256SUMS is accepted by sha256sum -c and covers everything but manifest.json", async () => {
    const sums = await readFile(join(out, "SHA256SUMS"), "utf8");
    expect(
      sums
        .trim()
        .split("\n")
        .map((l) => l.split("  ")[1]),
    ).toEqual([
      "certifications.csv",
      "correspondances.csv",
      "couverture.csv",
      "datapackage.json",
      "formations.csv",
      "lookup/certifications.ndjson",
      "lookup/formations.ndjson",
      "lookup/inserjeunes.sqlite",
      "lookup/regionales.ndjson",
      "regionales.csv",
    ]);
    expect(execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: out, encoding: "utf8" })).toMatch(
      /regionales\.csv: OK/,
    );
  });

  it("manifest.json: tool, time, each source's origin, sha256 and vintage, each dataset's rows and sha256", async () => {
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    const fetched = JSON.parse(await readFile(dataDir.manifest, "utf8"));
    expect(manifest.tool).toEqual({ name: "inserjeunes", version: "0.0.0-test" });
    expect(manifest.createdAt).toBe("2025-06-01T03:00:00.000Z");
    expect(manifest.sources.map((s: { id: string }) => s.id)).toEqual([
      "bcn-n-formation-diplome",
      "bcn-n-mef",
      "certifinfo",
      "inserjeunes-api",
      "onisep-formations-initiales",
    ]);
    const mef = manifest.sources.find((s: { id: string }) => s.id === "bcn-n-mef");
    expect(mef).toMatchObject({
      origin: fixture("bcn-n-mef", "N_MEF.csv"),
      sha256: sha256(await readFile(fixture("bcn-n-mef", "N_MEF.csv"))),
      vintage: fetched.sources["bcn-n-mef"].vintage,
      rows: 28,
      retrievedAt: fetched.sources["bcn-n-mef"].importedAt,
    });
    expect(mef.vintage).toMatch(/^BCN export .*\(22 columns\)$/);
    for (const d of manifest.datasets) {
      const bytes = await readFile(join(out, d.path));
      expect([d.sha256, d.bytes]).toEqual([sha256(bytes), bytes.length]);
    }
    expect(manifest.datasets.find((d: { name: string }) => d.name === "couverture").rows).toBe(42);
    expect(manifest.catalogue.sha256).toBe(sha256(await readFile(fixture("catalogues", "onisep-demo.csv"))));
  });

  it("--lookup: NDJSON keyed by uai|code and region|cfd, and the same records in a read-only SQLite", async () => {
    const lines = async (name: string) =>
      (await readFile(join(out, "lookup", `${name}.ndjson`), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { key: string; rows: Record<string, unknown>[] });
    const formations = await lines("formations");
    expect(formations.map((l) => l.key)).toEqual([
      "0010001W|MEFSTAT11:23220031223",
      "0010001W|MEFSTAT11:23830025214",
      "0010001W|MEFSTAT11:23830025224",
    ]);
    expect(formations[1]!.rows[0]).toMatchObject({
      millesime: "2022_2023",
      millesime_affichage: "2022/2023",
      taux_en_emploi_6_mois: 29,
    });
    // In JSON, a withheld figure is null and one that cannot be computed is absent.
    expect(formations[0]!.rows[0]).toMatchObject({ nb_annee_term: 8, taux_en_emploi_6_mois: null });
    expect(formations[1]!.rows[0]).not.toHaveProperty("taux_en_emploi_18_mois");
    // By region and CFD: the CFD 50031223 groups its scolaire MEFSTAT11 23220031223 (CAP fleuriste 2 ans).
    const regionales = await lines("regionales");
    expect(regionales.map((l) => l.key)).toEqual(["84|40025214", "84|40025224", "84|50031223"]);
    expect(regionales[2]!.rows.map((r) => r.code_certification)).toEqual(["23220031223"]);
    // certifications: the latest millésime first.
    const national = await lines("certifications");
    expect(national.find((l) => l.key === "MEFSTAT11:23830025214")!.rows.map((r) => r.millesime)).toEqual([
      "2023",
      "2022",
    ]);

    const path = join(out, "lookup", "inserjeunes.sqlite");
    expect((await stat(path)).mode & 0o222).toBe(0);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      for (const [table, list] of [
        ["formations", formations],
        ["regionales", regionales],
        ["certifications", national],
      ] as const) {
        const stored = db.prepare(`SELECT key, value FROM ${table} ORDER BY key`).all() as {
          key: string;
          value: string;
        }[];
        expect(stored.map((r) => [r.key, JSON.parse(r.value)])).toEqual(list.map((l) => [l.key, l]));
      }
    } finally {
      db.close();
    }
  });
});
