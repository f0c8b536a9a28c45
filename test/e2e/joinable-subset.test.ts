import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { IndexReader } from "../../src/index-db/reader.js";
import { runCli } from "../helpers/cli.js";
import { describeReal, real, withTempDir } from "../helpers/paths.js";

/**
 * The joinable subset (real rows of 12 CFDs that join across BCN, Certif Info, Onisep and the kit
 * apprentissage, real-samples/joinable-subset/SOURCES.md) imported with the built CLI, indexed, then the
 * canonical chain of research/source-formats.md §0 followed through the index:
 * FOR.5615 → (Certif Info codeIdeo2; the 2022 Onisep file has no CFD) 40025214 → N_MEF year 3 of 3 →
 * 23830025214. Then enrich on the subset's real published figures: Orion's flattening of the DEPP API
 * /region responses (inserjeunes_api_region_flattened_by_orion_utf8bom.subset.csv, real values; see
 * the figures derived by hand in the enrich test below).
 */
const FILES = {
  "bcn-n-mef": "bcn_nMef_tjp2025_utf8bom.subset.csv",
  "bcn-n-formation-diplome": "bcn_nFormationDiplome_tjp2025_cp1252.subset.csv",
  "bcn-v-formation-diplome": "bcn_vFormationDiplome_tjp2025_utf8bom.subset.csv",
  "onisep-formations-initiales": "onisep_ideo_formations_initiales_2022_utf8bom.subset.csv",
  certifinfo: "certifinfo_rco_tjp2024_utf8.subset.csv",
  "kit-apprentissage": "kit_apprentissage_cfd_rncp_20231218_utf8bom.subset.csv",
  "inserjeunes-api": "inserjeunes_api_region_flattened_by_orion_utf8bom.subset.csv",
};

