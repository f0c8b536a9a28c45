import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataDir } from "../src/data-dir.js";
import { runFetch } from "../src/fetch/run.js";
import { runStatus } from "../src/status.js";
import { runCli } from "./helpers/cli.js";
import { buildFixtureIndex, DEMO_SOURCES, frozenEffects } from "./helpers/fixture-index.js";

/** `status` for monitoring: ages against --max-age, and whether the index matches the fetched sources. */
describe("status", () => {
  let dir: string;
  let dataDir: DataDir;
  const imported = "2025-06-01T03:00:00.000Z";
  const daysLater = (days: number) =>
    frozenEffects(new Date(Date.parse(imported) + days * 86_400_000).toISOString());

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "inserjeunes-status-"));
    dataDir = await buildFixtureIndex(dir, frozenEffects(imported));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("ages, rows indexed and a current index, right after fetch and build-index", async () => {
    const status = await runStatus({ dataDir, maxAgeDays: 8 }, daysLater(3.5));
    const present = status.sources.filter((s) => s.present);
    expect(present.map((s) => s.source).sort()).toEqual(Object.keys(DEMO_SOURCES).sort());
    expect(present.every((s) => s.ageDays === 3 && s.importedAt === imported)).toBe(true);
    expect(status.sources.find((s) => s.source === "bcn-n-mef")).toMatchObject({
      indexedRows: 28,
      changedSinceIndex: false,
    });
    expect(status.sources.find((s) => s.source === "acce")).toMatchObject({ present: false, ageDays: null });
    expect(status.index).toMatchObject({ present: true, builtAt: imported, current: true });
    expect(status.stale).toEqual([]);
  });

  it("--max-age: every present source older than the limit is stale, to the millisecond", async () => {
    expect((await runStatus({ dataDir, maxAgeDays: 8 }, daysLater(8))).stale).toEqual([]);
    const late = await runStatus({ dataDir, maxAgeDays: 8 }, daysLater(8.01));
    expect(late.stale.sort()).toEqual(Object.keys(DEMO_SOURCES).sort());
    expect(late.maxAgeDays).toBe(8);
  });

  it("a source fetched again with other bytes makes the index not current", async () => {
    const changed = join(dir, "certifinfo-changed.csv");
    await writeFile(changed, `${await readFile(DEMO_SOURCES.certifinfo, "utf8")}\n`);
    await runFetch({ dataDir, files: [`certifinfo=${changed}`], ids: [] }, daysLater(4));
    const status = await runStatus({ dataDir }, daysLater(5));
    expect(status.sources.filter((s) => s.changedSinceIndex).map((s) => s.source)).toEqual(["certifinfo"]);
    expect(status.index.current).toBe(false);
    expect(status.sources.find((s) => s.source === "certifinfo")!.ageDays).toBe(1);
  });

  it("CLI: --json on stdout, and exit 3 when a source is older than --max-age", async () => {
    // Imported on 2025-06-01 (frozen): older than 30 days whatever today is.
    const stale = await runCli(["--data-dir", dataDir.root, "--json", "status", "--max-age", "30"]);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(/--max-age 30: .*bcn-n-mef.* are older than 30 day\(s\)/);
    expect(JSON.parse(stale.stdout)).toMatchObject({ maxAgeDays: 30, index: { present: true } });
    const fine = await runCli(["--data-dir", dataDir.root, "status", "--max-age", "100000"]);
    expect(fine.code).toBe(0);
    expect(fine.stdout).toMatch(/bcn-n-mef\s+present, \d+ day\(s\) old, 28 rows indexed/);
    expect((await runCli(["--data-dir", dataDir.root, "status", "--max-age", "soon"])).code).toBe(2);
    const empty = await runCli(["--data-dir", join(dir, "nothing"), "status", "--max-age", "1"]);
    expect([empty.code, empty.stderr]).toEqual([3, expect.stringMatching(/no source is fetched/)]);
  });
});
