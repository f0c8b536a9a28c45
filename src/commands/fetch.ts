import { runFetch } from "../fetch/run.js";
import { type CommandContext, n } from "./shared.js";

export interface FetchCommandOptions {
  file: string[];
  url: string[];
}

export default async function fetchCommand(ids: string[], opts: FetchCommandOptions, ctx: CommandContext) {
  const summary = await runFetch({ dataDir: ctx.dataDir, files: opts.file, ids }, ctx.effects);
  if (ctx.globals.json)
    ctx.stdout.write(
      `${JSON.stringify(
        summary.outcomes.map(({ entry: _, ...o }) => o),
        null,
        2,
      )}\n`,
    );
  const failed = summary.outcomes.filter((o) => o.status === "failed");
  const total = summary.outcomes.reduce((sum, o) => sum + (o.bytes ?? 0), 0);
  ctx.effects.logger.info(`${summary.outcomes.length} source(s), ${n(total)} bytes, in ${ctx.dataDir.root}`);
  return failed.length > 0 ? 4 : 0;
}
