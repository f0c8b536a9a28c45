import { describe, expect, it } from "vitest";
import type { CatalogueInput } from "../../src/io/catalogue-reader.js";
import { outputDialect } from "../../src/pipeline/output-dialect.js";

/** Only what outputDialect reads of an input. */
const csvInput = (delimiter: string, lineEnding: "\n" | "\r\n", bom: boolean) =>
  ({
    format: "csv",
    dialect: { delimiter, quote: "rfc", lineEnding },
    encoding: { encoding: "utf-8", bom },
  }) as CatalogueInput;
const jsonInput = (format: "json" | "ndjson" | "lheo") =>
  ({ format, dialect: undefined, encoding: { encoding: "utf-8", bom: true } }) as unknown as CatalogueInput;

const commaLf = csvInput(",", "\n", false);

describe("outputDialect (DESIGN.md: Output columns, CLI conventions)", () => {
  it("keeps the input's delimiter, line endings and BOM; UTF-8", () => {
    expect(outputDialect({}, commaLf)).toEqual({
      format: "csv",
      delimiter: ",",
      lineEnding: "\n",
      bom: false,
      encoding: "utf-8",
    });
    expect(outputDialect({}, csvInput("\t", "\r\n", true))).toMatchObject({
      delimiter: "\t",
      lineEnding: "\r\n",
      bom: true,
    });
    // LHEO → CSV with ';' and LF; a BOM only ever comes from a CSV input.
    expect(outputDialect({}, jsonInput("lheo"))).toMatchObject({ format: "csv", delimiter: ";", bom: false });
  });

  it("windows-1252: the input's dialect without a BOM", () => {
    expect(outputDialect({ outputEncoding: "windows-1252" }, csvInput(";", "\r\n", true))).toEqual({
      format: "csv",
      delimiter: ";",
      lineEnding: "\r\n",
      bom: false,
      encoding: "windows-1252",
    });
  });

  it("--excel: ';', CRLF, BOM and formula-safe cells whatever the input; rows requoted when the delimiter changes", () => {
    const excel = { format: "csv", delimiter: ";", lineEnding: "\r\n", bom: true, encoding: "utf-8" };
    expect(outputDialect({ excel: true }, commaLf)).toEqual({ ...excel, excelSafe: true, requote: true });
    expect(outputDialect({ excel: true }, csvInput(";", "\n", false))).toEqual({ ...excel, excelSafe: true });
    // A JSON input gives CSV with --excel (without --format).
    expect(outputDialect({ excel: true }, jsonInput("ndjson"))).toEqual({ ...excel, excelSafe: true });
    // With windows-1252: the same, without the BOM (Excel reads BOM-less CSV in the ANSI code page).
    expect(outputDialect({ excel: true, outputEncoding: "windows-1252" }, commaLf)).toMatchObject({
      delimiter: ";",
      lineEnding: "\r\n",
      bom: false,
      encoding: "windows-1252",
      excelSafe: true,
    });
  });

  it("refuses windows-1252 for JSON and NDJSON, given or implied by the input, and --excel with --format json", () => {
    expect(() => outputDialect({ outputEncoding: "windows-1252", format: "json" }, commaLf)).toThrow(
      "--output-encoding windows-1252 applies to CSV output only; JSON is always UTF-8",
    );
    expect(() => outputDialect({ outputEncoding: "windows-1252" }, jsonInput("ndjson"))).toThrow(
      "NDJSON is always UTF-8 (the output is NDJSON because the input is)",
    );
    expect(outputDialect({ outputEncoding: "utf-8", format: "json" }, commaLf).format).toBe("json");
    expect(() => outputDialect({ excel: true, format: "ndjson" }, commaLf)).toThrow(
      "--excel writes CSV for Excel: it cannot go with --format ndjson",
    );
  });
});
