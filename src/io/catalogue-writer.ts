import type { Writable } from "node:stream";
import { formatLocation, truncate, usageError } from "../errors.js";
import { type AtomicStream, createAtomicWriteStream } from "./atomic.js";
import type { CatalogueRecord } from "./catalogue-reader.js";
import { formatCsvRow, makeFieldQuoter } from "./csv.js";
import { firstUnencodable, type OutputEncoding, UnencodableError, writeWindows1252 } from "./encode.js";

/**
 * Writes a catalogue back with added columns, in CSV, JSON or NDJSON. A CSV row read with its raw text
 * is written back byte for byte, followed by the added cells: input columns are never re-quoted or
 * altered, unless formula-safe cells or another delimiter (--excel-safe, --excel) make it rewrite them
 * from their values. JSON rows keep the object as read (nested values too) and gain the added keys. CSV
 * is written in UTF-8 or windows-1252 (`encoding`), JSON and NDJSON always in UTF-8. To a file, the
 * output is written under a temporary name and renamed by end().
 */
export type OutputFormat = "csv" | "json" | "ndjson";

export interface WriterOptions {
  format: OutputFormat;
  delimiter: string;
  lineEnding: "\n" | "\r\n";
  bom: boolean;
  /** Prefix cells starting with = + - @ (--excel-safe, --excel). */
  excelSafe?: boolean;
  /**
   * The output delimiter is not the input's (--excel): input rows are written from their cells, not
   * from their raw text.
   */
  requote?: boolean;
  /** CSV only (default utf-8). windows-1252 never has a BOM. */
  encoding?: OutputEncoding;
  /** The input, named in the error about a character the output encoding cannot write. */
  source?: string;
  /** Added columns whose JSON value is a number (empty → null). */
  numeric?: ReadonlySet<string>;
}

/**
 * Added cells of a row. Outcomes are shared by many rows, so their CSV text is kept once made (in the
 * `csv…` fields, not an object of their own: one answer is kept per distinct outcome for the whole run);
 * one cell (`slot`, e.g. ij_uai) may differ row by row and is given to row() with each record.
 */
export interface AddedCells {
  cells: readonly string[];
  slot?: number;
  /** The delimiter the CSV text below was made with (undefined: not made yet). */
  csvDelimiter?: string | undefined;
  /** The cells before the slot (all of them when there is no slot), and after it, as CSV text. */
  csvBefore?: string;
  csvAfter?: string;
}

const FLUSH_BYTES = 1 << 20;
/** Distinct CSV texts of added cells remembered to be shared (see shared()). */
const SHARED_TEXTS = 16_384;

export class CatalogueWriter {
  /** Output encoded as it comes, into buffers of FLUSH_BYTES: no big intermediate string. */
  private buffers: Buffer[] = [];
  private buffer = Buffer.allocUnsafe(FLUSH_BYTES);
  private size = 0;
  private first = true;
  /** CSV texts of added cells, each kept once (see shared()). */
  private readonly texts = new Map<string, string>();
  private readonly quote: (v: string) => string;
  private readonly columns: string[];
  /** Input rows are written back from their raw text when they can be. */
  private readonly keepRaw: boolean;
  private readonly cp1252: boolean;

  private constructor(
    private readonly stream: Writable,
    private readonly atomic: AtomicStream | undefined,
    private readonly header: readonly string[],
    private readonly added: readonly string[],
    private readonly options: WriterOptions,
  ) {
    this.quote = makeFieldQuoter(options.delimiter);
    this.columns = [...header, ...added];
    this.keepRaw = !options.excelSafe && !options.requote;
    this.cp1252 = options.format === "csv" && options.encoding === "windows-1252";
    // Keep write errors for the next flush instead of crashing on an unhandled 'error' event.
    stream.on("error", (error: NodeJS.ErrnoException) => {
      this.error ??= error;
    });
  }

  private error: NodeJS.ErrnoException | undefined;

