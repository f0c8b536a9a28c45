#!/usr/bin/env node
// npm run bench: generate national-scale sources and 10k / 100k / 1M / 3M-row catalogues (deterministic),
// then measure wall time and peak RSS of every step that grows with the work, against the csv-parse →
// csv-stringify passthrough measured in the same run; optional Miller / DuckDB joins when available.
// Writes bench/RESULTS.md. Options: --sizes 10000,100000 (default 10000,100000,1000000,3000000),
// --reps N (runs of each match and enrich step, default 3: the table gives the median wall time and
// peak RSS, and every run's RSS, since single runs vary by ±5 MB), --keep (leave the work directory),
// BENCH_DIR=<dir> to reuse one.
import { execFileSync, spawnSync } from "node:child_process";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measure } from "./lib/measure.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const BIN = join(ROOT, "bin", "inserjeunes.js");
const args = process.argv.slice(2);
const sizes = (args.includes("--sizes") ? args[args.indexOf("--sizes") + 1] : "10000,100000,1000000,3000000")
  .split(",")
  .map(Number);
const keep = args.includes("--keep");
const reps = args.includes("--reps") ? Number(args[args.indexOf("--reps") + 1]) : 3;
const work = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), "inserjeunes-bench-"));
mkdirSync(work, { recursive: true });
const started = Date.now();
const log = (m) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}`);
const node = process.execPath;
const results = [];
const record = (step, rows, m) => {
  results.push({ step, rows, ...m });
  log(`${step}: ${m.wall.toFixed(2)} s, ${m.rssMb.toFixed(0)} MB`);
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const countLines = (path) =>
  new Promise((resolve) => {
    let n = 0;
    createReadStream(path)
      .on("data", (chunk) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
      })
      .on("end", () => resolve(n));
  });

// ---------- data ----------
const sources = join(work, "sources");
if (!existsSync(join(sources, "codes.json"))) {
  log("generating national-scale sources");
  execFileSync(node, [join(HERE, "gen-sources.mjs"), sources], { stdio: "inherit" });
}
const catalogue = (n) => join(work, `catalogue-${n}.csv`);
for (const n of sizes)
  if (!existsSync(catalogue(n))) {
    log(`generating a ${n}-row catalogue`);
    execFileSync(node, [join(HERE, "gen-catalogue.mjs"), sources, catalogue(n), String(n)]);
  }

// ---------- inserjeunes ----------
const data = join(work, "data");
rmSync(data, { recursive: true, force: true });
const ids = [
  "bcn-n-mef",
  "bcn-n-formation-diplome",
  "onisep-formations-initiales",
  "certifinfo",
  "annuaire-education",
  "inserjeunes-api",
];
const cli = (...a) => [BIN, "--data-dir", data, "--quiet", ...a];
record(
  "fetch --file (6 sources)",
  null,
  await measure(node, cli("fetch", ...ids.flatMap((id) => ["--file", `${id}=${join(sources, id)}`]))),
);
record("build-index", null, await measure(node, cli("build-index")));
const indexMb = readFileSync(join(data, "index.sqlite")).length / 1024 / 1024;
// Runs interleaved (every step once, then again…): a slow minute on a shared machine then lands on
// different steps, and the median drops it.
const steps = sizes.flatMap((n) => ["match", "enrich"].map((command) => ({ n, command, runs: [] })));
for (let i = 0; i < reps; i++)
  for (const { n, command, runs } of steps) {
    const out = join(work, `${command}-${n}.csv`);
    const m = await measure(node, cli(command, catalogue(n), "--out", out));
    log(`${command} ${n} (run ${i + 1}): ${m.wall.toFixed(2)} s, ${m.rssMb.toFixed(0)} MB`);
    runs.push(m);
    const lines = await countLines(out);
    if (lines !== n + 1) throw new Error(`${command} ${n}: ${lines} lines written for ${n + 1} read`);
    rmSync(out);
  }
for (const { n, command, runs } of steps)
  record(`${command}`, n, {
    wall: median(runs.map((r) => r.wall)),
    rssMb: median(runs.map((r) => r.rssMb)),
    wallRuns: runs.map((r) => r.wall),
    rssRuns: runs.map((r) => r.rssMb),
  });
rmSync(join(work, "export"), { recursive: true, force: true });
record("export all", null, await measure(node, cli("export", "all", "--out", join(work, "export"))));

// ---------- baselines ----------
// The baselines and external tools run on 1M rows (Miller holds a 1M-row join in ~4 GB), larger sizes
// only show how memory behaves past it.
const big = sizes.includes(1000000) ? 1000000 : Math.max(...sizes);
const passthrough = join(work, "passthrough.csv");
record(
  "baseline csv-parse → csv-stringify",
  big,
  await measure(node, [join(HERE, "baseline-passthrough.mjs"), catalogue(big), passthrough]),
);
rmSync(passthrough, { force: true });

// The equivalent single-key join for external tools: (uai, cfd) against the school indicators.
const indicateurs = join(work, "indicateurs.csv");
const hasMlr = spawnSync("mlr", ["--version"]).status === 0;
const duckdbDir = process.env.BENCH_DUCKDB_DIR ?? join(HERE, ".tools");
const hasDuckdb = existsSync(join(duckdbDir, "node_modules", "@duckdb", "node-api"));
if (hasMlr || hasDuckdb) {
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(join(data, "index.sqlite"), { readonly: true });
  const cols = [
    "nb_annee_term",
    "nb_sortant",
    "nb_poursuite_etudes",
    "nb_en_emploi_6_mois",
    "nb_en_emploi_12_mois",
    "nb_en_emploi_18_mois",
    "nb_en_emploi_24_mois",
  ];
  const rows = db
    .prepare(
      `SELECT zone AS uai, code AS cfd, millesime, ${cols.join(", ")} FROM indicator WHERE niveau = 'etablissement' AND filiere = 'apprentissage' AND millesime = '2023_2024'`,
    )
    .raw()
    .all();
  writeFileSync(
    indicateurs,
    `${["uai", "cfd", "millesime", ...cols].join(";")}\n${rows.map((r) => r.map((v) => v ?? "").join(";")).join("\n")}\n`,
  );
  db.close();
}
if (hasMlr) {
  const out = join(work, "mlr.csv");
  const script = `mlr --csv --fs ';' --allow-ragged-csv-input join --ur -j uai,cfd -f '${indicateurs}' then unsparsify '${catalogue(big)}' > '${out}'`;
  record("Miller join (uai, cfd)", big, await measure("/bin/sh", ["-c", script]));
  rmSync(out, { force: true });
}
if (hasDuckdb) {
  const out = join(work, "duckdb.csv");
  record(
    "DuckDB join (uai, cfd), order kept",
    big,
    await measure(node, [join(HERE, "join-duckdb.mjs"), catalogue(big), indicateurs, out], {
      env: { NODE_PATH: join(duckdbDir, "node_modules") },
    }),
  );
  rmSync(out, { force: true });
}

// ---------- report ----------
const find = (step, rows = null) => results.find((r) => r.step === step && r.rows === rows);
const baseline = find("baseline csv-parse → csv-stringify", big);
const fmt = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : "—");
const table = [
  "| step | rows | wall s | peak RSS MB | rows/s | ÷ baseline (same rows) |",
  "|---|---|---|---|---|---|",
  ...results.map((r) => {
    const rate = r.rows ? Math.round(r.rows / r.wall).toLocaleString("en-US") : "—";
    const ratio =
      r.rows === big && baseline && r !== baseline
        ? fmt(r.wall / baseline.wall)
        : r === baseline
          ? "1.00"
          : "—";
    // The median, and every run when there were several.
    const all = (median, runs, d) =>
      runs?.length > 1 ? `${fmt(median, d)} (${runs.map((v) => fmt(v, d)).join(", ")})` : fmt(median, d);
    return `| ${r.step} | ${r.rows ? r.rows.toLocaleString("en-US") : "—"} | ${all(r.wall, r.wallRuns, 2)} | ${all(r.rssMb, r.rssRuns, 0)} | ${rate} | ${ratio} |`;
  }),
];
const ratios = [];
const enrichBig = find("enrich", big);
if (enrichBig && baseline)
  ratios.push(
    `- enrich ÷ baseline at ${big.toLocaleString("en-US")} rows: **${fmt(enrichBig.wall / baseline.wall)}** (target ≤ 2)`,
  );
for (const command of ["match", "enrich"]) {
  const a = find(command, 100000);
  const b = find(command, 1000000);
  const c = find(command, 3000000);
  const of = reps > 1 ? `medians of ${reps} runs, ` : "";
  if (a && b)
    ratios.push(
      `- ${command} peak RSS 1M ÷ 100k: **${fmt(b.rssMb / a.rssMb)}** (${of}${fmt(a.rssMb, 0)} → ${fmt(b.rssMb, 0)} MB; limit 400 MB)`,
    );
  if (b && c)
    ratios.push(
      `- ${command} peak RSS 3M ÷ 1M: **${fmt(c.rssMb / b.rssMb)}** (${of}${fmt(b.rssMb, 0)} → ${fmt(c.rssMb, 0)} MB)`,
    );
  if (b)
    ratios.push(`- ${command} at 1M rows: **${Math.round(1e6 / b.wall).toLocaleString("en-US")} rows/s**`);
}
const build = find("build-index");
ratios.push(
  `- build-index: **${fmt(build.wall, 1)} s**, peak RSS **${fmt(build.rssMb, 0)} MB**, index ${fmt(indexMb, 0)} MB (limits 60 s, 1 GB)`,
);
for (const tool of ["Miller join (uai, cfd)", "DuckDB join (uai, cfd), order kept"]) {
  const t = find(tool, big);
  if (t && enrichBig) ratios.push(`- enrich ÷ ${tool}: **${fmt(enrichBig.wall / t.wall)}**`);
}
if (!hasMlr) ratios.push("- Miller not installed (Debian package `miller`): no Miller ratio this run");
if (!hasDuckdb)
  ratios.push(
    "- DuckDB not installed (`bash bench/install-tools.sh` puts @duckdb/node-api in bench/.tools): no DuckDB ratio this run",
  );

const cpu = cpus();
const notesPath = join(HERE, "profile-notes.md");
const text = `# Benchmark results

