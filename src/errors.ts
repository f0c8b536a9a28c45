/**
 * The one error type of the toolkit. It carries the exit code of DESIGN.md; the top-level handler in
 * cli.ts prints `message` (and `hint`) and exits with `exitCode`. Deep code never calls process.exit.
 */
export const ExitCode = {
  ok: 0,
  bug: 1,
  usage: 2,
  missingData: 3,
  upstream: 4,
  tooManyErrors: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorDetails {
  /** What the user can do about it. Printed after the message as "Possible fix: …". */
  hint?: string;
  cause?: unknown;
}

export class InserJeunesError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(exitCode: ExitCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "InserJeunesError";
    this.exitCode = exitCode;
    this.hint = details.hint;
  }
}

export const usageError = (message: string, details?: ErrorDetails) =>
  new InserJeunesError(ExitCode.usage, message, details);
export const missingDataError = (message: string, details?: ErrorDetails) =>
  new InserJeunesError(ExitCode.missingData, message, details);
export const upstreamError = (message: string, details?: ErrorDetails) =>
  new InserJeunesError(ExitCode.upstream, message, details);

/** A location inside an input file, for messages that point at the exact cell. */
export interface Location {
  file: string;
  line?: number;
  column?: string;
  value?: string;
  /** The original line, cut at 200 characters. */
  text?: string;
}

export function formatLocation(loc: Location): string {
  const parts = [loc.file];
  if (loc.line !== undefined) parts[0] += `:${loc.line}`;
  if (loc.column !== undefined) parts.push(`column "${loc.column}"`);
  if (loc.value !== undefined) parts.push(`value "${truncate(loc.value, 80)}"`);
  let out = parts.join(", ");
  if (loc.text !== undefined) out += `\n  line: ${truncate(loc.text, 200)}`;
  return out;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
