import { runStatus } from "../status.js";
import { type CommandContext, n } from "./shared.js";

export default async function statusCommand(ctx: CommandContext) {
  const status = await runStatus({ dataDir: ctx.dataDir }, ctx.effects);
  if (ctx.globals.json) {
    ctx.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    return 0;
  }
  const lines = [`data dir: ${status.dataDir}`];
  lines.push(
    !status.index.present
      ? "index: missing (run `inserjeunes build-index`)"
      : status.index.problem
        ? `index: unusable: ${status.index.problem}`
        : `index: built ${status.index.builtAt} by inserjeunes ${status.index.toolVersion}`,
  );
  for (const s of status.sources) {
    const state = s.present ? `present, ${s.ageDays ?? "?"} day(s) old` : "missing";
    const rows = s.indexedRows === null ? "" : `, ${n(s.indexedRows)} rows indexed`;
    lines.push(`  ${s.source.padEnd(32)} ${state}${rows}${s.vintage ? ` (${s.vintage})` : ""}`);
  }
  ctx.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
