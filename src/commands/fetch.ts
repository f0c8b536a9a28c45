import { parseLevels, parseMillesimes, parsePositive } from "../fetch/options.js";
import { progressFor } from "../fetch/progress.js";
import { runFetch } from "../fetch/run.js";
import { summaryJson, summaryTable } from "../fetch/summary.js";
import { type CommandContext, parseCount } from "./shared.js";

export interface FetchCommandOptions {
  file: string[];
  url: string[];
  all?: boolean;
  force?: boolean;
  offline?: boolean;
  millesimes?: string;
  levels?: string;
  uaiFile?: string;
  rate?: string;
  concurrency?: string;
  timeout?: string;
  retries?: string;
}

export default async function fetchCommand(ids: string[], opts: FetchCommandOptions, ctx: CommandContext) {
  const { logger, interactive } = ctx.effects;
  const timeout = parsePositive(opts.timeout, "--timeout");
  const retries = parseCount(opts.retries, "--retries");
  const concurrency = parseCount(opts.concurrency, "--concurrency");
  const summary = await runFetch(
    {
      dataDir: ctx.dataDir,
      ids,
      files: opts.file,
      urls: opts.url,
      all: opts.all ?? false,
      force: opts.force ?? false,
      offline: opts.offline ?? false,
      millesimes: parseMillesimes(opts.millesimes),
      levels: parseLevels(opts.levels),
      ...(opts.uaiFile !== undefined ? { uaiFile: opts.uaiFile } : {}),
      ...(opts.rate !== undefined ? { rate: parsePositive(opts.rate, "--rate")! } : {}),
      ...(concurrency !== undefined ? { concurrency: Math.max(1, concurrency) } : {}),
      tuning: {
        ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
        ...(retries !== undefined ? { retries } : {}),
      },
      progress: progressFor({ interactive, quiet: ctx.globals.quiet ?? false, logger }),
    },
    ctx.effects,
  );
  const now = ctx.effects.now();
  if (ctx.globals.json)
    ctx.stdout.write(`${JSON.stringify(summaryJson(summary, now, ctx.dataDir.root), null, 2)}\n`);
  for (const line of summaryTable(summary, now)) logger.info(line);
  const failed = summary.outcomes.filter((o) => o.status === "failed").length;
  if (failed === 0) return 0;
  logger.warn(
    summary.offline
      ? `${failed} source(s) missing or altered: run \`inserjeunes fetch\` while online`
      : `${failed} source(s) failed; their previous copies, if any, are unchanged`,
  );
  return summary.offline ? 3 : 4;
}
