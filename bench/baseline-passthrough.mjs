#!/usr/bin/env node
// The baseline every ratio is measured against (perf-anchors "b"): csv-parse → csv-stringify over the same
// file, arrays, no lookups.   usage: node bench/baseline-passthrough.mjs IN.csv OUT.csv
import { createReadStream, createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify";

const [input, output] = process.argv.slice(2);
await pipeline(
  createReadStream(input),
  parse({ delimiter: ";", relax_column_count: true }),
  stringify({ delimiter: ";" }),
  createWriteStream(output),
);
