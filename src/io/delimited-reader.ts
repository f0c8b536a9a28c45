import type { Readable } from "node:stream";
import { usageError } from "../errors.js";
import { type CsvDialect, CsvParser, type CsvRecord, type QuoteMode, sniffDialect } from "./csv.js";
import { Decoder, type DetectedEncoding, detectEncoding, type EncodingOption, hasUtf8Bom } from "./decode.js";
import { type ByteInput, looksBinary, openInput, readAhead } from "./input.js";

export interface DelimitedOptions {
  encoding?: EncodingOption;
  delimiter?: string;
  quote?: QuoteMode;
  /** Quoting to use when the sample shows no quoted field at all. */
  preferQuote?: QuoteMode;
  /** Bytes read before deciding encoding and dialect. */
  sniffBytes?: number;
  /** Lines before the header to skip (a title line some producers put first); line numbers stay physical. */
  skipLines?: number;
  /** Keep each record's raw text (CsvRecord.raw), to write rows back untouched. */
  keepRaw?: boolean;
  /** Records never span lines: a quote not closed on its line is a literal character (csv.ts). */
  singleLine?: boolean;
}

export interface DelimitedInput {
  /** Name used in messages: the path, or "<stdin>". */
  source: string;
  encoding: DetectedEncoding;
  dialect: CsvDialect;
  header: string[];
  /** The header line as written (with keepRaw). */
  headerRaw?: string | undefined;
  /** Records after the header, in batches (one batch per input chunk). */
  batches(): AsyncGenerator<CsvRecord[]>;
  /** Release the file when the records are not read to the end. */
  close(): void;
}

/** Open a delimited text file (or stdin with "-") as a stream of records, with detection. */
export async function openDelimited(path: string, options: DelimitedOptions = {}): Promise<DelimitedInput> {
  return openDelimitedInput(await openInput(path, options.sniffBytes), options);
}

export async function openDelimitedStream(
  stream: Readable,
  source: string,
  options: DelimitedOptions = {},
): Promise<DelimitedInput> {
  return openDelimitedInput(await readAhead(stream, source, undefined, options.sniffBytes), options);
}

/** Records of an input whose first bytes were read ahead (see io/input.ts). */
export async function openDelimitedInput(
  input: ByteInput,
  options: DelimitedOptions = {},
): Promise<DelimitedInput> {
  const { source, head: headBuffer, rest: iterator } = input;
  let ended = input.ended;
  if (headBuffer.length === 0)
    throw usageError(`${source} is empty`, { hint: "the file needs at least a header line" });
  if (looksBinary(headBuffer))
    throw usageError(`${source} does not look like a text file (it contains NUL bytes or is a zip/xlsx)`, {
      hint: "export the sheet as CSV (UTF-8 or Windows-1252, ';' or ',' separated), or pass a JSON/LHEO file",
    });

  const encoding: DetectedEncoding =
    !options.encoding || options.encoding === "auto"
      ? detectEncoding(headBuffer, ended)
      : { encoding: options.encoding, bom: hasUtf8Bom(headBuffer) };
  const decoder = new Decoder(encoding.encoding, source);
  let headText = decoder.write(headBuffer);
  const skipLines = options.skipLines ?? 0;
  for (let i = 0; i < skipLines; i++) {
    const lf = headText.indexOf("\n");
    if (lf === -1)
      throw usageError(`${source}: expected ${skipLines} line(s) before the header, found fewer`);
    headText = headText.slice(lf + 1);
  }
  const forced: { delimiter?: string; quote?: QuoteMode; preferQuote?: QuoteMode } = {};
  if (options.delimiter) forced.delimiter = options.delimiter;
  if (options.quote) forced.quote = options.quote;
  if (options.preferQuote) forced.preferQuote = options.preferQuote;
  const dialect = sniffDialect(ended ? `${headText}\n` : headText, forced);
  const parser = new CsvParser(dialect, source, {
    firstLine: 1 + skipLines,
    keepRaw: options.keepRaw ?? false,
    singleLine: options.singleLine ?? false,
  });

  const pending: CsvRecord[] = [];
  parser.push(headText, pending);
  let textRest = "";
  // Make sure the header record is complete before returning.
  while (pending.length === 0 && !ended) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    parser.push(decoder.write(next.value), pending);
  }
  if (ended) {
    textRest = decoder.end();
    if (textRest) parser.push(textRest, pending);
    parser.finish(pending);
  }
  const headerRecord = pending.shift();
  if (!headerRecord)
    throw usageError(`${source} is empty`, { hint: "the file needs at least a header line" });
  const header = headerRecord.fields;

  async function* batches(): AsyncGenerator<CsvRecord[]> {
    if (pending.length > 0) yield pending.splice(0, pending.length);
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      const out: CsvRecord[] = [];
      if (next.done) {
        const tail = decoder.end();
        if (tail) parser.push(tail, out);
        parser.finish(out);
        if (out.length > 0) yield out;
        return;
      }
      parser.push(decoder.write(next.value), out);
      if (out.length > 0) yield out;
    }
  }

  const close = () => {
    // Ending the iteration early destroys the underlying stream (and closes the file).
    void iterator.return?.();
  };
  return { source, encoding, dialect, header, headerRaw: headerRecord.raw, batches, close };
}
