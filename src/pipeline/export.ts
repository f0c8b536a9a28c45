import { readdir, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import type { DataDir } from "../data-dir.js";
import type { Effects } from "../effects.js";
import { usageError } from "../errors.js";
import { readManifest } from "../fetch/manifest.js";
import { sourceReports } from "../index-db/export-reader.js";
import { type IndexReader, openIndex } from "../index-db/reader.js";
import { isValidMillesime } from "../indicators/select.js";
import type { EncodingOption } from "../io/decode.js";
import { type Staging, stageDirectory } from "../io/publish-dir.js";
import { sources as registry } from "../sources/index.js";
import { regionFromInsee, REGIONS } from "../sources/regions.js";
import { isSourceId } from "../sources/types.js";
import { type CatalogueSummary, processCatalogue } from "./catalogue.js";
import { certificationsRows, formationsRows, regionalesRows, type Rows } from "./export-figures.js";
import {
  type ExportFormat,
  HashedFile,
  sha256File,
  sha256sums,
  TableWriter,
  type WrittenFile,
} from "./export-files.js";
import { correspondancesRows, couvertureRows } from "./export-links.js";
import { LOOKUP_DATASETS, type LookupDataset, LookupWriter } from "./export-lookup.js";
import {
  datapackage,
  type DatasetFile,
  type ExportManifest,
  type InputSource,
  isExportManifest,
  manifestText,
} from "./export-package.js";
import {
  DATASETS,
  type Dataset,
  type DatasetSpec,
  type ExportFilters,
  isDataset,
  SPECS,
} from "./export-spec.js";

export { DATASETS, type Dataset, type ExportFilters, type ExportFormat };

/**
 * `export`: the flat datasets of a nightly publication, written into a staging directory with
 * manifest.json, datapackage.json and SHA256SUMS, then swapped in place of the output directory in one
 * step. Same index and options → byte-identical files, manifest.json (which holds the time) aside.
 */
export interface ExportOptions {
  dataDir: DataDir;
  /** Datasets to write; "all" (the default) = every dataset (couverture only with a catalogue). */
  datasets?: readonly (Dataset | "all")[];
  /** Output directory, replaced as a whole. */
  out: string;
  format?: ExportFormat;
  filters?: ExportFilters;
  /** Also write the keyed lookup artefacts under lookup/. */
  lookup?: boolean;
  /** The catalogue of the couverture dataset. */
  catalogue?: { input: string; columns?: string; delimiter?: string; encoding?: EncodingOption };
  toolVersion: string;
  /** Called when each file is complete, and before the swap (progress; tests pause the run here). */
  onProgress?: (event: ExportProgress) => void | Promise<void>;
}

export interface ExportProgress {
  step: "dataset" | "lookup" | "publish";
  name: string;
  rows: number;
}

export interface ExportResult {
  out: string;
  format: ExportFormat;
  datasets: DatasetFile[];
  lookups: WrittenFile[];
  durationMs: number;
}

export async function runExport(options: ExportOptions, effects: Effects): Promise<ExportResult> {
  const started = Date.now();
  const datasets = resolveDatasets(options.datasets ?? ["all"], options.catalogue !== undefined);
  const filters = normaliseFilters(options.filters ?? {});
  const format = options.format ?? "csv";
  const out = resolve(options.out);
  await guardOutput(out);

  const reader = openIndex(options.dataDir);
  let staging: Staging | undefined;
  try {
    const summary = datasets.includes("couverture") ? await coverage(options, effects) : undefined;
    staging = await stageDirectory(out);
    const rows = (name: Dataset) => rowsOf(name, reader, filters, summary);
    const { written, lookups } = await writeData(
      staging.path,
      { ...options, datasets, format, rows },
      effects,
    );
    const inputs = await inputSources(options.dataDir, reader, effects);
    const pkg = await writeText(
      staging.path,
      "datapackage.json",
      datapackage({ version: options.toolVersion, sources: inputs, datasets: written, lookups }),
    );
    await writeText(staging.path, "SHA256SUMS", sha256sums([...written.map((w) => w.file), ...lookups, pkg]));
    const manifest: ExportManifest = {
      tool: { name: "inserjeunes", version: options.toolVersion },
      createdAt: effects.now().toISOString(),
      index: {
        builtAt: reader.meta("built_at") ?? null,
        toolVersion: reader.meta("tool_version") ?? null,
        schemaVersion: reader.meta("schema_version") ?? null,
      },
      options: {
        datasets,
        format,
        filters: {
          millesimes: filters.millesimes ?? [],
          regions: filters.regions ?? [],
          academies: filters.academies ?? [],
        },
        lookup: options.lookup ?? false,
      },
      catalogue: options.catalogue && summary ? await catalogueInput(options.catalogue.input) : null,
      sources: inputs,
      datasets: written.map(({ file: { name, path, format: f, rows: n, bytes, sha256 } }) => ({
        name,
        path,
        format: f,
        rows: n,
        bytes,
        sha256,
      })),
      lookups,
    };
    await writeText(staging.path, "manifest.json", manifestText(manifest));

    await options.onProgress?.({ step: "publish", name: out, rows: 0 });
    await staging.publish();
    staging = undefined;
    return { out, format, datasets: written.map((w) => w.file), lookups, durationMs: Date.now() - started };
  } finally {
    if (staging) await staging.discard();
    reader.close();
  }
}

/** The dataset files, and the lookups fed from the same batches (generated alone when not exported). */
async function writeData(
  dir: string,
  options: Pick<ExportOptions, "lookup" | "toolVersion" | "onProgress"> & {
    datasets: readonly Dataset[];
    format: ExportFormat;
    rows: (name: Dataset) => Rows;
  },
  effects: Effects,
): Promise<{ written: { spec: DatasetSpec; file: DatasetFile }[]; lookups: WrittenFile[] }> {
  const lookup = options.lookup ? await LookupWriter.open(dir) : undefined;
  let writer: TableWriter | undefined;
  try {
    const written: { spec: DatasetSpec; file: DatasetFile }[] = [];
    for (const name of options.datasets) {
      writer = await TableWriter.open(dir, `${name}.${options.format}`, options.format, SPECS[name].fields);
      for (const batch of options.rows(name)) {
        await writer.write(batch);
        if (lookup && isLookupDataset(name)) await lookup.add(name, batch);
      }
      const file = { name, format: options.format, ...(await writer.close()) };
      writer = undefined;
      written.push({ spec: SPECS[name], file });
      effects.logger.debug(`${name}: ${file.rows} rows`);
      await options.onProgress?.({ step: "dataset", name, rows: file.rows });
    }
    if (!lookup) return { written, lookups: [] };
    for (const name of LOOKUP_DATASETS)
      if (!options.datasets.includes(name))
        for (const batch of options.rows(name)) await lookup.add(name, batch);
    // No time in it (not even the index's build time): the same sources give the same bytes.
    const lookups = await lookup.close({ tool_version: options.toolVersion });
    await options.onProgress?.({ step: "lookup", name: "lookup", rows: lookups.length });
    return { written, lookups };
  } catch (error) {
    await writer?.abort();
    await lookup?.abort();
    throw error;
  }
}

function rowsOf(
  name: Dataset,
  reader: IndexReader,
  filters: ExportFilters,
  summary: CatalogueSummary | undefined,
): Rows {
  switch (name) {
    case "certifications":
      return certificationsRows(reader, filters);
    case "regionales":
      return regionalesRows(reader, filters);
    case "formations":
      return formationsRows(reader, filters);
    case "correspondances":
      return correspondancesRows(reader);
    case "couverture":
      return couvertureRows(summary!);
  }
}

function isLookupDataset(name: Dataset): name is LookupDataset {
  return (LOOKUP_DATASETS as readonly string[]).includes(name);
}

function resolveDatasets(asked: readonly string[], hasCatalogue: boolean): Dataset[] {
  const out = new Set<Dataset>();
  for (const name of asked.length === 0 ? ["all"] : asked) {
    if (name === "all") {
      for (const d of DATASETS) if (d !== "couverture" || hasCatalogue) out.add(d);
    } else if (isDataset(name)) out.add(name);
    else throw usageError(`unknown dataset "${name}"`, { hint: `datasets: ${DATASETS.join(", ")}, or all` });
  }
  if (out.has("couverture") && !hasCatalogue)
    throw usageError("the couverture dataset needs a catalogue", {
      hint: "add --catalogue <file> (the catalogue whose coverage to report)",
    });
  return DATASETS.filter((d) => out.has(d));
}

/** Regions by INSEE code (84, or R84), millésimes in any written form, académies as two digits. */
function normaliseFilters(filters: ExportFilters): ExportFilters {
  const out: ExportFilters = {};
  if (filters.regions) {
    out.regions = filters.regions.map((r) => {
      const region = regionFromInsee(r);
      if (!region)
        throw usageError(`--region ${r}: not an INSEE region code`, {
          hint: `codes: ${REGIONS.map((x) => `${x.insee} (${x.nom})`).join(", ")}`,
        });
      return region.insee;
    });
  }
  if (filters.millesimes) {
    out.millesimes = filters.millesimes.map((m) => {
      if (!isValidMillesime(m)) throw usageError(`--millesime ${m}: expected 2023, 2022_2023 or 2022/2023`);
      return m.trim();
    });
  }
  if (filters.academies) {
    out.academies = filters.academies.map((a) => {
      const v = a.trim();
      if (!/^[0-9A-Za-z]{1,3}$/.test(v))
        throw usageError(`--academie ${a}: expected an académie code (e.g. 10)`);
      return /^\d$/.test(v) ? `0${v}` : v;
    });
  }
  return out;
}

/** The output directory is replaced as a whole: refuse to replace anything that is not an export. */
async function guardOutput(out: string): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(out)).isDirectory())
      throw usageError(`--out ${out} is a file; export writes a directory`, { hint: "name a directory" });
    entries = await readdir(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (entries.length === 0) return;
  const manifest = await readFile(join(out, "manifest.json"), "utf8").catch(() => "");
  if (!isExportManifest(manifest))
    throw usageError(
      `--out ${out} is a directory that is not an inserjeunes export; export replaces its output directory as a whole`,
      { hint: "name a new or empty directory (or a previous export)" },
    );
}

