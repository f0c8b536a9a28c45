import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { DataDir } from "../data-dir.js";
import { formatLocation, usageError } from "../errors.js";
import { IndexReader } from "../index-db/reader.js";
import { parseUai } from "../match/identifiers.js";
import { getSource } from "../sources/index.js";
import { ParseContext, type SourceId } from "../sources/types.js";
import { listSourceFiles } from "./import-local.js";

/**
 * The schools to ask the DEPP API about, one request per UAI and millésime. From --uai-file, else from
 * the annuaire / ACCE copies (parsed by their own source modules), else from the index. Only the natures
 * of school InserJeunes covers are kept (lycées, LP, CFA…: trajectoires-pro services/acce.js), so that
 * thousands of primary schools are not queried for nothing.
 */
export const INSERJEUNES_NATURES: ReadonlySet<string> = new Set(
  (
    "240 241 242 261 300 301 302 306 307 310 315 320 332 334 370 380 400 430 440 445 450 480 506 523 528 540 " +
    "551 580 600 605 610 625 630 700 710 720 730 740 830"
  ).split(" "),
);

export interface UaiList {
  uais: string[];
  /** Where the list comes from, for the progress line. */
  from: string;
}

/** `--uai-file`: one UAI per line (extra fields after `;`, `,` or a tab ignored; `#` comments; a header). */
export async function readUaiFile(path: string): Promise<UaiList> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw usageError(`--uai-file ${path}: no such file`, {
        hint: "give a text file with one UAI per line",
      });
    throw error;
  }
  const uais = new Set<string>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const value = (line.split(/[;,\t]/)[0] ?? "").trim().replace(/^"|"$/g, "");
    if (value === "" || value.startsWith("#")) continue;
    if (i === 0 && /^[a-z_ ]+$/i.test(value)) continue; // a header such as "uai"
    const parsed = parseUai(value);
    if (!parsed.ok)
      throw usageError(`${formatLocation({ file: path, line: i + 1, value })}: ${parsed.reason}`, {
        hint: "fix or remove the line; the file holds one UAI (7 digits and a letter) per line",
      });
    uais.add(parsed.value);
  }
  if (uais.size === 0) throw usageError(`--uai-file ${path}: no UAI in the file`);
  return { uais: [...uais].sort(), from: path };
}

/** UAIs of the fetched annuaire / ACCE, else of the index; undefined when neither knows any school. */
export async function uaisFromData(dataDir: DataDir): Promise<UaiList | undefined> {
  for (const id of ["annuaire-education", "acce"] as const) {
    const list = await uaisFromSource(dataDir, id);
    if (list) return list;
  }
  return uaisFromIndex(dataDir);
}

async function uaisFromSource(dataDir: DataDir, id: SourceId): Promise<UaiList | undefined> {
  const files = await listSourceFiles(dataDir, id);
  if (files.length === 0) return undefined;
  const uais = new Set<string>();
  for await (const record of getSource(id).parse(files, new ParseContext(id)))
    if (record.kind === "etablissement" && keep(record.uai, record.nature)) uais.add(record.uai);
  return uais.size > 0 ? { uais: [...uais].sort(), from: `sources/${id}` } : undefined;
}

function uaisFromIndex(dataDir: DataDir): UaiList | undefined {
  if (!existsSync(dataDir.index)) return undefined;
  let reader: IndexReader;
  try {
    reader = new IndexReader(dataDir.index);
  } catch {
    return undefined; // an index of another version: build-index will say so
  }
  try {
    const rows = reader.db.prepare("SELECT uai, nature FROM etablissement ORDER BY uai").all() as {
      uai: string;
      nature: string | null;
    }[];
    const uais = rows.filter((r) => keep(r.uai, r.nature)).map((r) => r.uai);
    return uais.length > 0 ? { uais, from: "the index (etablissement)" } : undefined;
  } finally {
    reader.close();
  }
}

function keep(uai: string, nature: string | null): boolean {
  return parseUai(uai).ok && (nature === null || INSERJEUNES_NATURES.has(nature));
}
