import { formatLocation, truncate, usageError } from "../errors.js";

/**
 * A streaming RFC-4180 CSV parser, lenient where the producers need it:
 * - a `"` inside an unquoted field is literal (BCN, Certif Info);
 * - `quote: "none"` turns quoting off entirely (producer exports that never quote);
 * - text after a closing quote is kept and the record is flagged instead of failing;
 * - `singleLine`: for producers whose records never span lines, a `"` opening a field that is not closed
 *   on its own line is a literal character (a value starting with a quote), and the record is flagged —
 *   read as an opening quote, it would swallow the next lines into one record.
 * It is push-based (feed decoded text, collect complete records) so that the hot path (match, enrich)
 * never holds more than one chunk, and it tracks physical line numbers for error messages.
 */
export type QuoteMode = "rfc" | "none";

export interface CsvDialect {
  delimiter: string;
  quote: QuoteMode;
  lineEnding: "\n" | "\r\n";
}

export interface CsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** Set when the record parsed only leniently (text after a closing quote). */
  anomaly?: string;
  /** The record's text without its line ending, when the parser keeps it (to write a row back untouched). */
  raw?: string;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const INCOMPLETE = -1;

/** Above this size, an unterminated record is a broken quote, not a long field. */
const MAX_RECORD_CHARS = 16 * 1024 * 1024;

export class CsvParser {
  private rest = "";
  private line = 1;
  /** How many fields were read as quoted fields (evidence that the file uses RFC quoting). */
  quotedFields = 0;
  /** Quoted fields whose quotes mean something: they hold a delimiter, a line break or a doubled quote. */
  quotedEvidence = 0;
  private readonly delim: number;
  private readonly delimChar: string;
  /**
   * In the text being parsed: where the next delimiter, LF and CR are, at or after the last place they
   * were looked for (found by indexOf, which is much faster than a loop over characters, and looked
   * for again only once passed); the text's length when there is none.
   */
  private nextDelim = -1;
  private nextLf = -1;
  private nextCr = -1;
  private readonly quoting: boolean;
  private readonly keepRaw: boolean;
  private readonly singleLine: boolean;

  constructor(
    dialect: Pick<CsvDialect, "delimiter" | "quote">,
    private readonly source: string,
    options: {
      /** Physical line number of the first line fed (after lines skipped before the header). */
      firstLine?: number;
      /** Keep each record's raw text (CsvRecord.raw), to write rows back untouched. */
      keepRaw?: boolean;
      /** Records never span lines: a quote not closed on its line is literal (see above). */
      singleLine?: boolean;
    } = {},
  ) {
    this.line = options.firstLine ?? 1;
    this.keepRaw = options.keepRaw ?? false;
    this.singleLine = options.singleLine ?? false;
    if (dialect.delimiter.length !== 1)
      throw usageError(`delimiter must be one character, got "${dialect.delimiter}"`);
    this.delim = dialect.delimiter.charCodeAt(0);
    this.delimChar = dialect.delimiter;
    this.quoting = dialect.quote === "rfc";
  }

  /** Parse as many complete records as `text` (appended to what was left) contains. */
  push(text: string, out: CsvRecord[]): void {
    this.run(this.rest.length === 0 ? text : this.rest + text, false, out);
  }

  /** Parse what is left at the end of the input. Throws on an unclosed quote. */
  finish(out: CsvRecord[]): void {
    this.run(this.rest, true, out);
    this.rest = "";
  }

  private run(buf: string, final: boolean, out: CsvRecord[]): void {
    this.nextDelim = this.nextLf = this.nextCr = -1;
    let pos = 0;
    const n = buf.length;
    while (pos < n) {
      const end = this.parseRecord(buf, pos, final, out);
      if (end === INCOMPLETE) {
        if (n - pos > MAX_RECORD_CHARS) this.unclosed(buf, pos);
        break;
      }
      pos = end;
    }
    this.rest = pos >= n ? "" : buf.slice(pos);
  }

  /** The first delimiter, LF or CR at or after `p` (buf.length when there is none). */
  private fieldEnd(buf: string, p: number): number {
    const n = buf.length;
    if (this.nextDelim < p) {
      const i = buf.indexOf(this.delimChar, p);
      this.nextDelim = i === -1 ? n : i;
    }
    if (this.nextLf < p) {
      const i = buf.indexOf("\n", p);
      this.nextLf = i === -1 ? n : i;
    }
    if (this.nextCr < p) {
      const i = buf.indexOf("\r", p);
      this.nextCr = i === -1 ? n : i;
    }
    return Math.min(this.nextDelim, this.nextLf, this.nextCr);
  }

