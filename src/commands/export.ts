import { usageError } from "../errors.js";
import { DATASETS, type Dataset, runExport } from "../pipeline/export.js";
import { type CommandContext, n } from "./shared.js";

export interface ExportCommandOptions {
  out?: string;
  format?: string;
}

export default async function exportCommand(
  dataset: string | undefined,
  opts: ExportCommandOptions,
  ctx: CommandContext,
) {
  if (opts.format && opts.format !== "csv")
    throw usageError(`--format ${opts.format}: this version exports csv only`);
  const datasets: Dataset[] =
    dataset === undefined || dataset === "all" ? [...DATASETS] : [dataset as Dataset];
  const result = await runExport(
    { dataDir: ctx.dataDir, datasets, out: opts.out ?? "inserjeunes-export" },
    ctx.effects,
  );
  for (const f of result.files) ctx.effects.logger.info(`${f.dataset}: ${n(f.rows)} rows → ${f.path}`);
  if (ctx.globals.json) ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}
