import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import type { DataDir } from "../data-dir.js";
import { usageError } from "../errors.js";
import { swapDirectory } from "../io/publish-dir.js";
import type { SourceId } from "../sources/types.js";
import { combinedSha256, type ManifestFile, type SourceEntry } from "./manifest.js";

/**
 * `fetch --file <id>=<path>`: copy a local file (or a directory of API responses) into
 * sources/<id>/, exactly as is. The new copy is assembled beside the old one and swapped in only when
 * complete, so a failed import leaves the previous copy in place.
 */
export async function importLocalSource(
  dataDir: DataDir,
  id: SourceId,
  path: string,
  now: Date,
): Promise<SourceEntry> {
  const absolute = resolve(path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw usageError(`--file ${id}=${path}: no such file or directory`, {
        hint: "check the path; relative paths start from the current directory",
      });
    throw error;
  }
  const files = info.isDirectory() ? await listFiles(absolute) : [absolute];
  if (files.length === 0) throw usageError(`--file ${id}=${path}: the directory holds no file`);

  await mkdir(dataDir.sources, { recursive: true });
  const target = dataDir.sourceDir(id);
  const staging = join(dataDir.sources, `.${id}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  const copied: ManifestFile[] = [];
  try {
    for (const file of files) {
      const name = info.isDirectory() ? relative(absolute, file).split(sep).join("/") : basenameOf(file);
      copied.push(await copyWithDigest(file, join(staging, ...name.split("/")), name));
    }
    await swapDirectory(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  copied.sort((a, b) => a.name.localeCompare(b.name));
  return {
    origin: { kind: "file", path: absolute },
    files: copied,
    bytes: copied.reduce((sum, f) => sum + f.bytes, 0),
    sha256: combinedSha256(copied, sha256Text),
    importedAt: now.toISOString(),
  };
}

function basenameOf(path: string): string {
  return path.split(sep).pop()!;
}

export function sha256Text(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Every file under `dir`, recursively, sorted; names starting with "." (temporary files) are left out. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/** Bytes and sha256 of a file, streamed. */
export async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest("hex") };
}

async function copyWithDigest(from: string, to: string, name: string): Promise<ManifestFile> {
  await mkdir(dirname(to), { recursive: true });
  const hash = createHash("sha256");
  let bytes = 0;
  const source = createReadStream(from);
  source.on("data", (chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  await pipeline(source, createWriteStream(to));
  return { name, bytes, sha256: hash.digest("hex") };
}

/** The files of a fetched source, as build-index reads them. */
export async function listSourceFiles(
  dataDir: DataDir,
  id: SourceId,
): Promise<{ path: string; relPath: string }[]> {
  const dir = dataDir.sourceDir(id);
  try {
    const files = await listFiles(dir);
    return files.map((path) => ({ path, relPath: relative(dir, path).split(sep).join("/") }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
