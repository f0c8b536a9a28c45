/**
 * Output encodings of match and enrich. UTF-8 writes every character; windows-1252 writes the ones it has
 * and nothing else: a character it cannot represent is reported, never replaced by `?` or dropped.
 *
 * The table is the WHATWG one (what browsers, Excel and Node's TextDecoder read as windows-1252): bytes
 * 0x00–0x7F and 0xA0–0xFF are the same code points as Latin-1; 0x80–0x9F hold the 27 characters below,
 * and the five bytes without a character (0x81, 0x8D, 0x8F, 0x90, 0x9D) stand for the C1 controls of the
 * same number.
 */
export type OutputEncoding = "utf-8" | "windows-1252";

export const OUTPUT_ENCODINGS: readonly OutputEncoding[] = ["utf-8", "windows-1252"];

/** Code points of bytes 0x80–0x9F (the decoder reads them through the same table, decode.ts). */
export const WINDOWS_1252_HIGH =
  "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
  "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

const FROM_HIGH = new Map<number, number>([...WINDOWS_1252_HIGH].map((c, i) => [c.charCodeAt(0), 0x80 + i]));

/** A character outside the ranges windows-1252 shares with Latin-1 (0x00–0x7F, 0xA0–0xFF). */
// eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose
const NOT_LATIN = /[^\x00-\x7F\xA0-\xFF]/;

/** The byte of one code point in windows-1252, or -1. */
export function windows1252Byte(code: number): number {
  if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
  return FROM_HIGH.get(code) ?? -1;
}

/** Index of the first character windows-1252 cannot represent, or -1. */
export function firstUnencodable(text: string): number {
  if (!NOT_LATIN.test(text)) return -1;
  for (let i = 0; i < text.length; i++) if (windows1252Byte(text.charCodeAt(i)) < 0) return i;
  return -1;
}

/** A character that the output encoding cannot write; the writer turns it into a located error. */
export class UnencodableError extends Error {
  constructor(readonly character: string) {
    super(`${describeCharacter(character)} cannot be written in windows-1252`);
    this.name = "UnencodableError";
  }
}

/** `"₂" (U+2082)`; a surrogate pair counts as its one character. */
export function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return `"${character}" (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
}

/** The character at `index`, whole when it is the first half of a surrogate pair. */
export function characterAt(text: string, index: number): string {
  return String.fromCodePoint(text.codePointAt(index) ?? 0xfffd);
}

/**
 * Write `text` in windows-1252 into `buffer` at `offset` (which has room for text.length bytes) and return
 * the bytes written. Throws UnencodableError before writing anything when a character has no byte.
 */
export function writeWindows1252(text: string, buffer: Buffer, offset: number): number {
  if (!NOT_LATIN.test(text)) return buffer.write(text, offset, "latin1");
  const bad = firstUnencodable(text);
  if (bad >= 0) throw new UnencodableError(characterAt(text, bad));
  for (let i = 0; i < text.length; i++) buffer[offset + i] = windows1252Byte(text.charCodeAt(i));
  return text.length;
}
