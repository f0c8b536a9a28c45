import { createReadStream } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { TextDecoder } from "node:util";
import { usageError } from "../errors.js";
import type { Parsed } from "../match/identifiers.js";
import { describeDialect, type QuoteMode } from "../io/csv.js";
import { decodeBuffer, type DetectedEncoding, detectEncoding, hasUtf8Bom } from "../io/decode.js";
import { type DelimitedInput, openDelimited } from "../io/delimited-reader.js";
import type { ParseContext, SourceFile } from "./types.js";

/**
 * Reads a producer table by column *name*: CSV in any of the producers' dialects (detected), or JSON
 * (BCN API `{"data":[…]}`, Opendatasoft arrays, `{"results":[…]}`…). Header names are compared after
 * normalisation (case, accents, punctuation), so `MEF_STAT_11` (CSV) and `mef_stat_11` (BCN API) match,
 * and `code scolarité` matches `code_scolarite`.
 */
export interface ColumnDef {
  /** Accepted header names, any vintage. */
  names: readonly string[];
  required?: boolean;
}

export interface TableSpec<C extends string> {
  /** Table name for messages, e.g. "BCN N_MEF". */
  table: string;
  columns: Record<C, ColumnDef>;
  /** Other columns the producer publishes that we do not read: no warning for them. */
  known?: readonly string[];
  /** Vintage names, tested in order on the set of normalised header names (and the file format). */
  vintages?: ReadonlyArray<{
    name: string;
    test: (headers: ReadonlySet<string>, format: "csv" | "json") => boolean;
  }>;
  /**
   * Quoting when the sample shows no quoted field: "none" for producers that never quote and leave
   * literal `"` in values (BCN, Certif Info, ACCE); detection still wins when the sample shows quoting.
   */
  quote?: QuoteMode;
  /** Keys under which a JSON document holds its rows (default: data, results, records…). */
  jsonArrayKeys?: readonly string[];
  /**
   * Lines that may precede the header (the RCO bucket copies of Certif Info start with one): when the
   * first line lacks the required columns, the next ones are tried, and the skip is reported.
   */
  preambleLines?: number;
}

export interface TableRow<C extends string> {
  /** 1-based line (CSV) or record number (JSON). */
  line: number;
  /** Trimmed text of a column; "" when absent or null. */
  get(column: C): string;
  /** The value as parsed (JSON keeps arrays and objects). */
  raw(column: C): unknown;
}

