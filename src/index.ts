import { toolVersion } from "./commands/shared.js";
import { type DataDir, resolveDataDir } from "./data-dir.js";
import { type Effects, type Logger, silentLogger } from "./effects.js";
import { type FetchSummary, runFetch } from "./fetch/run.js";
import { type BuildResult, buildIndex as buildIndexFile } from "./index-db/build.js";
import { type CatalogueOptions, type CatalogueSummary, processCatalogue } from "./pipeline/catalogue.js";
import { type ExportOptions, type ExportResult, runExport } from "./pipeline/export.js";
import type { SourceId } from "./sources/types.js";

/**
 * The programmatic API (`import { … } from "inserjeunes"`): the steps of the CLI as functions. They
 * take plain options, return the summaries the CLI prints, throw InserJeunesError (whose `exitCode` is
 * the CLI's) on bad input or missing data, and print nothing unless given a logger.
 */
export interface CommonOptions {
  /** Data directory (default: $INSERJEUNES_DATA_DIR, else ./inserjeunes-data). */
  dataDir?: string;
  /** Where progress messages go (default: nowhere). */
  logger?: Logger;
}

export interface FetchSourcesOptions extends CommonOptions {
  /** Local files or directories to import, by source id, e.g. `{ "bcn-n-mef": "N_MEF.csv" }`. */
  files?: Partial<Record<SourceId, string>>;
  /** Source ids to fetch (default: every open source, or only the `files` ones when some are given). */
  sources?: readonly SourceId[];
  /** Download locations replacing the producers' (internal mirrors), by source id. */
  urls?: Partial<Record<SourceId, string>>;
  /** Download even when the ETag / Last-Modified say the copy is current. */
  force?: boolean;
  /** Check what is present instead of downloading. */
  offline?: boolean;
  /** DEPP API millésimes, as end years (default: the three ending the year before this one). */
  millesimes?: readonly number[];
}

export interface BuildIndexOptions extends CommonOptions {
  /** Fail (exit code 5) on any rejected source row; the previous index is kept. */
  strict?: boolean;
}

export type CatalogueApiOptions = CommonOptions & Omit<CatalogueOptions, "mode" | "dataDir">;

export type ExportDatasetsOptions = CommonOptions & Omit<ExportOptions, "dataDir" | "toolVersion">;

function setup(options: CommonOptions): { dataDir: DataDir; effects: Effects } {
  return {
    dataDir: resolveDataDir(options.dataDir, process.env),
    effects: {
      logger: options.logger ?? silentLogger,
      now: () => new Date(),
      env: process.env,
      interactive: false,
    },
  };
}

/**
 * Download the sources, or import local copies, into the data directory (`inserjeunes fetch`). A source
 * that fails does not throw: its outcome says `failed` with the reason (the CLI exits 4 on it).
 */
export function fetchSources(options: FetchSourcesOptions = {}): Promise<FetchSummary> {
  const { dataDir, effects } = setup(options);
  const pairs = (record: Partial<Record<SourceId, string>> | undefined) =>
    Object.entries(record ?? {}).map(([id, value]) => `${id}=${value}`);
  return runFetch(
    {
      dataDir,
      files: pairs(options.files),
      urls: pairs(options.urls),
      ids: options.sources ?? [],
      ...(options.force ? { force: true } : {}),
      ...(options.offline ? { offline: true } : {}),
      ...(options.millesimes ? { millesimes: options.millesimes } : {}),
    },
    effects,
  );
}

/** Parse the fetched sources into index.sqlite (`inserjeunes build-index`). */
export function buildIndex(options: BuildIndexOptions = {}): Promise<BuildResult> {
  const { dataDir, effects } = setup(options);
  return buildIndexFile({ dataDir, strict: options.strict ?? false, toolVersion: toolVersion() }, effects);
}

/** Add the ij_ code columns to a catalogue (`inserjeunes match`). */
export function matchCatalogue(options: CatalogueApiOptions): Promise<CatalogueSummary> {
  const { dataDir, effects } = setup(options);
  const { dataDir: _, logger: __, ...rest } = options;
  return processCatalogue({ ...rest, mode: "match", dataDir }, effects);
}

/** Add the ij_ code and indicator columns to a catalogue (`inserjeunes enrich`). */
export function enrichCatalogue(options: CatalogueApiOptions): Promise<CatalogueSummary> {
  const { dataDir, effects } = setup(options);
  const { dataDir: _, logger: __, ...rest } = options;
  return processCatalogue({ ...rest, mode: "enrich", dataDir }, effects);
}

/** Write the flat datasets into a directory swapped in atomically (`inserjeunes export`). */
export function exportDatasets(options: ExportDatasetsOptions): Promise<ExportResult> {
  const { dataDir, effects } = setup(options);
  const { dataDir: _, logger: __, ...rest } = options;
  return runExport({ ...rest, dataDir, toolVersion: toolVersion() }, effects);
}

export { ExitCode, InserJeunesError } from "./errors.js";
export { DATASETS, type Dataset, type ExportFilters, type ExportProgress } from "./pipeline/export.js";
export type { ExportFormat, WrittenFile } from "./pipeline/export-files.js";
export type { DatasetFile } from "./pipeline/export-package.js";
export { SOURCE_IDS, type SourceId } from "./sources/types.js";
export type { BuildResult, CatalogueSummary, ExportResult, FetchSummary, Logger };
