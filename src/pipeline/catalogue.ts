import { realpathSync } from "node:fs";
import type { Writable } from "node:stream";
import type { DataDir } from "../data-dir.js";
import type { Effects } from "../effects.js";
import { ExitCode, InserJeunesError, usageError } from "../errors.js";
import { type IndexReader, openIndex } from "../index-db/reader.js";
import type { NiveauOption } from "../indicators/select.js";
import { writeFileAtomic } from "../io/atomic.js";
import { type CatalogueInput, type CatalogueRecord, openCatalogue } from "../io/catalogue-reader.js";
import {
  type AddedCells,
  CatalogueWriter,
  type OutputFormat,
  type WriterOptions,
} from "../io/catalogue-writer.js";
import type { EncodingOption } from "../io/decode.js";
import type { OutputEncoding } from "../io/encode.js";
import {
  type ColumnMapping,
  describeMapping,
  detectColumns,
  detectFromValues,
  hasIdentifier,
  parseColumnsOption,
  presetColumns,
  uaiColumnRoles,
} from "../match/columns.js";
import { CoverageTally, renderReport, reportFormatOf, type UnmatchedCode } from "../match/coverage.js";
import { type Outcome, type Statut, STATUTS } from "../match/outcome.js";
import type { PresetName } from "../match/presets.js";
import { columnPlan, type Mode, NUMERIC_COLUMNS, parseIndicateurs } from "./output-columns.js";
import { checkOutputOptions, outputDialect } from "./output-dialect.js";
import { type Resolved, resolver, rowDetail, type Verdict } from "./resolver.js";

export type { OutputFormat } from "../io/catalogue-writer.js";

export interface CatalogueOptions {
  mode: Mode;
  /** Path, or "-" for stdin. */
  input: string;
  dataDir: DataDir;
  /** File to write atomically; undefined = stdout. */
  out?: string;
  /** Output format; undefined = the input's form (CSV → CSV in its dialect, JSON → JSON, LHEO → CSV). */
  format?: OutputFormat;
  columns?: string;
  preset?: PresetName;
  delimiter?: string;
  encoding?: EncodingOption;
  niveau?: NiveauOption;
  millesime?: string;
  /** More invalide rows than this → exit 5 (the output is still written). */
  maxErrors?: number;
  /** More unmatched rows than this (count or percentage) → exit 5. */
  maxUnmatched?: { count: number } | { percent: number };
  /** Prefix cells starting with = + - @ in CSV output (formula injection). */
  excelSafe?: boolean;
  /** enrich: the figure columns to keep, with or without `ij_` (unknown names: exit 2); default: all. */
  indicateurs?: readonly string[];
  /** enrich --famille aggregate: secondes communes get the summed figures of their terminal codes. */
  famille?: "aggregate";
  /**
   * enrich --history: each row repeated once per millésime with figures at the level chosen for it,
   * latest first (the one documented exception to "output rows = input rows").
   */
  history?: boolean;
  /** CSV for Excel: `;`, CRLF, UTF-8 BOM, formula-safe cells, whatever the input's dialect. */
  excel?: boolean;
  /** CSV output in windows-1252 instead of UTF-8 (a character it lacks is an error, exit 2). */
  outputEncoding?: OutputEncoding;
  /** Label similarity when no identifier matched. */
  fuzzy?: boolean;
  /** Coverage report: .json, .md or .html. */
  report?: string;
  /** Unusable rows (statut invalide) with their reason. */
  rejects?: string;
  /** Rows without a code, with their ij_ columns. */
  unmatched?: string;
  /** Where data goes without --out (tests pass a buffer). */
  stdout?: Writable;
  /** Called about 5 times a second while rows are processed. */
  onProgress?: (progress: Progress) => void;
}

export interface Progress {
  rows: number;
  bytes: number;
  totalBytes: number | undefined;
  elapsedMs: number;
}

export interface CatalogueSummary {
  mode: Mode;
  input: string;
  /** What was read: encoding, format, dialect. */
  detected: string;
  mapping: string;
  output: string;
  format: OutputFormat;
  rows: number;
  /** Rows written: `rows`, or more with --history. */
  rowsWritten: number;
  byStatut: Record<Statut, number>;
  byMotif: Record<string, number>;
  byMethode: Record<string, number>;
  byVoie: Record<string, number>;
  /** Rows by diploma type of their code (BCN niveau label, "supérieur (SISE)"…). */
  byDiplome: Record<string, number>;
  /** The 20 codes that most often failed to match, with the motif most of their rows got. */
  topUnmatched: UnmatchedCode[];
  /** Rows without a code (no single certification, or one no nomenclature knows). */
  unmatched: number;
  report?: string;
  rejects?: string;
  unmatchedFile?: string;
  warnings: string[];
  durationMs: number;
}

