import { formatLocation, usageError } from "../errors.js";

/**
 * Streaming JSON catalogues: a top-level array of objects, an object wrapping one (`{"formations":[…],
 * "pagination":…}` as the catalogue de l'apprentissage API answers), or NDJSON (one object per line).
 * The text is scanned character by character and cut into one element at a time, each parsed with
 * JSON.parse: memory holds one element, never the whole file.
 */
export type JsonLayout = "array" | "wrapped" | "ndjson";

export interface JsonElement {
  text: string;
  /** Line where the element starts. */
  line: number;
}

const MAX_ELEMENT_CHARS = 64 * 1024 * 1024;

/** Cuts the elements of the records array out of JSON text pushed in chunks. */
export class JsonArrayScanner {
  private line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth at which elements of the records array live (1 for a top-level array, 2 when wrapped). */
  private recordsDepth: number | undefined;
  private done = false;
  private previous = "";
  private pending: string | undefined;
  private pendingLine = 0;
  private started = false;
  private emitted = false;

  constructor(
    private readonly layout: "array" | "wrapped",
    private readonly source: string,
  ) {}

  push(text: string, out: JsonElement[]): void {
    let segment = this.pending === undefined ? -1 : 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (!this.started) {
        this.started = true;
        if (this.layout === "array" && c !== 91) this.fail("expected a JSON array ([…])", text, i);
        if (this.layout === "wrapped" && c !== 123) this.fail("expected a JSON object ({…})", text, i);
      }
      const inRecords = !this.done && this.recordsDepth !== undefined && this.depth === this.recordsDepth;
      if (inRecords && this.pending === undefined && c !== 44 && c !== 93) {
        if (this.layout === "wrapped" && !this.emitted && c !== 123) {
          // Not a list of objects (say "tags": ["a"]): keep looking for the records array.
          this.recordsDepth = undefined;
        } else {
          segment = i;
          this.pending = "";
          this.pendingLine = this.line;
        }
      }
      if (inRecords && (c === 44 || c === 93) && this.pending !== undefined) {
        const body = this.pending + text.slice(segment, i);
        out.push({ text: body, line: this.pendingLine });
        this.emitted = true;
        this.pending = undefined;
        segment = -1;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) {
        if (
          c === 91 &&
          this.recordsDepth === undefined &&
          ((this.layout === "array" && this.depth === 0) ||
            (this.layout === "wrapped" && this.depth === 1 && this.previous === ":"))
        )
          this.recordsDepth = this.depth + 1;
        this.depth++;
      } else if (c === 125 || c === 93) {
        this.depth--;
        if (!this.done && this.recordsDepth !== undefined && this.depth === this.recordsDepth - 1)
          this.done = true;
        if (this.depth < 0) this.fail(`unbalanced "${String.fromCharCode(c)}"`, text, i);
      }
      this.previous = String.fromCharCode(c);
    }
    if (this.pending !== undefined) {
      this.pending += text.slice(segment === -1 ? 0 : segment);
      if (this.pending.length > MAX_ELEMENT_CHARS)
        this.fail("one element is larger than 64 MB: the file is probably not valid JSON", this.pending, 0);
    }
  }

  finish(): void {
    if (!this.started) return;
    if (this.inString || this.depth !== 0 || this.pending !== undefined)
      throw usageError(
        `${this.source}: the JSON ends in the middle of a value (line ${this.line}): the file is truncated or malformed`,
        { hint: "check that the file was downloaded completely and is valid JSON" },
      );
  }

  /** Whether the records array was found (a wrapped object may have none). */
  foundRecords(): boolean {
    return this.recordsDepth !== undefined;
  }

  private fail(what: string, text: string, at: number): never {
    const lineText = text.slice(Math.max(0, at - 60), at + 140).replace(/\s+/g, " ");
    throw usageError(
      `${formatLocation({ file: this.source, line: this.line, text: lineText })}\nmalformed JSON: ${what}`,
      {
        hint: "a catalogue in JSON is an array of objects, an object holding one, or one object per line (NDJSON)",
      },
    );
  }
}

/** One parsed element as a catalogue record (fields are filled by the caller from the columns). */
export interface ParsedElement {
  line: number;
  object?: Record<string, unknown>;
  problem?: string;
  raw?: string;
}

export function parseElement(element: JsonElement): ParsedElement {
  let value: unknown;
  try {
    value = JSON.parse(element.text);
  } catch (error) {
    return {
      line: element.line,
      raw: element.text,
      problem: `not valid JSON (${(error as Error).message})`,
    };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return { line: element.line, raw: element.text, problem: "not a JSON object" };
  return { line: element.line, object: value as Record<string, unknown> };
}

/** NDJSON: one element per non-blank line. */
export class NdjsonSplitter {
  private rest = "";
  private line = 1;

  push(text: string, out: JsonElement[]): void {
    const buf = this.rest + text;
    let start = 0;
    for (;;) {
      const lf = buf.indexOf("\n", start);
      if (lf === -1) break;
      this.emit(buf.slice(start, lf), out);
      start = lf + 1;
    }
    this.rest = buf.slice(start);
    if (this.rest.length > MAX_ELEMENT_CHARS)
      throw usageError(`NDJSON line ${this.line} is longer than 64 MB`, {
        hint: "NDJSON has one object per line; a pretty-printed JSON file starts with [ or {",
      });
  }

  finish(out: JsonElement[]): void {
    if (this.rest !== "") this.emit(this.rest, out);
    this.rest = "";
  }

  private emit(lineText: string, out: JsonElement[]): void {
    const text = lineText.endsWith("\r") ? lineText.slice(0, -1) : lineText;
    if (text.trim() !== "") out.push({ text, line: this.line });
    this.line++;
  }
}

/** The text of a JSON value in a cell: lists joined with "|", objects as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value))
    return value
      .map((e) => (e !== null && typeof e === "object" ? JSON.stringify(e) : cellText(e)))
      .join("|");
  return JSON.stringify(value);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** A column of a JSON catalogue: a top-level key, or `key.sub` inside an object or a list of objects. */
export interface JsonColumn {
  name: string;
  key: string;
  sub?: string;
}

export function columnText(object: Record<string, unknown>, column: JsonColumn): string {
  const value = object[column.key];
  if (column.sub === undefined) return cellText(value);
  const sub = column.sub;
  if (Array.isArray(value))
    return value
      .map((e) => (isObject(e) ? cellText(e[sub]) : ""))
      .filter((s) => s !== "")
      .join("|");
  return isObject(value) ? cellText(value[sub]) : "";
}

/**
 * Columns seen in the first records: top-level keys in order of appearance (written back in CSV), then
 * one level of nested keys (`bcn_mefs_10.mef10`), readable by the column mapping only.
 */
export function discoverColumns(objects: readonly Record<string, unknown>[]): {
  header: JsonColumn[];
  nested: JsonColumn[];
} {
  const keys = new Map<string, JsonColumn>();
  const nested = new Map<string, JsonColumn>();
  for (const object of objects) {
    for (const [key, value] of Object.entries(object)) {
      if (!keys.has(key)) keys.set(key, { name: key, key });
      const inner = Array.isArray(value) ? value.filter(isObject) : isObject(value) ? [value] : [];
      for (const o of inner)
        for (const [sub, v] of Object.entries(o)) {
          if (isObject(v)) continue;
          const name = `${key}.${sub}`;
          if (!nested.has(name)) nested.set(name, { name, key, sub });
        }
    }
  }
  return { header: [...keys.values()], nested: [...nested.values()] };
}
