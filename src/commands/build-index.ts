import { buildIndex } from "../index-db/build.js";
import { writeFileAtomic } from "../io/atomic.js";
import type { SourceReport } from "../sources/types.js";
import { type CommandContext, n, toolVersion } from "./shared.js";

export interface BuildIndexCommandOptions {
  strict?: boolean;
  report?: string;
}

export default async function buildIndexCommand(opts: BuildIndexCommandOptions, ctx: CommandContext) {
  const result = await buildIndex(
    { dataDir: ctx.dataDir, strict: opts.strict ?? false, toolVersion: toolVersion() },
    ctx.effects,
  );
  const log = ctx.effects.logger;
  for (const r of result.reports) {
    for (const line of summaryLines(r)) log.info(line);
    for (const reject of r.rejects.slice(0, 3))
      log.debug(`    ${reject.file}:${reject.line} ${reject.reason}`);
    for (const w of r.warnings) log.warn(`${r.source}: ${w}`);
  }
  if (result.missing.length > 0) log.info(`not fetched: ${result.missing.join(", ")}`);
  log.info(`index: ${result.indexPath} (${(result.durationMs / 1000).toFixed(1)} s)`);
  const report = {
    index: result.indexPath,
    durationMs: result.durationMs,
    rowCounts: result.rowCounts,
    missing: result.missing,
    sources: result.reports,
  };
  if (opts.report) await writeFileAtomic(opts.report, `${JSON.stringify(report, null, 2)}\n`);
  if (ctx.globals.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}

/** One line per source, one per file (sha256, vintage, dialect, counts), one per rejection reason. */
function summaryLines(r: SourceReport): string[] {
  const lines = [
    `${r.source.padEnd(32)} ${n(r.rowsKept).padStart(9)} kept ${n(r.rowsRejected).padStart(7)} rejected ${n(r.rowsRead).padStart(9)} read`,
  ];
  for (const f of r.files) {
    const details = [
      f.sha256 ? `sha256 ${f.sha256.slice(0, 12)}` : undefined,
      f.vintage,
      [f.encoding, f.dialect].filter(Boolean).join(", ") || undefined,
      `${n(f.rowsRead)} read, ${n(f.rowsKept)} kept, ${n(f.rowsRejected)} rejected`,
    ].filter(Boolean);
    lines.push(`    ${f.file}: ${details.join(" · ")}`);
  }
  for (const [reason, count] of Object.entries(r.rejectedByReason)) lines.push(`    ${n(count)} × ${reason}`);
  return lines;
}
