import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, rm, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { DataDir } from "../data-dir.js";
import type { Logger } from "../effects.js";
import type { Source } from "../sources/types.js";
import type { DeppSettings } from "./apis/inserjeunes-api.js";
import { HttpClient, type HttpTuning } from "./http.js";
import { swapDirectory } from "../io/publish-dir.js";
import { hashFile, listFiles, sha256Text } from "./import-local.js";
import { combinedSha256, type ManifestFile, type SourceEntry } from "./manifest.js";
import type { Progress } from "./progress.js";
import { RateLimiter } from "./rate-limit.js";
import type { Redactor } from "./secrets.js";

/** What every source fetcher gets: where to write, what was there, how to reach the network. */
export interface FetchSettings {
  /** Download again even when the copy is current (no If-None-Match / If-Modified-Since, no resume). */
  force: boolean;
  tuning: HttpTuning;
  /** Requests per second of one API run, all its concurrent requests and retries together. */
  rate: number;
  /** Requests of one API run in flight at once. */
  concurrency: number;
  /** What to ask the DEPP InserJeunes API. */
  depp: DeppSettings;
}

export interface SourceFetchContext {
  source: Source;
  dataDir: DataDir;
  /** The manifest entry of the copy on disk, if any. */
  previous: SourceEntry | undefined;
  /** --url / INSERJEUNES_URL_<ID> overrides (file URLs, or an API's base URL), credentials included. */
  overrides: readonly string[];
  settings: FetchSettings;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  progress: Progress;
  logger: Logger;
  now(): Date;
}

export interface SourceFetchResult {
  entry: SourceEntry;
  changed: boolean;
  /** What the summary should say besides the status (e.g. "312 requests without data"). */
  note?: string;
}

/** An HTTP client for one source: retries reported on the progress line, rate-limited if asked. */
export function clientFor(ctx: SourceFetchContext, options: { rateLimited: boolean }): HttpClient {
  return new HttpClient({
    tuning: ctx.settings.tuning,
    env: ctx.env,
    redactor: ctx.redactor,
    ...(options.rateLimited ? { limiter: new RateLimiter(ctx.settings.rate) } : {}),
    onRetry: (message) => ctx.progress.note(`${ctx.source.id}: ${message}`),
  });
}

export type FileDetails = Map<string, Pick<ManifestFile, "url" | "etag" | "lastModified">>;

export interface Stage {
  client: HttpClient;
  /** The staging directory: files are downloaded here under their final relative path. */
  dir: string;
  /** Per-file URL and validators, for the manifest. */
  details: FileDetails;
}

/**
 * Download a source into a fresh staging directory with `fill`, then commit it (see commitStaging). On
 * any error the staging directory is removed and the current copy stays as it was.
 */
export async function withStaging(
  ctx: SourceFetchContext,
  options: { rateLimited: boolean },
  fill: (stage: Stage) => Promise<{ origin: string; note?: string | undefined }>,
): Promise<SourceFetchResult> {
  const client = clientFor(ctx, options);
  const dir = await createStaging(ctx);
  const details: FileDetails = new Map();
  try {
    const { origin, note } = await fill({ client, dir, details });
    const committed = await commitStaging(ctx, dir, origin, details);
    return { ...committed, ...(note ? { note } : {}) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await client.close();
  }
}

/** A fresh staging directory beside sources/<id>/ (same file system, so the swap is a rename). */
export async function createStaging(ctx: SourceFetchContext): Promise<string> {
  await mkdir(ctx.dataDir.sources, { recursive: true });
  const dir = join(
    ctx.dataDir.sources,
    `.${ctx.source.id}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Put a file of the current copy into the staging directory (hard link; a copy where links fail). */
export async function carryOver(ctx: SourceFetchContext, name: string, staging: string): Promise<void> {
  const from = join(ctx.dataDir.sourceDir(ctx.source.id), ...name.split("/"));
  const to = join(staging, ...name.split("/"));
  await mkdir(dirname(to), { recursive: true });
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

/** True when the previous copy has this file on disk with its recorded size. */
export async function hasPreviousFile(ctx: SourceFetchContext, file: ManifestFile): Promise<boolean> {
  try {
    const info = await stat(join(ctx.dataDir.sourceDir(ctx.source.id), ...file.name.split("/")));
    return info.isFile() && info.size === file.bytes;
  } catch {
    return false;
  }
}

/**
 * Make the staging directory the source's copy: hash every file (so the manifest describes exactly what
 * is on disk), then either drop it (same bytes as the current copy: unchanged) or swap it in. The
 * previous copy is replaced only here, after everything was downloaded and checked.
 */
export async function commitStaging(
  ctx: SourceFetchContext,
  staging: string,
  origin: string,
  details: FileDetails,
): Promise<{ entry: SourceEntry; changed: boolean }> {
  const files: ManifestFile[] = [];
  for (const path of await listFiles(staging)) {
    const name = relative(staging, path).split(sep).join("/");
    files.push({ name, ...(await hashFile(path)), ...details.get(name) });
  }
  files.sort((a, b) => a.name.localeCompare(b.name));
  const entry: SourceEntry = {
    origin: { kind: "url", url: origin },
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    sha256: combinedSha256(files, sha256Text),
    fetchedAt: ctx.now().toISOString(),
  };
  const previous = ctx.previous;
  const same =
    previous !== undefined &&
    previous.sha256 === entry.sha256 &&
    (await Promise.all(previous.files.map((f) => hasPreviousFile(ctx, f)))).every(Boolean);
  if (same) {
    await rm(staging, { recursive: true, force: true });
    return { entry, changed: false };
  }
  await swapDirectory(staging, ctx.dataDir.sourceDir(ctx.source.id));
  return { entry, changed: true };
}
