import { readFile } from "node:fs/promises";
import type { DataDir } from "../data-dir.js";
import { usageError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic.js";
import type { SourceId } from "../sources/types.js";

/**
 * manifest.json: for each source, where its bytes came from and what they are. Written atomically after
 * every change, so that a run interrupted between two sources leaves a manifest that matches the disk.
 * It never holds a secret: URLs are stored without credentials, headers are never stored. Validators
 * (ETag, Last-Modified) are kept per file, since a source can have several files.
 */
export interface ManifestFile {
  /** Path inside sources/<id>/. */
  name: string;
  bytes: number;
  sha256: string;
  /** Where a downloaded file came from (without credentials), and the validators it was served with. */
  url?: string;
  etag?: string;
  lastModified?: string;
}

export type Origin = { kind: "file"; path: string } | { kind: "url"; url: string };

export interface SourceEntry {
  origin: Origin;
  files: ManifestFile[];
  bytes: number;
  /** sha256 of the file, or of the sorted "sha256  name" lines when the source has several files. */
  sha256: string;
  importedAt?: string;
  /** Last time the copy was downloaded or confirmed current by the server (304, same bytes). */
  fetchedAt?: string;
  /** Vintage detected at build time (header generation, millésimes…), when known. */
  vintage?: string;
}

export interface Manifest {
  version: 1;
  sources: Partial<Record<SourceId, SourceEntry>>;
}

export async function readManifest(dataDir: DataDir): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(dataDir.manifest, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, sources: {} };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Manifest;
    if (parsed.version !== 1 || typeof parsed.sources !== "object") throw new Error("unexpected shape");
    return parsed;
  } catch (cause) {
    throw usageError(`${dataDir.manifest} is not a valid inserjeunes manifest`, {
      hint: "delete it and import the sources again with `inserjeunes fetch`",
      cause,
    });
  }
}

export async function writeManifest(dataDir: DataDir, manifest: Manifest): Promise<void> {
  const sorted: Manifest = {
    version: 1,
    sources: Object.fromEntries(Object.entries(manifest.sources).sort(([a], [b]) => a.localeCompare(b))),
  };
  await writeFileAtomic(dataDir.manifest, `${JSON.stringify(sorted, null, 2)}\n`);
}

/** One digest for a set of files, independent of listing order. */
export function combinedSha256(files: readonly ManifestFile[], hash: (text: string) => string): string {
  if (files.length === 1) return files[0]!.sha256;
  const lines = [...files]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((f) => `${f.sha256}  ${f.name}\n`)
    .join("");
  return hash(lines);
}
