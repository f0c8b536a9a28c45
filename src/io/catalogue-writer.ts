import type { Writable } from "node:stream";
import { type AtomicStream, createAtomicWriteStream } from "./atomic.js";
import type { CatalogueRecord } from "./catalogue-reader.js";
import { formatCsvRow, makeFieldQuoter } from "./csv.js";

/**
 * Writes a catalogue back with added columns, in CSV (the input's dialect), JSON or NDJSON. A CSV row
 * read with its raw text is written back byte for byte, followed by the added cells: input columns are
 * never re-quoted or altered. JSON rows keep the object as read (nested values too) and gain the added
 * keys. To a file, the output is written under a temporary name and renamed by end().
 */
export type OutputFormat = "csv" | "json" | "ndjson";

export interface WriterOptions {
  format: OutputFormat;
  delimiter: string;
  lineEnding: "\n" | "\r\n";
  bom: boolean;
  /** Prefix cells starting with = + - @ (enrich --excel-safe). */
  excelSafe?: boolean;
  /** Added columns whose JSON value is a number (empty → null). */
  numeric?: ReadonlySet<string>;
}

/**
 * Added cells of a row. Outcomes are shared by many rows, so their CSV text is kept once made; one cell
 * (`slot`, e.g. ij_uai) may differ row by row and is given to row() with each record.
 */
export interface AddedCells {
  cells: readonly string[];
  slot?: number;
  csv?: { delimiter: string; before: string; after: string };
}

const FLUSH_BYTES = 1 << 20;

export class CatalogueWriter {
  /** Output encoded as it comes, into buffers of FLUSH_BYTES: no big intermediate string. */
  private buffers: Buffer[] = [];
  private buffer = Buffer.allocUnsafe(FLUSH_BYTES);
  private size = 0;
  private first = true;
  private readonly quote: (v: string) => string;
  private readonly columns: string[];

  private constructor(
    private readonly stream: Writable,
    private readonly atomic: AtomicStream | undefined,
    private readonly header: readonly string[],
    private readonly added: readonly string[],
    private readonly options: WriterOptions,
  ) {
    this.quote = makeFieldQuoter(options.delimiter);
    this.columns = [...header, ...added];
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
    this.size += this.buffer.write(text, this.size);
  }

  private begin(headerRaw: string | undefined): void {
    const o = this.options;
    if (o.format === "csv") {
      const head =
        headerRaw !== undefined && !o.excelSafe
          ? headerRaw + (this.added.length > 0 ? o.delimiter : "") + this.csvCells(this.added)
          : this.csvCells(this.columns);
      this.push((o.bom ? "\uFEFF" : "") + head + o.lineEnding);
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
    if (added.csv?.delimiter !== d)
      added.csv =
        slot === undefined
          ? { delimiter: d, before: this.csvCells(cells), after: "" }
          : {
              delimiter: d,
              before: slot > 0 ? this.csvCells(cells.slice(0, slot)) + d : "",
              after: slot < cells.length - 1 ? d + this.csvCells(cells.slice(slot + 1)) : "",
            };
    if (slot === undefined) return added.csv.before;
    const v = this.options.excelSafe ? excelSafe(slotValue) : slotValue;
    return added.csv.before + this.quote(v) + added.csv.after;
  }

  /** One row: the record as read, then the added cells (`slotValue` fills the added cells' slot). */
  row(record: CatalogueRecord, added: AddedCells, slotValue = ""): void {
    const o = this.options;
    if (o.format === "csv") {
      const head =
        record.raw !== undefined &&
        record.problem === undefined &&
        !o.excelSafe &&
        record.object === undefined
          ? record.raw
          : this.csvCells(
              this.header.length === record.fields.length
                ? record.fields
                : record.fields.slice(0, this.header.length),
            );
      const tail = this.added.length > 0 ? o.delimiter + this.addedCsv(added, slotValue) : "";
      this.push(head);
      this.push(tail + o.lineEnding);
      return;
    }
    const text = JSON.stringify(this.object(record, added, slotValue));
    if (o.format === "ndjson") this.push(`${text}\n`);
    else {
      this.push(`${this.first ? "\n" : ",\n"}${text}`);
      this.first = false;
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

/** Formula-looking text cells get a leading quote; negative numbers stay numbers. */
export function excelSafe(value: string): string {
  const first = value.charCodeAt(0);
  // = + @ tab CR
  if (first === 61 || first === 43 || first === 64 || first === 9 || first === 13) return `'${value}`;
  if (first === 45 && !/^-\d+([.,]\d+)?$/.test(value)) return `'${value}`;
  return value;
}