const PROGRESS_EVERY_MS = 200;
const NO_CELLS: readonly string[] = Object.freeze([]);
/**
 * Answers counted on before they are added to the tally. Few enough that an answer made for one row (a
 * malformed code) is not still held here two scavenges later: with 5,000, they all reached the old
 * generation (1M-row enrich: 112 MB promoted, 90 MB with 256, 1.5 % faster, same report).
 */
const FLUSH_COUNTS = 256;

/**
 * match and enrich: stream the catalogue, resolve each row against the index, write the row back with
 * its ij_ columns. Output rows = input rows, same order; the input is only read; every file is written
 * under a temporary name and renamed at the end.
 */
export async function processCatalogue(
  options: CatalogueOptions,
  effects: Effects,
): Promise<CatalogueSummary> {
  const started = Date.now();
  guardOutputs(options);
  const plan = columnPlan(
    options.mode,
    options.indicateurs ? parseIndicateurs(options.indicateurs) : undefined,
  );
  checkOutputOptions(options);
  const index = openIndex(options.dataDir);
  const writers: CatalogueWriter[] = [];
  try {
    const input = await openCatalogue(options.input, {
      ...(options.encoding ? { encoding: options.encoding } : {}),
      ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    });
    const mapping = columnMapping(options, input, index);
    const mappingText = describeMapping(mapping, input.columns);
    effects.logger.info(`${input.source}: ${input.describe}`);
    effects.logger.info(`columns: ${mappingText}`);
    const warnings: string[] = [];
    if (options.fuzzy && !mapping.roles.libelle?.length)
      warnings.push(
        "--fuzzy: no label column (libelle) found, so no label is compared; name it with --columns libelle=<column>",
      );

    const dialect = outputDialect(options, input);
    const format = dialect.format;
    const writerOptions: WriterOptions = { ...dialect, numeric: NUMERIC_COLUMNS, source: input.source };
    const added = plan.columns;
    const headerRaw = input.format === "csv" ? input.headerRaw : undefined;
    const open = async (
      path: string | undefined,
      header: readonly string[],
      cols: readonly string[],
      o: WriterOptions,
      raw?: string,
    ) => {
      const w = await CatalogueWriter.open(path, options.stdout ?? process.stdout, header, cols, o, raw);
      writers.push(w);
      return w;
    };
    const main = await open(options.out, input.header, added, writerOptions, headerRaw);
    const unmatchedWriter = options.unmatched
      ? await open(options.unmatched, input.header, added, writerOptions, headerRaw)
      : undefined;
    const rejectsFormat: OutputFormat = /\.(nd)?jsonl?$/i.test(options.rejects ?? "") ? "ndjson" : "csv";
    const rejectsHeader = ["ligne", "ij_motif", "raison", ...input.header];
    const rejectsWriter = options.rejects
      ? await open(options.rejects, rejectsHeader, [], {
          ...writerOptions,
          format: rejectsFormat,
          // For Excel the rejects are read like the output: with a BOM (there is none otherwise).
          bom: rejectsFormat === "csv" && options.excel === true && writerOptions.bom,
        })
      : undefined;

    const resolve = resolver(
      {
        mode: options.mode,
        ...(options.fuzzy ? { fuzzy: true } : {}),
        resolve: {
          niveau: options.niveau ?? "auto",
          ...(options.millesime ? { millesime: options.millesime } : {}),
          ...(options.famille ? { famille: options.famille } : {}),
          ...(options.history ? { history: true } : {}),
        },
        plan,
        uaiRoles: uaiColumnRoles(mapping, input.columns),
      },
      mapping,
      index,
    );
    const tally = new CoverageTally();
    const summary = emptySummary(options, input, mappingText, format, warnings);
    // Rows sharing an outcome are counted on it, and added to the tally a few thousand outcomes at a time.
    // Outcomes with no code to blame are added once per group the tally cannot tell apart: a group's
    // first rows when they come (so that the tally's keys keep the order of the rows), the others at
    // the end; outcomes with codes are added window by window.
    const counted: Resolved[] = [];
    const groups: Verdict[] = [];
    let rows = 0;
    const flushCounts = () => {
      for (const r of counted) {
        const v = r.verdict;
        if (r.codes.length > 0) tally.add(v, v.diplome, r.codes, r.rows);
        else if (v.group?.added) v.group.pending += r.rows;
        else {
          tally.add(v, v.diplome, r.codes, r.rows);
          v.group = { added: true, pending: 0 };
          groups.push(v);
        }
        if (v.unmatched) summary.unmatched += r.rows;
        r.rows = 0;
      }
      counted.length = 0;
    };
    let lastProgress = Date.now();
    const releaseCells = format === "csv";
    // A CSV writer keeps an answer's cells as CSV text (`csvBefore`, `csvAfter`) once it has written
    // them, and the unmatched file shares the dialect: the cells are no longer read. Dropping them halves
    // what each distinct answer keeps (1M-row enrich: 414 -> 315 MB peak RSS).
    const release = (added: AddedCells) => {
      if (releaseCells && added.csvDelimiter !== undefined && added.cells.length > 0) added.cells = NO_CELLS;
    };
    let written = 0;
    let noted = 0;
    const logged = new WeakSet<Resolved>();
    const logUaiNotes = (r: Resolved, line: number) => {
      // --verbose: whose school figures an answer used or left out (UAI roles), for its first 20 answers.
      const about = r.uaiNotes;
      if (!about || logged.has(r)) return;
      logged.add(r);
      if (++noted <= 20)
        effects.logger.debug(`line ${line}: UAI ${about.uai} × ${about.code}: ${about.notes.join("; ")}`);
    };
    for await (const batch of input.batches()) {
      for (const record of batch) {
        const r = record.problem !== undefined ? resolve.malformed(record.problem) : resolve(record.fields);
        const uai = record.problem !== undefined ? "" : resolve.uai;
        if (r.history) {
          for (const cells of r.history) {
            main.row(record, cells, uai);
            release(cells);
          }
          written += r.history.length;
        } else {
          main.row(record, r, uai);
          written++;
        }
        release(r);
        rows++;
        const v = r.verdict;
        const group = r.codes.length === 0 ? v.group : undefined;
        if (group?.added) {
          // Its group is in the tally: the row only adds to what is added at the end.
          group.pending++;
          if (v.unmatched) summary.unmatched++;
        } else if (r.rows++ === 0) {
          counted.push(r);
          logUaiNotes(r, record.line);
        }
        if (v.unmatched) unmatchedWriter?.row(record, r, uai);
        if (v.statut === "invalide" && rejectsWriter)
          rejectsWriter.row(
            rejectRecord(
              record,
              rowDetail(r, record.problem !== undefined ? "" : resolve.uaiReason),
              v,
              input,
            ),
            { cells: [] },
          );
      }
      if (counted.length >= FLUSH_COUNTS) flushCounts();
      await Promise.all(writers.map((w) => w.flush()));
      if (options.onProgress && Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        options.onProgress({
          rows,
          bytes: input.bytesRead(),
          totalBytes: input.totalBytes,
          elapsedMs: lastProgress - started,
        });
      }
    }
    flushCounts();
    for (const v of groups) if (v.group!.pending > 0) tally.add(v, v.diplome, [], v.group!.pending);
    summary.rows = tally.rows;
    summary.rowsWritten = written;
    if (noted > 20)
      effects.logger.debug(`… and ${noted - 20} more answers that used or left out another UAI's figures`);
    const counts = tally.counts();
    Object.assign(summary.byStatut, counts.statut);
    Object.assign(summary, {
      byMotif: counts.motif,
      byMethode: counts.methode,
      byVoie: counts.voie,
      byDiplome: counts.diplome,
      topUnmatched: tally.topUnmatched(),
    });
    if (format === "csv" && input.lateColumns.size > 0)
      warnings.push(
        `keys first seen after the first rows are not in the CSV output: ${[...input.lateColumns].slice(0, 10).join(", ")} (use --format json to keep them)`,
      );
    for (const w of writers) await w.end();

    if (options.report) {
      const report = tally.report({
        input: input.source,
        mode: options.mode,
        mapping: mappingText,
        generatedAt: effects.now().toISOString(),
      });
      await writeFileAtomic(options.report, renderReport(report, reportFormatOf(options.report) ?? "json"));
    }
    summary.durationMs = Date.now() - started;
    checkThresholds(options, summary);
    return summary;
  } catch (error) {
    await Promise.all(writers.map((w) => w.abort()));
    throw error;
  } finally {
    index.close();
  }
}

