import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DataDir, resolveDataDir } from "../../src/data-dir.js";
import { buildIndex } from "../../src/index-db/build.js";
import { recoverLeftovers } from "../../src/io/publish-dir.js";
import { type ExportOptions, runExport } from "../../src/pipeline/export.js";
import { buildFixtureIndex, frozenEffects } from "../helpers/fixture-index.js";
import { everything } from "./helpers.js";
import { BIN, ROOT } from "../helpers/paths.js";

/**
 * Determinism (the same index → the same bytes) and atomic publication (a failed, paused or killed
 * export never shows a half-written directory and leaves the previous one intact).
 */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (sub: string) => {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else out[rel] = (await readFile(join(dir, rel))).toString("base64");
    }
  };
  await walk("");
  return out;
}

const withoutManifest = (files: Record<string, string>) => {
  const { "manifest.json": _, ...rest } = files;
  return rest;
};

/** A process id that no longer runs. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

describe("export is deterministic and published atomically", () => {
  let dir: string;
  let dataDir: DataDir;
  const options = (out: string): ExportOptions => everything(dataDir, out);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "inserjeunes-atomic-"));
    dataDir = await buildFixtureIndex(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("two runs give byte-identical files; only manifest.json's time differs", async () => {
    const a = join(dir, "a");
    const b = join(dir, "b");
    await runExport(options(a), frozenEffects("2025-06-01T03:00:00.000Z"));
    // Rebuild the index from the same sources in between: a new build time, the same data.
    await buildIndex({ dataDir, toolVersion: "0.0.0-test" }, frozenEffects("2025-06-02T03:00:00.000Z"));
    await runExport(options(b), frozenEffects("2025-06-02T03:05:00.000Z"));
    const first = await snapshot(a);
    const second = await snapshot(b);
    expect(Object.keys(first).length).toBe(12); // 5 datasets, 4 lookups, 3 descriptions
    expect(withoutManifest(second)).toEqual(withoutManifest(first));
    const manifestA = JSON.parse(Buffer.from(first["manifest.json"]!, "base64").toString());
    const manifestB = JSON.parse(Buffer.from(second["manifest.json"]!, "base64").toString());
    expect([manifestA.createdAt, manifestB.createdAt]).toEqual([
      "2025-06-01T03:00:00.000Z",
      "2025-06-02T03:05:00.000Z",
    ]);
    const { createdAt: _a, index: _ia, ...restA } = manifestA;
    const { createdAt: _b, index: _ib, ...restB } = manifestB;
    expect(restB).toEqual(restA);
  });

  it("a failure in the middle publishes nothing and leaves the previous export as it was", async () => {
    const out = join(dir, "failing");
    await runExport(options(out), frozenEffects());
    const before = await snapshot(out);
    const error = await runExport(
      {
        ...options(out),
        onProgress: (e) => {
          if (e.step === "dataset" && e.name === "formations") throw new Error("disk full (simulated)");
        },
      },
      frozenEffects("2030-01-01T00:00:00.000Z"),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe("disk full (simulated)");
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(dir)).filter((n) => n.includes("failing"))).toEqual(["failing"]);
  });

  it("killed in the middle (paused after a dataset): readers and the next run see the previous export", async () => {
    const out = join(dir, "killed");
    await runExport(options(out), frozenEffects());
    const before = await snapshot(out);
    // A child process runs the built package entry and stops for good once regionales is written.
    const script = `
      import { exportDatasets } from ${JSON.stringify(pathToFileURL(join(ROOT, "dist", "index.js")).href)};
      await exportDatasets({
        dataDir: ${JSON.stringify(dataDir.root)}, out: ${JSON.stringify(out)}, datasets: ["all"], lookup: true,
        onProgress: async (e) => {
          if (e.step === "dataset" && e.name === "regionales") {
            process.stdout.write("paused\\n");
            await new Promise(() => setInterval(() => {}, 1000));
          }
        },
      });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d) => (String(d).includes("paused") ? resolve() : undefined));
      child.on("exit", () => reject(new Error(`the child ended before pausing: ${stderr}`)));
    });
    // Half-way: two datasets sit in the staging directory, the published one has not moved.
    const staging = (await readdir(dir)).filter((n) => n.startsWith(".killed.tmp-"));
    expect(staging).toHaveLength(1);
    expect((await readdir(join(dir, staging[0]!))).sort()).toEqual([
      "certifications.csv",
      "lookup",
      "regionales.csv",
    ]);
    expect(await snapshot(out)).toEqual(before);

    child.kill("SIGKILL");
    await waitForExit(child);
    expect(await snapshot(out)).toEqual(before);
    expect(execFileSync("sha256sum", ["--quiet", "-c", "SHA256SUMS"], { cwd: out, encoding: "utf8" })).toBe(
      "",
    );

    // The next run cleans what the dead one left, and publishes.
    await runExport(
      { ...options(out), datasets: ["certifications"], catalogue: undefined, lookup: false },
      frozenEffects(),
    );
    expect((await readdir(dir)).filter((n) => n.includes("killed"))).toEqual(["killed"]);
    expect((await readdir(out)).sort()).toEqual([
      "SHA256SUMS",
      "certifications.csv",
      "datapackage.json",
      "manifest.json",
    ]);
  });

  it("killed between the two renames of the swap: the next run puts the previous export back first", async () => {
    const out = join(dir, "swapped");
    await runExport(options(out), frozenEffects());
    const before = await snapshot(out);
    // The state a kill leaves right after `rename(out, backup)`: no out, the backup of a dead process.
    const pid = await deadPid();
    await rename(out, join(dir, `.swapped.old-${pid}-0badcafe`));
    await mkdir(join(dir, `.swapped.tmp-${pid}-0badcafe`));
    await recoverLeftovers(out);
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(dir)).filter((n) => n.includes("swapped"))).toEqual(["swapped"]);
  });

  it("the CLI killed while it writes a large dataset leaves the previous export intact", async () => {
    // A copy of the fixture index with 1000 schools × 40 codes of generated figures (40 000 formations
    // rows, about 5 MB of CSV): long enough to be killed while formations.csv is being written.
    const big = resolveDataDir(join(dir, "big"), {});
    await mkdir(big.root);
    await copyFile(dataDir.index, big.index);
    await copyFile(dataDir.manifest, big.manifest);
    const db = new Database(big.index);
    const insert = db.prepare(
      "INSERT INTO indicator (niveau, zone, code, filiere, millesime, nb_annee_term, nb_poursuite_etudes, nb_en_emploi_6_mois, source, priority) VALUES ('etablissement', ?, ?, 'pro', '2022_2023', ?, 10, 12, 'generated', 1)",
    );
    db.transaction(() => {
      for (let u = 0; u < 1000; u++)
        for (let c = 0; c < 40; c++)
          insert.run(`${String(1_000_000 + u)}X`, String(23_830_000_000 + c), 30 + c);
    })();
    db.close();
    const out = join(dir, "big-export");
    await runExport({ dataDir: big, datasets: ["certifications"], out, toolVersion: "0" }, frozenEffects());
    const before = await snapshot(out);

    const child = spawn(
      process.execPath,
      [BIN, "--data-dir", big.root, "--quiet", "export", "all", "--out", out],
      {
        stdio: "ignore",
      },
    );
    const exited = waitForExit(child);
    let killedWhileWriting = false;
    for (let i = 0; i < 2000 && child.exitCode === null; i++) {
      const staging = (await readdir(dir)).find((n) => n.startsWith(".big-export.tmp-"));
      const size = staging
        ? await stat(join(dir, staging, "formations.csv")).then(
            (s) => s.size,
            () => 0,
          )
        : 0;
      if (size > 0) {
        child.kill("SIGKILL");
        killedWhileWriting = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await exited;
    expect(killedWhileWriting).toBe(true);
    expect(await snapshot(out)).toEqual(before);
  });
});