describeReal("end to end: the joinable subset through fetch --file and build-index", () => {
  it("resolves FOR.5615 → 40025214 → 23830025214, and reports every file", async () => {
    await withTempDir(async (dir) => {
      const data = join(dir, "data");
      const fileArgs = Object.entries(FILES).flatMap(([id, file]) => [
        "--file",
        `${id}=${real("joinable-subset", file)}`,
      ]);
      const fetch = await runCli(["--data-dir", data, "fetch", ...fileArgs]);
      expect(fetch.code).toBe(0);

      const reportPath = join(dir, "build-report.json");
      const build = await runCli(["--data-dir", data, "build-index", "--strict", "--report", reportPath]);
      expect(build.code).toBe(0);
      expect(build.stderr).toMatch(/bcn-n-mef\s+46 kept\s+0 rejected\s+46 read/);
      expect(build.stderr).toMatch(
        /bcn_nFormationDiplome_tjp2025_cp1252\.subset\.csv: sha256 [0-9a-f]{12} · BCN export 2024\+ \(52 columns\) · windows-1252, delimiter ';', no quoting, LF · 12 read, 12 kept, 0 rejected/,
      );

      const report = JSON.parse(await readFile(reportPath, "utf8")) as {
        sources: Array<{ source: string; files: Array<{ file: string; sha256: string; vintage: string }> }>;
      };
      const kit = report.sources.find((s) => s.source === "kit-apprentissage")!;
      const kitBytes = await readFile(real("joinable-subset", FILES["kit-apprentissage"]));
      expect(kit.files).toEqual([
        expect.objectContaining({
          file: FILES["kit-apprentissage"],
          sha256: createHash("sha256").update(kitBytes).digest("hex"),
          vintage: "Kit apprentissage 2023 (9 columns)",
          rowsKept: 12,
        }),
      ]);

      const reader = new IndexReader(join(data, "index.sqlite"));
      try {
        expect(reader.onisepFormation("FOR.5615")).toEqual({
          forId: "FOR.5615",
          cfd: null,
          rncp: "19117",
          duree: 3,
        });
        expect(reader.links("onisep", "FOR.5615", "cfd")).toEqual([
          { code: "40025214", source: "certifinfo" },
        ]);
        expect(reader.links("rncp", "19117", "cfd")).toEqual([
          { code: "40025214", source: "certifinfo+kit-apprentissage" },
        ]);
        const terminal = reader.mefsByCfd("40025214").filter((m) => m.annee === m.duree);
        expect(terminal.map((m) => [m.mefstat11, m.duree])).toEqual([["23830025214", 3]]);
        expect(reader.mefsByStat("23810025214")[0]?.terminalMefstat11).toBe("23830025214");
        expect(reader.formation("40025214")).toMatchObject({ niveau: "400", dateFermeture: "2028-08-31" });
        expect(reader.continuum("40025214", "nouveau")).toEqual(["40025224"]);
        // The CAP fleuriste: Onisep 2022 and the kit know RNCP 31293, Certif Info 38400; both lead to 50031223.
        expect(reader.links("rncp", "31293", "cfd")).toEqual([
          { code: "50031223", source: "kit-apprentissage" },
        ]);
        expect(reader.links("rncp", "38400", "cfd")).toEqual([{ code: "50031223", source: "certifinfo" }]);
      } finally {
        reader.close();
      }

      await enrichRealFigures(dir, data);

      const status = await runCli(["--data-dir", data, "status"]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(
        /bcn-n-mef\s+present, \d+ day\(s\) old, 46 rows indexed \(BCN export 2021\+ \(22 columns\)\)/,
      );
      expect(status.stdout).toMatch(
        /onisep-formations-initiales\s+present, .*12 rows indexed \(2022 \(lien site onisep\.fr, no CFD\)\)/,
      );
    });
  });
});

/**
 * Figures derived by hand from inserjeunes_api_region_flattened_by_orion_utf8bom.subset.csv, whose
 * columns are id;millesime;code_region_ij;code_region;voie;cfd;mefstat11;nb_annee_term;
 * nb_en_emploi_12_mois;nb_en_emploi_18_mois;nb_en_emploi_24_mois;nb_en_emploi_6_mois;nb_poursuite_etudes;
 * nb_sortant;taux_emploi_12_mois;…;taux_emploi_6_mois;taux_poursuite_etudes (its taux_* are shares of
 * sortants, not used). Rates = round half-to-even of 100 × count / nb_annee_term; the file has regional
 * rows only (no national), for 2019_2020 … 2022_2023. The UAIs carry the region (département 01 → Auvergne-
 * Rhône-Alpes 84; 075 → Île-de-France 11; 974 → La Réunion 04); no directory is indexed.
 *
 * 1 0010001W × MEFSTAT11 23830025214 → line 2022_2023_01_scolaire_23830025214: 876 term; 239 emploi 6,
 *   429 poursuite, 291 emploi 12 (18 and 24 months empty in 2022_2023): 239/876 = 27.28 → 27,
 *   429/876 = 48.97 → 49, autres 6 = 24; 291/876 = 33.22 → 33, autres 12 = 18.
 * 2 0010001W × CFD 40025214 apprentissage → 2022_2023_01_apprentissage_40025214: 924 term, 421 emploi 6,
 *   382 poursuite, 445 emploi 12, 542 sortants: 421/924 = 45.56 → 46, 382/924 = 41.34 → 41, autres 13;
 *   445/924 = 48.16 → 48, autres 12 = 11.
 * 3 0750001U (Paris) × 23830025214 → 2022_2023_10_scolaire_23830025214: 1085 term, 218, 580, 261:
 *   218/1085 = 20.09 → 20, 580/1085 = 53.46 → 53, autres 27; 261/1085 = 24.06 → 24, autres 12 = 23.
 * 4 9740001H (La Réunion) × 40025214 → 2022_2023_11_apprentissage_40025214: 14 term → sous_seuil, every
 *   other figure withheld; no national row to fall back on.
 * 5 FOR.5615 (the Onisep id of 40025214, no voie) in Île-de-France: both voies have regional figures;
 *   scolaire comes first (23830025214, as row 3).
 * --history on row 1: the four 2019_2020 … 2022_2023 rows of region 01 (INSEE 84), latest first:
 *   2021_2022: 885 term, 247 → 27.91 → 28, 438 → 49.49 → 49, autres 23;
 *   2020_2021: 881 term, 232 → 26.33 → 26, 439 → 49.83 → 50, autres 24; emploi 24 288 → 32.69 → 33;
 *   2019_2020: 914 term, 274 → 29.98 → 30, 429 → 46.94 → 47, autres 23; emploi 24 320 → 35.01 → 35.
 */
async function enrichRealFigures(dir: string, data: string): Promise<void> {
  const catalogue = join(dir, "real-codes.csv");
  await writeFile(
    catalogue,
    [
      "id;uai;code;voie",
      "1;0010001W;23830025214;scolaire",
      "2;0010001W;40025214;apprentissage",
      "3;0750001U;23830025214;scolaire",
      "4;9740001H;40025214;apprentissage",
      "5;0750001U;FOR.5615;",
      "",
    ].join("\n"),
  );
  const columns = "--columns=uai=uai,mefstat11=code,cfd=code,onisep=code,voie=voie";
  const rowsOf = async (args: string[]) => {
    const out = join(dir, "enriched.json");
    const run = await runCli([
      "--data-dir",
      data,
      "enrich",
      catalogue,
      columns,
      "--format",
      "json",
      "-o",
      out,
      ...args,
    ]);
    expect(run.code, run.stderr).toBe(0);
    return { rows: JSON.parse(await readFile(out, "utf8")) as Record<string, unknown>[], stderr: run.stderr };
  };
  const figures = [
    "ij_statut",
    "ij_niveau",
    "ij_millesime",
    "ij_code_certification",
    "ij_nb_annee_term",
    "ij_taux_en_emploi_6_mois",
    "ij_taux_en_formation",
    "ij_taux_autres_6_mois",
    "ij_taux_en_emploi_12_mois",
    "ij_taux_autres_12_mois",
    "ij_taux_en_emploi_24_mois",
  ];
  const { rows } = await rowsOf([]);
  expect(rows.map((r) => figures.map((f) => r[f]))).toEqual([
    ["couvert", "regional", "2022_2023", "MEFSTAT11:23830025214", 876, 27, 49, 24, 33, 18, null],
    ["couvert", "regional", "2022_2023", "CFD:40025214", 924, 46, 41, 13, 48, 11, null],
    ["couvert", "regional", "2022_2023", "MEFSTAT11:23830025214", 1085, 20, 53, 27, 24, 23, null],
    ["sous_seuil", "regional", "2022_2023", "CFD:40025214", 14, null, null, null, null, null, null],
    ["couvert", "regional", "2022_2023", "MEFSTAT11:23830025214", 1085, 20, 53, 27, 24, 23, null],
  ]);
  // No school has figures of its own (regional rows only): the motif says the region was used instead.
  expect(rows.map((r) => [r["ij_nb_sortant"], r["ij_motif"], r["ij_uai_donnee_type"]])).toEqual([
    [447, "pas_de_donnees_etablissement", ""],
    [542, "pas_de_donnees_etablissement", ""],
    [505, "pas_de_donnees_etablissement", ""],
    [null, "sous_le_seuil", ""],
    [505, "pas_de_donnees_etablissement", ""],
  ]);

  const history = await rowsOf([
    "--history",
    "--indicateurs",
    "nb_annee_term,taux_en_emploi_6_mois,ij_taux_en_formation,taux_autres_6_mois,taux_en_emploi_24_mois",
  ]);
  expect(history.stderr).toMatch(/5 rows in .* \(\d+ rows written, one per millésime\)/);
  const first = history.rows.filter((r) => r["id"] === "1");
  expect(
    first.map((r) => [
      r["ij_millesime"],
      r["ij_nb_annee_term"],
      r["ij_taux_en_emploi_6_mois"],
      r["ij_taux_en_formation"],
      r["ij_taux_autres_6_mois"],
      r["ij_taux_en_emploi_24_mois"],
    ]),
  ).toEqual([
    ["2022_2023", 876, 27, 49, 24, null],
    ["2021_2022", 885, 28, 49, 23, null],
    ["2020_2021", 881, 26, 50, 24, 33],
    ["2019_2020", 914, 30, 47, 23, 35],
  ]);
  expect(Object.keys(first[0]!)).not.toContain("ij_taux_en_emploi_12_mois");
  expect(history.rows.map((r) => r["id"]).join("")).toMatch(/^1111(2+)(3+)(4+)(5+)$/);
}
