import { parseCsv } from "../../src/io/csv.js";

export type Row = Record<string, string>;

/** A `;` CSV (an output of match, enrich or export) as objects keyed by column name. */
export function readRows(text: string): Row[] {
  const [header, ...records] = parseCsv(text, { delimiter: ";", quote: "rfc" });
  return records.map((r) => Object.fromEntries(header!.fields.map((name, i) => [name, r.fields[i] ?? ""])));
}
