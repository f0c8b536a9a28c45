import { existsSync } from "node:fs";
import type { DataDir } from "./data-dir.js";
import { listSourceFiles } from "./fetch/import-local.js";
import { readManifest } from "./fetch/manifest.js";
import { InserJeunesError } from "./errors.js";
import { IndexReader } from "./index-db/reader.js";
import { SOURCE_IDS, type SourceId } from "./sources/types.js";

export interface SourceStatus {
  source: SourceId;
  present: boolean;
  origin: string | null;
  importedAt: string | null;
  bytes: number | null;
  vintage: string | null;
  /** Rows kept in the index for this source, when it was indexed. */
  indexedRows: number | null;
  ageDays: number | null;
}

export interface StatusResult {
  dataDir: string;
  index: {
    present: boolean;
    builtAt: string | null;
    toolVersion: string | null;
    /** Why the index cannot be used as is (built by another schema version…), or null. */
    problem: string | null;
  };
  sources: SourceStatus[];
}

export async function runStatus(
  options: { dataDir: DataDir },
  effects: { now(): Date },
): Promise<StatusResult> {
  const manifest = await readManifest(options.dataDir);
  const indexed = new Map<string, { rows: number; vintage: string | null }>();
  let builtAt: string | null = null;
  let toolVersion: string | null = null;
  let problem: string | null = null;
  const present = existsSync(options.dataDir.index);
  let reader: IndexReader | undefined;
  if (present) {
    try {
      reader = new IndexReader(options.dataDir.index);
    } catch (error) {
      if (!(error instanceof InserJeunesError)) throw error;
      problem = `${error.message}${error.hint ? `; ${error.hint}` : ""}`;
    }
  }
  if (reader) {
    try {
      builtAt = reader.meta("built_at") ?? null;
      toolVersion = reader.meta("tool_version") ?? null;
      for (const r of reader.db.prepare("SELECT source, rows_kept, vintage FROM source_report").all() as {
        source: string;
        rows_kept: number;
        vintage: string | null;
      }[])
        indexed.set(r.source, { rows: r.rows_kept, vintage: r.vintage });
    } finally {
      reader.close();
    }
  }
  const now = effects.now().getTime();
  const sources: SourceStatus[] = [];
  for (const id of SOURCE_IDS) {
    const entry = manifest.sources[id];
    const files = await listSourceFiles(options.dataDir, id);
    const when = entry?.fetchedAt ?? entry?.importedAt ?? null;
    sources.push({
      source: id,
      present: files.length > 0,
      origin: entry ? (entry.origin.kind === "file" ? entry.origin.path : entry.origin.url) : null,
      importedAt: when,
      bytes: entry?.bytes ?? null,
      vintage: indexed.get(id)?.vintage ?? entry?.vintage ?? null,
      indexedRows: indexed.get(id)?.rows ?? null,
      ageDays: when ? Math.floor((now - Date.parse(when)) / 86_400_000) : null,
    });
  }
  return { dataDir: options.dataDir.root, index: { present, builtAt, toolVersion, problem }, sources };
}
