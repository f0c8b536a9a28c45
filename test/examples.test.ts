import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CliResult } from "./helpers/cli.js";
import { DEMO_SOURCES } from "./helpers/fixture-index.js";
import { BIN, ROOT, withTempDir } from "./helpers/paths.js";

/**
 * examples/: the nightly script runs for real (with `npx inserjeunes` resolved to this build), and the
 * GitHub Actions workflow runs the same chain with the data directory cached.
 */
function runScript(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [script], { cwd, env: { ...process.env, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("examples/nightly.sh", () => {
  it("fetch → build-index → export all; unchanged sources give unchanged datasets; a failure stops it", async () => {
    await withTempDir(async (dir) => {
      // `npx inserjeunes …` → this repository's built bin.
      const shims = join(dir, "bin");
      await mkdir(shims);
      await writeFile(
        join(shims, "npx"),
        `#!/bin/sh\n[ "$1" = inserjeunes ] || exit 99\nshift\nexec "${process.execPath}" "${BIN}" "$@"\n`,
      );
      await chmod(join(shims, "npx"), 0o755);
      const env = {
        PATH: `${shims}:${process.env["PATH"]}`,
        INSERJEUNES_DATA_DIR: join(dir, "data"),
        INSERJEUNES_EXPORT_DIR: join(dir, "publication"),
        INSERJEUNES_FETCH_ARGS: Object.entries(DEMO_SOURCES)
          .map(([id, path]) => `--file ${id}=${path}`)
          .join(" "),
      };
      const script = join(ROOT, "examples", "nightly.sh");

      const first = await runScript(script, env, dir);
      expect(first.stderr).not.toMatch(/error/);
      expect([first.code, first.stdout.trim()]).toEqual([0, "nightly: datasets changed"]);
      const sums = await readFile(join(dir, "publication", "SHA256SUMS"), "utf8");
      expect(sums).toContain("lookup/inserjeunes.sqlite");

      // The next night, same sources: fetched and indexed again, the same bytes exported.
      const second = await runScript(script, env, dir);
      expect([second.code, second.stdout.trim()]).toEqual([0, "nightly: datasets unchanged"]);

      // A source that cannot be read: fetch exits 2, the script stops with it, nothing is published.
      const broken = await runScript(
        script,
        { ...env, INSERJEUNES_FETCH_ARGS: `--file certifinfo=${join(dir, "missing.csv")}` },
        dir,
      );
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/no such file or directory/);
      expect(broken.stdout).toBe("");
      expect(await readFile(join(dir, "publication", "SHA256SUMS"), "utf8")).toBe(sums);
    });
  }, 60_000);
});

describe("examples/github-actions.yml", () => {
  it("runs the chain in one bash step with the data directory cached, then checks freshness", async () => {
    const yaml = await readFile(join(ROOT, "examples", "github-actions.yml"), "utf8");
    expect(yaml).not.toMatch(/\t/);
    expect(yaml).toMatch(
      /run: npx --yes inserjeunes fetch && npx --yes inserjeunes build-index && npx --yes inserjeunes export all --out publication/,
    );
    expect(yaml).toMatch(/uses: actions\/cache@v4\n\s+with:\n\s+path: inserjeunes-data\n/);
    expect(yaml).toMatch(/INSERJEUNES_DATA_DIR: \$\{\{ github\.workspace \}\}\/inserjeunes-data/);
    expect(yaml).toMatch(/shell: bash/);
    expect(yaml).toMatch(/run: npx --yes inserjeunes status --max-age 8/);
  });
});
