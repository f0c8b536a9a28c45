import { usageError } from "../errors.js";
import { MOTIFS } from "../match/outcome.js";
import { type CatalogueSummary, type OutputFormat, processCatalogue } from "../pipeline/catalogue.js";
import type { Mode } from "../pipeline/output-columns.js";
import {
  type CommandContext,
  n,
  parseCount,
  parseDelimiter,
  parseEncoding,
  parseMillesime,
  parseNiveau,
} from "./shared.js";

export interface CatalogueCommandOptions {
  out?: string;
  format?: string;
  columns?: string;
  delimiter?: string;
  encoding?: string;
  niveau?: string;
  millesime?: string;
  maxErrors?: string;
  excelSafe?: boolean;
}

/** match and enrich share everything but the columns they add. */
export async function catalogueCommand(
  mode: Mode,
  input: string,
  opts: CatalogueCommandOptions,
  ctx: CommandContext,
) {
  const format = (opts.format ?? "csv") as OutputFormat;
  if (!["csv", "json", "ndjson"].includes(format))
    throw usageError(`--format ${opts.format}: expected csv, json or ndjson`);
  if (ctx.globals.json && !opts.out)
    throw usageError("--json prints the summary on stdout, where the data goes without --out", {
      hint: "add --out <file>",
    });
  const niveau = parseNiveau(opts.niveau);
  const millesime = parseMillesime(opts.millesime);
  const encoding = parseEncoding(opts.encoding);
  const delimiter = parseDelimiter(opts.delimiter);
  const maxErrors = parseCount(opts.maxErrors, "--max-errors");
  const summary = await processCatalogue(
    {
      mode,
      input,
      dataDir: ctx.dataDir,
      format,
      ...(opts.out ? { out: opts.out } : {}),
      ...(opts.columns ? { columns: opts.columns } : {}),
      ...(delimiter ? { delimiter } : {}),
      ...(encoding ? { encoding } : {}),
      ...(niveau ? { niveau } : {}),
      ...(millesime ? { millesime } : {}),
      ...(maxErrors !== undefined ? { maxErrors } : {}),
      ...(opts.excelSafe ? { excelSafe: true } : {}),
    },
    ctx.effects,
  );
  printSummary(summary, ctx);
  if (ctx.globals.json) ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}

export function printSummary(s: CatalogueSummary, ctx: CommandContext): void {
  const log = ctx.effects.logger;
  const pct = (v: number) => (s.rows === 0 ? "0" : ((100 * v) / s.rows).toFixed(1));
  log.info(`${n(s.rows)} rows in ${(s.durationMs / 1000).toFixed(1)} s → ${s.output}`);
  for (const [statut, count] of Object.entries(s.byStatut))
    if (count > 0) log.info(`  ${statut.padEnd(16)} ${n(count).padStart(9)}  ${pct(count).padStart(5)} %`);
  const motifs = Object.entries(s.byMotif).sort((a, b) => b[1] - a[1]);
  if (motifs.length > 0) log.info("  by motif:");
  for (const [motif, count] of motifs) log.info(`    ${motif.padEnd(28)} ${n(count).padStart(9)}`);
  log.debug(
    Object.entries(MOTIFS)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n"),
  );
}
