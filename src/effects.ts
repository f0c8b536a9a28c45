/**
 * Side effects a command needs, injected so tests can capture them: where messages go, what time it is,
 * the environment. Production defaults write to stderr (never stdout: stdout is for data).
 */
export interface Logger {
  /** Progress and summaries; silenced by --quiet. */
  info(message: string): void;
  /** Problems that do not stop the run; silenced by --quiet. */
  warn(message: string): void;
  /** Details for --verbose. */
  debug(message: string): void;
}

export interface Effects {
  logger: Logger;
  now(): Date;
  env: NodeJS.ProcessEnv;
  /** True when stderr is a terminal (spinners, colours). */
  interactive: boolean;
}

export interface LoggerOptions {
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
}

export function stderrLogger(
  options: LoggerOptions = {},
  write = (s: string) => process.stderr.write(s),
): Logger {
  const color = options.color ?? false;
  const yellow = (s: string) => (color ? `\x1b[33m${s}\x1b[39m` : s);
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[22m` : s);
  return {
    info: (m) => {
      if (!options.quiet) write(`${m}\n`);
    },
    warn: (m) => {
      if (!options.quiet) write(`${yellow("warning:")} ${m}\n`);
    },
    debug: (m) => {
      if (options.verbose && !options.quiet) write(`${dim(m)}\n`);
    },
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, debug: () => {} };

/** Colour only on a TTY, honouring NO_COLOR / FORCE_COLOR / --no-color. */
export function useColor(env: NodeJS.ProcessEnv, isTty: boolean, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  if (env["FORCE_COLOR"] !== undefined && env["FORCE_COLOR"] !== "0") return true;
  return isTty;
}

export function defaultEffects(options: LoggerOptions = {}): Effects {
  const interactive = Boolean(process.stderr.isTTY);
  return {
    logger: stderrLogger({ ...options, color: options.color ?? useColor(process.env, interactive) }),
    now: () => new Date(),
    env: process.env,
    interactive,
  };
}

/** A logger that keeps messages, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
  };
}
