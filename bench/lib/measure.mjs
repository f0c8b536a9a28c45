// Wall time and peak RSS of a child process: GNU time when installed (Debian `time`), else a preload
// that records process.resourceUsage().maxRSS at exit (node children only).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const GNU_TIME = "/usr/bin/time";
const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), "max-rss.cjs");

export async function measure(command, args, { env = {}, stdout = "ignore" } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), "ij-measure-"));
  const timeFile = join(scratch, "time.txt");
  const rssFile = join(scratch, "rss.txt");
  const useGnu = existsSync(GNU_TIME);
  const isNode = command === process.execPath;
  const [cmd, argv] = useGnu
    ? [GNU_TIME, ["-f", "%e %M", "-o", timeFile, command, ...args]]
    : [command, isNode ? ["--require", PRELOAD, ...args] : args];
  const started = process.hrtime.bigint();
  const code = await new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
      stdio: ["ignore", stdout, "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (c) =>
      c === 0
        ? resolve(c)
        : reject(new Error(`${command} ${args.join(" ")} exited ${c}\n${stderr.slice(-2000)}`)),
    );
  });
  let wall = Number(process.hrtime.bigint() - started) / 1e9;
  let rssKb = Number.NaN;
  if (useGnu) {
    const [w, m] = readFileSync(timeFile, "utf8").trim().split(/\s+/).slice(-2).map(Number);
    wall = w;
    rssKb = m;
  } else if (existsSync(rssFile)) rssKb = Number(readFileSync(rssFile, "utf8"));
  rmSync(scratch, { recursive: true, force: true });
  return { code, wall, rssMb: rssKb / 1024 };
}
