import { describeDialect, type CsvDialect, type CsvRecord } from "./csv.js";
import { Decoder, type DetectedEncoding, detectEncoding, type EncodingOption, hasUtf8Bom } from "./decode.js";
import { openDelimitedInput } from "./delimited-reader.js";
import { type ByteInput, looksBinary, openInput } from "./input.js";
import {
  columnText,
  discoverColumns,
  type JsonColumn,
  type JsonElement,
  JsonArrayScanner,
  type JsonLayout,
  NdjsonSplitter,
  parseElement,
} from "./json-reader.js";
import {
  FormationScanner,
  formationRows,
  LHEO_COLUMNS,
  type LheoPiece,
  lheoVersion,
  xmlDeclaredEncoding,
} from "./lheo-reader.js";
import { usageError } from "../errors.js";

/**
 * A partner catalogue, whatever its form: CSV in any common dialect, JSON (array, wrapped array, NDJSON)
 * or LHEO XML. Every form becomes the same thing: named columns and a stream of records whose cells
 * are aligned with them, read in batches so that memory stays flat. The first records are read ahead
 * (`sample`) for column detection and yielded again by `batches()`.
 */
export type CatalogueFormat = "csv" | "json" | "ndjson" | "lheo";

export interface CatalogueRecord {
  /** Cells, aligned with `columns`. */
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
  /** Why the record is not a well-formed row (it is still written, its cells as they could be read). */
  problem?: string;
  /** CSV: the record's text without its line ending. JSON: the text of an element that did not parse. */
  raw?: string;
  /** JSON: the object as read, written back with the ij_ keys. */
  object?: Record<string, unknown>;
}

export interface CatalogueInput {
  source: string;
  format: CatalogueFormat;
  /** Columns written back in a CSV output. */
  header: string[];
  /** `header`, then columns that can be read but are not written back (nested JSON keys). */
  columns: string[];
  encoding: DetectedEncoding;
  /** CSV only. */
  dialect: CsvDialect | undefined;
  /** CSV only: the header line as written. */
  headerRaw: string | undefined;
  /** What was detected, for the summary. */
  describe: string;
  /** The first records, read ahead; batches() yields them first. */
  sample: CatalogueRecord[];
  batches(): AsyncGenerator<CatalogueRecord[]>;
  bytesRead(): number;
  totalBytes: number | undefined;
  /** JSON keys that first appeared after the sample (absent from a CSV output). */
  lateColumns: Set<string>;
}

export interface CatalogueReadOptions {
  encoding?: EncodingOption;
  delimiter?: string;
  /** Records read ahead for detection. */
  sampleRows?: number;
}

const SAMPLE_ROWS = 1000;

export async function openCatalogue(
  path: string,
  options: CatalogueReadOptions = {},
): Promise<CatalogueInput> {
  return openCatalogueInput(await openInput(path), options);
}

export async function openCatalogueInput(
  input: ByteInput,
  options: CatalogueReadOptions = {},
): Promise<CatalogueInput> {
  if (input.head.length === 0)
    throw usageError(`${input.source} is empty`, { hint: "the file needs at least a header line" });
  if (looksBinary(input.head))
    throw usageError(
      `${input.source} does not look like a text file (it contains NUL bytes or is a zip/xlsx)`,
      {
        hint: "export the sheet as CSV (UTF-8 or Windows-1252, ';' or ',' separated), or pass a JSON/LHEO file",
      },
    );
  const kind = sniffFormat(input);
  const sampleRows = options.sampleRows ?? SAMPLE_ROWS;
  if (kind === "lheo") return openLheo(input, options, sampleRows);
  if (kind === "csv") return openCsv(input, options, sampleRows);
  return openJson(input, kind, options, sampleRows);
}

function firstSignificant(head: Buffer): number {
  let i = hasUtf8Bom(head) ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09))
    i++;
  return i;
}

