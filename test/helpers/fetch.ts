import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { resolveDataDir } from "../../src/data-dir.js";
import { type Effects, memoryLogger } from "../../src/effects.js";
import type { HttpTuning } from "../../src/fetch/http.js";
import { type FetchOptions, runFetch } from "../../src/fetch/run.js";
import type { SourceId } from "../../src/sources/types.js";
import type { Manifest } from "../../src/fetch/manifest.js";

/** Retries and timeouts short enough for tests that run in seconds (the policy is the production one). */
export const FAST: Partial<HttpTuning> = {
  retries: 2,
  baseDelayMs: 20,
  maxDelayMs: 100,
  timeoutMs: 400,
  maxRetryAfterMs: 5_000,
};

export const NOW = new Date("2026-11-23T10:00:00Z");

export function testEffects(env: NodeJS.ProcessEnv = {}, now: Date = NOW) {
  const logger = memoryLogger();
  const effects: Effects = { logger, now: () => now, env, interactive: false };
  return { effects, lines: logger.lines };
}

/** runFetch for one source downloaded from `url` (a test server), with the fast tuning. */
export async function fetchOne(
  dir: string,
  id: SourceId,
  url: string,
  options: { env?: NodeJS.ProcessEnv; now?: Date; extra?: Partial<FetchOptions> } = {},
) {
  const { effects, lines } = testEffects(options.env, options.now);
  const summary = await runFetch(
    {
      dataDir: resolveDataDir(dir),
      ids: [id],
      files: [],
      urls: [`${id}=${url}`],
      tuning: FAST,
      rate: 200,
      ...options.extra,
    },
    effects,
  );
  return { outcome: summary.outcomes[0]!, lines };
}

export const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

export async function readManifestFile(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Manifest;
}

/** Every file under `dir` (dot files included: temporary files must not be left behind). */
export async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  return out.sort();
}

export { resolveDataDir };
