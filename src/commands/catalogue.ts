import { usageError } from "../errors.js";
import type { PresetName } from "../match/presets.js";
import { type CatalogueSummary, type OutputFormat, processCatalogue } from "../pipeline/catalogue.js";
import type { Mode } from "../pipeline/output-columns.js";
import { progressLine } from "./progress.js";
import {
  type CommandContext,
  n,
  parseCount,
  parseDelimiter,
  parseEncoding,
  parseMillesime,
  parseNiveau,
  parseOutputEncoding,
} from "./shared.js";

export interface CatalogueCommandOptions {
  out?: string;
  format?: OutputFormat;
  columns?: string;
  preset?: PresetName;
  delimiter?: string;
  encoding?: string;
  niveau?: string;
  millesime?: string;
  maxErrors?: string;
  maxUnmatched?: string;
  excelSafe?: boolean;
  indicateurs?: string;
  famille?: "aggregate";
  history?: boolean;
  excel?: boolean;
  outputEncoding?: string;
  fuzzy?: boolean;
  report?: string;
  rejects?: string;
  unmatched?: string;
}

/** match and enrich share everything but the columns they add. */
export async function catalogueCommand(
  mode: Mode,
  input: string,
  opts: CatalogueCommandOptions,
  ctx: CommandContext,
) {
  if (ctx.globals.json && !opts.out)
    throw usageError("--json prints the summary on stdout, where the data goes without --out", {
      hint: "add --out <file>",
    });
  const [niveau, millesime, encoding, delimiter] = [
    parseNiveau(opts.niveau),
    parseMillesime(opts.millesime),
    parseEncoding(opts.encoding),
    parseDelimiter(opts.delimiter),
  ];
  const outputEncoding = parseOutputEncoding(opts.outputEncoding);
  const maxErrors = parseCount(opts.maxErrors, "--max-errors");
  const maxUnmatched = parseThreshold(opts.maxUnmatched);
  const progress = ctx.effects.interactive && !ctx.globals.quiet ? progressLine() : undefined;
  const indicateurs = opts.indicateurs === undefined ? undefined : opts.indicateurs.split(",");
  const { out, format, columns, preset, excelSafe, excel, fuzzy, report, rejects, unmatched } = opts;
  const { famille, history } = opts;
  const summary = await processCatalogue(
    {
      ...{ mode, input, dataDir: ctx.dataDir, out, format, columns, preset, report, rejects, unmatched },
      ...{ delimiter, encoding, niveau, millesime, maxErrors, maxUnmatched, excelSafe, fuzzy },
      ...{ excel, outputEncoding, indicateurs, famille, history },
      ...(progress ? { onProgress: progress.update } : {}),
    },
    ctx.effects,
  ).finally(() => progress?.clear());
  printSummary(summary, ctx);
  if (ctx.globals.json) ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}

/** `--max-unmatched 100` (rows) or `--max-unmatched 5%`. */
function parseThreshold(value: string | undefined) {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(value.trim());
  if (!m || (!m[2] && m[1]!.includes(".")))
    throw usageError(`--max-unmatched ${value}: expected a number of rows (100) or a percentage (5%)`);
  return m[2] ? { percent: Number(m[1]) } : { count: Number(m[1]) };
}

export function printSummary(s: CatalogueSummary, ctx: CommandContext): void {
  const log = ctx.effects.logger;
  const pct = (v: number) => (s.rows === 0 ? "0" : ((100 * v) / s.rows).toFixed(1));
  for (const w of s.warnings) log.warn(w);
  const written = s.rowsWritten !== s.rows ? ` (${n(s.rowsWritten)} rows written, one per millésime)` : "";
  log.info(
    `${n(s.rows)} rows in ${(s.durationMs / 1000).toFixed(1)} s → ${s.output} (${s.format})${written}`,
  );
  for (const [statut, count] of Object.entries(s.byStatut))
    if (count > 0) log.info(`  ${statut.padEnd(16)} ${n(count).padStart(9)}  ${pct(count).padStart(5)} %`);
  const motifs = Object.entries(s.byMotif).sort((a, b) => b[1] - a[1]);
  if (motifs.length > 0) log.info("  by motif:");
  for (const [motif, count] of motifs) log.info(`    ${motif.padEnd(28)} ${n(count).padStart(9)}`);
  for (const [label, path] of [
    ["report", s.report],
    ["rejects", s.rejects],
    ["unmatched", s.unmatchedFile],
  ])
    if (path) log.info(`  ${label} → ${path}`);
}
