import { join, resolve } from "node:path";
import type { SourceId } from "./sources/types.js";

/** The layout of a data directory (DESIGN.md): manifest, one folder per source, the index. */
export interface DataDir {
  root: string;
  manifest: string;
  sources: string;
  index: string;
  sourceDir(id: SourceId): string;
}

export const DEFAULT_DATA_DIR = "./inserjeunes-data";

export function resolveDataDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): DataDir {
  const root = resolve(option ?? env["INSERJEUNES_DATA_DIR"] ?? DEFAULT_DATA_DIR);
  return {
    root,
    manifest: join(root, "manifest.json"),
    sources: join(root, "sources"),
    index: join(root, "index.sqlite"),
    sourceDir: (id) => join(root, "sources", id),
  };
}
