import { Writable } from "node:stream";
import { memoryLogger } from "../../src/effects.js";
import { type CatalogueOptions, processCatalogue } from "../../src/pipeline/catalogue.js";

/** processCatalogue with stdout captured as text and a memory logger (no TTY, no environment). */
export async function runCatalogue(options: Omit<CatalogueOptions, "stdout">, now = new Date(0)) {
  let out = "";
  const stdout = new Writable({
    write(chunk, _e, cb) {
      out += String(chunk);
      cb();
    },
  });
  const logger = memoryLogger();
  const summary = await processCatalogue(
    { ...options, stdout },
    { logger, now: () => now, env: {}, interactive: false },
  );
  return { out, summary, logger };
}
