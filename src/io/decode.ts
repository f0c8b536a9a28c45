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

/** Incremental decoder; reports invalid UTF-8 with its byte offset instead of inventing characters. */
export class Decoder {
  readonly encoding: Encoding;
  private readonly utf8: InstanceType<typeof TextDecoder> | undefined;
  private offset = 0;
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
      return this.utf8.decode(bytes, { stream: true });
    } catch (cause) {
      throw this.invalid(cause);
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

  private invalid(cause: unknown) {
    return usageError(
      `${this.source}: invalid UTF-8 in the bytes before offset ${this.offset}; the start of the file looked like UTF-8.`,
      {
        hint: "pass --encoding windows-1252 (or latin1) if the file was exported from Excel or a legacy tool",
        cause,
      },
    );
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
