import { join } from "node:path";
import { parseCsv } from "../../src/io/csv.js";
import { ROOT } from "../helpers/paths.js";

/** The golden files of the export datasets (checked by hand, see datasets.test.ts). */
export const EXPECTED = join(ROOT, "test", "export", "expected");

export type Row = Record<string, string>;

/** An exported `;` CSV as objects keyed by column name. */
export function readRows(text: string): Row[] {
  const [header, ...records] = parseCsv(text, { delimiter: ";", quote: "rfc" });
  return records.map((r) => Object.fromEntries(header!.fields.map((name, i) => [name, r.fields[i]!])));
}
