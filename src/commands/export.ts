import { join } from "node:path";
import { type Dataset, runExport } from "../pipeline/export.js";
import type { ExportFormat } from "../pipeline/export-files.js";
import { type CommandContext, n, parseDelimiter, parseEncoding, toolVersion } from "./shared.js";

export interface ExportCommandOptions {
  out: string;
  format: ExportFormat;
  region?: string;
  academie?: string;
  millesime?: string;
  lookup?: boolean;
  catalogue?: string;
  columns?: string;
  delimiter?: string;
  encoding?: string;
}

/** Comma-separated option values (`--region 84,11`). */
const list = (value: string | undefined) =>
  value
    ?.split(",")
    .map((v) => v.trim())
    .filter(Boolean);

export default async function exportCommand(
  dataset: string,
  opts: ExportCommandOptions,
  ctx: CommandContext,
) {
  const regions = list(opts.region);
  const academies = list(opts.academie);
  const millesimes = list(opts.millesime);
  const encoding = parseEncoding(opts.encoding);
  const delimiter = parseDelimiter(opts.delimiter);
  const result = await runExport(
    {
      dataDir: ctx.dataDir,
      // Validated by runExport (exit 2 on an unknown name).
      datasets: (list(dataset) ?? []) as Dataset[],
      out: opts.out,
      format: opts.format,
      filters: {
        ...(regions ? { regions } : {}),
        ...(academies ? { academies } : {}),
        ...(millesimes ? { millesimes } : {}),
      },
      lookup: opts.lookup ?? false,
      ...(opts.catalogue
        ? {
            catalogue: {
              input: opts.catalogue,
              ...(opts.columns ? { columns: opts.columns } : {}),
              ...(delimiter ? { delimiter } : {}),
              ...(encoding ? { encoding } : {}),
            },
          }
        : {}),
      toolVersion: toolVersion(),
    },
    ctx.effects,
  );
  const log = ctx.effects.logger;
  for (const f of [...result.datasets, ...result.lookups])
    log.info(`${f.path.padEnd(32)} ${n(f.rows).padStart(9)} rows ${n(f.bytes).padStart(12)} bytes`);
  log.info(
    `published ${join(result.out, "")} with manifest.json, datapackage.json, SHA256SUMS (${(result.durationMs / 1000).toFixed(1)} s)`,
  );
  if (ctx.globals.json) ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}
