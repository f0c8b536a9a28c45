import { realpathSync } from "node:fs";
import type { Writable } from "node:stream";
import type { DataDir } from "../data-dir.js";
import type { Effects } from "../effects.js";
import { ExitCode, InserJeunesError, usageError } from "../errors.js";
import { openIndex } from "../index-db/reader.js";
import type { NiveauOption } from "../indicators/select.js";
import { type AtomicStream, createAtomicWriteStream } from "../io/atomic.js";
import { type CsvRecord, describeDialect, formatCsvRow, makeFieldQuoter } from "../io/csv.js";
import type { EncodingOption } from "../io/decode.js";
import { openDelimited } from "../io/delimited-reader.js";
import {
  type ColumnMapping,
  cellsOf,
  describeMapping,
  detectColumns,
  hasIdentifier,
  parseColumnsOption,
} from "../match/columns.js";
import { matchRow } from "../match/match-row.js";
import { invalidRow, type Outcome, type ResolveContext, resolveRow, type Statut } from "../match/outcome.js";
import { type Mode, NUMERIC_COLUMNS, outcomeCells, outputColumns } from "./output-columns.js";

export type OutputFormat = "csv" | "json" | "ndjson";

export interface CatalogueOptions {
  mode: Mode;
  /** Path, or "-" for stdin. */
  input: string;
  dataDir: DataDir;
  /** File to write atomically; undefined = stdout. */
  out?: string;
  format?: OutputFormat;
  columns?: string;
  delimiter?: string;
  encoding?: EncodingOption;
  niveau?: NiveauOption;
  millesime?: string;
  /** More invalide rows than this → exit 5 (the output is still written). */
  maxErrors?: number;
  excelSafe?: boolean;
  /** Where data goes without --out (tests pass a buffer). */
  stdout?: Writable;
}

export interface CatalogueSummary {
  mode: Mode;
  input: string;
  encoding: string;
  dialect: string;
  mapping: string;
  output: string;
  rows: number;
  byStatut: Record<Statut, number>;
  byMotif: Record<string, number>;
  byMethode: Record<string, number>;
  byVoie: Record<string, number>;
  durationMs: number;
}

/**
 * match and enrich: stream the catalogue, resolve each row against the index, write the row back with
 * its ij_ columns. Output rows = input rows, same order; the input is only read; --out is written under
 * a temporary name and renamed at the end.
 */
export async function processCatalogue(
  options: CatalogueOptions,
  effects: Effects,
): Promise<CatalogueSummary> {
  const started = Date.now();
  guardInputIsNotOutput(options.input, options.out);

  const index = openIndex(options.dataDir);
  const input = await openDelimited(options.input, {
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
  });
  const header = input.header;
  const mapping: ColumnMapping = options.columns
    ? parseColumnsOption(options.columns, header)
    : detectColumns(header);
  if (!hasIdentifier(mapping))
    throw usageError(
      `${input.source}: no identifier column found (CFD, MEF, MEFSTAT11, Onisep, RNCP, Certif Info, SISE)`,
      {
        hint: `name the columns with --columns, e.g. --columns cfd=<column>,uai=<column>; columns seen: ${header.join(", ")}`,
      },
    );
  const mappingText = describeMapping(mapping, header);
  effects.logger.info(
    `${input.source}: ${input.encoding.encoding}${input.encoding.bom ? " (BOM)" : ""}, ${describeDialect(input.dialect)}; columns: ${mappingText}`,
  );

  const context: ResolveContext = { nomenclature: index, indicators: index, latestYear: index.latestYear() };
  const resolveOptions = {
    niveau: options.niveau ?? "auto",
    ...(options.millesime ? { millesime: options.millesime } : {}),
  };
  const mode = options.mode;
  const extra = outputColumns(mode);
  const width = header.length;

  const summary: CatalogueSummary = {
    mode,
    input: input.source,
    encoding: input.encoding.encoding + (input.encoding.bom ? " (BOM)" : ""),
    dialect: describeDialect(input.dialect),
    mapping: mappingText,
    output: options.out ?? "<stdout>",
    rows: 0,
    byStatut: { couvert: 0, sous_seuil: 0, non_couvert: 0, plusieurs_codes: 0, invalide: 0 },
    byMotif: {},
    byMethode: {},
    byVoie: {},
    durationMs: 0,
  };
  const count = (o: Outcome) => {
    summary.rows++;
    summary.byStatut[o.statut]++;
    if (o.motif) summary.byMotif[o.motif] = (summary.byMotif[o.motif] ?? 0) + 1;
    if (o.methode) summary.byMethode[o.methode] = (summary.byMethode[o.methode] ?? 0) + 1;
    if (o.voie) summary.byVoie[o.voie] = (summary.byVoie[o.voie] ?? 0) + 1;
  };

  // Rows with the same identifier cells get the same answer: resolve each distinct key once.
  const cache = new Map<string, { outcome: Outcome; cells: string[] }>();
  const resolve = (fields: string[]) => {
    const cells = cellsOf(fields, mapping);
    const key = JSON.stringify(cells);
    let hit = cache.get(key);
    if (!hit) {
      const outcome = resolveRow(matchRow(cells, index), resolveOptions, context);
      hit = { outcome, cells: outcomeCells(outcome, mode) };
      if (cache.size > 100_000) cache.clear();
      cache.set(key, hit);
    }
    return hit;
  };
  const malformed = outcomeCells(invalidRow("ligne_malformee"), mode);

  const writer = await openOutput(
    options,
    input.dialect.delimiter,
    input.dialect.lineEnding,
    input.encoding.bom,
  );
  const excel = options.excelSafe ? excelSafe : (v: string) => v;
  const fullHeader = [...header, ...extra];
  try {
    writer.begin(fullHeader.map(excel));
    for await (const batch of input.batches()) {
      const lines: string[][] = [];
      for (const record of batch) {
        const { fields, ijCells } = rowOutput(
          record,
          width,
          input.dialect.delimiter,
          resolve,
          malformed,
          count,
        );
        lines.push([...fields, ...ijCells].map(excel));
      }
      await writer.rows(lines, fullHeader);
    }
    await writer.end();
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    index.close();
  }

  summary.durationMs = Date.now() - started;
  if (options.maxErrors !== undefined && summary.byStatut.invalide > options.maxErrors) {
    throw new InserJeunesError(
      ExitCode.tooManyErrors,
      `${summary.byStatut.invalide} invalide row(s), more than --max-errors ${options.maxErrors} (the output was written)`,
      { hint: "see ij_motif in the output for each row's reason" },
    );
  }
  return summary;
}

