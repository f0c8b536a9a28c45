import type { DataDir } from "../data-dir.js";
import type { Effects, Logger } from "../effects.js";
import { InserJeunesError, usageError } from "../errors.js";
import { getSource, SOURCE_IDS, type SourceId } from "../sources/index.js";
import { API_CLIENTS } from "./apis/index.js";
import {
  DEFAULT_RESUME_MAX_AGE_MS,
  DEFAULT_TOKEN_LIFETIME_MS,
  DEPP_LEVELS,
  type DeppLevel,
  defaultMillesimes,
} from "./apis/inserjeunes-api.js";
import { DEFAULT_HTTP_TUNING, DownloadError, type HttpTuning } from "./http.js";
import { fetchHttpFiles } from "./http-files.js";
import { importLocalSource } from "./import-local.js";
import { type Manifest, readManifest, type SourceEntry, writeManifest } from "./manifest.js";
import { checkOffline } from "./offline.js";
import { type PlannedSource, planFetch } from "./plan.js";
import { plainProgress, type Progress, redactingProgress } from "./progress.js";
import { Redactor } from "./secrets.js";
import type { FetchSettings, SourceFetchContext, SourceFetchResult } from "./source-fetch.js";
import { readUaiFile, type UaiList } from "./uai-list.js";

export { parseSourcePairs } from "./plan.js";

export interface FetchOptions {
  dataDir: DataDir;
  /** Source ids named on the command line (none: every open source, or only the --file ones). */
  ids: readonly string[];
  /** `--file <id>=<path>`, repeatable. */
  files: readonly string[];
  /** `--url <id>=<url>`, repeatable. */
  urls?: readonly string[];
  /** Every source, even with --file. */
  all?: boolean;
  force?: boolean;
  /** Check what is present instead of downloading. */
  offline?: boolean;
  /** DEPP millésimes (end years). */
  millesimes?: readonly number[];
  levels?: readonly DeppLevel[];
  uaiFile?: string;
  tuning?: Partial<HttpTuning>;
  rate?: number;
  concurrency?: number;
  tokenLifetimeMs?: number;
  resumeMaxAgeMs?: number;
  /** Where progress goes (default: plain lines through the logger). */
  progress?: Progress;
}

export type FetchStatus = "fresh" | "updated" | "unchanged" | "skipped" | "failed";

export interface FetchOutcome {
  source: SourceId;
  status: FetchStatus;
  bytes?: number;
  files?: number;
  /** When the copy now on disk was fetched or imported (for failed and skipped sources: the old copy). */
  fetchedAt?: string;
  reason?: string;
  entry?: SourceEntry;
}

export interface FetchSummary {
  outcomes: FetchOutcome[];
  /** True for --offline: failures are missing or altered copies (exit 3), not network failures (exit 4). */
  offline: boolean;
}

export const DEFAULT_RATE = 5;
export const DEFAULT_CONCURRENCY = 4;

/**
 * `fetch`: import local files and download the other sources, each into sources/<id>/ atomically. A
 * source that fails leaves its previous copy and manifest entry as they were; the others still run.
 * Nothing secret reaches the logger, the outcomes or a thrown error: everything goes through one
 * Redactor that knows the credentials of the environment and the tokens obtained on the way.
 */
export async function runFetch(options: FetchOptions, effects: Effects): Promise<FetchSummary> {
  const redactor = new Redactor();
  for (const id of SOURCE_IDS)
    for (const name of getSource(id).credentials ?? []) redactor.add(effects.env[name]);
  const logger = redactingLogger(effects.logger, redactor);
  try {
    return await fetchAll(options, { ...effects, logger }, redactor);
  } catch (error) {
    throw redactError(error, redactor);
  }
}

async function fetchAll(options: FetchOptions, effects: Effects, redactor: Redactor): Promise<FetchSummary> {
  const offline = options.offline ?? false;
  if (offline && ((options.urls?.length ?? 0) > 0 || options.force))
    throw usageError("--offline downloads nothing: it cannot be combined with --url or --force");
  const plan = planFetch(
    { ids: options.ids, files: options.files, urls: options.urls ?? [], all: options.all ?? false, offline },
    effects.env,
  );
  const settings = await fetchSettings(options, plan, effects);
  const progress = redactingProgress(options.progress ?? plainProgress(effects.logger), (t) =>
    redactor.redact(t),
  );
  const manifest = await readManifest(options.dataDir);
  const outcomes = new Map<SourceId, FetchOutcome>();

  // Imports first: they are local, and a wrong path stops the run (exit 2) before any download.
  for (const { id, action } of plan) {
    if (action.kind !== "import") continue;
    const previous = manifest.sources[id];
    const entry = await importLocalSource(options.dataDir, id, action.path, effects.now());
    await record(options.dataDir, manifest, id, entry);
    const status = statusOf(previous, entry.sha256);
    effects.logger.info(doneLine(id, status, entry));
    outcomes.set(id, success(id, status, entry));
  }

  if (offline) {
    for (const outcome of await checkOffline(options.dataDir, manifest, plan))
      if (!outcomes.has(outcome.source)) outcomes.set(outcome.source, outcome);
  } else {
    for (const { id, action } of plan) {
      if (action.kind === "skip") {
        effects.logger.info(`${id}: skipped, ${action.reason}`);
        outcomes.set(id, {
          source: id,
          status: "skipped",
          reason: action.reason,
          ...previousCopy(manifest, id),
        });
      } else if (action.kind === "download") {
        outcomes.set(
          id,
          await download(id, action.overrides, { options, effects, settings, manifest, progress, redactor }),
        );
      }
    }
  }
  return { outcomes: plan.map((p) => outcomes.get(p.id)!), offline };
}

