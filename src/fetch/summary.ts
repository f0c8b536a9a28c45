import { formatBytes } from "./progress.js";
import type { FetchSummary } from "./run.js";

/** The summary of a fetch run: a table for people (stderr), an object for --json (stdout). */
export function summaryTable(summary: FetchSummary, now: Date): string[] {
  const rows = summary.outcomes.map((o) => [
    o.source,
    o.status,
    o.bytes !== undefined ? formatBytes(o.bytes) : "-",
    o.fetchedAt ? formatAge(now.getTime() - Date.parse(o.fetchedAt)) : "-",
    o.reason ?? "",
  ]);
  const header = ["source", "status", "size", "age", "reason"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function summaryJson(summary: FetchSummary, now: Date, dataDir: string) {
  return {
    dataDir,
    offline: summary.offline,
    sources: summary.outcomes.map((o) => ({
      source: o.source,
      status: o.status,
      bytes: o.bytes ?? null,
      files: o.files ?? null,
      fetchedAt: o.fetchedAt ?? null,
      ageSeconds: o.fetchedAt
        ? Math.max(0, Math.round((now.getTime() - Date.parse(o.fetchedAt)) / 1000))
        : null,
      url: o.entry?.origin.kind === "url" ? o.entry.origin.url : null,
      sha256: o.entry?.sha256 ?? null,
      reason: o.reason ?? null,
    })),
  };
}

/** 42 s, 5 min, 3 h, 12 d. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}
