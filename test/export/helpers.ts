import { join } from "node:path";
import type { DataDir } from "../../src/data-dir.js";
import type { ExportOptions } from "../../src/pipeline/export.js";
import { fixture, ROOT } from "../helpers/paths.js";

/** The golden files of the export datasets (checked by hand, see datasets.test.ts). */
export const EXPECTED = join(ROOT, "test", "export", "expected");

/** `export all --lookup --catalogue onisep-demo.csv`: every dataset and every artefact. */
export function everything(dataDir: DataDir, out: string): ExportOptions {
  return {
    dataDir,
    datasets: ["all"],
    out,
    lookup: true,
    catalogue: { input: fixture("catalogues", "onisep-demo.csv") },
    toolVersion: "0.0.0-test",
  };
}
