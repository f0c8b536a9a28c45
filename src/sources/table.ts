import { readFile } from "node:fs/promises";
import { usageError } from "../errors.js";
import { describeDialect, type QuoteMode } from "../io/csv.js";
import { decodeBuffer, hasUtf8Bom } from "../io/decode.js";
import { openDelimited } from "../io/delimited-reader.js";
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
  /** Vintage names, tested in order on the set of normalised header names. */
  vintages?: ReadonlyArray<{ name: string; test: (headers: ReadonlySet<string>) => boolean }>;
  /**
   * Quoting when the sample shows no quoted field: "none" for producers that never quote and leave
   * literal `"` in values (BCN, Certif Info, ACCE); detection still wins when the sample shows quoting.
   */
  quote?: QuoteMode;
  /** Keys under which a JSON document holds its rows (default: data, results, records…). */
  jsonArrayKeys?: readonly string[];
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

export async function* readTable<C extends string>(
  file: SourceFile,
  spec: TableSpec<C>,
  ctx: ParseContext,
): AsyncGenerator<TableRow<C>> {
  const head = await readHead(file.path);
  if (head.length === 0) {
    ctx.beginFile(file.relPath);
    ctx.warn(`${file.relPath}: empty file, nothing read`);
    return;
  }
  const first = firstSignificantByte(head);
  if (first === 0x7b || first === 0x5b) yield* readJsonTable(file, spec, ctx);
  else yield* readCsvTable(file, spec, ctx);
}

async function readHead(path: string): Promise<Buffer> {
  const { open } = await import("node:fs/promises");
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buffer, 0, 64, 0);
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

/** Map each canonical column to its index in `headers` (normalised names); throw on missing required. */
function resolveColumns<C extends string>(
  spec: TableSpec<C>,
  headers: readonly string[],
  file: string,
  ctx: ParseContext,
): { index: Record<C, number>; vintage: string | undefined } {
  const normalized = headers.map(normalizeHeader);
  const set = new Set(normalized);
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
  if (missing.length > 0) {
    throw usageError(
      `${file}: ${spec.table} is missing required column(s) ${missing.map((m) => `"${m}"`).join(", ")}.\n` +
        `  expected (any vintage): ${Object.values<ColumnDef>(spec.columns)
          .filter((d) => d.required)
          .map((d) => d.names.join(" | "))
          .join("; ")}\n  found: ${headers.join(", ")}`,
      { hint: `check that this file is really ${spec.table}, exported with its header line` },
    );
  }
  const known = new Set((spec.known ?? []).map(normalizeHeader));
  const unknown = headers.filter((h, i) => !used.has(i) && !known.has(normalized[i]!) && h.trim() !== "");
  if (unknown.length > 0)
    ctx.warn(`${file}: column(s) not known for ${spec.table}, ignored: ${unknown.slice(0, 10).join(", ")}`);
  const vintage = spec.vintages?.find((v) => v.test(set))?.name;
  return { index, vintage };
}

async function* readCsvTable<C extends string>(
  file: SourceFile,
  spec: TableSpec<C>,
  ctx: ParseContext,
): AsyncGenerator<TableRow<C>> {
  const input = await openDelimited(file.path, spec.quote ? { preferQuote: spec.quote } : {});
  const { index, vintage } = resolveColumns(spec, input.header, file.relPath, ctx);
  ctx.beginFile(file.relPath, {
    encoding: input.encoding.encoding + (input.encoding.bom ? " (BOM)" : ""),
    dialect: describeDialect(input.dialect),
    ...(vintage ? { vintage } : {}),
  });
  const width = input.header.length;
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
}

async function* readJsonTable<C extends string>(
  file: SourceFile,
  spec: TableSpec<C>,
  ctx: ParseContext,
): AsyncGenerator<TableRow<C>> {
  const rows = rowsOfJson(await readJsonFile(file.path, file.relPath), spec, file.relPath);
  const headers = [...new Set(rows.slice(0, 1000).flatMap((r) => (isObject(r) ? Object.keys(r) : [])))];
  if (rows.length === 0) {
    ctx.beginFile(file.relPath, { encoding: "json" });
    return;
  }
  const { index, vintage } = resolveColumns(spec, headers, file.relPath, ctx);
  ctx.beginFile(file.relPath, { encoding: "json", ...(vintage ? { vintage } : {}) });
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

function rowsOfJson<C extends string>(doc: unknown, spec: TableSpec<C>, name: string): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (isObject(doc)) {
    for (const key of spec.jsonArrayKeys ?? DEFAULT_JSON_KEYS) {
      const v = doc[key];
      if (Array.isArray(v)) return v;
    }
  }
  throw usageError(`${name}: JSON without a list of rows for ${spec.table}`, {
    hint: `expected an array, or an object with one of: ${(spec.jsonArrayKeys ?? DEFAULT_JSON_KEYS).join(", ")}`,
  });
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

/** dd/mm/yyyy, yyyy-mm-dd or yyyy-mm-dd HH:MM:SS → yyyy-mm-dd; a bare year stays a year. */
export function parseDate(value: string): string | null {
  const v = value.trim();
  if (v === "") return null;
  let m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
  if (m) return `${m[3]}-${m[2]}-${m[1]}`;
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  if (/^\d{4}$/.test(v)) return v;
  return null;
}

export function parseIntOrNull(value: string): number | null {
  const v = value.trim();
  if (!/^-?\d+$/.test(v)) return null;
  return Number.parseInt(v, 10);
}
