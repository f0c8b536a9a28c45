import { join } from "node:path";
import { type DataDir, resolveDataDir } from "../../src/data-dir.js";
import { type Effects, silentLogger } from "../../src/effects.js";
import { runFetch } from "../../src/fetch/run.js";
import { buildIndex } from "../../src/index-db/build.js";
import { fixture } from "./paths.js";

/** Every fixture source, by source id (the demo pipeline's inputs). */
export const FIXTURE_SOURCES = {
  "bcn-n-mef": fixture("bcn-n-mef", "N_MEF.csv"),
  "bcn-n-formation-diplome": fixture("bcn-n-formation-diplome", "N_FORMATION_DIPLOME.csv"),
  "onisep-formations-initiales": fixture(
    "onisep-formations-initiales",
    "ideo-formations_initiales_en_france.csv",
  ),
  certifinfo: fixture("certifinfo", "certifinfo.csv"),
  "inserjeunes-api": fixture("inserjeunes-api"),
} as const;

/** Effects with the time frozen (manifests carry it) and nothing printed. */
export function frozenEffects(iso = "2025-06-01T03:00:00.000Z"): Effects {
  return { logger: silentLogger, now: () => new Date(iso), env: {}, interactive: false };
}

/** fetch --file every fixture source into `<dir>/data`, then build-index, as the CLI does. */
export async function buildFixtureIndex(dir: string, effects = frozenEffects()): Promise<DataDir> {
  const dataDir = resolveDataDir(join(dir, "data"), {});
  await runFetch(
    { dataDir, files: Object.entries(FIXTURE_SOURCES).map(([id, path]) => `${id}=${path}`), ids: [] },
    effects,
  );
  await buildIndex({ dataDir, toolVersion: "0.0.0-test" }, effects);
  return dataDir;
}
