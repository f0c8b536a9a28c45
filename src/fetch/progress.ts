import ora, { type Ora } from "ora";
import type { Logger } from "../effects.js";

/**
 * Progress of a fetch, on stderr: an ora spinner with bytes or pages on a terminal, plain lines
 * otherwise (CI logs), nothing with --quiet (the command picks which). One source at a time.
 */
export interface Progress {
  /** A source starts. */
  begin(source: string, text: string): void;
  /** Bytes, pages or requests so far (throttled in plain mode). */
  update(text: string): void;
  /** A line to keep: a fact of the run ("412 schools from …"). */
  info(message: string): void;
  /** A line to keep: a retry, a warning. */
  note(message: string): void;
  /** The source's final line. */
  end(line: string, ok: boolean): void;
}

/** Plain lines through the logger: the start, an update at most every `everyMs`, the end. */
export function plainProgress(logger: Logger, everyMs = 10_000, clock: () => number = Date.now): Progress {
  let source = "";
  let last = 0;
  return {
    begin(id, text) {
      source = id;
      last = clock();
      logger.info(`${id}: ${text}`);
    },
    update(text) {
      const now = clock();
      if (now - last < everyMs) return;
      last = now;
      logger.info(`${source}: ${text}`);
    },
    info: (message) => logger.info(message),
    note: (message) => logger.warn(message),
    end: (line, ok) => (ok ? logger.info(line) : logger.warn(line)),
  };
}

/**
 * The spinner on a terminal (stderr is a TTY with a known width: ora loops on a zero-column pty),
 * plain lines otherwise; the logger is silent with --quiet, and so is the spinner.
 */
export function progressFor(options: { interactive: boolean; quiet: boolean; logger: Logger }): Progress {
  if (options.quiet) return plainProgress(options.logger);
  return options.interactive && (process.stderr.columns ?? 0) > 0
    ? spinnerProgress()
    : plainProgress(options.logger);
}

/** An ora spinner on stderr. */
export function spinnerProgress(stream: NodeJS.WritableStream = process.stderr): Progress {
  let spinner: Ora | undefined;
  let source = "";
  const keep = (message: string) => {
    if (!spinner) return void stream.write(`${message}\n`);
    spinner.clear();
    stream.write(`${message}\n`);
    spinner.render();
  };
  return {
    begin(id, text) {
      source = id;
      spinner = ora({ text: `${id}: ${text}`, stream: stream as NodeJS.WriteStream }).start();
    },
    update(text) {
      if (spinner) spinner.text = `${source}: ${text}`;
    },
    info: (message) => keep(message),
    note: (message) => keep(message),
    end(line, ok) {
      if (!spinner) return void stream.write(`${line}\n`);
      if (ok) spinner.succeed(line);
      else spinner.fail(line);
      spinner = undefined;
    },
  };
}

/** Every text through `redact` before it is shown. */
export function redactingProgress(progress: Progress, redact: (text: string) => string): Progress {
  return {
    begin: (id, text) => progress.begin(id, redact(text)),
    update: (text) => progress.update(redact(text)),
    info: (message) => progress.info(redact(message)),
    note: (message) => progress.note(redact(message)),
    end: (line, ok) => progress.end(redact(line), ok),
  };
}

/** 1234567 → "1.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = "B";
  for (const u of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = u;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}
