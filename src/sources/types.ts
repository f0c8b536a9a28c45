import type { IndexRecord } from "./records.js";

export const SOURCE_IDS = [
  "bcn-n-mef",
  "bcn-n-formation-diplome",
  "bcn-v-formation-diplome",
  "bcn-n-niveau-formation-diplome",
  "bcn-n-diplome-sise",
  "bcn-n-groupe-formation",
  "bcn-n-lien-formation-groupe",
  "onisep-formations-initiales",
  "onisep-actions-lycee",
  "onisep-actions-sup",
  "onisep-table-passage",
  "certifinfo",
  "kit-apprentissage",
  "catalogue-apprentissage",
  "annuaire-education",
  "acce",
  "inserjeunes-api",
  "inserjeunes-open",
  "insersup",
  "exposition-api",
] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

export function isSourceId(value: string): value is SourceId {
  return (SOURCE_IDS as readonly string[]).includes(value);
}

/** Where a source lives on the network (used by fetch only). */
export type SourceAccess =
  | { kind: "http"; files: ReadonlyArray<{ url: string; fileName: string }> }
  | { kind: "api"; description: string; baseUrl: string }
  | { kind: "local-only"; description: string };

export interface Source {
  id: SourceId;
  title: string;
  licence: string;
  /** Human page of the dataset. */
  homepage: string;
  access: SourceAccess;
  /** Environment variables the source needs to be fetched (read only by the fetch layer). */
  credentials?: readonly string[];
  /**
   * Parse the files of `sources/<id>/` into records. Rejected rows and warnings go to `ctx`; a missing
   * required column throws (exit 2). Only `parse` reads the files; it never writes anything.
   */
  parse(files: readonly SourceFile[], ctx: ParseContext): AsyncIterable<IndexRecord> | Iterable<IndexRecord>;
}

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path inside `sources/<id>/`, with `/` separators: carries API request context (millésime, UAI…). */
  relPath: string;
}

export interface FileReport {
  file: string;
  /** sha256 of the file's bytes, from the manifest (filled by build-index). */
  sha256?: string;
  encoding?: string;
  dialect?: string;
  vintage?: string;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
}

export interface RejectedRow {
  file: string;
  line: number;
  reason: string;
}

export interface SourceReport {
  source: SourceId;
  files: FileReport[];
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  rejectedByReason: Record<string, number>;
  /** The first rejected rows, for the report (all of them are counted). */
  rejects: RejectedRow[];
  warnings: string[];
}

const MAX_LISTED_REJECTS = 200;

/** Collects what parsing a source found; the command decides what is fatal. */
export class ParseContext {
  readonly report: SourceReport;
  private current: FileReport | undefined;

  constructor(source: SourceId) {
    this.report = {
      source,
      files: [],
      rowsRead: 0,
      rowsKept: 0,
      rowsRejected: 0,
      rejectedByReason: {},
      rejects: [],
      warnings: [],
    };
  }

  beginFile(
    file: string,
    details: Partial<Pick<FileReport, "encoding" | "dialect" | "vintage">> = {},
  ): FileReport {
    this.current = { file, ...details, rowsRead: 0, rowsKept: 0, rowsRejected: 0 };
    this.report.files.push(this.current);
    return this.current;
  }

  read(count = 1): void {
    this.report.rowsRead += count;
    if (this.current) this.current.rowsRead += count;
  }

  kept(count = 1): void {
    this.report.rowsKept += count;
    if (this.current) this.current.rowsKept += count;
  }

  /** A row that cannot be used: counted by reason, listed (up to a limit) with its file and line. */
  reject(file: string, line: number, reason: string, detail?: string): void {
    this.report.rowsRejected++;
    if (this.current) this.current.rowsRejected++;
    this.report.rejectedByReason[reason] = (this.report.rejectedByReason[reason] ?? 0) + 1;
    if (this.report.rejects.length < MAX_LISTED_REJECTS)
      this.report.rejects.push({ file, line, reason: detail ? `${reason}: ${detail}` : reason });
  }

  warn(message: string): void {
    if (!this.report.warnings.includes(message)) this.report.warnings.push(message);
  }
}
