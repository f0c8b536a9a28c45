import { TextDecoder } from "node:util";
import { usageError } from "../errors.js";
import { WINDOWS_1252_HIGH } from "./encode.js";

/**
 * Encodings the producers actually use: UTF-8 (with or without BOM) and Windows-1252 (BCN, ACCE and
 * Certif Info exports). latin1 only when a user asks for it: cp1252 is its superset for printable text.
 */
export type Encoding = "utf-8" | "windows-1252" | "latin1";
export type EncodingOption = Encoding | "auto";

export interface DetectedEncoding {
  encoding: Encoding;
  bom: boolean;
}

const BOM = [0xef, 0xbb, 0xbf];

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

/**
 * BOM → UTF-8; else strict UTF-8 over the sample; else Windows-1252. When the sample is not the whole
 * input, an incomplete multi-byte sequence at its very end is not held against UTF-8.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): DetectedEncoding {
  if (hasUtf8Bom(sample)) return { encoding: "utf-8", bom: true };
  const end = complete ? sample.length : utf8SafeEnd(sample);
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, end));
    return { encoding: "utf-8", bom: false };
  } catch {
    return { encoding: "windows-1252", bom: false };
  }
}

/** Index where a possibly cut UTF-8 sequence starts at the end of `bytes` (or bytes.length). */
function utf8SafeEnd(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    if (b >= 0xc0) return i; // lead byte of a sequence that may be incomplete
    return bytes.length;
  }
  return bytes.length;
}

/**
 * The first byte of `bytes` that starts no valid UTF-8 sequence (a lead byte without its continuation
 * bytes, a stray continuation byte, a byte UTF-8 never uses), or -1: where an error is to be shown.
 * A sequence cut by the end of `bytes` is not counted (the next chunk may complete it).
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const follow = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (follow < 0) return i;
    for (let k = 1; k <= follow; k++) {
      if (i + k >= bytes.length) return -1;
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += follow + 1;
  }
  return -1;
}

/** Incremental decoder; reports invalid UTF-8 with its line and the text before it, never inventing characters. */
export class Decoder {
  readonly encoding: Encoding;
  private readonly utf8: InstanceType<typeof TextDecoder> | undefined;
  private offset = 0;
  /** Line feeds in the UTF-8 bytes decoded so far (to say on which line a bad byte is). */
  private lineFeeds = 0;
  private skipBom: boolean;

  constructor(
    encoding: Encoding,
    private readonly source: string,
  ) {
    this.encoding = encoding;
    this.skipBom = encoding === "utf-8";
    if (encoding === "utf-8") this.utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  }

  write(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.skipBom && bytes.length > 0) {
      if (this.offset === 0 && hasUtf8Bom(bytes)) bytes = bytes.subarray(3);
      this.skipBom = false;
    }
    this.offset += chunk.length;
    if (!this.utf8) {
      // One byte, one character: nothing is carried over from a chunk to the next.
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
      return this.encoding === "windows-1252" ? text.replace(HIGH_RANGE, windows1252High) : text;
    }
    try {
      const text = this.utf8.decode(bytes, { stream: true });
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) this.lineFeeds++;
      return text;
    } catch (cause) {
      throw this.invalid(cause, bytes);
    }
  }

  end(): string {
    if (!this.utf8) return "";
    try {
      return this.utf8.decode();
    } catch (cause) {
      throw this.invalid(cause);
    }
  }

  private invalid(cause: unknown, bytes?: Uint8Array) {
    const at = bytes ? firstInvalidUtf8(bytes) : -1;
    let where = `in the bytes before offset ${this.offset}`;
    if (bytes && at >= 0) {
      let line = this.lineFeeds + 1;
      let start = 0;
      for (let i = bytes.indexOf(10); i >= 0 && i < at; i = bytes.indexOf(10, i + 1)) {
        line++;
        start = i + 1;
      }
      const before = Buffer.from(bytes.subarray(Math.max(start, at - 40), at)).toString("utf8");
      const byte = bytes[at]!.toString(16).toUpperCase().padStart(2, "0");
      where = `at line ${line}: byte 0x${byte} after "${before}"`;
    }
    return usageError(`${this.source}: invalid UTF-8 ${where}; the start of the file looked like UTF-8.`, {
      hint: "pass --encoding windows-1252 (or latin1) if the file was exported from Excel or a legacy tool",
      cause,
    });
  }
}

/**
 * Windows-1252 is Latin-1 but for bytes 0x80–0x9F, read through the encoder's table (encode.ts, the
 * WHATWG one): so a file is read and written back byte for byte, and the five bytes without a character
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as the C1 control of the same number (iconv-lite gave U+FFFD,
 * losing them without a word).
 */
const HIGH_RANGE = /[\x80-\x9F]/g;
const windows1252High = (c: string) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!;

/** Decode a whole buffer with detection. */
export function decodeBuffer(
  bytes: Uint8Array,
  source: string,
  option: EncodingOption = "auto",
): { text: string } & DetectedEncoding {
  const detected =
    option === "auto" ? detectEncoding(bytes, true) : { encoding: option, bom: hasUtf8Bom(bytes) };
  const decoder = new Decoder(detected.encoding, source);
  return { ...detected, text: decoder.write(bytes) + decoder.end() };
}
