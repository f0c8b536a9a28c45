import { basename } from "node:path";
import { getSource } from "../../src/sources/index.js";
import type { IndexRecord } from "../../src/sources/records.js";
import { ParseContext, type SourceId } from "../../src/sources/types.js";

/** Parse files with a source module, as build-index does; returns the records and the report. */
export async function parseWith(id: SourceId, files: { path: string; relPath?: string }[]) {
  const ctx = new ParseContext(id);
  const records: IndexRecord[] = [];
  for await (const r of getSource(id).parse(
    files.map((f) => ({ path: f.path, relPath: f.relPath ?? basename(f.path) })),
    ctx,
  ))
    records.push(r);
  return { records, report: ctx.report };
}

export function ofKind<K extends IndexRecord["kind"]>(records: IndexRecord[], kind: K) {
  return records.filter((r): r is Extract<IndexRecord, { kind: K }> => r.kind === kind);
}
