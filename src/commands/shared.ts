import { readFileSync } from "node:fs";
import { type DataDir, resolveDataDir } from "../data-dir.js";
import { defaultEffects, type Effects } from "../effects.js";
import { usageError } from "../errors.js";
import type { NiveauOption } from "../indicators/select.js";
import { isValidMillesime } from "../indicators/select.js";
import { delimiterFromOption } from "../io/csv.js";
import type { EncodingOption } from "../io/decode.js";
import type { OutputEncoding } from "../io/encode.js";

/** Options every command accepts (defined once on the program, see cli.ts). */
export interface GlobalOptions {
  dataDir?: string;
  quiet?: boolean;
  verbose?: boolean;
  debug?: boolean;
  json?: boolean;
  color?: boolean;
}

export interface CommandContext {
  globals: GlobalOptions;
  dataDir: DataDir;
  effects: Effects;
  /** Data output (stdout unless --out). */
  stdout: NodeJS.WritableStream;
}

export function commandContext(globals: GlobalOptions): CommandContext {
  const effects = defaultEffects({
    quiet: globals.quiet ?? false,
    verbose: (globals.verbose ?? false) || (globals.debug ?? false),
    ...(globals.color === false ? { color: false } : {}),
  });
  return { globals, dataDir: resolveDataDir(globals.dataDir, effects.env), effects, stdout: process.stdout };
}

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

export function parseNiveau(value: string | undefined): NiveauOption | undefined {
  if (value === undefined) return undefined;
  if (["auto", "etablissement", "regional", "national"].includes(value)) return value as NiveauOption;
  throw usageError(`--niveau ${value}: expected etablissement, regional, national or auto`);
}

export function parseMillesime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isValidMillesime(value))
    throw usageError(`--millesime ${value}: expected a year (2023) or two consecutive years (2022_2023)`);
  return value;
}

export function parseEncoding(value: string | undefined): EncodingOption | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === "auto") return "auto";
  if (v === "utf-8" || v === "utf8") return "utf-8";
  if (v === "windows-1252" || v === "cp1252" || v === "win1252") return "windows-1252";
  if (v === "latin1" || v === "iso-8859-1") return "latin1";
  throw usageError(`--encoding ${value}: expected auto, utf-8, windows-1252 or latin1`);
}

/** --output-encoding of match and enrich: UTF-8 (default) or windows-1252, with the aliases of --encoding. */
export function parseOutputEncoding(value: string | undefined): OutputEncoding | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === "utf-8" || v === "utf8") return "utf-8";
  if (v === "windows-1252" || v === "cp1252" || v === "win1252") return "windows-1252";
  throw usageError(`--output-encoding ${value}: expected utf-8 or windows-1252`, {
    hint: "latin1 is not offered: windows-1252 is the same for every printable Latin-1 character, and has œ, € and ’ too",
  });
}

export function parseDelimiter(value: string | undefined): string | undefined {
  return delimiterFromOption(value);
}

export function parseCount(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usageError(`${flag} ${value}: expected a whole number`);
  return Number.parseInt(value, 10);
}

/** Thousands separators for the human summaries. */
export function n(value: number): string {
  return value.toLocaleString("en-US");
}
