import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, withTempDir } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const TLE_PRO_MV = {
  kind: "mef",
  mef10: "2472521433",
  mefstat11: "23830025214",
  cfd: "40025214",
  dispositif: "247",
  duree: 3,
  annee: 3,
  dateOuverture: "2016-09-01",
  dateFermeture: "2028-08-31",
  statut: "3",
  libelle: "Tle pro maintenance des véhicules option A voitures particulières",
};

describe("bcn-n-mef on its fixture (2021+ export: cp1252, ';', no quoting)", () => {
  it("reads every row by column name, codes as strings", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [{ path: fixture("bcn-n-mef", "N_MEF.csv") }]);
    const mefs = ofKind(records, "mef");
    expect(mefs).toHaveLength(28);
    expect(report.rowsRejected).toBe(0);
    expect(report.files[0]).toMatchObject({
      encoding: "windows-1252",
      dialect: "delimiter ';', no quoting, LF",
      vintage: "BCN export 2021+ (22 columns)",
    });
    expect(mefs.find((m) => m.mef10 === "2472521433")).toEqual(TLE_PRO_MV);
    // Leading zero kept: MC cuisinier en desserts de restaurant.
    expect(mefs.find((m) => m.cfd === "01022105")?.mefstat11).toBe("23910022105");
  });

  it("the pipe export (separator=%7C), cp1252: ’ (0x92) decoded, same records", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [
      { path: fixture("bcn-n-mef", "cases", "pipe-export-cp1252.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      encoding: "windows-1252",
      dialect: "delimiter pipe, no quoting, LF",
    });
    const mefs = ofKind(records, "mef");
    expect(mefs.map((m) => m.mefstat11)).toEqual(["23810025214", "23820025214", "23830025214"]);
    expect(mefs[2]).toEqual(TLE_PRO_MV);
  });

  it("a copy re-saved as UTF-8 with BOM and CRLF reads the same", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [
      { path: fixture("bcn-n-mef", "cases", "utf8-bom-crlf.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      encoding: "utf-8 (BOM)",
      dialect: "delimiter ';', no quoting, CRLF",
    });
    expect(ofKind(records, "mef")[2]).toEqual(TLE_PRO_MV);
  });

  it("the 2020 export (27 columns, NUMERO_COMPTE…UPDATED_AT) is recognised as such", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [
      { path: fixture("bcn-n-mef", "cases", "export-2020-27-columns.csv") },
    ]);
    expect(report.files[0]?.vintage).toBe("BCN export 2020 (27 columns)");
    expect(report.warnings).toEqual([]);
    // In 2020 the terminal year was not closed yet.
    expect(ofKind(records, "mef")[2]).toEqual({ ...TLE_PRO_MV, dateFermeture: null });
  });

  it("the BCN API JSON: lower-case keys, null for empty, numbers typed, dates with a time", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [
      { path: fixture("bcn-n-mef", "cases", "bcn-api.json") },
    ]);
    expect(report.files[0]).toMatchObject({ encoding: "json", vintage: "BCN API JSON" });
    expect(report.warnings).toEqual([]);
    const mefs = ofKind(records, "mef");
    // The third row has duree_dispositif and annee_dispositif as JSON numbers.
    expect(mefs[2]).toEqual(TLE_PRO_MV);
    expect(mefs[0]).toMatchObject({ annee: 1, statut: "4", dateFermeture: "2025-08-31" });
  });

  it("columns a vintage adds are read around and named in one warning", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [
      { path: fixture("bcn-n-mef", "cases", "extra-columns.csv") },
    ]);
    expect(ofKind(records, "mef")).toEqual([TLE_PRO_MV]);
    expect(report.warnings).toEqual([
      "extra-columns.csv: column(s) not known for BCN N_MEF, ignored: CODE_NOUVEAU, DATE_STATUT_2",
    ]);
  });

  it("rejects malformed rows with their line and reason, keeps the others", async () => {
    const { records, report } = await parseWith("bcn-n-mef", [
      { path: fixture("bcn-n-mef", "cases", "malformed-rows.csv") },
    ]);
    expect(records).toHaveLength(1);
    expect(report).toMatchObject({ rowsRead: 3, rowsKept: 1, rowsRejected: 2 });
    expect(report.rejectedByReason).toEqual({ "invalid code": 1, "wrong number of fields": 1 });
    expect(report.rejects).toEqual([
      {
        file: "malformed-rows.csv",
        line: 3,
        reason: expect.stringMatching(/^invalid code: CFD "4002521" has 7 digits/),
      },
      { file: "malformed-rows.csv", line: 4, reason: "wrong number of fields: 6 fields, header has 22" },
    ]);
  });

  it("dates and durées as a spreadsheet re-saves them are read; what cannot be read is warned, not lost", async () => {
    // The fixture's BTS CG row (3103140811, 1 an, opened 01/09/2016) re-saved by a spreadsheet:
    // 1/9/2016 and 1.0; then the Tle pro MV row (2472521433) with a US date and a durée that is no
    // number, which must be said (file, line, value), not read as an open MEF without durée.
    await withTempDir(async (dir) => {
      const path = join(dir, "N_MEF.csv");
      await writeFile(
        path,
        [
          "MEF;DISPOSITIF_FORMATION;FORMATION_DIPLOME;DUREE_DISPOSITIF;ANNEE_DISPOSITIF;DATE_OUVERTURE;DATE_FERMETURE;MEF_STAT_11",
          "3103140811;310;32031408;1.0; 1.0;1/9/2016;;32111031408",
          "2472521433;247;40025214;trois;3;01.09.2016;8/31/2028;23830025214",
          "",
        ].join("\n"),
      );
      const { records, report } = await parseWith("bcn-n-mef", [{ path }]);
      expect(
        ofKind(records, "mef").map((m) => [m.mef10, m.duree, m.annee, m.dateOuverture, m.dateFermeture]),
      ).toEqual([
        ["3103140811", 1, 1, "2016-09-01", null],
        ["2472521433", null, 3, "2016-09-01", null],
      ]);
      expect(report.warnings).toEqual([
        'N_MEF.csv: 1 row(s) with an unreadable DUREE_DISPOSITIF, left empty (first at line 3: "trois" is not a whole number)',
        'N_MEF.csv: 1 row(s) with an unreadable DATE_FERMETURE, left empty (first at line 3: "8/31/2028" is not a date (DD/MM/YYYY))',
      ]);
    });
  });

  it("a literal quote at the start of a value, never closed on its line, is a character: no line is swallowed", async () => {
    // The BCN writes no quoting. Line 2 has a cleanly quoted label and the first 64 KB nothing else
    // (so the file is read as RFC-quoted); line 1003 starts a label with a literal " that, read as an
    // opening quote, would run to the " ending line 1005 and make those three lines one record (of the
    // right width, so it passed). Records of the BCN never span lines: the quote is a character, every
    // row is kept with its literal quotes, and a warning says so.
    await withTempDir(async (dir) => {
      const path = join(dir, "N_MEF.csv");
      const row = (n: number, label: string) => `${2472500000 + n};247;40025214;3;3;23830025214;${label}`;
      const filler = Array.from({ length: 1000 }, (_, i) =>
        row(i + 2, `Tle pro maintenance des vehicules ${i}`),
      );
      await writeFile(
        path,
        [
          "MEF;DISPOSITIF_FORMATION;FORMATION_DIPLOME;DUREE_DISPOSITIF;ANNEE_DISPOSITIF;MEF_STAT_11;LIBELLE_EDITION",
          row(1, '"Tle pro MV"'),
          ...filler,
          row(2000, '"option A Tle pro MV'),
          row(2001, "Tle pro MV"),
          row(2002, 'fin"'),
          row(2003, "autre"),
          "",
        ].join("\n"),
      );
      const { records, report } = await parseWith("bcn-n-mef", [{ path }]);
      expect(report.files[0]?.dialect).toMatch(/RFC quoting/);
      const mefs = ofKind(records, "mef");
      expect(mefs).toHaveLength(1 + 1000 + 4);
      expect(report).toMatchObject({ rowsRead: 1005, rowsRejected: 0 });
      expect(mefs.slice(-4).map((m) => [m.mef10, m.libelle])).toEqual([
        ["2472502000", '"option A Tle pro MV'],
        ["2472502001", "Tle pro MV"],
        ["2472502002", 'fin"'],
        ["2472502003", "autre"],
      ]);
      expect(report.warnings).toContain(
        'N_MEF.csv: 1 row(s) read leniently (a " not closed on its line, read as a literal character, kept as is), first at line 1003',
      );
    });
  });

  it("a cp1252 byte after the first MiB still makes the whole file cp1252 (no UTF-8 error)", async () => {
    await withTempDir(async (dir) => {
      const header =
        "MEF;DISPOSITIF_FORMATION;FORMATION_DIPLOME;DUREE_DISPOSITIF;ANNEE_DISPOSITIF;MEF_STAT_11;LIBELLE_EDITION\n";
      const ascii = "2472521431;247;40025214;3;1;23810025214;2nde pro maintenance des vehicules\n";
      const rows = ascii.repeat(Math.ceil(1_100_000 / ascii.length));
      // é is 0xE9 and ’ is 0x92 in cp1252: invalid UTF-8, but only after 1.1 MB of ASCII (past the first chunk read).
      const lastRow = Buffer.concat([
        Buffer.from("2472521433;247;40025214;3;3;23830025214;Tle pro maintenance des v", "latin1"),
        Buffer.from([0xe9]),
        Buffer.from("hicules ", "latin1"),
        Buffer.from([0x92]),
        Buffer.from("A", "latin1"),
        Buffer.from([0x92]),
        Buffer.from("\n", "latin1"),
      ]);
      const path = join(dir, "N_MEF.csv");
      await writeFile(path, Buffer.concat([Buffer.from(header + rows, "latin1"), lastRow]));
      const { records, report } = await parseWith("bcn-n-mef", [{ path }]);
      expect(report.files[0]?.encoding).toBe("windows-1252");
      const last = ofKind(records, "mef").at(-1);
      expect(last?.libelle).toBe("Tle pro maintenance des véhicules ’A’");
    });
  });
});
