#!/usr/bin/env node
// npm run demo: the whole pipeline on the bundled fixtures, in a temporary data directory.
// fetch --file (every fixture source) → build-index → enrich (the demo catalogue) → export.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(join(tmpdir(), "inserjeunes-demo-"));
const dataDir = join(work, "data");
const fixtures = join(root, "fixtures");

function cli(args, { quiet = false } = {}) {
  const result = spawnSync(
    process.execPath,
    [join(root, "bin", "inserjeunes.js"), "--data-dir", dataDir, ...args],
    {
      stdio: ["ignore", "inherit", quiet ? "pipe" : "inherit"],
      encoding: "utf8",
    },
  );
  if (result.status !== 0) {
    if (quiet) process.stderr.write(result.stderr);
    console.error(`\ndemo: \`inserjeunes ${args.join(" ")}\` failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

const sources = {
  "bcn-n-mef": "bcn-n-mef/N_MEF.csv",
  "bcn-n-formation-diplome": "bcn-n-formation-diplome/N_FORMATION_DIPLOME.csv",
  "onisep-formations-initiales": "onisep-formations-initiales/ideo-formations_initiales_en_france.csv",
  certifinfo: "certifinfo/certifinfo.csv",
  "inserjeunes-api": "inserjeunes-api",
};

console.error(`== 1/4 fetch: importing ${Object.keys(sources).length} fixture sources into ${dataDir}`);
cli(
  ["fetch", ...Object.entries(sources).flatMap(([id, path]) => ["--file", `${id}=${join(fixtures, path)}`])],
  {
    quiet: true,
  },
);
console.error("== 2/4 build-index");
cli(["build-index"]);
const enriched = join(work, "onisep-demo.enriched.csv");
console.error("\n== 3/4 enrich: the demo catalogue (20 rows, every identifier kind, deliberately bad rows)");
cli(["enrich", join(fixtures, "catalogues", "onisep-demo.csv"), "--out", enriched]);
const exportDir = join(work, "export");
console.error("\n== 4/4 export");
cli([
  "export",
  "all",
  "--out",
  exportDir,
  "--lookup",
  "--catalogue",
  join(fixtures, "catalogues", "onisep-demo.csv"),
]);
console.error(`
Files:
  data directory   ${dataDir}
  index            ${join(dataDir, "index.sqlite")}
  enriched CSV     ${enriched}
  export           ${exportDir} (datasets, lookup/, manifest.json, datapackage.json, SHA256SUMS)`);
