import { missingDataError, usageError } from "../errors.js";
import { runStatus, type StatusResult } from "../status.js";
import { type CommandContext, n } from "./shared.js";

export interface StatusCommandOptions {
  maxAge?: string;
}

export default async function statusCommand(opts: StatusCommandOptions, ctx: CommandContext) {
  const maxAgeDays = parseDays(opts.maxAge);
  const status = await runStatus(
    { dataDir: ctx.dataDir, ...(maxAgeDays !== undefined ? { maxAgeDays } : {}) },
    ctx.effects,
  );
  ctx.stdout.write(ctx.globals.json ? `${JSON.stringify(status, null, 2)}\n` : describe(status));
  if (maxAgeDays === undefined) return 0;
  if (!status.sources.some((s) => s.present))
    throw missingDataError(`--max-age ${maxAgeDays}: no source is fetched in ${status.dataDir}`, {
      hint: "run `inserjeunes fetch`",
    });
  if (status.stale.length > 0)
    throw missingDataError(
      `--max-age ${maxAgeDays}: ${status.stale.join(", ")} ${status.stale.length > 1 ? "are" : "is"} older than ${maxAgeDays} day(s)`,
      { hint: "run `inserjeunes fetch` (and `build-index`) again" },
    );
  return 0;
}

function describe(status: StatusResult): string {
  const { index } = status;
  const lines = [`data dir: ${status.dataDir}`];
  lines.push(
    !index.present
      ? "index: missing (run `inserjeunes build-index`)"
      : index.problem
        ? `index: unusable: ${index.problem}`
        : `index: built ${index.builtAt} by inserjeunes ${index.toolVersion}${index.current ? "" : " — sources changed since: run `inserjeunes build-index`"}`,
  );
  for (const s of status.sources) {
    const state = s.present ? `present, ${s.ageDays ?? "?"} day(s) old` : "missing";
    const rows = s.indexedRows === null ? "" : `, ${n(s.indexedRows)} rows indexed`;
    lines.push(`  ${s.source.padEnd(32)} ${state}${rows}${s.vintage ? ` (${s.vintage})` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

function parseDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw usageError(`--max-age ${value}: expected a number of days`);
  return Number(value);
}
