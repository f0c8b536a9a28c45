import { basename, join, relative } from "node:path";
import Database from "better-sqlite3";
import { type DataDir, resolveDataDir } from "../../src/data-dir.js";
import { deriveTables } from "../../src/index-db/derive.js";
import { Inserter } from "../../src/index-db/insert.js";
import { SCHEMA, SCHEMA_VERSION } from "../../src/index-db/schema.js";
import { getSource } from "../../src/sources/index.js";
import type { IndexRecord } from "../../src/sources/records.js";
import { ParseContext, type SourceId } from "../../src/sources/types.js";

/**
 * A real SQLite index for a test, built as build-index builds one: files parsed by the source modules
 * that exist, plus records written by hand for the tables whose parsers other modules own (each group
 * inserted under the source id that would state it, so links carry the right source).
 */
export interface TestIndexSpec {
  files?: Partial<Record<SourceId, string[]>>;
  records?: Partial<Record<SourceId, IndexRecord[]>>;
}

export async function buildTestIndex(dir: string, spec: TestIndexSpec): Promise<DataDir> {
  const dataDir = resolveDataDir(join(dir, "data"));
  const { mkdir } = await import("node:fs/promises");
  await mkdir(dataDir.root, { recursive: true });
  const db = new Database(dataDir.index);
  try {
    db.exec(SCHEMA);
    const inserter = new Inserter(db);
    for (const [id, paths] of Object.entries(spec.files ?? {}) as [SourceId, string[]][]) {
      const ctx = new ParseContext(id);
      inserter.begin(id);
      for await (const r of getSource(id).parse((await Promise.all(paths.map(filesOf))).flat(), ctx))
        inserter.insert(r);
      inserter.commit();
    }
    for (const [id, records] of Object.entries(spec.records ?? {}) as [SourceId, IndexRecord[]][]) {
      inserter.begin(id);
      for (const r of records) inserter.insert(r);
      inserter.commit();
    }
    db.exec("BEGIN");
    deriveTables(db);
    db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)").run("schema_version", String(SCHEMA_VERSION));
    db.exec("COMMIT");
  } finally {
    db.close();
  }
  return dataDir;
}

/** A file, or every file of a directory with its path relative to it (as fetch stores API answers). */
async function filesOf(path: string): Promise<{ path: string; relPath: string }[]> {
  const { readdir, stat } = await import("node:fs/promises");
  if (!(await stat(path)).isDirectory()) return [{ path, relPath: basename(path) }];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((p) => ({ path: p, relPath: relative(path, p) }));
}

/** A link as a source would state it. */
export const link = (
  fromType: Extract<IndexRecord, { kind: "link" }>["fromType"],
  fromCode: string,
  toType: Extract<IndexRecord, { kind: "link" }>["toType"],
  toCode: string,
): IndexRecord => ({ kind: "link", fromType, fromCode, toType, toCode });
