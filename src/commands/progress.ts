import type { Progress } from "../pipeline/catalogue.js";
import { n } from "./shared.js";

/** One line on stderr, rewritten in place (only on a terminal). */
export function progressLine(write: (s: string) => unknown = (s) => process.stderr.write(s)) {
  return {
    update(p: Progress) {
      const rate = p.elapsedMs > 0 ? (1000 * p.rows) / p.elapsedMs : 0;
      const share = p.totalBytes ? p.bytes / p.totalBytes : undefined;
      const eta = share && share > 0 ? ((p.elapsedMs / share - p.elapsedMs) / 1000).toFixed(0) : "?";
      const pct = share === undefined ? "" : ` ${(100 * share).toFixed(0)} %,`;
      write(`\r\x1b[K${n(p.rows)} rows,${pct} ${n(Math.round(rate))} rows/s, ETA ${eta} s`);
    },
    clear: () => write("\r\x1b[K"),
  };
}