async function coverage(options: ExportOptions, effects: Effects): Promise<CatalogueSummary> {
  const c = options.catalogue!;
  if (c.input === "-")
    throw usageError("--catalogue -: the couverture dataset needs a file (its sha256 goes in the manifest)");
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return processCatalogue(
    {
      mode: "match",
      input: c.input,
      dataDir: options.dataDir,
      stdout: sink,
      ...(c.columns ? { columns: c.columns } : {}),
      ...(c.delimiter ? { delimiter: c.delimiter } : {}),
      ...(c.encoding ? { encoding: c.encoding } : {}),
    },
    effects,
  );
}

async function catalogueInput(input: string): Promise<ExportManifest["catalogue"]> {
  const path = resolve(input);
  return { path, ...(await sha256File(path)) };
}

/**
 * Each source the index was built from: what the index says of it, and where the data dir got it. A
 * source fetched again since build-index no longer describes the index: its fetch details are left out,
 * with a warning.
 */
async function inputSources(dataDir: DataDir, reader: IndexReader, effects: Effects): Promise<InputSource[]> {
  const fetched = await readManifest(dataDir);
  return sourceReports(reader).map((r) => {
    const id = r.source;
    const source = isSourceId(id) ? registry[id] : undefined;
    let entry = isSourceId(id) ? fetched.sources[id] : undefined;
    if (entry && r.sha256 && entry.sha256 !== r.sha256) {
      effects.logger.warn(
        `${id} was fetched again after build-index: run \`inserjeunes build-index\` to export it`,
      );
      entry = undefined;
    }
    return {
      id,
      title: source?.title ?? id,
      licence: source?.licence ?? "",
      homepage: source?.homepage ?? "",
      origin: entry ? (entry.origin.kind === "file" ? entry.origin.path : entry.origin.url) : null,
      sha256: r.sha256,
      vintage: r.vintage,
      bytes: entry?.bytes ?? null,
      retrievedAt: entry?.fetchedAt ?? entry?.importedAt ?? null,
      rows: r.rowsKept,
    };
  });
}

async function writeText(dir: string, path: string, text: string): Promise<WrittenFile> {
  const file = await HashedFile.create(dir, path);
  await file.write(text);
  return file.close(0);
}
