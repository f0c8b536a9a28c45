import { rename, rm } from "node:fs/promises";
import Database from "better-sqlite3";
import type { DataDir } from "../data-dir.js";
import type { Effects } from "../effects.js";
import { ExitCode, InserJeunesError, missingDataError } from "../errors.js";
import { listSourceFiles } from "../fetch/import-local.js";
import { readManifest, writeManifest } from "../fetch/manifest.js";
import { tempPathFor } from "../io/atomic.js";
import { sources } from "../sources/index.js";
import { ParseContext, SOURCE_IDS, type SourceId, type SourceReport } from "../sources/types.js";
import { deriveTables } from "./derive.js";
import { Inserter } from "./insert.js";
import { SCHEMA, SCHEMA_VERSION } from "./schema.js";

export interface BuildOptions {
  dataDir: DataDir;
  /** Any rejected row fails the build (exit 5) and leaves the previous index in place. */
  strict?: boolean;
  /** Tool version, stamped into the index. */
  toolVersion: string;
}

export interface BuildResult {
  indexPath: string;
  reports: SourceReport[];
  /** Sources present in the manifest whose files are missing, and sources not fetched at all. */
  missing: SourceId[];
  rowCounts: Record<string, number>;
  durationMs: number;
}

/**
 * Parse every fetched source into a new SQLite file, derive the linked tables, then rename it over
 * index.sqlite. Until that rename, the previous index is untouched.
 */
export async function buildIndex(options: BuildOptions, effects: Effects): Promise<BuildResult> {
  const started = Date.now();
  const { dataDir } = options;
  const manifest = await readManifest(dataDir);
  const present: { id: SourceId; files: { path: string; relPath: string }[] }[] = [];
  const missing: SourceId[] = [];
  for (const id of SOURCE_IDS) {
    const files = await listSourceFiles(dataDir, id);
    if (files.length > 0) present.push({ id, files });
    else missing.push(id);
  }
  if (present.length === 0)
    throw missingDataError(`no source in ${dataDir.root}: nothing to index`, {
      hint: "run `inserjeunes fetch` (or `inserjeunes fetch --file <source-id>=<path>`) first",
    });

  const tmp = tempPathFor(dataDir.index);
  const db = new Database(tmp);
  const reports: SourceReport[] = [];
  try {
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144");
    db.pragma("temp_store = MEMORY");
    db.exec(SCHEMA);
    const inserter = new Inserter(db);
    for (const { id, files } of present) {
      const ctx = new ParseContext(id);
      effects.logger.debug(`indexing ${id} (${files.length} file${files.length > 1 ? "s" : ""})`);
      inserter.begin(id);
      try {
        for await (const record of sources[id].parse(files, ctx)) inserter.insert(record);
        inserter.commit();
      } catch (error) {
        inserter.rollback();
        throw error;
      }
      const duplicates = inserter.duplicates.get(id);
      if (duplicates) ctx.warn(`${duplicates} record(s) repeat a key already indexed (first one kept)`);
      const digests = new Map(manifest.sources[id]?.files.map((f) => [f.name, f.sha256]));
      for (const file of ctx.report.files) {
        const sha256 = digests.get(file.file);
        if (sha256) file.sha256 = sha256;
      }
      reports.push(ctx.report);
    }
    db.exec("BEGIN");
    deriveTables(db);
    const meta = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
    meta.run("schema_version", String(SCHEMA_VERSION));
    meta.run("tool_version", options.toolVersion);
    meta.run("built_at", effects.now().toISOString());
    const saveReport = db.prepare(
      "INSERT INTO source_report (source, sha256, vintage, rows_read, rows_kept, rows_rejected, report) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    for (const report of reports) {
      saveReport.run(
        report.source,
        manifest.sources[report.source]?.sha256 ?? null,
        vintageOf(report),
        report.rowsRead,
        report.rowsKept,
        report.rowsRejected,
        JSON.stringify(report),
      );
    }
    db.exec("COMMIT");
    const rowCounts = countRows(db);
    db.exec("ANALYZE");
    db.close();

    const rejected = reports.reduce((sum, r) => sum + r.rowsRejected, 0);
    if (options.strict && rejected > 0) {
      await rm(tmp, { force: true });
      const first = reports.flatMap((r) => r.rejects)[0];
      throw new InserJeunesError(
        ExitCode.tooManyErrors,
        `--strict: ${rejected} row(s) rejected${first ? ` (first: ${first.file}:${first.line}, ${first.reason})` : ""}; the previous index is unchanged`,
        { hint: "run without --strict to index the valid rows, or fix the source files" },
      );
    }
    await rename(tmp, dataDir.index);

    // Record the vintage detected for each source in the manifest.
    let changed = false;
    for (const report of reports) {
      const entry = manifest.sources[report.source];
      const vintage = vintageOf(report);
      if (entry && vintage && entry.vintage !== vintage) {
        entry.vintage = vintage;
        changed = true;
      }
    }
    if (changed) await writeManifest(dataDir, manifest);

    return { indexPath: dataDir.index, reports, missing, rowCounts, durationMs: Date.now() - started };
  } catch (error) {
    if (db.open) db.close();
    await rm(tmp, { force: true });
    throw error;
  }
}

function vintageOf(report: SourceReport): string | null {
  const vintages = [...new Set(report.files.map((f) => f.vintage).filter((v): v is string => Boolean(v)))];
  return vintages.length > 0 ? vintages.join(" + ") : null;
}

const COUNTED_TABLES = [
  "formation",
  "mef",
  "continuum",
  "niveau",
  "sise",
  "sise_type",
  "groupe",
  "lien_groupe",
  "famille",
  "famille_terminal",
  "onisep_formation",
  "onisep_action",
  "certifinfo",
  "link",
  "uai_role",
  "etablissement",
  "indicator",
  "indicator_derived",
  "indicator_etablissement",
];

function countRows(db: Database.Database): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of COUNTED_TABLES)
    out[table] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return out;
}
