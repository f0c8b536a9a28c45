import { buildIndex } from "../index-db/build.js";
import { writeFileAtomic } from "../io/atomic.js";
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
    const vintages = [...new Set(r.files.map((f) => f.vintage).filter(Boolean))].join(", ");
    log.info(
      `${r.source.padEnd(32)} ${n(r.rowsKept).padStart(9)} kept ${n(r.rowsRejected).padStart(7)} rejected${vintages ? `  (${vintages})` : ""}`,
    );
    for (const [reason, count] of Object.entries(r.rejectedByReason)) log.info(`    ${n(count)} × ${reason}`);
    for (const reject of r.rejects.slice(0, 3))
      log.debug(`    ${reject.file}:${reject.line} ${reject.reason}`);
    for (const w of r.warnings) log.warn(`${r.source}: ${w}`);
  }
  log.info(`index: ${result.indexPath} (${(result.durationMs / 1000).toFixed(1)} s)`);
  const report = {
    index: result.indexPath,
    durationMs: result.durationMs,
    rowCounts: result.rowCounts,
    sources: result.reports,
  };
  if (opts.report) await writeFileAtomic(opts.report, `${JSON.stringify(report, null, 2)}\n`);
  if (ctx.globals.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}
