import { CSV_DIALECT, type ExportFormat, type WrittenFile } from "./export-files.js";
import type { DatasetSpec } from "./export-spec.js";

/**
 * The descriptions written beside the datasets: `datapackage.json` (Frictionless Data Package: what a
 * partner validates with `frictionless validate`; no time in it, so the same index gives the same bytes)
 * and `manifest.json` (provenance of the run: tool version, time, inputs, outputs).
 */
export interface InputSource {
  id: string;
  title: string;
  licence: string;
  homepage: string;
  /** URL it was downloaded from, or the local path it was imported from. */
  origin: string | null;
  sha256: string | null;
  vintage: string | null;
  bytes: number | null;
  retrievedAt: string | null;
  /** Rows the index kept from it. */
  rows: number;
}

export interface DatasetFile extends WrittenFile {
  name: string;
  format: ExportFormat;
}

const MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv",
  json: "application/json",
  ndjson: "application/x-ndjson",
};

export function datapackage(options: {
  version: string;
  sources: readonly InputSource[];
  datasets: readonly { spec: DatasetSpec; file: DatasetFile }[];
  lookups: readonly WrittenFile[];
}): string {
  const resources: object[] = options.datasets.map(({ spec, file }) => ({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    profile: "tabular-data-resource",
    path: file.path,
    format: file.format,
    mediatype: MEDIA_TYPES[file.format],
    encoding: "utf-8",
    bytes: file.bytes,
    hash: `sha256:${file.sha256}`,
    ...(file.format === "csv" ? { dialect: CSV_DIALECT } : {}),
    schema: {
      fields: spec.fields.map((f) => ({
        name: f.name,
        type: f.type,
        description: f.description,
        ...(f.enum || f.pattern
          ? {
              constraints: {
                ...(f.enum ? { enum: f.enum } : {}),
                ...(f.pattern ? { pattern: f.pattern } : {}),
              },
            }
          : {}),
      })),
      primaryKey: spec.primaryKey,
      missingValues: ["", "null"],
    },
  }));
  for (const file of options.lookups) {
    const sqlite = file.path.endsWith(".sqlite");
    resources.push({
      name: `lookup-${file.path.replace(/^lookup\//, "").replace(/\.[a-z]+$/, "")}${sqlite ? "-sqlite" : ""}`,
      description: sqlite
        ? "the keyed lookups as SQLite tables (key TEXT PRIMARY KEY, value TEXT), read-only"
        : "one JSON object per key: {key, rows}",
      profile: "data-resource",
      path: file.path,
      format: sqlite ? "sqlite" : "ndjson",
      mediatype: sqlite ? "application/vnd.sqlite3" : MEDIA_TYPES.ndjson,
      ...(sqlite ? {} : { encoding: "utf-8" }),
      bytes: file.bytes,
      hash: `sha256:${file.sha256}`,
    });
  }
  const pkg = {
    profile: options.lookups.length > 0 ? "data-package" : "tabular-data-package",
    name: "inserjeunes",
    title: "InserJeunes — insertion of young people after a vocational training",
    description:
      "InserJeunes indicators (employment at 6/12/18/24 months, further study, salaries, counts) by " +
      "certification, region and school, with the links between training identifiers, exported by " +
      "the inserjeunes toolkit from the public sources listed here.",
    version: options.version,
    licenses: licences(options.sources),
    sources: options.sources.map((s) => ({ title: s.title, path: s.homepage })),
    resources,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function licences(sources: readonly InputSource[]): object[] {
  const out = new Map<string, object>();
  for (const s of sources) {
    if (/^licence ouverte/i.test(s.licence))
      out.set("etalab-2.0", {
        name: "etalab-2.0",
        title: "Licence Ouverte / Open Licence version 2.0",
        path: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
      });
    else if (!out.has(s.licence)) out.set(s.licence, { title: s.licence, path: s.homepage });
  }
  return [...out.values()];
}

export interface ExportManifest {
  tool: { name: "inserjeunes"; version: string };
  createdAt: string;
  index: { builtAt: string | null; toolVersion: string | null; schemaVersion: string | null };
  options: {
    datasets: readonly string[];
    format: ExportFormat;
    filters: { millesimes: readonly string[]; regions: readonly string[]; academies: readonly string[] };
    lookup: boolean;
  };
  catalogue: { path: string; bytes: number; sha256: string } | null;
  sources: readonly InputSource[];
  datasets: readonly {
    name: string;
    path: string;
    format: ExportFormat;
    rows: number;
    bytes: number;
    sha256: string;
  }[];
  lookups: readonly WrittenFile[];
}

export function manifestText(manifest: ExportManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Whether a directory's manifest.json says it is an inserjeunes export (and so may be replaced). */
export function isExportManifest(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as Partial<ExportManifest>;
    return parsed.tool?.name === "inserjeunes" && Array.isArray(parsed.datasets);
  } catch {
    return false;
  }
}