function sniffFormat(input: ByteInput): "csv" | "lheo" | JsonLayout {
  const at = firstSignificant(input.head);
  const c = input.head[at];
  if (c === 0x3c) return "lheo"; // <
  if (c === 0x5b) return "array"; // [
  if (c !== 0x7b) return "csv"; // {
  if (/\.(ndjson|jsonl)$/i.test(input.source)) return "ndjson";
  const text = input.head.toString("utf8", at);
  const lf = text.indexOf("\n");
  const firstLine = lf === -1 ? (input.ended ? text : undefined) : text.slice(0, lf);
  if (firstLine === undefined) return "wrapped";
  try {
    const value = JSON.parse(firstLine) as unknown;
    if (value === null || typeof value !== "object") return "wrapped";
    const more = lf !== -1 && text.slice(lf + 1).trim() !== "";
    // One object on one line and nothing else: a wrapper when it holds a list of objects.
    if (
      !more &&
      Object.values(value).some((v) => Array.isArray(v) && v.some((e) => e && typeof e === "object"))
    )
      return "wrapped";
    return "ndjson";
  } catch {
    return "wrapped";
  }
}

/** Read ahead batches until `n` items; `rest()` yields them again, first, then the remaining ones. */
async function readAheadBatches<T>(
  source: AsyncGenerator<T[]>,
  n: number,
): Promise<{ head: T[][]; rest: () => AsyncGenerator<T[]> }> {
  const head: T[][] = [];
  let count = 0;
  let done = false;
  while (count < n) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    count += next.value.length;
  }
  async function* rest(): AsyncGenerator<T[]> {
    yield* head.splice(0, head.length);
    if (!done) yield* source;
  }
  return { head, rest };
}

/** Read ahead `n` records for detection; the generator yields them again, first. */
async function withSample(
  source: AsyncGenerator<CatalogueRecord[]>,
  n: number,
): Promise<{ sample: CatalogueRecord[]; batches: () => AsyncGenerator<CatalogueRecord[]> }> {
  const { head, rest } = await readAheadBatches(source, n);
  return { sample: head.flat().slice(0, n), batches: rest };
}

async function openCsv(
  input: ByteInput,
  options: CatalogueReadOptions,
  sampleRows: number,
): Promise<CatalogueInput> {
  const csv = await openDelimitedInput(input, {
    keepRaw: true,
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
  });
  const width = csv.header.length;
  const delimiter = csv.dialect.delimiter;
  const toRecord = (r: CsvRecord): CatalogueRecord => {
    if (r.fields.length === width) return r;
    // Never drop a row, never shift columns: pad a short row; keep a long row's extra cells in its last column.
    const fields =
      r.fields.length < width
        ? [...r.fields, ...new Array<string>(width - r.fields.length).fill("")]
        : [...r.fields.slice(0, width - 1), r.fields.slice(width - 1).join(delimiter)];
    return {
      fields,
      line: r.line,
      problem: `${r.fields.length} field${r.fields.length > 1 ? "s" : ""} where the header has ${width}`,
    };
  };
  async function* records(): AsyncGenerator<CatalogueRecord[]> {
    for await (const batch of csv.batches()) {
      for (let i = 0; i < batch.length; i++) {
        const r = batch[i]!;
        if (r.fields.length !== width) batch[i] = toRecord(r);
      }
      yield batch;
    }
  }
  const { sample, batches } = await withSample(records(), sampleRows);
  return {
    source: input.source,
    format: "csv",
    header: csv.header,
    columns: csv.header,
    encoding: csv.encoding,
    dialect: csv.dialect,
    headerRaw: csv.headerRaw,
    describe: `${encodingName(csv.encoding)}, CSV ${describeDialect(csv.dialect)}`,
    sample,
    batches,
    bytesRead: input.bytesRead,
    totalBytes: input.totalBytes,
    lateColumns: new Set(),
  };
}

function encodingName(e: DetectedEncoding): string {
  return e.encoding + (e.bom ? " (BOM)" : "");
}

/** Decoded text chunks of the input, head first. */
async function* texts(input: ByteInput, decoder: Decoder): AsyncGenerator<string> {
  yield decoder.write(input.head);
  if (!input.ended)
    for (;;) {
      const next = await input.rest.next();
      if (next.done) break;
      yield decoder.write(next.value);
    }
  const tail = decoder.end();
  if (tail) yield tail;
}

function pickEncoding(input: ByteInput, options: CatalogueReadOptions, declared?: string): DetectedEncoding {
  const bom = hasUtf8Bom(input.head);
  if (options.encoding && options.encoding !== "auto") return { encoding: options.encoding, bom };
  if (declared && /^(iso-8859-1|iso-8859-15|latin-?1|windows-1252|cp1252)$/.test(declared))
    return { encoding: "windows-1252", bom: false };
  return detectEncoding(input.head, input.ended);
}