  /** `out` undefined → `stdout`, which is not closed at the end. */
  static async open(
    out: string | undefined,
    stdout: Writable,
    header: readonly string[],
    added: readonly string[],
    options: WriterOptions,
    headerRaw?: string,
  ): Promise<CatalogueWriter> {
    const atomic = out ? await createAtomicWriteStream(out) : undefined;
    const writer = new CatalogueWriter(atomic?.stream ?? stdout, atomic, header, added, options);
    writer.begin(headerRaw);
    return writer;
  }

  private push(text: string): void {
    if (this.size + text.length * 3 > this.buffer.length) {
      if (this.size > 0) this.buffers.push(this.buffer.subarray(0, this.size));
      this.buffer = Buffer.allocUnsafe(Math.max(FLUSH_BYTES, text.length * 3));
      this.size = 0;
    }
    this.size += this.cp1252
      ? writeWindows1252(text, this.buffer, this.size)
      : this.buffer.write(text, this.size);
  }

  private begin(headerRaw: string | undefined): void {
    const o = this.options;
    if (o.format === "csv") {
      const head =
        headerRaw !== undefined && this.keepRaw
          ? headerRaw + (this.added.length > 0 ? o.delimiter : "") + this.csvCells(this.added)
          : this.csvCells(this.columns);
      this.pushRow((o.bom && !this.cp1252 ? "\uFEFF" : "") + head + o.lineEnding, () => ({
        cells: this.columns,
      }));
    } else if (o.format === "json") this.push("[");
  }

  private csvCells(cells: readonly string[]): string {
    return formatCsvRow(
      this.options.excelSafe ? cells.map(excelSafe) : cells,
      this.quote,
      this.options.delimiter,
    );
  }

  private addedCsv(added: AddedCells, slotValue: string): string {
    const d = this.options.delimiter;
    const { cells, slot } = added;
    if (added.csvDelimiter !== d) {
      added.csvDelimiter = d;
      if (slot === undefined) {
        added.csvBefore = this.csvCells(cells);
        added.csvAfter = "";
      } else {
        // With the delimiter joined in (an empty cell), not concatenated: one flat string each, kept
        // for the whole run.
        added.csvBefore = slot > 0 ? this.shared(this.csvCells([...cells.slice(0, slot), ""])) : "";
        added.csvAfter =
          slot < cells.length - 1 ? this.shared(this.csvCells(["", ...cells.slice(slot + 1)])) : "";
      }
    }
    if (slot === undefined) return added.csvBefore!;
    const v = this.options.excelSafe ? excelSafe(slotValue) : slotValue;
    return added.csvBefore! + this.quote(v) + added.csvAfter!;
  }

  /**
   * The same CSV text once: answers for different spellings of a code (a CFD, its MEF, an Onisep URL…)
   * share their figures, kept for the whole run. Bounded: forgotten, not dropped, when full.
   */
  private shared(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    if (this.texts.size >= SHARED_TEXTS) this.texts.clear();
    this.texts.set(text, text);
    return text;
  }

  /** One row: the record as read, then the added cells (`slotValue` fills the added cells' slot). */
  row(record: CatalogueRecord, added: AddedCells, slotValue = ""): void {
    const o = this.options;
    if (o.format === "csv") {
      const head =
        record.raw !== undefined &&
        record.problem === undefined &&
        this.keepRaw &&
        record.object === undefined
          ? record.raw
          : this.csvCells(
              this.header.length === record.fields.length
                ? record.fields
                : record.fields.slice(0, this.header.length),
            );
      const tail = this.added.length > 0 ? o.delimiter + this.addedCsv(added, slotValue) : "";
      if (this.cp1252)
        this.pushRow(head + tail + o.lineEnding, () => ({
          line: record.line,
          cells: [
            ...record.fields.slice(0, this.header.length),
            ...this.added.map((_, i) => (i === added.slot ? slotValue : (added.cells[i] ?? ""))),
          ],
        }));
      else {
        this.push(head);
        this.push(tail + o.lineEnding);
      }
      return;
    }
    const text = JSON.stringify(this.object(record, added, slotValue));
    if (o.format === "ndjson") this.push(`${text}\n`);
    else {
      this.push(`${this.first ? "\n" : ",\n"}${text}`);
      this.first = false;
    }
  }

