import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MOTIFS } from "../src/match/outcome.js";
import * as api from "../src/index.js";
import { DATASETS } from "../src/pipeline/export-spec.js";
import { ENRICH_COLUMNS } from "../src/pipeline/output-columns.js";
import { SOURCE_IDS } from "../src/sources/types.js";
import { ROOT } from "./helpers/paths.js";

describe("README stays true to the code", async () => {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");

  it("documents every ij_motif value with the code's own description", () => {
    for (const [motif, description] of Object.entries(MOTIFS))
      expect(readme).toContain(`| \`${motif}\` | ${description} |`);
  });

  it("names every source id", () => {
    for (const id of SOURCE_IDS) expect(readme).toContain(`\`${id}\``);
  });

  it("describes every output column (with {6,12,18,24} and q{1,2,3} shorthands)", () => {
    const expanded = readme.replaceAll("{6,12,18,24}", "%M").replaceAll("q{1,2,3}", "%Q");
    for (const column of ENRICH_COLUMNS) {
      const pattern = column.startsWith("ij_salaire")
        ? column.replace(/_q[123]$/, "_%Q")
        : column.replace(/_(6|12|18|24)_mois/, "_%M_mois");
      expect(expanded, column).toContain(`\`${pattern}\``);
    }
  });

  it("documents every export dataset, and an API example whose imports exist", () => {
    for (const name of DATASETS) expect(readme).toContain(`| \`${name}\` |`);
    const example = /```js\n(import \{([^}]*)\} from "inserjeunes";[\s\S]*?)```/.exec(readme);
    const names = example![2]!.split(",").map((s) => s.trim());
    expect(names).toEqual([
      "fetchSources",
      "buildIndex",
      "matchCatalogue",
      "enrichCatalogue",
      "exportDatasets",
    ]);
    for (const name of names) expect(typeof (api as Record<string, unknown>)[name], name).toBe("function");
  });
});