function rowOutput(
  record: CsvRecord,
  width: number,
  delimiter: string,
  resolve: (fields: string[]) => { outcome: Outcome; cells: string[] },
  malformed: string[],
  count: (o: Outcome) => void,
): { fields: string[]; ijCells: string[] } {
  const fields = record.fields;
  if (fields.length === width) {
    const { outcome, cells } = resolve(fields);
    count(outcome);
    return { fields, ijCells: cells };
  }
  // Never drop a row, never shift columns: pad a short row; keep a long row's extra cells in its last column.
  const fixed =
    fields.length < width
      ? [...fields, ...new Array<string>(width - fields.length).fill("")]
      : [...fields.slice(0, width - 1), fields.slice(width - 1).join(delimiter)];
  count(invalidRow("ligne_malformee"));
  return { fields: fixed, ijCells: malformed };
}

function guardInputIsNotOutput(input: string, out: string | undefined): void {
  if (!out || input === "-") return;
  try {
    if (realpathSync(input) === realpathSync(out))
      throw usageError(`--out ${out} is the input file: inserjeunes never modifies its input`, {
        hint: "write to another file",
      });
  } catch (error) {
    if (error instanceof InserJeunesError) throw error;
    // The output does not exist yet: nothing to compare.
  }
}

/** Formula-looking text cells get a leading quote; negative numbers stay numbers. */
export function excelSafe(value: string): string {
  const first = value.charCodeAt(0);
  // = + - @ tab CR
  if (first === 61 || first === 43 || first === 64 || first === 9 || first === 13) return `'${value}`;
  if (first === 45 && !/^-\d+([.,]\d+)?$/.test(value)) return `'${value}`;
  return value;
}

interface OutputWriter {
  begin(header: string[]): void;
  rows(lines: string[][], header: string[]): Promise<void>;
  end(): Promise<void>;
  abort(): Promise<void>;
}

async function openOutput(
  options: CatalogueOptions,
  delimiter: string,
  lineEnding: string,
  bom: boolean,
): Promise<OutputWriter> {
  let atomic: AtomicStream | undefined;
  let stream: Writable;
  if (options.out) {
    atomic = await createAtomicWriteStream(options.out);
    stream = atomic.stream;
  } else stream = options.stdout ?? process.stdout;

  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (text.length === 0) return resolve();
      const ok = stream.write(text, (error) => (error ? reject(error) : undefined));
      if (ok) resolve();
      else stream.once("drain", resolve);
    });
  let pending = "";
  const format = options.format ?? "csv";
  const quote = makeFieldQuoter(delimiter);
  let first = true;
  const toObject = (header: string[], line: string[]) => {
    const obj: Record<string, string | number | null> = {};
    header.forEach((name, i) => {
      const v = line[i] ?? "";
      obj[uniqueKey(obj, name)] = NUMERIC_COLUMNS.has(name) ? (v === "" ? null : Number(v)) : v;
    });
    return JSON.stringify(obj);
  };

  return {
    begin(header) {
      if (format === "csv")
        pending = (bom ? "\uFEFF" : "") + formatCsvRow(header, quote, delimiter) + lineEnding;
      else if (format === "json") pending = "[";
    },
    async rows(lines, header) {
      let text = pending;
      pending = "";
      for (const line of lines) {
        if (format === "csv") text += formatCsvRow(line, quote, delimiter) + lineEnding;
        else if (format === "ndjson") text += `${toObject(header, line)}\n`;
        else {
          text += `${first ? "\n" : ",\n"}${toObject(header, line)}`;
          first = false;
        }
      }
      await write(text);
    },
    async end() {
      let text = pending;
      if (format === "json") text += first ? "]\n" : "\n]\n";
      await write(text);
      if (atomic) await atomic.commit();
    },
    async abort() {
      if (atomic) await atomic.abort();
    },
  };
}

function uniqueKey(obj: Record<string, unknown>, name: string): string {
  if (!(name in obj)) return name;
  let i = 2;
  while (`${name}_${i}` in obj) i++;
  return `${name}_${i}`;
}
