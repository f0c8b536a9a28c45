import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type * as Api from "../src/index.js";
import { DEMO_SOURCES } from "./helpers/fixture-index.js";
import { fixture, ROOT, withTempDir } from "./helpers/paths.js";

/**
 * The programmatic API as a user imports it: from the built package entry (package.json "exports" →
 * dist/index.js; `npm test` builds before vitest runs), typed by src/index.ts.
 */
const api = (await import(pathToFileURL(join(ROOT, "dist", "index.js")).href)) as typeof Api;

describe('import { … } from "inserjeunes"', () => {
  it("package.json exports the entry that is tested here, with its declarations", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
    expect(pkg.exports["."]).toEqual({ types: "./dist/index.d.ts", import: "./dist/index.js" });
    const declarations = await readFile(join(ROOT, "dist", "index.d.ts"), "utf8");
    for (const name of ["fetchSources", "buildIndex", "matchCatalogue", "enrichCatalogue", "exportDatasets"])
      expect(declarations).toContain(`export declare function ${name}(`);
  });

  it("fetchSources → buildIndex → enrichCatalogue → exportDatasets give what the CLI gives", async () => {
    await withTempDir(async (dir) => {
      const dataDir = join(dir, "data");
      const lines: string[] = [];
      const logger = {
        info: (m: string) => lines.push(m),
        warn: (m: string) => lines.push(m),
        debug: () => {},
      };
      const fetched = await api.fetchSources({ dataDir, files: DEMO_SOURCES, logger });
      expect(lines.some((l) => l.startsWith("bcn-n-mef: fresh, 1 file(s)"))).toBe(true);
      expect(fetched.outcomes.map((o) => [o.source, o.status])).toEqual(
        Object.keys(DEMO_SOURCES).map((id) => [id, "fresh"]),
      );
      const built = await api.buildIndex({ dataDir });
      expect(built.rowCounts["mef"]).toBe(28);

      const out = join(dir, "enriched.csv");
      const summary = await api.enrichCatalogue({
        dataDir,
        input: fixture("catalogues", "onisep-demo.csv"),
        out,
      });
      expect(summary.rows).toBe(20);
      expect(await readFile(out, "utf8")).toBe(
        await readFile(fixture("catalogues", "onisep-demo.enriched.expected.csv"), "utf8"),
      );
      const matched = await api.matchCatalogue({
        dataDir,
        input: fixture("catalogues", "onisep-demo.csv"),
        out: join(dir, "m.csv"),
      });
      expect(matched.byStatut).toEqual(summary.byStatut);

      const exported = await api.exportDatasets({
        dataDir,
        out: join(dir, "publication"),
        datasets: ["certifications"],
      });
      expect(exported.datasets.map((d) => [d.name, d.rows])).toEqual([["certifications", 12]]);
      expect(await readFile(join(dir, "publication", "certifications.csv"), "utf8")).toBe(
        await readFile(join(ROOT, "test", "export", "expected", "certifications.csv"), "utf8"),
      );
    });
  });

  it("errors are InserJeunesError with the CLI's exit code", async () => {
    await withTempDir(async (dir) => {
      const error = await api
        .exportDatasets({ dataDir: join(dir, "none"), out: join(dir, "x") })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(api.InserJeunesError);
      expect((error as InstanceType<typeof api.InserJeunesError>).exitCode).toBe(api.ExitCode.missingData);
      await expect(
        api.fetchSources({ dataDir: join(dir, "d"), files: { certifinfo: join(dir, "missing.csv") } }),
      ).rejects.toMatchObject({
        exitCode: 2,
      });
    });
  });
});