  /** Returns the position after the record, or INCOMPLETE when more input is needed. */
  private parseRecord(buf: string, start: number, final: boolean, out: CsvRecord[]): number {
    const n = buf.length;
    const delim = this.delim;
    const fields: string[] = [];
    let p = start;
    let innerLines = 0;
    let quotedAny = false;
    let anomaly: string | undefined;
    let contentEnd = start;

    for (;;) {
      let value: string;
      let quoted = this.quoting && p < n && buf.charCodeAt(p) === QUOTE;
      if (quoted && this.singleLine) {
        const closed = closesOnItsLine(buf, p + 1, final);
        if (closed === undefined) return INCOMPLETE;
        if (!closed) {
          quoted = false;
          anomaly ??= `a " not closed on its line in field ${fields.length + 1}, read as a literal character`;
        }
      }
      if (quoted) {
        quotedAny = true;
        this.quotedFields++;
        let q = p + 1;
        value = "";
        for (;;) {
          const j = buf.indexOf('"', q);
          if (j === -1) {
            if (!final) return INCOMPLETE;
            this.unclosed(buf, start);
          }
          if (j + 1 >= n && !final) return INCOMPLETE;
          if (buf.charCodeAt(j + 1) === QUOTE) {
            value += buf.slice(q, j + 1);
            q = j + 2;
            continue;
          }
          value += buf.slice(q, j);
          p = j + 1;
          break;
        }
        innerLines += countLf(value);
        if (/["\n\r]/.test(value) || value.includes(String.fromCharCode(delim))) this.quotedEvidence++;
        if (p < n) {
          const c = buf.charCodeAt(p);
          if (c !== delim && c !== LF && c !== CR) {
            // Text after the closing quote: keep it, flag the record.
            const q = this.fieldEnd(buf, p);
            if (q >= n && !final) return INCOMPLETE;
            anomaly ??= `text after a closing quote in field ${fields.length + 1}`;
            value += buf.slice(p, q);
            p = q;
          }
        }
      } else {
        const q = this.fieldEnd(buf, p);
        if (q >= n && !final) return INCOMPLETE;
        value = buf.slice(p, q);
        p = q;
      }
      fields.push(value);

      if (p >= n) {
        if (!final) return INCOMPLETE;
        contentEnd = p;
        break;
      }
      const c = buf.charCodeAt(p);
      if (c === delim) {
        p++;
        continue;
      }
      contentEnd = p;
      if (c === CR) {
        if (p + 1 >= n && !final) return INCOMPLETE;
        p += buf.charCodeAt(p + 1) === LF ? 2 : 1;
      } else {
        p++; // LF
      }
      break;
    }

    const line = this.line;
    this.line += 1 + innerLines;
    // A blank line is not a record.
    if (fields.length === 1 && fields[0] === "" && !quotedAny) return p;
    const record: CsvRecord = { fields, line };
    if (anomaly !== undefined) record.anomaly = anomaly;
    if (this.keepRaw) record.raw = buf.slice(start, contentEnd);
    out.push(record);
    return p;
  }

  private unclosed(buf: string, start: number): never {
    const text = buf.slice(start, buf.indexOf("\n", start) === -1 ? start + 200 : buf.indexOf("\n", start));
    throw usageError(
      `${formatLocation({ file: this.source, line: this.line, text })}\nA quoted field opened on this line is never closed (an unbalanced " character).`,
      {
        hint: 'double every " inside a quoted field ("" instead of "), or quote the whole field; then run again',
      },
    );
  }
}

/**
 * Whether the quoted field whose text starts at `q` is closed before the end of its line (a doubled
 * quote is no close); undefined when the text read so far cannot tell.
 */
function closesOnItsLine(buf: string, q: number, final: boolean): boolean | undefined {
  const lf = buf.indexOf("\n", q);
  const cr = buf.indexOf("\r", q);
  const eol = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
  for (;;) {
    const j = buf.indexOf('"', q);
    if (j === -1 || (eol !== -1 && eol < j)) return eol !== -1 || final ? false : undefined;
    if (j + 1 >= buf.length) return final ? true : undefined;
    if (buf.charCodeAt(j + 1) !== QUOTE) return true;
    q = j + 2;
  }
}

function countLf(s: string): number {
  let count = 0;
  let i = s.indexOf("\n");
  while (i !== -1) {
    count++;
    i = s.indexOf("\n", i + 1);
  }
  return count;
}

/** Parse a whole decoded text (small files, tests). */
export function parseCsv(text: string, dialect: Pick<CsvDialect, "delimiter" | "quote">, source = "<text>") {
  const parser = new CsvParser(dialect, source);
  const out: CsvRecord[] = [];
  parser.push(text, out);
  parser.finish(out);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Dialect detection

export const DELIMITERS = [";", ",", "\t", "|"] as const;
export type DelimiterOption = "auto" | ";" | "," | "tab" | "pipe" | "\t" | "|";

export function delimiterFromOption(option: string | undefined): string | undefined {
  switch (option) {
    case undefined:
    case "auto":
      return undefined;
    case "tab":
    case "\\t":
    case "\t":
      return "\t";
    case "pipe":
    case "|":
      return "|";
    case ";":
    case "semicolon":
      return ";";
    case ",":
    case "comma":
      return ",";
    default:
      throw usageError(`unknown --delimiter "${option}"`, { hint: "use auto, ';', ',', tab or pipe" });
  }
}

interface Candidate {
  dialect: CsvDialect;
  /** Per mille of records with the header's field count. */
  consistent: number;
  columns: number;
  anomalies: number;
  quotedFields: number;
  quotedEvidence: number;
}

/**
 * Guess the delimiter and quoting from a sample (the start of the file, decoded). The sample's last
 * line may be cut: it is ignored. The delimiter is the one that splits the header into several columns
 * and gives most records the header's field count. Quoting: RFC when the sample shows quoted fields
 * that parse cleanly; no quoting when quotes appear in ways RFC cannot read (BCN's literal quotes);
 * `preferQuote` when the sample shows no quote at all (a producer known never to quote says "none").
 */
export function sniffDialect(
  sample: string,
  forced: { delimiter?: string; quote?: QuoteMode; preferQuote?: QuoteMode } = {},
): CsvDialect {
  const lastLf = sample.lastIndexOf("\n");
  const body = lastLf === -1 ? sample : sample.slice(0, lastLf + 1);
  const firstLf = sample.indexOf("\n");
  const lineEnding = firstLf > 0 && sample.charCodeAt(firstLf - 1) === CR ? "\r\n" : "\n";

  const delimiters = forced.delimiter ? [forced.delimiter] : [...DELIMITERS];
  let best: { rfc: Candidate | undefined; none: Candidate } | undefined;
  for (const delimiter of delimiters) {
    const none = scoreDialect(body, { delimiter, quote: "none", lineEnding });
    if (!none) continue;
    const rfc = scoreDialect(body, { delimiter, quote: "rfc", lineEnding });
    const candidate = { rfc, none };
    if (!best || better(strongest(candidate), strongest(best))) best = candidate;
  }
  if (!best) return { delimiter: forced.delimiter ?? ";", quote: forced.quote ?? "rfc", lineEnding };
  const { rfc, none } = best;
  if (forced.quote) return { ...none.dialect, quote: forced.quote };
  let quote: QuoteMode;
  if (!rfc) quote = "none";
  else if (rfc.quotedFields === 0) quote = forced.preferQuote ?? "rfc";
  // Quotes around a delimiter, a line break or a doubled quote mean RFC quoting, even when a broken
  // line makes the unquoted reading look more regular.
  else if (rfc.anomalies === 0 && rfc.quotedEvidence > 0) quote = "rfc";
  else quote = rfc.anomalies === 0 && rfc.consistent >= none.consistent ? "rfc" : "none";
  return { ...none.dialect, quote };
}

function strongest(c: { rfc: Candidate | undefined; none: Candidate }): Candidate {
  return c.rfc && !better(c.none, c.rfc) ? c.rfc : c.none;
}

function better(a: Candidate, b: Candidate): boolean {
  // A single column is what every wrong delimiter yields; prefer any real split.
  if (a.columns > 1 !== b.columns > 1) return a.columns > 1;
  if (a.consistent !== b.consistent) return a.consistent > b.consistent;
  if (a.anomalies !== b.anomalies) return a.anomalies < b.anomalies;
  return false; // keep the earlier one: ';' before ',' and RFC quoting before none
}

function scoreDialect(body: string, dialect: CsvDialect): Candidate | undefined {
  const parser = new CsvParser(dialect, "<sample>");
  const records: CsvRecord[] = [];
  try {
    // No finish(): a record cut by the end of the sample is left out, not reported as broken.
    parser.push(body, records);
  } catch {
    return undefined;
  }
  const header = records[0];
  if (!header) return undefined;
  const columns = header.fields.length;
  let consistent = 0;
  let anomalies = 0;
  for (const r of records) {
    if (r.fields.length === columns) consistent++;
    if (r.anomaly) anomalies++;
  }
  return {
    dialect,
    consistent: Math.round((consistent / records.length) * 1000),
    columns,
    anomalies,
    quotedFields: parser.quotedFields,
    quotedEvidence: parser.quotedEvidence,
  };
}

// ---------------------------------------------------------------------------------------------------
// Writing

/** Quote a field only when it needs it (RFC 4180 minimal quoting). */
export function makeFieldQuoter(delimiter: string): (value: string) => string {
  const needs = new RegExp(`[${delimiter === "\t" ? "\\t" : `\\${delimiter}`}"\\r\\n]`);
  return (value) => (needs.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
}

export function formatCsvRow(
  fields: readonly string[],
  quoteField: (v: string) => string,
  delimiter: string,
): string {
  // Joined, not concatenated with +=: a row of cells kept for a whole run (the ij_ cells of an answer)
  // is then one flat string, not a tree of pieces ten times its size.
  const out = new Array<string>(fields.length);
  for (let i = 0; i < fields.length; i++) out[i] = quoteField(fields[i]!);
  return out.join(delimiter);
}

export function describeDialect(d: CsvDialect): string {
  const delim = d.delimiter === "\t" ? "tab" : d.delimiter === "|" ? "pipe" : `'${d.delimiter}'`;
  return `delimiter ${delim}, ${d.quote === "rfc" ? "RFC quoting" : "no quoting"}, ${d.lineEnding === "\r\n" ? "CRLF" : "LF"}`;
}

export { truncate };
