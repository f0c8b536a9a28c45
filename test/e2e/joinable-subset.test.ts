import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
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
 * 23830025214.
 */
const FILES = {
  "bcn-n-mef": "bcn_nMef_tjp2025_utf8bom.subset.csv",
  "bcn-n-formation-diplome": "bcn_nFormationDiplome_tjp2025_cp1252.subset.csv",
  "bcn-v-formation-diplome": "bcn_vFormationDiplome_tjp2025_utf8bom.subset.csv",
  "onisep-formations-initiales": "onisep_ideo_formations_initiales_2022_utf8bom.subset.csv",
  certifinfo: "certifinfo_rco_tjp2024_utf8.subset.csv",
  "kit-apprentissage": "kit_apprentissage_cfd_rncp_20231218_utf8bom.subset.csv",
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
