import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CatalogueWriter, type WriterOptions } from "../../src/io/catalogue-writer.js";
import { withTempDir } from "../helpers/paths.js";

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(c, _e, cb) {
      chunks.push(String(c));
      cb();
    },
  });
  return { stream, text: () => chunks.join("") };
}

function byteSink() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(c: Buffer, _e, cb) {
      chunks.push(c);
      cb();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

const csv: WriterOptions = { format: "csv", delimiter: ";", lineEnding: "\r\n", bom: true };
const added = ["ij_statut", "ij_uai", "ij_score"];

describe("CatalogueWriter", () => {
  it("CSV: a raw line is written back byte for byte, then the added cells; the slot takes the row's UAI", async () => {
    const out = sink();
    const w = await CatalogueWriter.open(undefined, out.stream, ["id", "cfd"], added, csv, 'id;"cfd"');
    const outcome = { cells: ["couvert", "", "1"], slot: 1 };
    w.row({ fields: ["1", '="40025214"'], line: 2, raw: '1;="40025214"' }, outcome, "0010001W");
    w.row({ fields: ["2", "a;b"], line: 3, raw: '2;"a;b"' }, outcome, "");
    // A malformed line is written from its (fixed) cells.
    w.row({ fields: ["3", 'x "y"'], line: 4, problem: "3 fields where the header has 2" }, outcome, "");
    await w.end();
    expect(out.text()).toBe(
      '\uFEFFid;"cfd";ij_statut;ij_uai;ij_score\r\n1;="40025214";couvert;0010001W;1\r\n2;"a;b";couvert;;1\r\n3;"x ""y""";couvert;;1\r\n',
    );
  });

  it("CSV --excel-safe: formula-looking cells get a quote, negative numbers do not", async () => {
    const out = sink();
    const w = await CatalogueWriter.open(undefined, out.stream, ["a"], ["ij_statut"], {
      ...csv,
      bom: false,
      excelSafe: true,
    });
    w.row({ fields: ["=HYPERLINK()"], line: 2, raw: "=HYPERLINK()" }, { cells: ["-12"] });
    w.row({ fields: ["@x"], line: 3, raw: "@x" }, { cells: ["-x"] });
    await w.end();
    expect(out.text()).toBe("a;ij_statut\r\n'=HYPERLINK();-12\r\n'@x;'-x\r\n");
  });

  it('--excel-safe quotes a prefixed cell like any other; keeps the ="…" text guard; guards the header and ij_ cells', async () => {
    const out = sink();
    const w = await CatalogueWriter.open(
      undefined,
      out.stream,
      ["=id", "cfd", "commentaire"],
      ["ij_statut", "ij_uai"],
      { ...csv, bom: false, excelSafe: true },
      "=id;cfd;commentaire",
    );
    // The slot (ij_uai) and the shared cells are both guarded. Cells are written from their values, so
    // the guard ="01022105" is quoted (it holds quotes): the same cell for Excel, text 01022105.
    w.row(
      { fields: ["1", '="01022105"', '=HYPERLINK("http://x";"y")'], line: 2, raw: "" },
      { cells: ["@couvert", ""], slot: 1 },
      "+0010001W",
    );
    w.row(
      { fields: ["2", '="1"&HYPERLINK("x")', "\t=1+2"], line: 3, raw: "" },
      { cells: ["couvert", ""], slot: 1 },
      "-1,5",
    );
    await w.end();
    expect(out.text()).toBe(
      "'=id;cfd;commentaire;ij_statut;ij_uai\r\n" +
        `1;"=""01022105""";"'=HYPERLINK(""http://x"";""y"")";'@couvert;'+0010001W\r\n` +
        `2;"'=""1""&HYPERLINK(""x"")";'\t=1+2;couvert;-1,5\r\n`,
    );
  });

  it("requote (output delimiter ≠ input's): rows and header are written from their cells, not their raw text", async () => {
    const out = sink();
    const w = await CatalogueWriter.open(
      undefined,
      out.stream,
      ["id", "intitule"],
      ["ij_statut"],
      { ...csv, bom: false, requote: true },
      "id,intitule",
    );
    w.row(
      { fields: ["3", "Centre de Formation d'Apprentis; Romagnat"], line: 2, raw: '3,"Centre…"' },
      { cells: ["couvert"] },
    );
    await w.end();
    expect(out.text()).toBe(
      `id;intitule;ij_statut\r\n3;"Centre de Formation d'Apprentis; Romagnat";couvert\r\n`,
    );
  });

  it("windows-1252: CSV bytes from the cp1252 table and no BOM; JSON stays UTF-8", async () => {
    const out = byteSink();
    const w = await CatalogueWriter.open(
      undefined,
      out.stream,
      ["intitule"],
      ["ij_statut"],
      { ...csv, encoding: "windows-1252" },
      "intitule",
    );
    w.row({ fields: ["Cœur de métier"], line: 2, raw: "Cœur de métier" }, { cells: ["couvert"] });
    await w.end();
    // bom: true is ignored: windows-1252 has no BOM.
    expect(out.bytes()).toEqual(
      Buffer.concat([
        Buffer.from("intitule;ij_statut\r\nC"),
        Buffer.from([0x9c]),
        Buffer.from("ur de m"),
        Buffer.from([0xe9]),
        Buffer.from("tier;couvert\r\n"),
      ]),
    );
    const json = byteSink();
    const j = await CatalogueWriter.open(undefined, json.stream, ["intitule"], [], {
      ...csv,
      format: "ndjson",
      encoding: "windows-1252",
    });
    j.row({ fields: ["CO₂ œ"], line: 2 }, { cells: [] });
    await j.end();
    expect(json.bytes().toString("utf8")).toBe('{"intitule":"CO₂ œ"}\n');
  });

  it("windows-1252: a character it lacks is an error naming the input, line, column and value", async () => {
    const out = byteSink();
    const options: WriterOptions = { ...csv, encoding: "windows-1252", source: "offres.csv" };
    const w = await CatalogueWriter.open(undefined, out.stream, ["id", "intitule"], ["ij_statut"], options);
    expect(() =>
      w.row(
        { fields: ["2", "BTS Métiers de la chimie – CO₂"], line: 3, raw: "2;BTS Métiers de la chimie – CO₂" },
        { cells: ["couvert"] },
      ),
    ).toThrow(
      'offres.csv:3, column "intitule", value "BTS Métiers de la chimie – CO₂": "₂" (U+2082) cannot be written in windows-1252',
    );
    await expect(
      CatalogueWriter.open(undefined, byteSink().stream, ["Effectif ≥ 20"], [], options),
    ).rejects.toThrow('offres.csv, header "Effectif ≥ 20": "≥" (U+2265) cannot be written in windows-1252');
  });

  it("JSON: objects as read, nested values kept, added keys typed; invalid elements kept as text", async () => {
    const out = sink();
    const w = await CatalogueWriter.open(undefined, out.stream, ["cfd", "ij_statut"], added, {
      ...csv,
      format: "json",
      numeric: new Set(["ij_score"]),
    });
    const outcome = { cells: ["couvert", "", "0.87"], slot: 1 };
    w.row(
      {
        fields: [],
        line: 1,
        object: { cfd: "32023107", bcn_mefs_10: [{ mef10: "3112310721" }], ij_statut: "old" },
      },
      outcome,
      "0470015L",
    );
    w.row(
      { fields: ["", ""], line: 2, raw: "{oops", problem: "not valid JSON" },
      { cells: ["invalide", "", ""], slot: 1 },
    );
    await w.end();
    expect(JSON.parse(out.text())).toEqual([
      {
        cfd: "32023107",
        bcn_mefs_10: [{ mef10: "3112310721" }],
        ij_statut: "old",
        ij_statut_2: "couvert",
        ij_uai: "0470015L",
        ij_score: 0.87,
      },
      { _ligne_invalide: "{oops", ij_statut: "invalide", ij_uai: "", ij_score: null },
    ]);
  });

  it("NDJSON from CSV cells: one object per line, empty JSON array when no rows", async () => {
    const out = sink();
    const w = await CatalogueWriter.open(undefined, out.stream, ["id"], ["ij_statut"], {
      ...csv,
      format: "ndjson",
    });
    w.row({ fields: ["1"], line: 2, raw: "1" }, { cells: ["couvert"] });
    await w.end();
    expect(out.text()).toBe('{"id":"1","ij_statut":"couvert"}\n');
    const empty = sink();
    await (await CatalogueWriter.open(undefined, empty.stream, ["id"], [], { ...csv, format: "json" })).end();
    expect(empty.text()).toBe("[]\n");
  });

  it("to a file: nothing under the final name until end(); abort() leaves nothing", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "out.csv");
      const w = await CatalogueWriter.open(path, process.stdout, ["id"], [], { ...csv, bom: false });
      w.row({ fields: ["1"], line: 2, raw: "1" }, { cells: [] });
      await w.flush(true);
      expect(await readdir(dir)).toEqual([expect.stringMatching(/^\.out\.csv\.tmp-/)]);
      await w.end();
      expect(await readFile(path, "utf8")).toBe("id\r\n1\r\n");
      const aborted = await CatalogueWriter.open(join(dir, "other.csv"), process.stdout, ["id"], [], csv);
      await aborted.abort();
      expect(await readdir(dir)).toEqual(["out.csv"]);
    });
  });
});
