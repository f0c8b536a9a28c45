import type { DataDir } from "../data-dir.js";
import type { Effects } from "../effects.js";
import { usageError } from "../errors.js";
import { isSourceId, SOURCE_IDS, type SourceId } from "../sources/types.js";
import { importLocalSource } from "./import-local.js";
import { readManifest, type SourceEntry, writeManifest } from "./manifest.js";

export interface FetchOptions {
  dataDir: DataDir;
  /** `--file <id>=<path>`, repeatable. */
  files: readonly string[];
  /** Source ids named on the command line. */
  ids: readonly string[];
}

export type FetchStatus = "fresh" | "updated" | "unchanged" | "skipped" | "failed";

export interface FetchOutcome {
  source: SourceId;
  status: FetchStatus;
  bytes?: number;
  reason?: string;
  entry?: SourceEntry;
}

export interface FetchSummary {
  outcomes: FetchOutcome[];
}

/** Parse `<source-id>=<value>` pairs (for --file and --url), rejecting unknown ids with the list. */
export function parseSourcePairs(values: readonly string[], flag: string): { id: SourceId; value: string }[] {
  return values.map((pair) => {
    const eq = pair.indexOf("=");
    const id = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? "" : pair.slice(eq + 1);
    if (!isSourceId(id))
      throw usageError(`${flag} ${pair}: unknown source id "${id}"`, {
        hint: `valid ids: ${SOURCE_IDS.join(", ")}`,
      });
    if (value === "")
      throw usageError(`${flag} ${pair}: expected ${flag} ${id}=<${flag === "--url" ? "url" : "path"}>`);
    return { id, value };
  });
}

export async function runFetch(options: FetchOptions, effects: Effects): Promise<FetchSummary> {
  const files = parseSourcePairs(options.files, "--file");
  for (const id of options.ids)
    if (!isSourceId(id))
      throw usageError(`unknown source id "${id}"`, { hint: `valid ids: ${SOURCE_IDS.join(", ")}` });
  if (files.length === 0)
    throw usageError("this version imports local files only", {
      hint: "pass --file <source-id>=<path> for each source (downloading from the producers comes next)",
    });

  const manifest = await readManifest(options.dataDir);
  const outcomes: FetchOutcome[] = [];
  for (const { id, value } of files) {
    const previous = manifest.sources[id];
    const entry = await importLocalSource(options.dataDir, id, value, effects.now());
    manifest.sources[id] = entry;
    await writeManifest(options.dataDir, manifest);
    const status: FetchStatus = !previous
      ? "fresh"
      : previous.sha256 === entry.sha256
        ? "unchanged"
        : "updated";
    effects.logger.info(
      `${id}: ${status}, ${entry.files.length} file(s), ${entry.bytes} bytes, sha256 ${entry.sha256.slice(0, 12)}…`,
    );
    outcomes.push({ source: id, status, bytes: entry.bytes, entry });
  }
  return { outcomes };
}
