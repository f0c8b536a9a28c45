import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { IndexRecord } from "../../src/sources/records.js";
import { fixture, withTempDir } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const page = (n: number) => ({ path: fixture("catalogue-apprentissage", `page-${n}.json`) });
const edge = (name: string) => ({ path: fixture("edge-cases", "catalogue-apprentissage", name) });
const linksOf = (records: IndexRecord[]) =>
  ofKind(records, "link").map((l) => `${l.fromType}:${l.fromCode}>${l.toType}:${l.toCode}`);

describe("catalogue-apprentissage on its fixtures", () => {
  it("API pages: the three UAIs of each offer per CFD, and the links each offer states", async () => {
    const { records, report } = await parseWith("catalogue-apprentissage", [page(1), page(2)]);
    expect(report.files.map((f) => [f.file, f.vintage, f.rowsRead, f.rowsKept, f.rowsRejected])).toEqual([
      ["page-1.json", "API JSON (entity/formations)", 2, 2, 0],
      ["page-2.json", "API JSON (entity/formations)", 3, 2, 1],
    ]);
    expect(ofKind(records, "uai-role")).toEqual([
      {
        kind: "uai-role",
        cle: "104523P01312002521400007710014700011-01004#L01",
        cfd: "40025214",
        uaiLieu: "0010001W",
        uaiFormateur: "0010826T",
        uaiGestionnaire: "0010826T",
        duree: 3,
      },
      {
        kind: "uai-role",
        cle: "075787P012X1947001590001619470015900016-47065#L01",
        cfd: "32023107",
        uaiLieu: "0470015L",
        uaiFormateur: "0470015L",
        uaiGestionnaire: "0470015L",
        duree: 2,
      },
      {
        kind: "uai-role",
        cle: "088990P01312005003122300008560014700011-01053#L01",
        cfd: "50031223",
        uaiLieu: "0010006B",
        uaiFormateur: "0010856A",
        uaiGestionnaire: "0010856A",
        duree: 2,
      },
      // formateur "0010856B" fails its checksum: the offer is kept without it (reported)
      {
        kind: "uai-role",
        cle: "082581P012X1300279230016313002792300171-33063#L01",
        cfd: "46X25201",
        uaiLieu: "0331707B",
        uaiFormateur: null,
        uaiGestionnaire: null,
        duree: 2,
      },
    ]);
    expect(linksOf(records)).toEqual([
      "rncp:19117>cfd:40025214",
      "certifinfo:82775>cfd:40025214",
      "certifinfo:82775>rncp:19117",
      "onisep:FOR.5615>cfd:40025214",
      "mef10:2472521431>cfd:40025214",
      "mef10:2472521432>cfd:40025214",
      "mef10:2472521433>cfd:40025214",
      "rncp:37199>cfd:32023107",
      "certifinfo:75787>cfd:32023107",
      "certifinfo:75787>rncp:37199",
      "mef10:3112310721>cfd:32023107",
      "mef10:3112310722>cfd:32023107",
      "mef10:2413122321>cfd:50031223",
      "mef10:2413122322>cfd:50031223",
      "rncp:36721>cfd:46X25201",
      "certifinfo:82581>cfd:46X25201",
      "certifinfo:82581>rncp:36721",
    ]);
    expect(report.rejects).toEqual([{ file: "page-2.json", line: 3, reason: "invalid CFD: vide" }]);
    expect(report.warnings).toEqual([
      'page-2.json: 1 row(s) indexed without a value: UAI formateur left out: UAI "0010856B" fails its checksum (expected letter A)',
    ]);
  });

  it('the back-office export (labels) and its older Excel-guarded form (="…") give the API\'s records', async () => {
    const api = await parseWith("catalogue-apprentissage", [page(1), page(2)]);
    for (const name of ["export-labels.csv", "export-excel-guarded.csv"]) {
      const { records, report } = await parseWith("catalogue-apprentissage", [edge(name)]);
      expect(report.files[0]?.vintage).toBe("back-office CSV export (labels)");
      expect(ofKind(records, "uai-role")).toEqual(ofKind(api.records, "uai-role"));
      // The export names no Onisep URL for the BTS either; every link of the API pages is there.
      expect(linksOf(records)).toEqual(linksOf(api.records));
    }
    const guarded = await parseWith("catalogue-apprentissage", [edge("export-excel-guarded.csv")]);
    expect(guarded.report.warnings[0]).toBe(
      'export-excel-guarded.csv: 4 row(s) with Excel-guarded values (="…"), read without the guard',
    );
  });

  it("a durée that is no number of years is warned, not dropped silently", async () => {
    // page-1's offers say "3"; the first one rewritten as "X" (as some back-office rows do).
    await withTempDir(async (dir) => {
      const text = await readFile(page(1).path, "utf8");
      const path = join(dir, "page-1.json");
      await writeFile(path, text.replace('"duree": "3"', '"duree": "X"'));
      const { records, report } = await parseWith("catalogue-apprentissage", [{ path }]);
      expect(ofKind(records, "uai-role")[0]?.duree).toBeNull();
      expect(report.warnings).toContain(
        'page-1.json: 1 row(s) indexed without a value: duree left out: "X" is not a durée in years',
      );
    });
  });

  it("an empty page, an empty file and a header-only export index nothing", async () => {
    const { records, report } = await parseWith("catalogue-apprentissage", [
      edge("empty-page.json"),
      edge("empty.csv"),
      edge("header-only.csv"),
    ]);
    expect(records).toEqual([]);
    expect(report.rowsRead).toBe(0);
  });

  it("an export without 'Formation: code CFD' is an input error (exit 2)", async () => {
    const error = await parseWith("catalogue-apprentissage", [edge("missing-key-column.csv")]).catch(
      (e) => e,
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/missing required column\(s\) "cfd"/);
    expect(error.message).toMatch(/Formation: code CFD/);
  });
});