/** --columns, else --preset (LHEO files get the lheo preset), else detection from names then values. */
function columnMapping(options: CatalogueOptions, input: CatalogueInput, index: IndexReader): ColumnMapping {
  const sample = input.sample.map((r) => r.fields);
  const preset = options.preset ?? (input.format === "lheo" ? "lheo" : undefined);
  let mapping: ColumnMapping;
  if (preset) {
    mapping = presetColumns(preset, input.columns);
    if (options.columns) mapping = parseColumnsOption(options.columns, input.columns, mapping);
  } else if (options.columns) mapping = parseColumnsOption(options.columns, input.columns);
  else mapping = detectFromValues(detectColumns(input.columns, sample), input.columns, sample, index);
  if (!hasIdentifier(mapping) && !(options.fuzzy && mapping.roles.libelle?.length))
    throw usageError(
      `${input.source}: no identifier column found (CFD, MEF, MEFSTAT11, Onisep, RNCP, Certif Info, SISE)${preset ? ` with --preset ${preset}` : ""}`,
      {
        hint: `name the columns with --columns, e.g. --columns cfd=<column>,uai=<column>, or use a --preset; columns seen: ${input.columns.join(", ")}`,
      },
    );
  return mapping;
}

function rejectRecord(
  record: CatalogueRecord,
  detail: string,
  outcome: Pick<Outcome, "motif">,
  input: CatalogueInput,
): CatalogueRecord {
  const head = [String(record.line), outcome.motif, detail];
  const fields = [...head, ...record.fields.slice(0, input.header.length)];
  const object: Record<string, unknown> = {
    ligne: record.line,
    ij_motif: outcome.motif,
    raison: detail,
  };
  if (record.object) Object.assign(object, record.object);
  else if (record.raw !== undefined && record.problem !== undefined && input.format !== "csv")
    object["_ligne_invalide"] = record.raw;
  else input.header.forEach((name, i) => (object[name] ??= record.fields[i] ?? ""));
  return { fields, line: record.line, object };
}

