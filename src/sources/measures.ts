import type { MeasureName, Measures } from "../indicators/rates.js";

/**
 * Figures as producers print them: numbers, strings ("30.0", "54,6", "1 064"), markers for what is not
 * published ("nd", "na", "null", "-"…), and InserSup's cumulation flags ("130 *" = two promotions
 * cumulated, "12 **" = cumulation impossible). Parsed here once for every indicator source.
 */
export type MeasureValue =
  { ok: true; value: number | null; flag?: "cumul" | "cumul_impossible" } | { ok: false; reason: string };

/** What producers write where a figure is withheld or does not exist. */
const NOT_PUBLISHED = new Set(["", "nd", "na", "ns", "nc", "null", "-", "–", "s", "secret", "n.d.", "n/a"]);

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

export function parseMeasure(raw: unknown): MeasureValue {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  if (typeof raw === "number")
    return Number.isFinite(raw)
      ? { ok: true, value: raw }
      : { ok: false, reason: `"${raw}" is not a number` };
  if (typeof raw !== "string") return { ok: false, reason: `${JSON.stringify(raw)} is not a number` };
  // The common case first: a plain decimal number ("54", "30.0", "-4.0").
  if (PLAIN_NUMBER.test(raw)) return { ok: true, value: Number(raw) };
  let text = raw.trim();
  let flag: "cumul" | "cumul_impossible" | undefined;
  const marked = /^(.*?)\s*(\*{1,2})$/.exec(text);
  if (marked) {
    text = marked[1]!;
    flag = marked[2] === "**" ? "cumul_impossible" : "cumul";
  }
  if (NOT_PUBLISHED.has(text.toLowerCase())) return { ok: true, value: null, ...(flag ? { flag } : {}) };
  // French decimal comma and thousands spaces (incl. no-break spaces) → a JavaScript number.
  const normalized = text.replace(/[\s\u00a0\u202f]/g, "").replace(/^([+-]?\d+),(\d+)$/, "$1.$2");
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(normalized))
    return { ok: false, reason: `"${raw}" is not a number` };
  return { ok: true, value: Number(normalized), ...(flag ? { flag } : {}) };
}

/** True when a source row carries no figure at all: nothing to index. */
export function isEmptyMeasures(measures: Measures): boolean {
  return Object.values(measures).every((v) => v === null || v === undefined);
}

/**
 * `cumul 2023-2024`, `2023-2024`, `2023_2024`, `2023/2024` → `2023_2024`; `2023` stays `2023`.
 * Undefined when the text holds no millésime.
 */
export function parseMillesime(raw: string): string | undefined {
  const v = raw.trim();
  const pair = /(\d{4})\s*[-_/]\s*(\d{4})/.exec(v);
  if (pair) {
    const [a, b] = [Number(pair[1]), Number(pair[2])].sort((x, y) => x - y);
    return b! - a! === 1 ? `${a}_${b}` : undefined;
  }
  const single = /^(?:\D*\s)?(\d{4})(\.0)?$/.exec(v);
  return single ? single[1] : undefined;
}

/**
 * Collects the rows a parser leaves out on purpose (other breakdowns, aggregates, figures all withheld)
 * so that the report says how many and why, in one line per reason.
 */
export class SkipCounter {
  private readonly counts = new Map<string, number>();

  /** "N <unit> <what>: <reason>", e.g. "12 row(s) not indexed: breakdown by genre". */
  constructor(
    private readonly what = "not indexed",
    private readonly unit = "row(s)",
  ) {}

  add(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }

  /** One warning per reason, e.g. "file.csv: 12 row(s) not indexed: breakdown by genre". */
  report(file: string, warn: (message: string) => void): void {
    for (const [reason, n] of this.counts) warn(`${file}: ${n} ${this.unit} ${this.what}: ${reason}`);
    this.counts.clear();
  }
}

/**
 * A reader of the measure columns of a row: `map` says which column holds which measure. It returns the
 * measures, or the first column whose value is not a number (the caller rejects the row with it).
 */
export function measureReader<C extends string>(
  map: Partial<Record<C, MeasureName>>,
): (raw: (column: C) => unknown) => { measures: Measures } | { column: C; reason: string } {
  const pairs = Object.entries(map) as [C, MeasureName][];
  return (raw) => {
    const measures: Measures = {};
    for (const [column, name] of pairs) {
      const parsed = parseMeasure(raw(column));
      if (!parsed.ok) return { column, reason: parsed.reason };
      if (parsed.value !== null || !(name in measures)) measures[name] = parsed.value;
    }
    return { measures };
  };
}
