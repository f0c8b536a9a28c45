import { join } from "node:path";
import type { DataDir } from "../../src/data-dir.js";
import { parseCsv } from "../../src/io/csv.js";
import type { ExportOptions } from "../../src/pipeline/export.js";
import { fixture, ROOT } from "../helpers/paths.js";

/** The golden files of the export datasets (checked by hand, see datasets.test.ts). */
export const EXPECTED = join(ROOT, "test", "export", "expected");

export type Row = Record<string, string>;

/** An exported `;` CSV as objects keyed by column name. */
export function readRows(text: string): Row[] {
  const [header, ...records] = parseCsv(text, { delimiter: ";", quote: "rfc" });
  return records.map((r) => Object.fromEntries(header!.fields.map((name, i) => [name, r.fields[i]!])));
}

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