function emptySummary(
  options: CatalogueOptions,
  input: CatalogueInput,
  mapping: string,
  format: OutputFormat,
  warnings: string[],
): CatalogueSummary {
  return {
    mode: options.mode,
    input: input.source,
    detected: input.describe,
    mapping,
    output: options.out ?? "<stdout>",
    format,
    rows: 0,
    rowsWritten: 0,
    byStatut: Object.fromEntries(STATUTS.map((s) => [s, 0])) as Record<Statut, number>,
    byMotif: {},
    byMethode: {},
    byVoie: {},
    byDiplome: {},
    topUnmatched: [],
    unmatched: 0,
    ...(options.report ? { report: options.report } : {}),
    ...(options.rejects ? { rejects: options.rejects } : {}),
    ...(options.unmatched ? { unmatchedFile: options.unmatched } : {}),
    warnings,
    durationMs: 0,
  };
}

function checkThresholds(options: CatalogueOptions, summary: CatalogueSummary): void {
  if (options.maxErrors !== undefined && summary.byStatut.invalide > options.maxErrors)
    throw new InserJeunesError(
      ExitCode.tooManyErrors,
      `${summary.byStatut.invalide} invalide row(s), more than --max-errors ${options.maxErrors} (the output was written)`,
      { hint: "see ij_motif in the output for each row's reason (or --rejects <file> for the list)" },
    );
  const max = options.maxUnmatched;
  if (!max) return;
  const over =
    "count" in max
      ? summary.unmatched > max.count
      : summary.rows > 0 && (100 * summary.unmatched) / summary.rows > max.percent;
  if (over)
    throw new InserJeunesError(
      ExitCode.tooManyErrors,
      `${summary.unmatched} of ${summary.rows} row(s) without a code, more than --max-unmatched ${"count" in max ? max.count : `${max.percent}%`} (the output was written)`,
      { hint: "see --unmatched <file> and --report <file> for which codes fail and why" },
    );
}

/** The input is never modified: no output may name it. Options that exclude each other. */
function guardOutputs(options: CatalogueOptions): void {
  if (options.history && options.millesime)
    throw usageError("--history writes every millésime: it cannot be combined with --millesime", {
      hint: "drop one of the two",
    });
  if (options.mode === "match" && (options.history || options.famille || options.indicateurs))
    throw usageError("--history, --famille and --indicateurs are enrich options (match adds no figures)");
  if (options.input === "-") return;
  const outputs: [string, string | undefined][] = [
    ["--out", options.out],
    ["--report", options.report],
    ["--rejects", options.rejects],
    ["--unmatched", options.unmatched],
  ];
  let input: string;
  try {
    input = realpathSync(options.input);
  } catch {
    return; // openCatalogue reports a missing input
  }
  for (const [flag, path] of outputs) {
    if (!path) continue;
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      continue; // does not exist yet
    }
    if (real === input)
      throw usageError(`${flag} ${path} is the input file: inserjeunes never modifies its input`, {
        hint: "write to another file",
      });
  }
  if (options.report && !reportFormatOf(options.report))
    throw usageError(`--report ${options.report}: the extension says the format: .json, .md or .html`);
}
