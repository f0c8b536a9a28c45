import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { usageError } from "../errors.js";

/**
 * The bytes of an input file (or stdin with "-"), with its first bytes read ahead so that the format,
 * encoding and dialect can be decided before anything is parsed. Nothing else is held: the rest is
 * pulled chunk by chunk.
 */
export interface ByteInput {
  /** Name used in messages: the path, or "<stdin>". */
  source: string;
  /** The first bytes (at least `sniffBytes` unless the input is shorter). */
  head: Buffer;
  /** True when `head` is the whole input. */
  ended: boolean;
  /** File size, when known (not for stdin). */
  totalBytes: number | undefined;
  /** The chunks after `head`. */
  rest: AsyncIterator<Buffer>;
  /** Bytes read so far (head included), for progress. */
  bytesRead(): number;
}

export const SNIFF_BYTES = 64 * 1024;

export async function openInput(path: string, sniffBytes = SNIFF_BYTES): Promise<ByteInput> {
  if (path === "-") return readAhead(process.stdin, "<stdin>", undefined, sniffBytes);
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw usageError(`${path} is a directory, not a file`);
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw usageError(`${path}: no such file`, {
        hint: "check the path (relative paths start from the current directory)",
      });
    throw error;
  }
  // Small chunks: a batch of records is garbage before the next scavenge, so memory stays flat
  // (1 MB chunks measured 235 MB peak RSS on 1M rows, 64 KB 125 MB, and faster).
  return readAhead(createReadStream(path, { highWaterMark: 64 * 1024 }), path, size, sniffBytes);
}

export async function readAhead(
  stream: Readable,
  source: string,
  totalBytes: number | undefined,
  sniffBytes = SNIFF_BYTES,
): Promise<ByteInput> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let read = 0;
  const next = async (): Promise<IteratorResult<Buffer>> => {
    const r = await iterator.next();
    if (r.done) return r;
    const chunk = typeof r.value === "string" ? Buffer.from(r.value) : r.value;
    read += chunk.length;
    return { done: false, value: chunk };
  };
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < sniffBytes) {
    const r = await next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  return {
    source,
    head: Buffer.concat(head),
    ended,
    totalBytes,
    rest: { next },
    bytesRead: () => read,
  };
}

/** A zip (xlsx, ods) or a file with NUL bytes is not a text catalogue. */
export function looksBinary(bytes: Buffer): boolean {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return true;
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}