export function normalizeHeader(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[`"'’]/g, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

const DEFAULT_JSON_KEYS = ["data", "results", "records", "formations", "etablissements", "items"];
const HEAD_BYTES = 64 * 1024;

export async function* readTable<C extends string>(
  file: SourceFile,
  spec: TableSpec<C>,
  ctx: ParseContext,
): AsyncGenerator<TableRow<C>> {
  const head = await readHead(file.path, HEAD_BYTES);
  const first = firstSignificantByte(head);
  if (first === undefined) {
    ctx.beginFile(file.relPath);
    ctx.warn(`${file.relPath}: empty file, nothing read`);
    return;
  }
  if (first === 0x7b || first === 0x5b) yield* readJsonTable(file, spec, ctx);
  else yield* readCsvTable(file, spec, ctx, head);
}

/**
 * The column names of a file, to recognise which table it holds when a source folder may hold several:
 * the keys written in the start of a JSON file, or the cells of the first CSV line (and of the
 * `preambleLines` lines after it, when a preamble may come first), split on any of the producers'
 * delimiters. Only the start of the file is read.
 */
export async function readHeader(file: SourceFile, preambleLines = 0): Promise<string[]> {
  const head = await readHead(file.path, HEAD_BYTES);
  const first = firstSignificantByte(head);
  if (first === undefined) return [];
  const { encoding } = detectEncoding(head, head.length < HEAD_BYTES);
  // Not fatal: the head may end in the middle of a UTF-8 sequence, and only the first lines matter.
  const text =
    encoding === "utf-8"
      ? new TextDecoder("utf-8").decode(head)
      : decodeBuffer(head, file.relPath, encoding).text;
  // JSON: the keys seen in the first 64 KiB (the first rows, whatever the nesting), without parsing it all.
  if (first === 0x7b || first === 0x5b)
    return [...new Set(Array.from(text.matchAll(/"([^"\\]+)"\s*:/g), (m) => m[1]!))];
  return text
    .split(/\r?\n/)
    .slice(0, 1 + preambleLines)
    .flatMap((line) => line.split(/[;,|\t]/))
    .map((cell) => cell.replace(/"/g, "").trim());
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function firstSignificantByte(bytes: Buffer): number | undefined {
  let i = hasUtf8Bom(bytes) ? 3 : 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
  )
    i++;
  return bytes[i];
}

/**
 * The encoding of a whole producer file. The head decides (BOM, or invalid UTF-8 → Windows-1252), but a
 * BCN export is mostly ASCII and its first cp1252 byte (’ 0x92, é 0xE9) can come after the head: when
 * the head looks like UTF-8 without BOM, the rest is checked too before trusting it.
 */
async function fileEncoding(path: string, head: Buffer): Promise<DetectedEncoding> {
  const complete = head.length < HEAD_BYTES;
  const detected = detectEncoding(head, complete);
  if (detected.encoding !== "utf-8" || detected.bom || complete) return detected;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }))
      decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return detected;
  } catch {
    return { encoding: "windows-1252", bom: false };
  }
}

interface ColumnMatch<C extends string> {
  index: Record<C, number>;
  missing: string[];
  unknown: string[];
  vintage: string | undefined;
}

/** Map each canonical column to its index in `headers` (compared normalised). */
function matchColumns<C extends string>(
  spec: TableSpec<C>,
  headers: readonly string[],
  format: "csv" | "json",
): ColumnMatch<C> {
  const normalized = headers.map(normalizeHeader);
  const index = {} as Record<C, number>;
  const missing: string[] = [];
  const used = new Set<number>();
  for (const [column, def] of Object.entries(spec.columns) as [C, ColumnDef][]) {
    let found = -1;
    for (const name of def.names) {
      found = normalized.indexOf(normalizeHeader(name));
      if (found !== -1) break;
    }
    index[column] = found;
    if (found !== -1) used.add(found);
    else if (def.required) missing.push(def.names[0]!);
  }
  const known = new Set((spec.known ?? []).map(normalizeHeader));
  const unknown = headers.filter((h, i) => !used.has(i) && !known.has(normalized[i]!) && h.trim() !== "");
  const set = new Set(normalized);
  const vintage = spec.vintages?.find((v) => v.test(set, format))?.name;
  return { index, missing, unknown, vintage };
}

/** A missing required column is exit 2, naming the file, the columns expected and those found. */
function missingColumns(
  spec: TableSpec<string>,
  file: string,
  headers: readonly string[],
  missing: string[],
) {
  return usageError(
    `${file}: ${spec.table} is missing required column(s) ${missing.map((m) => `"${m}"`).join(", ")}.\n` +
      `  expected (any vintage): ${Object.values<ColumnDef>(spec.columns)
        .filter((d) => d.required)
        .map((d) => d.names.join(" | "))
        .join("; ")}\n  found: ${headers.length > 0 ? headers.join(", ") : "(no column)"}`,
    { hint: `check that this file is really ${spec.table}, exported with its header line` },
  );
}

function warnUnknown(spec: TableSpec<string>, file: string, unknown: string[], ctx: ParseContext): void {
  if (unknown.length > 0)
    ctx.warn(
      `${file}: column(s) not known for ${spec.table}, ignored: ${unknown.slice(0, 10).join(", ")}${unknown.length > 10 ? ` (+${unknown.length - 10})` : ""}`,
    );
}

async function openWithHeader<C extends string>(
  file: SourceFile,
  spec: TableSpec<C>,
  encoding: DetectedEncoding,
  ctx: ParseContext,
): Promise<{ input: DelimitedInput; match: ColumnMatch<C> }> {
  // A producer that writes no quoting has no record over several lines: a quote in a value is literal.
  const options = {
    encoding: encoding.encoding,
    ...(spec.quote ? { preferQuote: spec.quote } : {}),
    singleLine: spec.quote === "none",
  };
  const input = await openDelimited(file.path, options);
  const match = matchColumns(spec, input.header, "csv");
  if (match.missing.length === 0) return { input, match };
  for (let skip = 1; skip <= (spec.preambleLines ?? 0); skip++) {
    const shifted = await openDelimited(file.path, { ...options, skipLines: skip });
    const retry = matchColumns(spec, shifted.header, "csv");
    if (retry.missing.length === 0) {
      input.close();
      ctx.warn(
        `${file.relPath}: ${skip} line(s) before the header skipped (${JSON.stringify(input.header.join(input.dialect.delimiter).slice(0, 80))})`,
      );
      return { input: shifted, match: retry };
    }
    shifted.close();
  }
  input.close();
  throw missingColumns(spec, file.relPath, input.header, match.missing);
}

async function* readCsvTable<C extends string>(
  file: SourceFile,
  spec: TableSpec<C>,
  ctx: ParseContext,
  head: Buffer,
): AsyncGenerator<TableRow<C>> {
  const encoding = await fileEncoding(file.path, head);
  const { input, match } = await openWithHeader(file, spec, encoding, ctx);
  const { index, vintage } = match;
  ctx.beginFile(file.relPath, {
    encoding: input.encoding.encoding + (input.encoding.bom ? " (BOM)" : ""),
    dialect: describeDialect(input.dialect),
    ...(vintage ? { vintage } : {}),
  });
  warnUnknown(spec, file.relPath, match.unknown, ctx);
  const width = input.header.length;
  // Records read leniently, per kind of anomaly (the field number left out): count and first line.
  const lenient = new Map<string, { count: number; line: number }>();
  for await (const batch of input.batches()) {
    for (const record of batch) {
      ctx.read();
      let fields = record.fields;
      if (fields.length !== width) {
        // Trailing empty cells (a delimiter at the end of the line) are harmless.
        if (fields.length > width && fields.slice(width).every((f) => f === ""))
          fields = fields.slice(0, width);
        else {
          ctx.reject(
            file.relPath,
            record.line,
            "wrong number of fields",
            `${fields.length} fields, header has ${width}`,
          );
          continue;
        }
      }
      if (record.anomaly) {
        const kind = record.anomaly.replace(/ in field \d+/, "");
        const seen = lenient.get(kind);
        if (seen) seen.count++;
        else lenient.set(kind, { count: 1, line: record.line });
      }
      yield {
        line: record.line,
        get: (column) => {
          const i = index[column];
          return i === -1 ? "" : (fields[i] ?? "").trim();
        },
        raw: (column) => {
          const i = index[column];
          return i === -1 ? undefined : fields[i];
        },
      };
    }
  }
  for (const [kind, { count, line }] of lenient)
    ctx.warn(`${file.relPath}: ${count} row(s) read leniently (${kind}, kept as is), first at line ${line}`);
}

async function* readJsonTable<C extends string>(
  file: SourceFile,
  spec: TableSpec<C>,
  ctx: ParseContext,
): AsyncGenerator<TableRow<C>> {
  const keys = spec.jsonArrayKeys ?? DEFAULT_JSON_KEYS;
  const rows = findRows(await readJsonFile(file.path, file.relPath), keys);
  if (!rows)
    throw usageError(`${file.relPath}: JSON without a list of rows for ${spec.table}`, {
      hint: `expected an array, or an object with one of: ${keys.join(", ")}`,
    });
  if (rows.length === 0) {
    ctx.beginFile(file.relPath, { encoding: "json" });
    return;
  }
  const headers = jsonHeaders(rows);
  const match = matchColumns(spec, headers, "json");
  if (match.missing.length > 0) throw missingColumns(spec, file.relPath, headers, match.missing);
  const { index, vintage } = match;
  ctx.beginFile(file.relPath, { encoding: "json", ...(vintage ? { vintage } : {}) });
  warnUnknown(spec, file.relPath, match.unknown, ctx);
  const keyOf = {} as Record<C, string | undefined>;
  for (const column of Object.keys(spec.columns) as C[]) {
    const i = index[column];
    keyOf[column] = i === -1 ? undefined : headers[i];
  }
  let n = 0;
  for (const row of rows) {
    n++;
    ctx.read();
    if (!isObject(row)) {
      ctx.reject(file.relPath, n, "not an object");
      continue;
    }
    yield {
      line: n,
      get: (column) => jsonText(keyOf[column] === undefined ? undefined : row[keyOf[column]!]),
      raw: (column) => (keyOf[column] === undefined ? undefined : row[keyOf[column]!]),
    };
  }
}

/**
 * Minor problems of a file (a secondary code that cannot be read, a marker for "not given"…): counted
 * per kind and reported as one warning each with the first occurrence, instead of one line per row.
 */
export class FileWarnings {
  private readonly seen = new Map<string, { count: number; line: number; detail: string }>();

  constructor(private readonly file: string) {}

  add(label: string, line: number, detail: string): void {
    const entry = this.seen.get(label);
    if (entry) entry.count++;
    else this.seen.set(label, { count: 1, line, detail });
  }

  /** An optional code: its value, null when empty, null and counted when it cannot be read. */
  code(raw: string, parse: (value: string) => Parsed, column: string, line: number): string | null {
    if (raw === "") return null;
    const parsed = parse(raw);
    if (parsed.ok) return parsed.value;
    this.add(`with an unreadable ${column}, ignored`, line, parsed.reason);
    return null;
  }

  /** An optional date (parseDate): null when empty, null and counted when it cannot be read. */
  date(raw: string, column: string, line: number): string | null {
    const date = parseDate(raw);
    if (date === null && raw.trim() !== "")
      this.add(`with an unreadable ${column}, left empty`, line, `"${raw}" is not a date (DD/MM/YYYY)`);
    return date;
  }

  /** An optional whole number (parseIntOrNull): null when empty, null and counted when it cannot be read. */
  int(raw: string, column: string, line: number): number | null {
    const n = parseIntOrNull(raw);
    if (n === null && raw.trim() !== "")
      this.add(`with an unreadable ${column}, left empty`, line, `"${raw}" is not a whole number`);
    return n;
  }

  flush(ctx: ParseContext): void {
    for (const [label, { count, line, detail }] of this.seen)
      ctx.warn(`${this.file}: ${count} row(s) ${label} (first at line ${line}: ${detail})`);
    this.seen.clear();
  }
}

/** Keys of the first rows, in order of appearance (APIs omit null keys on some rows). */
function jsonHeaders(rows: readonly unknown[]): string[] {
  return [...new Set(rows.slice(0, 1000).flatMap((r) => (isObject(r) ? Object.keys(r) : [])))];
}

export async function readJsonFile(path: string, name: string): Promise<unknown> {
  const { text } = decodeBuffer(await readFile(path), name);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw usageError(`${name}: not valid JSON (${(cause as Error).message})`, {
      hint: "re-download the file; an interrupted transfer or an HTML error page leaves invalid JSON",
      cause,
    });
  }
  // "JSON dans un JSON": some APIs return a JSON string that contains the JSON document.
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch (cause) {
      throw usageError(`${name}: the body is a JSON string that does not contain JSON`, { cause });
    }
  }
  return value;
}

function findRows(doc: unknown, keys: readonly string[]): unknown[] | undefined {
  if (Array.isArray(doc)) return doc;
  if (isObject(doc)) {
    for (const key of keys) {
      const v = doc[key];
      if (Array.isArray(v)) return v;
    }
  }
  return undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function jsonText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return v.map(jsonText).join(",");
  return JSON.stringify(v);
}

/** Why the codes of a row did not parse, each named by its column ("MEF_STAT_11 is empty"). */
export function invalidCodes(codes: Record<string, Parsed>): string | undefined {
  const reasons = Object.entries(codes).flatMap(([column, p]) =>
    p.ok ? [] : [p.reason === "vide" ? `${column} is empty` : p.reason],
  );
  return reasons.length > 0 ? reasons.join("; ") : undefined;
}

/**
 * dd/mm/yyyy (also d/m/yyyy and dd.mm.yyyy, as a spreadsheet re-saves it), yyyy-mm-dd or yyyy-mm-dd
 * HH:MM:SS → yyyy-mm-dd; a bare year stays a year; anything else is null (see FileWarnings.date).
 */
export function parseDate(value: string): string | null {
  const v = value.trim();
  if (v === "") return null;
  let m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(v);
  if (m && Number(m[1]) <= 31 && Number(m[2]) <= 12)
    return `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  if (/^\d{4}$/.test(v)) return v;
  return null;
}

/** A whole number, also as a spreadsheet re-saves it (`2.0`); anything else is null. */
export function parseIntOrNull(value: string): number | null {
  const v = value.trim();
  if (!/^-?\d+(?:\.0+)?$/.test(v)) return null;
  return Number.parseInt(v, 10);
}
