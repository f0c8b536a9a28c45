import { spawn } from "node:child_process";
import { BIN, DEMO_SOURCES } from "./paths.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built bin (dist/ must exist: `npm test` builds first). */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
) {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** `fetch --file` of the demo's sources and `build-index`, through the built bin, into `dataDir`. */
export async function buildDemoIndexWithCli(dataDir: string): Promise<CliResult[]> {
  const data = ["--data-dir", dataDir];
  const files = Object.entries(DEMO_SOURCES).flatMap(([id, p]) => ["--file", `${id}=${p}`]);
  const fetch = await runCli([...data, "fetch", ...files]);
  return [fetch, await runCli([...data, "build-index"])];
}