interface RunContext {
  options: FetchOptions;
  effects: Effects;
  settings: FetchSettings;
  manifest: Manifest;
  progress: Progress;
  redactor: Redactor;
}

async function download(id: SourceId, overrides: string[], run: RunContext): Promise<FetchOutcome> {
  const { options, effects, manifest, progress } = run;
  const source = getSource(id);
  const previous = manifest.sources[id];
  const ctx: SourceFetchContext = {
    source,
    dataDir: options.dataDir,
    previous,
    overrides,
    settings: run.settings,
    env: effects.env,
    redactor: run.redactor,
    progress,
    logger: effects.logger,
    now: effects.now,
  };
  progress.begin(id, source.access.kind === "api" ? "asking the API" : "downloading");
  let result: SourceFetchResult;
  try {
    const client = source.access.kind === "api" ? API_CLIENTS[id] : undefined;
    if (source.access.kind === "api" && !client) throw new Error(`no API client for ${id}`);
    result = client
      ? await client(ctx)
      : await fetchHttpFiles(ctx, source.access.kind === "http" ? source.access.files : []);
  } catch (error) {
    if (!isExpected(error)) throw error;
    const reason = run.redactor.redact((error as Error).message);
    const hint =
      error instanceof InserJeunesError && error.hint ? ` (${run.redactor.redact(error.hint)})` : "";
    progress.end(`${id}: failed, ${reason}${hint}${previous ? "; the previous copy is kept" : ""}`, false);
    return { source: id, status: "failed", reason: `${reason}${hint}`, ...previousCopy(manifest, id) };
  }
  await record(options.dataDir, manifest, id, result.entry);
  const status = result.changed ? statusOf(previous, result.entry.sha256) : "unchanged";
  progress.end(`${doneLine(id, status, result.entry)}${result.note ? ` (${result.note})` : ""}`, true);
  return { ...success(id, status, result.entry), ...(result.note ? { reason: result.note } : {}) };
}

/** Network, HTTP, file-system and our own errors fail one source; anything else is a bug (exit 1). */
function isExpected(error: unknown): boolean {
  return (
    error instanceof DownloadError ||
    error instanceof InserJeunesError ||
    (error instanceof Error &&
      (error.constructor === Error || typeof (error as NodeJS.ErrnoException).code === "string"))
  );
}

async function record(dataDir: DataDir, manifest: Manifest, id: SourceId, entry: SourceEntry): Promise<void> {
  manifest.sources[id] = entry;
  await writeManifest(dataDir, manifest);
}

function statusOf(previous: SourceEntry | undefined, sha256: string): FetchStatus {
  return !previous ? "fresh" : previous.sha256 === sha256 ? "unchanged" : "updated";
}

function success(id: SourceId, status: FetchStatus, entry: SourceEntry): FetchOutcome {
  const fetchedAt = entry.fetchedAt ?? entry.importedAt;
  return {
    source: id,
    status,
    bytes: entry.bytes,
    files: entry.files.length,
    ...(fetchedAt ? { fetchedAt } : {}),
    entry,
  };
}

function previousCopy(manifest: Manifest, id: SourceId): Pick<FetchOutcome, "bytes" | "files" | "fetchedAt"> {
  const entry = manifest.sources[id];
  if (!entry) return {};
  const fetchedAt = entry.fetchedAt ?? entry.importedAt;
  return { bytes: entry.bytes, files: entry.files.length, ...(fetchedAt ? { fetchedAt } : {}) };
}

function doneLine(id: SourceId, status: FetchStatus, entry: SourceEntry): string {
  return `${id}: ${status}, ${entry.files.length} file(s), ${entry.bytes} bytes, sha256 ${entry.sha256.slice(0, 12)}…`;
}

async function fetchSettings(
  options: FetchOptions,
  plan: PlannedSource[],
  effects: Effects,
): Promise<FetchSettings> {
  const depp = plan.find((p) => p.id === "inserjeunes-api")?.action;
  let uais: UaiList | undefined;
  if (options.uaiFile !== undefined && !options.offline) {
    if (depp?.kind !== "download")
      throw usageError(
        `--uai-file is for inserjeunes-api, which this run does not download${depp?.kind === "skip" ? `: ${depp.reason}` : ""}`,
      );
    uais = await readUaiFile(options.uaiFile);
  }
  return {
    force: options.force ?? false,
    tuning: { ...DEFAULT_HTTP_TUNING, ...options.tuning },
    rate: options.rate ?? DEFAULT_RATE,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    depp: {
      millesimes: options.millesimes ?? defaultMillesimes(effects.now()),
      levels: new Set(options.levels ?? DEPP_LEVELS),
      ...(uais ? { uais } : {}),
      tokenLifetimeMs: options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS,
      resumeMaxAgeMs: options.resumeMaxAgeMs ?? DEFAULT_RESUME_MAX_AGE_MS,
    },
  };
}

function redactingLogger(logger: Logger, redactor: Redactor): Logger {
  return {
    info: (m) => logger.info(redactor.redact(m)),
    warn: (m) => logger.warn(redactor.redact(m)),
    debug: (m) => logger.debug(redactor.redact(m)),
  };
}

/** The same error without a secret in its message or hint, and without a cause that could hold one. */
function redactError(error: unknown, redactor: Redactor): unknown {
  if (error instanceof InserJeunesError) {
    const hint = error.hint ? redactor.redact(error.hint) : undefined;
    return new InserJeunesError(error.exitCode, redactor.redact(error.message), hint ? { hint } : {});
  }
  if (error instanceof Error) {
    const copy = new Error(redactor.redact(error.message));
    copy.stack = redactor.redact(error.stack ?? "");
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? copy : Object.assign(copy, { code });
  }
  return error;
}
