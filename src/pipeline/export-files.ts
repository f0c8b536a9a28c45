import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";
import { formatCsvRow, makeFieldQuoter } from "../io/csv.js";
import { type Cell, compare, type Field } from "./export-spec.js";

/**
 * Writers of the export files. Output is a function of the rows alone: UTF-8 without BOM, LF line
 * endings, `;`-separated CSV quoted only where needed, numbers in JavaScript's shortest round-trip
 * form (the same on every machine), no timestamp. Each file's sha256 is computed while it is written.
 */
export type ExportFormat = "csv" | "json" | "ndjson";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "json", "ndjson"];

export const CSV_DIALECT = {
  delimiter: ";",
  lineTerminator: "\n",
  quoteChar: '"',
  doubleQuote: true,
  header: true,
} as const;

export interface WrittenFile {
  /** Path relative to the export directory, with `/` separators. */
  path: string;
  bytes: number;
  sha256: string;
  rows: number;
}

/** A file written by pieces, hashed on the way. */
export class HashedFile {
  private bytes = 0;
  /** Text not written yet: written by pieces of about 1 MB, not one system call per row batch. */
  private pending = "";
  private readonly hash: Hash = createHash("sha256");

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  static async create(dir: string, path: string): Promise<HashedFile> {
    return new HashedFile(await open(join(dir, ...path.split("/")), "wx"), path);
  }

  async write(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const buffer = Buffer.from(this.pending, "utf8");
    this.pending = "";
    this.hash.update(buffer);
    this.bytes += buffer.length;
    await this.handle.write(buffer);
  }

  async close(rows: number): Promise<WrittenFile> {
    await this.flush();
    await this.handle.sync();
    await this.handle.close();
    return { path: this.path, bytes: this.bytes, sha256: this.hash.digest("hex"), rows };
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/** A dataset file in one of the three formats. */
export class TableWriter {
  private rows = 0;
  private readonly quote = makeFieldQuoter(CSV_DIALECT.delimiter);

  private constructor(
    private readonly file: HashedFile,
    private readonly format: ExportFormat,
    private readonly fields: readonly Field[],
  ) {}

  static async open(
    dir: string,
    path: string,
    format: ExportFormat,
    fields: readonly Field[],
  ): Promise<TableWriter> {
    const writer = new TableWriter(await HashedFile.create(dir, path), format, fields);
    if (format === "csv")
      await writer.file.write(
        `${formatCsvRow(
          fields.map((f) => f.name),
          writer.quote,
          CSV_DIALECT.delimiter,
        )}\n`,
      );
    else if (format === "json") await writer.file.write("[");
    return writer;
  }

  async write(batch: readonly Cell[][]): Promise<void> {
    let text = "";
    for (const cells of batch) {
      if (this.format === "csv")
        text += `${formatCsvRow(cells.map(csvCell), this.quote, CSV_DIALECT.delimiter)}\n`;
      else if (this.format === "ndjson") text += `${jsonObject(this.fields, cells)}\n`;
      else text += `${this.rows === 0 && text === "" ? "\n" : ",\n"}${jsonObject(this.fields, cells)}`;
      this.rows++;
    }
    await this.file.write(text);
  }

  async close(): Promise<WrittenFile> {
    if (this.format === "json") await this.file.write(this.rows === 0 ? "]\n" : "\n]\n");
    return this.file.close(this.rows);
  }

  abort(): Promise<void> {
    return this.file.abort();
  }
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "";
  return Object.is(value, -0) ? "0" : String(value);
}

function csvCell(cell: Cell): string {
  if (cell === undefined) return "";
  if (cell === null) return "null";
  return typeof cell === "number" ? formatNumber(cell) : cell;
}

/** One JSON object, keys in column order; undefined cells are left out, withheld ones are null. */
export function jsonObject(fields: readonly Field[], cells: readonly Cell[]): string {
  const parts: string[] = [];
  fields.forEach((f, i) => {
    const cell = cells[i];
    if (cell === undefined) return;
    const value = typeof cell === "number" ? formatNumber(cell) || "null" : JSON.stringify(cell);
    parts.push(`${JSON.stringify(f.name)}:${value}`);
  });
  return `{${parts.join(",")}}`;
}

export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** `sha256sum -c` input: "<hex>  <path>" per file, sorted by path. */
export function sha256sums(files: readonly Pick<WrittenFile, "path" | "sha256">[]): string {
  return [...files]
    .sort((a, b) => compare(a.path, b.path))
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .join("");
}
