import { usageError } from "../errors.js";
import type { CatalogueInput } from "../io/catalogue-reader.js";
import type { OutputFormat, WriterOptions } from "../io/catalogue-writer.js";
import type { OutputEncoding } from "../io/encode.js";

export interface OutputDialectOptions {
  /** undefined = the input's form (CSV → CSV, JSON → JSON, NDJSON → NDJSON, LHEO → CSV); CSV with --excel. */
  format?: OutputFormat | undefined;
  /** `;`, CRLF, UTF-8 BOM and formula-safe cells, whatever the input's dialect. */
  excel?: boolean | undefined;
  /** CSV only; default utf-8. */
  outputEncoding?: OutputEncoding | undefined;
  excelSafe?: boolean | undefined;
}

export type OutputDialect = Omit<WriterOptions, "numeric" | "source">;

/**
 * The dialect of the CSV output (DESIGN.md, Output columns and CLI conventions):
 * - by default the input's delimiter and line endings, UTF-8, a BOM when the input had one;
 * - `--output-encoding windows-1252`: the same in windows-1252, never with a BOM;
 * - `--excel`: `;`, CRLF, UTF-8 with a BOM and formula-safe cells whatever the input's dialect; with
 *   `--output-encoding windows-1252` the same without a BOM (Excel reads a BOM-less CSV in the ANSI code
 *   page, windows-1252 on French and Western Windows).
 * JSON and NDJSON are UTF-8 by definition (RFC 8259): windows-1252 or --excel with them is a usage error.
 */
export function outputDialect(options: OutputDialectOptions, input: CatalogueInput): OutputDialect {
  checkOutputOptions(options);
  const format: OutputFormat =
    options.format ??
    (options.excel ? "csv" : input.format === "json" ? "json" : input.format === "ndjson" ? "ndjson" : "csv");
  const encoding = options.outputEncoding ?? "utf-8";
  if (format !== "csv" && encoding !== "utf-8")
    throw usageError(
      `--output-encoding ${encoding} applies to CSV output only; ${format.toUpperCase()} is always UTF-8${options.format ? "" : ` (the output is ${format.toUpperCase()} because the input is)`}`,
      { hint: "leave out --output-encoding, or add --format csv" },
    );
  const inputDelimiter = input.dialect?.delimiter ?? ";";
  const delimiter = options.excel ? ";" : inputDelimiter;
  const bom = options.excel || (format === "csv" && input.format === "csv" && input.encoding.bom);
  return {
    format,
    delimiter,
    lineEnding: options.excel ? "\r\n" : (input.dialect?.lineEnding ?? "\n"),
    bom: format === "csv" && encoding === "utf-8" && bom,
    encoding,
    ...(options.excel || options.excelSafe ? { excelSafe: true } : {}),
    ...(delimiter !== inputDelimiter ? { requote: true } : {}),
  };
}

/** The combinations refused whatever the input: called before the input is opened, and again above. */
export function checkOutputOptions(options: OutputDialectOptions): void {
  const { format, excel, outputEncoding } = options;
  if (excel && format !== undefined && format !== "csv")
    throw usageError(`--excel writes CSV for Excel: it cannot go with --format ${format}`, {
      hint: `leave out --excel to write ${format.toUpperCase()}, or --format to write CSV`,
    });
  if (format !== undefined && format !== "csv" && outputEncoding !== undefined && outputEncoding !== "utf-8")
    throw usageError(
      `--output-encoding ${outputEncoding} applies to CSV output only; ${format.toUpperCase()} is always UTF-8`,
      { hint: "leave out --output-encoding, or use --format csv" },
    );
}
