import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURES = join(ROOT, "fixtures");
export const BIN = join(ROOT, "bin", "inserjeunes.js");

/** Real producer files, beside the project (never copied into it). */
export const REAL_SAMPLES = resolve(ROOT, "..", "shared", "real-samples");
export const hasRealSamples = existsSync(REAL_SAMPLES);
if (!hasRealSamples)
  console.warn(`real-sample tests skipped: ${REAL_SAMPLES} is absent (it sits beside the project in CI)`);

/** `describe` that runs only when ../shared/real-samples is present, and says why when it is not. */
export const describeReal = (name: string, fn: () => void) =>
  hasRealSamples ? describe(name, fn) : describe.skip(`${name} (../shared/real-samples absent)`, fn);

export const real = (...parts: string[]) => join(REAL_SAMPLES, ...parts);
export const fixture = (...parts: string[]) => join(FIXTURES, ...parts);

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "inserjeunes-test-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The demo's sources (npm run demo, test/e2e): every fixture source, as `fetch --file` takes them. */
export const DEMO_SOURCES = {
  "bcn-n-mef": fixture("bcn-n-mef", "N_MEF.csv"),
  "bcn-n-formation-diplome": fixture("bcn-n-formation-diplome", "N_FORMATION_DIPLOME.csv"),
  "onisep-formations-initiales": fixture(
    "onisep-formations-initiales",
    "ideo-formations_initiales_en_france.csv",
  ),
  certifinfo: fixture("certifinfo", "certifinfo.csv"),
  "inserjeunes-api": fixture("inserjeunes-api"),
} as const;
