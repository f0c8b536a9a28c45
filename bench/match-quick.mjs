#!/usr/bin/env node
// Quick check of `match` speed and memory (not part of npm test; the full harness is bench/run.mjs).
// Builds an index from the fixtures, generates catalogues of 100k and 1M rows (deterministic PRNG) in a
// temp dir, runs the built bin under GNU time, and prints rows/s and peak RSS for each size.
//   node bench/match-quick.mjs [rows...]        default: 100000 1000000
//   KEEP=1 keeps the temp dir; CMD=enrich benches enrich instead.
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "inserjeunes.js");
const fixtures = join(root, "fixtures");
const work = mkdtempSync(join(tmpdir(), "inserjeunes-bench-"));
const data = join(work, "data");
const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(100_000, 1_000_000);
const command = process.env.CMD ?? "match";

function cli(args) {
  const r = spawnSync(process.execPath, [bin, "--data-dir", data, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`inserjeunes ${args.join(" ")} failed: ${r.stderr}`);
}
cli([
  "fetch",
  "--file",
  `bcn-n-mef=${join(fixtures, "bcn-n-mef", "N_MEF.csv")}`,
  "--file",
  `bcn-n-formation-diplome=${join(fixtures, "bcn-n-formation-diplome", "N_FORMATION_DIPLOME.csv")}`,
  "--file",
  `onisep-formations-initiales=${join(fixtures, "onisep-formations-initiales", "ideo-formations_initiales_en_france.csv")}`,
  "--file",
  `certifinfo=${join(fixtures, "certifinfo", "certifinfo.csv")}`,
  "--file",
  `inserjeunes-api=${join(fixtures, "inserjeunes-api")}`,
]);
cli(["build-index"]);

// Deterministic PRNG (mulberry32).
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (a) => a[Math.floor(rand() * a.length)];
const UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
const uais = Array.from({ length: 12000 }, (_, i) => {
  const digits = String(10000 + i * 37).padStart(7, "0");
  return digits + UAI_LETTERS[Number(digits) % 23];
});
const known = {
  cfd: ["40025214", "32031408", "50031223", "50033412", "01022105", "40031106", "32033107", "40025224"],
  mef: ["2472521433", "3113140822", "2413122322", "2532210511"],
  rncp: ["19117", "RNCP38360", "37380", "38302"],
  ci: ["82775", "58434", "69402", "13386"],
  onisep: ["https://www.onisep.fr/http/redirection/formation/slug/FOR.5615", "FOR.1421", "FOR.6913"],
};
// Catalogues repeat their codes: 4,000 certifications in all (the anchors' generator), most unknown here.
const pool = Array.from({ length: 4000 }, () => String(Math.floor(rand() * 1e8)).padStart(8, "0"));
const randomCfd = () => pick(pool);
const words =
  "maintenance véhicules commerce gestion hôtellerie restauration électricité logistique métiers".split(" ");
const label = () => Array.from({ length: 3 + Math.floor(rand() * 6) }, () => pick(words)).join(" ");

// A catalogue's rows are offers: a certification (its codes go together) in a school, with a label.
const certifications = Array.from({ length: 4000 }, () => {
  const r = rand();
  return {
    cfd: r < 0.5 ? pick(known.cfd) : r < 0.75 ? randomCfd() : "",
    mef: rand() < 0.1 ? pick(known.mef) : "",
    rncp: rand() < 0.2 ? pick(known.rncp) : "",
    ci: rand() < 0.1 ? pick(known.ci) : "",
    onisep: rand() < 0.2 ? pick(known.onisep) : "",
    duree: pick(["", "2 ans", "3 ans", "1 an"]),
    voie: pick(["scolaire", "apprentissage", ""]),
  };
});

async function generate(path, rows) {
  const out = createWriteStream(path);
  const write = (s) => (out.write(s) ? undefined : new Promise((r) => out.once("drain", r)));
  await write("id;intitule;uai;code_rncp;certifinfo;url_onisep;mef;cfd;duree;voie;commune;description\n");
  let chunk = "";
  for (let i = 1; i <= rows; i++) {
    const c = pick(certifications);
    const desc = rand() < 0.12 ? `"${label()}; ${label()} ""x"""` : label();
    const intitule = rand() < 0.2 ? `"${label()}"` : label();
    chunk += `${i};${intitule};${pick(uais)};${c.rncp};${c.ci};${c.onisep};${c.mef};${c.cfd};${c.duree};${c.voie};${pick(words)};${desc}\n`;
    if (i % 10000 === 0) {
      await write(chunk);
      chunk = "";
    }
  }
  await write(chunk);
  await new Promise((r) => out.end(r));
}

for (const rows of sizes) {
  const catalogue = join(work, `catalogue-${rows}.csv`);
  await generate(catalogue, rows);
  const out = join(work, `out-${rows}.csv`);
  const prof = process.env.PROF ? ["--cpu-prof", `--cpu-prof-dir=${work}`] : [];
  const args = [
    "-v",
    process.execPath,
    ...prof,
    bin,
    "--data-dir",
    data,
    "--quiet",
    command,
    catalogue,
    "--out",
    out,
  ];
  const r = spawnSync("/usr/bin/time", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  const wall = r.stderr.match(/Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  const rss = Number(r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1]) / 1024;
  const cpu =
    Number(r.stderr.match(/User time \(seconds\): ([\d.]+)/)?.[1]) +
    Number(r.stderr.match(/System time \(seconds\): ([\d.]+)/)?.[1]);
  console.log(
    `${command} ${rows.toLocaleString("en-US")} rows (${(statSync(catalogue).size / 1e6).toFixed(0)} MB): ${seconds.toFixed(2)} s wall, ${Math.round(rows / seconds).toLocaleString("en-US")} rows/s; ${cpu.toFixed(2)} s CPU, ${Math.round(rows / cpu).toLocaleString("en-US")} rows/CPU-s; peak RSS ${rss.toFixed(0)} MB; load ${loadavg()[0].toFixed(1)}`,
  );
}
if (process.env.KEEP || process.env.PROF) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
