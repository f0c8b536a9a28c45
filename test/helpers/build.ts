import { copyFile, mkdir, mkdtemp } from "node:fs/promises";
import { basename, join } from "node:path";
import { resolveDataDir } from "../../src/data-dir.js";
import { type Effects, memoryLogger } from "../../src/effects.js";
import { runFetch } from "../../src/fetch/run.js";
import { buildIndex } from "../../src/index-db/build.js";
import type { SourceId } from "../../src/sources/types.js";

export function testEffects(now = new Date("2026-01-15T10:00:00Z")): Effects & {
  logger: ReturnType<typeof memoryLogger>;
} {
  return { logger: memoryLogger(), now: () => now, env: {}, interactive: false };
}

/**
 * Import files into a data directory the way a user does (`fetch --file <id>=<dir>`, one folder per
 * source holding the given files), then build the index.
 */
export async function importSources(root: string, sources: Partial<Record<SourceId, string[]>>) {
  const dataDir = resolveDataDir(join(root, "data"));
  const staging = await mkdtemp(join(root, "staging-"));
  const files: string[] = [];
  for (const [id, paths] of Object.entries(sources)) {
    const dir = join(staging, id);
    await mkdir(dir, { recursive: true });
    for (const path of paths) await copyFile(path, join(dir, basename(path)));
    files.push(`${id}=${dir}`);
  }
  await runFetch({ dataDir, files, ids: [] }, testEffects());
  return dataDir;
}

export async function importAndBuild(
  root: string,
  sources: Partial<Record<SourceId, string[]>>,
  options: { strict?: boolean } = {},
) {
  const dataDir = await importSources(root, sources);
  const effects = testEffects();
  const result = await buildIndex({ dataDir, toolVersion: "test", strict: options.strict ?? false }, effects);
  return { dataDir, result, effects };
}
