import { missingDataError, usageError } from "../errors.js";
import { getSource } from "../sources/index.js";
import { isSourceId, SOURCE_IDS, type SourceId } from "../sources/types.js";
import { filesToFetch } from "./http-files.js";
import { sanitizeUrl } from "./secrets.js";

/**
 * What a fetch run does with each source: import a local file, download, or skip (and why). Decided
 * before anything is written, so that a usage error (unknown id, bad --url) or a source asked for
 * without its credentials stops the run at once (exit 2 / 3).
 */
export type Action =
  | { kind: "import"; path: string }
  | { kind: "download"; overrides: string[] }
  | { kind: "skip"; reason: string };

export interface PlannedSource {
  id: SourceId;
  action: Action;
}

export interface PlanOptions {
  ids: readonly string[];
  /** `--file <id>=<path>`. */
  files: readonly string[];
  /** `--url <id>=<url>`. */
  urls: readonly string[];
  /** Every source, even when --file is given. */
  all: boolean;
  /** --offline: a source named explicitly is checked even without its credentials. */
  offline: boolean;
}

/** Parse `<source-id>=<value>` pairs (for --file and --url), rejecting unknown ids with the list. */
export function parseSourcePairs(values: readonly string[], flag: string): { id: SourceId; value: string }[] {
  return values.map((pair) => {
    const eq = pair.indexOf("=");
    const id = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? "" : pair.slice(eq + 1);
    if (!isSourceId(id))
      throw usageError(`${flag} ${flag === "--url" ? sanitizeUrl(pair) : pair}: unknown source id "${id}"`, {
        hint: `valid ids: ${SOURCE_IDS.join(", ")}`,
      });
    if (value === "")
      throw usageError(`${flag} ${pair}: expected ${flag} ${id}=<${flag === "--url" ? "url" : "path"}>`);
    return { id, value };
  });
}

/** INSERJEUNES_URL_<SOURCE_ID> (upper case, `-` → `_`); several URLs separated by spaces. */
export function envUrlName(id: SourceId): string {
  return `INSERJEUNES_URL_${id.toUpperCase().replace(/-/g, "_")}`;
}

export function missingCredentials(id: SourceId, env: NodeJS.ProcessEnv): string[] {
  return (getSource(id).credentials ?? []).filter((name) => !env[name]);
}

export function planFetch(options: PlanOptions, env: NodeJS.ProcessEnv): PlannedSource[] {
  for (const id of options.ids)
    if (!isSourceId(id))
      throw usageError(`unknown source id "${id}"`, { hint: `valid ids: ${SOURCE_IDS.join(", ")}` });
  const files = new Map(parseSourcePairs(options.files, "--file").map((p) => [p.id, p.value]));
  const overrides = new Map<SourceId, string[]>();
  for (const id of SOURCE_IDS) {
    const fromEnv = env[envUrlName(id)]?.trim();
    if (!fromEnv) continue;
    const urls = fromEnv.split(/\s+/);
    for (const url of urls) checkUrl(url, `${envUrlName(id)}=${sanitizeUrl(url)}`, id);
    overrides.set(id, urls);
  }
  const fromFlags = new Map<SourceId, string[]>();
  for (const { id, value } of parseSourcePairs(options.urls, "--url")) {
    checkUrl(value, `--url ${id}=${sanitizeUrl(value)}`, id);
    fromFlags.set(id, [...(fromFlags.get(id) ?? []), value]);
  }
  for (const [id, urls] of fromFlags) overrides.set(id, urls); // --url wins over the environment

  const explicit = new Set(options.ids as SourceId[]);
  const wanted = new Set<SourceId>(
    !options.all && (explicit.size > 0 || files.size > 0) ? [...explicit, ...files.keys()] : SOURCE_IDS,
  );

  const problems: string[] = [];
  const plan: PlannedSource[] = [];
  for (const id of SOURCE_IDS) {
    if (!wanted.has(id)) continue;
    const file = files.get(id);
    if (file !== undefined) {
      plan.push({ id, action: { kind: "import", path: file } });
      continue;
    }
    const source = getSource(id);
    const urls = overrides.get(id) ?? [];
    // --offline only checks what is on disk: a source named explicitly is checked whatever it needs.
    const checkAnyway = options.offline && explicit.has(id);
    if (source.access.kind === "local-only" && urls.length === 0 && !checkAnyway) {
      const reason = `no public download: ${source.access.description}`;
      if (explicit.has(id)) problems.push(`${id}: ${reason}`);
      plan.push({ id, action: { kind: "skip", reason } });
      continue;
    }
    const missing = missingCredentials(id, env);
    if (missing.length > 0 && !checkAnyway) {
      const reason = `set ${missing.join(" and ")} to fetch it`;
      if (explicit.has(id)) problems.push(`${id} needs credentials: ${reason}`);
      plan.push({ id, action: { kind: "skip", reason } });
      continue;
    }
    if (source.access.kind === "http" || (source.access.kind === "local-only" && urls.length > 0))
      filesToFetch(source.access.kind === "http" ? source.access.files : [], urls, id); // names checked now
    plan.push({ id, action: { kind: "download", overrides: urls } });
  }
  if (problems.length > 0) {
    const needsCredentials = problems.some((p) => p.includes("needs credentials"));
    throw missingDataError(problems.join("\n"), {
      hint: needsCredentials
        ? "set the variables in the environment (never on the command line), or import a copy with --file <source-id>=<path>"
        : "import the file you exported with --file <source-id>=<path>",
    });
  }
  return plan;
}

function checkUrl(value: string, label: string, id: SourceId): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`${label}: not a URL`, { hint: "give an absolute http(s) URL" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw usageError(`${label}: only http and https URLs are fetched`, {
      hint: `for a local file, use --file ${id}=<path>`,
    });
}