  /** push(), turning a character windows-1252 lacks into an error that names the line, column and value. */
  private pushRow(text: string, row: () => { line?: number; cells: readonly string[] }): void {
    if (!this.cp1252) return this.push(text);
    try {
      this.push(text);
    } catch (error) {
      if (!(error instanceof UnencodableError)) throw error;
      const { line, cells } = row();
      const i = cells.findIndex((c) => firstUnencodable(c) >= 0);
      const file = this.options.source ?? "<input>";
      const where =
        line === undefined
          ? `${file}, header${i >= 0 ? ` "${truncate(cells[i]!, 80)}"` : ""}`
          : formatLocation({
              file,
              line,
              ...(i >= 0 ? { column: this.columns[i] ?? String(i + 1), value: cells[i]! } : {}),
            });
      throw usageError(`${where}: ${error.message}`, {
        hint: "keep the default --output-encoding utf-8, which writes every character (with --excel, Excel reads it), or change the value in the input",
      });
    }
  }

  private object(record: CatalogueRecord, added: AddedCells, slotValue: string): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    if (record.object) Object.assign(obj, record.object);
    else if (record.raw !== undefined && record.problem !== undefined && record.fields.every((f) => f === ""))
      obj["_ligne_invalide"] = record.raw;
    else this.header.forEach((name, i) => (obj[uniqueKey(obj, name)] = record.fields[i] ?? ""));
    const numeric = this.options.numeric;
    this.added.forEach((name, i) => {
      const v = i === added.slot ? slotValue : (added.cells[i] ?? "");
      obj[uniqueKey(obj, name)] = numeric?.has(name) ? (v === "" ? null : Number(v)) : v;
    });
    return obj;
  }

  /** Write what is buffered once it is large enough (or always with `force`). */
  async flush(force = false): Promise<void> {
    if (this.buffers.length === 0 && (this.size === 0 || !force)) return;
    if (force && this.size > 0) {
      this.buffers.push(this.buffer.subarray(0, this.size));
      this.buffer = Buffer.allocUnsafe(FLUSH_BYTES);
      this.size = 0;
    }
    const text = this.buffers.length === 1 ? this.buffers[0]! : Buffer.concat(this.buffers);
    this.buffers = [];
    // A reader that went away (`… | head`) is not a failure: the rest is not wanted.
    if (this.error?.code === "EPIPE" && !this.atomic) return;
    if (this.error) throw this.error;
    await new Promise<void>((resolve, reject) => {
      if (this.stream.write(text)) return resolve();
      const onDrain = () => {
        this.stream.off("error", onError);
        resolve();
      };
      const onError = (error: NodeJS.ErrnoException) => {
        this.stream.off("drain", onDrain);
        if (error.code === "EPIPE" && !this.atomic) resolve();
        else reject(error);
      };
      this.stream.once("drain", onDrain);
      this.stream.once("error", onError);
    });
  }

  async end(): Promise<void> {
    if (this.options.format === "json") this.push(this.first ? "]\n" : "\n]\n");
    await this.flush(true);
    if (this.atomic) await this.atomic.commit();
  }

  async abort(): Promise<void> {
    if (this.atomic) await this.atomic.abort();
  }
}

function uniqueKey(obj: Record<string, unknown>, name: string): string {
  if (!(name in obj)) return name;
  let i = 2;
  while (`${name}_${i}` in obj) i++;
  return `${name}_${i}`;
}

const EXCEL_TEXT_GUARD = /^="[^"]*"$/;

/**
 * Formula-looking cells get a leading `'` (OWASP "CSV injection": = + - @ tab CR). Two kinds of cell stay
 * as they are because a spreadsheet reads them as plain values and nothing can run: negative numbers
 * (`-3`, `-1,5`), and the Excel text guard `="…"` without any other quote (`="01022105"`, a string
 * constant that keeps leading zeros).
 */
export function excelSafe(value: string): string {
  const first = value.charCodeAt(0);
  if (first === 61) return EXCEL_TEXT_GUARD.test(value) ? value : `'${value}`;
  // + @ tab CR
  if (first === 43 || first === 64 || first === 9 || first === 13) return `'${value}`;
  if (first === 45 && !/^-\d+([.,]\d+)?$/.test(value)) return `'${value}`;
  return value;
}
