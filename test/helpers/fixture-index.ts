import { join } from "node:path";
import { type DataDir, resolveDataDir } from "../../src/data-dir.js";
import { type Effects, silentLogger } from "../../src/effects.js";
import { runFetch } from "../../src/fetch/run.js";
import { buildIndex } from "../../src/index-db/build.js";
import { DEMO_SOURCES } from "./paths.js";

export { DEMO_SOURCES };

/** Effects with the time frozen (manifests carry it) and nothing printed. */
export function frozenEffects(iso = "2025-06-01T03:00:00.000Z"): Effects {
  return { logger: silentLogger, now: () => new Date(iso), env: {}, interactive: false };
}

/** fetch --file every fixture source into `<dir>/data`, then build-index, as the CLI does. */
export async function buildFixtureIndex(dir: string, effects = frozenEffects()): Promise<DataDir> {
  const dataDir = resolveDataDir(join(dir, "data"), {});
  await runFetch(
    { dataDir, files: Object.entries(DEMO_SOURCES).map(([id, path]) => `${id}=${path}`), ids: [] },
    effects,
  );
  await buildIndex({ dataDir, toolVersion: "0.0.0-test" }, effects);
  return dataDir;
}