Measured by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}; Node ${process.version}.
Peak RSS from ${existsSync("/usr/bin/time") ? "GNU time (`%M`)" : "process.resourceUsage().maxRSS"}. Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s.

Data (deterministic, bench/gen-sources.mjs and bench/gen-catalogue.mjs): ${readFileSync(join(sources, "codes.json")).length > 0 ? "15,000 N_FORMATION_DIPLOME, 12,000 N_MEF, 8,000 Onisep formations, 100,000 Certif Info rows, 60,000 annuaire rows, ~865,000 DEPP API measures (3,042 bodies)" : ""};
catalogues of ${sizes.map((n) => n.toLocaleString("en-US")).join(" / ")} rows (~215 B/row, \`;\`, UTF-8, quoted fields, 35 % CFD + durée, 20 % Onisep URLs, 13 % RNCP, 12 % MEFSTAT11, 10 % Certif Info, 10 % bad or empty identifiers, 60 % UAIs of schools with figures, ~2 % malformed UAIs, 1 row in 5,000 with a stray field).

${table.join("\n")}

Ratios that matter:
${ratios.join("\n")}
${existsSync(notesPath) ? `\n${readFileSync(notesPath, "utf8")}` : ""}`;
writeFileSync(join(HERE, "RESULTS.md"), text);
console.log(text);
if (!keep && !process.env.BENCH_DIR) rmSync(work, { recursive: true, force: true });
