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
  /** Fetched after the index was built (its sha256 differs from the one the index used). */
  changedSinceIndex: boolean;
}

export interface StatusResult {
  dataDir: string;
  index: {
    present: boolean;
    builtAt: string | null;
    toolVersion: string | null;
    /** Why the index cannot be used as is (built by another schema version…), or null. */
    problem: string | null;
    /** Usable, and built from exactly the sources now in the data dir. */
    current: boolean;
  };
  sources: SourceStatus[];
  /** With maxAgeDays: the present sources older than that (monitoring fails on any). */
  maxAgeDays: number | null;
  stale: SourceId[];
}

const DAY_MS = 86_400_000;

export async function runStatus(
  options: { dataDir: DataDir; maxAgeDays?: number },
  effects: { now(): Date },
): Promise<StatusResult> {
  const manifest = await readManifest(options.dataDir);
  const indexed = new Map<string, { rows: number; vintage: string | null; sha256: string | null }>();
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
      for (const r of reader.db
        .prepare("SELECT source, rows_kept, vintage, sha256 FROM source_report")
        .all() as { source: string; rows_kept: number; vintage: string | null; sha256: string | null }[])
        indexed.set(r.source, { rows: r.rows_kept, vintage: r.vintage, sha256: r.sha256 });
    } finally {
      reader.close();
    }
  }
  const now = effects.now().getTime();
  const sources: SourceStatus[] = [];
  const stale: SourceId[] = [];
  for (const id of SOURCE_IDS) {
    const entry = manifest.sources[id];
    const files = await listSourceFiles(options.dataDir, id);
    const when = entry?.fetchedAt ?? entry?.importedAt ?? null;
    const ageMs = when ? now - Date.parse(when) : null;
    const isPresent = files.length > 0;
    const index = indexed.get(id);
    sources.push({
      source: id,
      present: isPresent,
      origin: entry ? (entry.origin.kind === "file" ? entry.origin.path : entry.origin.url) : null,
      importedAt: when,
      bytes: entry?.bytes ?? null,
      vintage: index?.vintage ?? entry?.vintage ?? null,
      indexedRows: index?.rows ?? null,
      ageDays: ageMs === null ? null : Math.floor(ageMs / DAY_MS),
      changedSinceIndex:
        isPresent && present && (index === undefined || index.sha256 !== (entry?.sha256 ?? null)),
    });
    // A source whose age is unknown (no manifest entry) cannot be shown fresh.
    if (
      options.maxAgeDays !== undefined &&
      isPresent &&
      (ageMs === null || ageMs > options.maxAgeDays * DAY_MS)
    )
      stale.push(id);
  }
  const current =
    present &&
    problem === null &&
    !sources.some((s) => s.changedSinceIndex) &&
    [...indexed.keys()].every((id) => sources.some((s) => s.source === id && s.present));
  return {
    dataDir: options.dataDir.root,
    index: { present, builtAt, toolVersion, problem, current },
    sources,
    maxAgeDays: options.maxAgeDays ?? null,
    stale,
  };
}
