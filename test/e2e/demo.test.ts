import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { DEMO_SOURCES, fixture, ROOT, withTempDir } from "../helpers/paths.js";

/**
 * The demo pipeline through the built bin: fetch --file (fixtures) → build-index → enrich → export.
 *
 * The expected files were checked by hand against the fixtures (rates = round half-to-even of
 * 100 × count / nb_annee_term, taux_autres = max(100 − emploi − formation, 0)):
 *  1  FOR.5615 → Onisep code scolarité 40025214, 3 ans → N_MEF année 3 = 23830025214; school 0010001W has
 *     31 in terminal year: emploi 6 = 9/31 = 29.03 → 29, formation 13/31 = 41.94 → 42, autres 29;
 *     emploi 12 = 11/31 = 35.48 → 35, autres 12 = 23; the school's own figures, scolaire: ij_uai_donnee_type
 *     lieu (the reference types scolaire figures lieu_formation).
 *  2  FOR.1421 + 2 ans → 23220031223; the school has 8 (< 20) → region of 0010001W (Ain → 84, académique
 *     01): 150 term, 45/150 = 30, 60/150 = 40, autres 30; motif sous_seuil_etablissement.
 *  3  CFD 40025214, apprentissage, school 0010006B without data → region 84: 66/120 = 55, 30/120 = 25, 20.
 *  4  CFD 32031408 + 2 ans → 32221031408, national 2023: 13/40 = 32.5 → 32 (half-even) for emploi 6 and
 *     formation, autres 36; emploi 12 = 18/40 = 45, autres 12 = 100 − 45 − 32 = 23.
 *  5  MEFSTAT11 23210031223 (1re année) → terminal 23220031223: 101/200 = 50.5 → 50, 103/200 = 51.5 → 52,
 *     autres = max(−2, 0) = 0; emploi 12 = 67/200 = 33.5 → 34, autres 12 = 14.
 *  6  RNCP19117 → Certif Info 82775 → 40025214 apprentissage national: 392/821 = 47.75 → 48, 270/821 =
 *     32.89 → 33, autres 19; 412/821 → 50 (17), 395/821 → 48 (19), 423/821 = 51.52 → 52 (15); rupture 18.
 *  7  RNCP 38360 → 32033107 + 2 ans → 32221033107: 12 in terminal year → sous_seuil, all else empty.
 *  8  Certif Info 58434 → 01022105 (one MEF, 1 an) → 23910022105: DEVENIR parts 40/25/35 kept as published
 *     (counts would give 41/24/35).
 *  9  CFD 50031223 without durée → three terminal MEFSTAT11 (1, 2 and 3 ans): plusieurs_codes, motif
 *     plusieurs_codes_un_couvert because only 23220031223 (2 ans) has figures (national 2023), so it is
 *     listed first in ij_candidats (the field's "plusieurs certifications … dont une seule est couverte").
 * 10  CFD 56122101 (a CFD of the catalogue absent from the BCN, labonnealternance#3432): code_inconnu.
 * 11  UAI 0010001X fails its checksum (expected W) → national figures of 23830025214 (1064 term: 230 → 22,
 *     512 → 48, autres 30; 274 → 26/26, 291 → 27/25, 319 → 30/22; salaries 1350/1520/1700), motif uai_invalide.
 * 12  no identifier: invalide / identifiant_absent.   13  CFD "4002521" (7 digits): identifiant_invalide.
 * 14  RNCP 13207 → Certif Info 13386, validated by CESI, no CFD: autre_ministere.
 * 15  FOR.6913 is an Onisep formation without CFD, whose RNCP 7426 links to nothing: formation_sans_code.
 * 16  CFD 40025224 (renovated 2024) has no data → 1:1 ancien 40025214's terminal code 23830025214,
 *     donnee_source_type ancienne (same national figures as row 11).
 * 17  ="50033412" (Excel guard) → 23220033412, known, no data: pas_de_donnees. The cell is written back
 *     exactly as read (="50033412", unquoted), like every cell of a well-formed input line.
 * 18  CFD 40031106 apprentissage, no data: pas_de_donnees.
 * 19  FOR.5615 without voie: both voies have national data → scolaire first.
 * 20  one field too many: invalide / ligne_malformee, its cells kept.
 */
const SOURCES = DEMO_SOURCES;

const sha = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");

describe("demo pipeline (built bin)", () => {
  it("enriches the demo catalogue exactly as computed by hand, and exports the national dataset", async () => {
    await withTempDir(async (dir) => {
      const data = ["--data-dir", join(dir, "data")];
      const fetch = await runCli([
        ...data,
        "fetch",
        ...Object.entries(SOURCES).flatMap(([id, p]) => ["--file", `${id}=${p}`]),
      ]);
      expect(fetch.stderr).toContain("inserjeunes-api: fresh, 5 file(s)");
      expect(fetch.code).toBe(0);
      const manifest = JSON.parse(await readFile(join(dir, "data", "manifest.json"), "utf8"));
      expect(manifest.sources["bcn-n-mef"]).toMatchObject({
        origin: { kind: "file", path: SOURCES["bcn-n-mef"] },
        bytes: (await readFile(SOURCES["bcn-n-mef"])).length,
        sha256: await sha(SOURCES["bcn-n-mef"]),
        importedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });

      const build = await runCli([...data, "build-index"]);
      expect(build.code).toBe(0);
      expect(build.stderr).toMatch(/bcn-n-mef\s+28 kept\s+0 rejected/);

      const catalogue = fixture("catalogues", "onisep-demo.csv");
      const before = await sha(catalogue);
      const out = join(dir, "enriched.csv");
      const enrich = await runCli([...data, "enrich", catalogue, "--out", out]);
      expect(enrich.code).toBe(0);
      expect(enrich.stdout).toBe("");
      expect(await readFile(out, "utf8")).toBe(
        await readFile(fixture("catalogues", "onisep-demo.enriched.expected.csv"), "utf8"),
      );
      expect(await sha(catalogue)).toBe(before);

      const exported = await runCli([...data, "export", "certifications", "--out", join(dir, "export")]);
      expect(exported.code).toBe(0);
      expect(await readFile(join(dir, "export", "certifications.csv"), "utf8")).toBe(
        await readFile(join(ROOT, "test", "export", "expected", "certifications.csv"), "utf8"),
      );
    });
  });
});
