import { describe, expect, it } from "vitest";
import { progressLine } from "../../src/commands/progress.js";

describe("progress line (stderr, on a terminal only)", () => {
  it("rows, share of the bytes, rate and ETA, rewritten in place; cleared at the end", () => {
    const out: string[] = [];
    const line = progressLine((s) => out.push(s));
    // 250,000 rows in 2 s, 50 MB of 200: 25 % → 6 s left.
    line.update({ rows: 250_000, bytes: 50e6, totalBytes: 200e6, elapsedMs: 2000 });
    // stdin: no size, no ETA.
    line.update({ rows: 1_000, bytes: 1e5, totalBytes: undefined, elapsedMs: 500 });
    line.clear();
    expect(out).toEqual([
      "\r\x1b[K250,000 rows, 25 %, 125,000 rows/s, ETA 6 s",
      "\r\x1b[K1,000 rows, 2,000 rows/s, ETA ? s",
      "\r\x1b[K",
    ]);
  });
});