async function openJson(
  input: ByteInput,
  layout: JsonLayout,
  options: CatalogueReadOptions,
  sampleRows: number,
): Promise<CatalogueInput> {
  const encoding = pickEncoding(input, options);
  const decoder = new Decoder(encoding.encoding, input.source);
  const scanner = layout === "ndjson" ? new NdjsonSplitter() : new JsonArrayScanner(layout, input.source);
  async function* elements(): AsyncGenerator<JsonElement[]> {
    for await (const text of texts(input, decoder)) {
      const out: JsonElement[] = [];
      scanner.push(text, out);
      if (out.length > 0) yield out;
    }
    const out: JsonElement[] = [];
    if (scanner instanceof NdjsonSplitter) scanner.finish(out);
    else {
      scanner.finish();
      if (!scanner.foundRecords() && layout === "wrapped")
        throw usageError(`${input.source}: this JSON object holds no list of objects to read as rows`, {
          hint: 'give an array of objects, an object with one (e.g. {"formations": […]}), or NDJSON',
        });
    }
    if (out.length > 0) yield out;
  }

  // Columns come from the first records; later records are read with them.
  let columns: JsonColumn[] = [];
  const late = new Set<string>();
  let known = new Set<string>();
  const toRecord = (e: JsonElement): CatalogueRecord => {
    const parsed = parseElement(e);
    const object = parsed.object;
    if (!object) return { ...parsed, fields: columns.map(() => "") };
    for (const key in object) if (!known.has(key)) late.add(key);
    return { line: parsed.line, object, fields: columns.map((c) => columnText(object, c)) };
  };
  const { head, rest } = await readAheadBatches(elements(), sampleRows);
  const objects = head.flatMap((batch) =>
    batch.map((e) => parseElement(e).object).filter((o) => o !== undefined),
  );
  const discovered = discoverColumns(objects);
  columns = [...discovered.header, ...discovered.nested];
  known = new Set(discovered.header.map((c) => c.key));
  async function* records(): AsyncGenerator<CatalogueRecord[]> {
    for await (const batch of rest()) yield batch.map(toRecord);
  }
  const withHead = await withSample(records(), sampleRows);
  return {
    source: input.source,
    format: layout === "ndjson" ? "ndjson" : "json",
    header: discovered.header.map((c) => c.name),
    columns: columns.map((c) => c.name),
    encoding,
    dialect: undefined,
    headerRaw: undefined,
    describe: `${encodingName(encoding)}, ${layout === "ndjson" ? "NDJSON" : layout === "array" ? "JSON array" : "JSON object holding an array"}`,
    sample: withHead.sample,
    batches: withHead.batches,
    bytesRead: input.bytesRead,
    totalBytes: input.totalBytes,
    lateColumns: late,
  };
}

async function openLheo(
  input: ByteInput,
  options: CatalogueReadOptions,
  sampleRows: number,
): Promise<CatalogueInput> {
  const headText = input.head.toString("latin1");
  const encoding = pickEncoding(input, options, xmlDeclaredEncoding(headText));
  const decoder = new Decoder(encoding.encoding, input.source);
  const version = lheoVersion(
    input.head.toString(encoding.encoding === "utf-8" ? "utf8" : "latin1"),
    input.source,
  );
  const scanner = new FormationScanner(input.source);
  async function* records(): AsyncGenerator<CatalogueRecord[]> {
    for await (const text of texts(input, decoder)) {
      const pieces: LheoPiece[] = [];
      scanner.push(text, pieces);
      if (pieces.length > 0) yield pieces.flatMap((p) => formationRows(p, input.source));
    }
  }
  const { sample, batches } = await withSample(records(), sampleRows);
  return {
    source: input.source,
    format: "lheo",
    header: [...LHEO_COLUMNS],
    columns: [...LHEO_COLUMNS],
    encoding,
    dialect: undefined,
    headerRaw: undefined,
    describe: `${encodingName(encoding)}, LHEO ${version} XML (one row per action)`,
    sample,
    batches,
    bytesRead: input.bytesRead,
    totalBytes: input.totalBytes,
    lateColumns: new Set(),
  };
}
