#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";
import { main } from "../dist/cli.js";

// match, enrich and export stream a catalogue through a live heap that stays small (the index, bounded
// caches) while allocating fast. By default V8 lets the old generation grow to ~3× the live heap before
// a full GC, and pretenures allocation sites whose objects mostly survive, which sends their
// short-lived objects to the old generation too: peak RSS then grows with the run's length, not with
// what it keeps. Collecting at 20 % growth, with objects promoted only when they survive, holds it
// flat (1M-row match: 342 -> ~270 MB; bench/profile-notes.md). Flags given to node itself win.
const given = `${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`;
if (!given.includes("heap-growing-percent")) setFlagsFromString("--heap-growing-percent=20");
if (!given.includes("allocation-site-pretenuring")) setFlagsFromString("--no-allocation-site-pretenuring");

// `inserjeunes … | head`: a reader that stops early is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv);
