import { join } from "node:path";
import type { DataDir } from "../data-dir.js";
import { hashFile, listSourceFiles } from "./import-local.js";
import type { Manifest } from "./manifest.js";
import type { PlannedSource } from "./plan.js";
import type { FetchOutcome } from "./run.js";

/**
 * `fetch --offline`: nothing is downloaded; each source the run would fetch is checked on disk against
 * manifest.json (every recorded file present, same size, same sha256). A missing or altered copy is a
 * "failed" outcome (exit 3: missing data); sources the run would skip are checked too when a copy of
 * them is recorded (imported with --file), and stay skipped otherwise.
 */
export async function checkOffline(
  dataDir: DataDir,
  manifest: Manifest,
  plan: readonly PlannedSource[],
): Promise<FetchOutcome[]> {
  const outcomes: FetchOutcome[] = [];
  for (const { id, action } of plan) {
    if (action.kind === "import") continue;
    const entry = manifest.sources[id];
    const when = entry ? (entry.fetchedAt ?? entry.importedAt) : undefined;
    const copy = entry
      ? { bytes: entry.bytes, files: entry.files.length, ...(when ? { fetchedAt: when } : {}) }
      : {};
    // A source the run would skip (no public download, no credentials) is still checked when a copy of
    // it is recorded: build-index reads that copy.
    if (action.kind === "skip" && !entry) {
      outcomes.push({ source: id, status: "skipped", reason: action.reason, ...copy });
      continue;
    }
    const problem = entry ? await verify(dataDir, id, entry.files) : "missing: not fetched yet";
    outcomes.push(
      problem
        ? { source: id, status: "failed", reason: `${problem}: run \`inserjeunes fetch ${id}\``, ...copy }
        : { source: id, status: "unchanged", ...copy, entry: entry! },
    );
  }
  return outcomes;
}

async function verify(
  dataDir: DataDir,
  id: PlannedSource["id"],
  files: NonNullable<Manifest["sources"][PlannedSource["id"]]>["files"],
): Promise<string | undefined> {
  const present = new Set((await listSourceFiles(dataDir, id)).map((f) => f.relPath));
  const absent = files.filter((f) => !present.has(f.name));
  if (files.length === 0 || absent.length === files.length) return "missing: no file on disk";
  if (absent.length > 0)
    return `incomplete: ${absent.length} of ${files.length} file(s) missing (${absent[0]!.name}…)`;
  for (const file of files) {
    const actual = await hashFile(join(dataDir.sourceDir(id), ...file.name.split("/")));
    if (actual.sha256 !== file.sha256)
      return `altered: ${file.name} no longer matches its sha256 in manifest.json`;
  }
  return undefined;
}
