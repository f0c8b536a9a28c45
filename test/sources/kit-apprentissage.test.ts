import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, withTempDir } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("kit-apprentissage (UTF-8 BOM, CRLF, RFC quoting)", () => {
  it("Code_Diplome is the CFD here, Code_RNCP carries the RNCP prefix; NR links nothing", async () => {
    const { records, report } = await parseWith("kit-apprentissage", [
      { path: fixture("kit-apprentissage", "Kit_apprentissage.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      encoding: "utf-8 (BOM)",
      dialect: "delimiter ';', RFC quoting, CRLF",
      vintage: "Kit apprentissage 2023 (9 columns)",
    });
    expect(report).toMatchObject({ rowsRead: 5, rowsKept: 5, rowsRejected: 0 });
    expect(ofKind(records, "link").map((l) => [l.fromType, l.fromCode, l.toType, l.toCode])).toEqual([
      ["rncp", "19117", "cfd", "40025214"],
      ["rncp", "37894", "cfd", "50031117"], // "CONDUCTEUR ROUTIER ""MARCHANDISES"" (CAP)": doubled quotes
      ["rncp", "37380", "cfd", "01022105"],
      ["rncp", "38360", "cfd", "32033107"],
    ]);
    expect(report.warnings).toEqual([
      "Kit_apprentissage.csv: 1 row(s) without RNCP fiche (NR), nothing linked (first at line 6: 36022201)",
    ]);
  });

  it("a 7-digit CFD rejects the row; an unreadable RNCP is counted", async () => {
    const { records, report } = await parseWith("kit-apprentissage", [
      { path: fixture("kit-apprentissage", "cases", "bad-codes.csv") },
    ]);
    expect(records).toEqual([]);
    expect(report.rejects).toEqual([
      {
        file: "bad-codes.csv",
        line: 2,
        reason: expect.stringMatching(/^invalid code: CFD "4002521" has 7 digits/),
      },
    ]);
    expect(report.warnings).toEqual([
      'bad-codes.csv: 1 row(s) with an unreadable Code_RNCP, nothing linked (first at line 3: RNCP code "RNCP-XIX" is not a number (with or without the RNCP prefix))',
    ]);
  });

  it("text after a closing quote beyond the sniffed start: read leniently, kept, and reported", async () => {
    await withTempDir(async (dir) => {
      // The first chunk read (1 MiB) shows clean RFC quoting, so the file is read as quoted; a later row breaks it.
      const header = (await readFile(fixture("kit-apprentissage", "Kit_apprentissage.csv"), "utf8")).split(
        "\r\n",
      )[0]!;
      const quoted =
        '50031117;"CONDUCTEUR ROUTIER ""MARCHANDISES"" (CAP)";RNCP37894;Niveau 3;CAP;CI-09112023;oui;31/08/2028;ACTIVE\r\n';
      const count = Math.ceil(1_100_000 / quoted.length);
      const broken =
        '40025214;"MAINTENANCE DES VEHICULES" OPTION A (BAC PRO);RNCP19117;Niveau 4;BAC PRO;v1.0;oui;01/01/2025;ACTIVE\r\n';
      const path = join(dir, "Kit_apprentissage.csv");
      await writeFile(path, `${header}\r\n${quoted.repeat(count)}${broken}`);
      const { records, report } = await parseWith("kit-apprentissage", [{ path }]);
      expect(report.files[0]?.dialect).toBe("delimiter ';', RFC quoting, CRLF");
      expect(ofKind(records, "link").at(-1)).toMatchObject({ fromCode: "19117", toCode: "40025214" });
      expect(report.rowsKept).toBe(count + 1);
      expect(report.warnings).toEqual([
        `Kit_apprentissage.csv: 1 row(s) read leniently (text after a closing quote, kept as is), first at line ${count + 2}`,
      ]);
    });
  });
});
