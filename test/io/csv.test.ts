import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InserJeunesError } from "../../src/errors.js";
import {
  CsvParser,
  type CsvRecord,
  formatCsvRow,
  makeFieldQuoter,
  parseCsv,
  sniffDialect,
} from "../../src/io/csv.js";

const rfc = { delimiter: ";", quote: "rfc" } as const;
const fields = (records: CsvRecord[]) => records.map((r) => r.fields);

describe("CsvParser", () => {
  it("reads quoted fields with delimiters, doubled quotes and newlines, and keeps line numbers", () => {
    const text = 'a;b;c\n1;"x;y";"say ""hi"""\n2;"two\nlines";z\r\n3;;\n';
    const records = parseCsv(text, rfc);
    expect(fields(records)).toEqual([
      ["a", "b", "c"],
      ["1", "x;y", 'say "hi"'],
      ["2", "two\nlines", "z"],
      ["3", "", ""],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 5]);
  });

  it("keeps a quote inside an unquoted field literally (BCN, Certif Info)", () => {
    const records = parseCsv('CCI Limoges (ancien libelle "et gestion");X\n', rfc);
    expect(records[0]!.fields).toEqual(['CCI Limoges (ancien libelle "et gestion")', "X"]);
  });

  it("with quoting off, a field starting with a quote is literal", () => {
    const records = parseCsv('"et gestion" CIGE;X\n', { delimiter: ";", quote: "none" });
    expect(records[0]!.fields).toEqual(['"et gestion" CIGE', "X"]);
  });

  it("singleLine: a quote not closed on its own line is a character, whatever the chunks", () => {
    // As a BCN line whose label starts with a literal quote, then a line ending with one: read as
    // RFC quoting they would be one record of two lines; records of such producers never span lines.
    const text = 'a;b\n1;"option A\n2;fin"\n3;"ok";\n4;"say ""hi"""\n';
    const expected = [
      ["a", "b"],
      ["1", '"option A'],
      ["2", 'fin"'],
      ["3", "ok", ""],
      ["4", 'say "hi"'],
    ];
    for (const cut of [0, 5, 6, 9, 13, 20, 29, text.length]) {
      const parser = new CsvParser(rfc, "t.csv", { singleLine: true });
      const out: CsvRecord[] = [];
      parser.push(text.slice(0, cut), out);
      parser.push(text.slice(cut), out);
      parser.finish(out);
      expect(fields(out), `cut at ${cut}`).toEqual(expected);
      expect(out.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
      expect(out[1]!.anomaly).toBe('a " not closed on its line in field 2, read as a literal character');
    }
    // Without it, the quote runs over the line break: two lines, one record.
    expect(fields(parseCsv(text, rfc))[1]).toEqual(["1", "option A\n2;fin"]);
    // At the end of the input, an unclosed quote is a character too, not an error.
    const last = new CsvParser(rfc, "t.csv", { singleLine: true });
    const out: CsvRecord[] = [];
    last.push('1;"open', out);
    last.finish(out);
    expect(fields(out)).toEqual([["1", '"open']]);
  });

  it("flags text after a closing quote instead of failing", () => {
    const [record] = parseCsv('"AB"C;D\n', rfc);
    expect(record!.fields).toEqual(["ABC", "D"]);
    expect(record!.anomaly).toMatch(/closing quote/);
  });

  it("skips blank lines but counts them", () => {
    const records = parseCsv("a\n\n\nb\n", rfc);
    expect(fields(records)).toEqual([["a"], ["b"]]);
    expect(records[1]!.line).toBe(4);
  });

  it("reports an unclosed quote with the line where it opened", () => {
    const parse = () => parseCsv('a;b\n1;2\n3;"never closed\n4;5\n', rfc);
    expect(parse).toThrow(InserJeunesError);
    expect(parse).toThrow(/<text>:3/);
  });

  it("gives the same records whatever the chunk boundaries", () => {
    const text = 'h1;h2\r\n"a;1";"b\n""2"""\r\nc;d\r\n"e";\r\n';
    const whole = fields(parseCsv(text, rfc));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 6 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const parser = new CsvParser(rfc, "<chunks>");
        const out: CsvRecord[] = [];
        let last = 0;
        for (const p of points) {
          parser.push(text.slice(last, p), out);
          last = p;
        }
        parser.push(text.slice(last), out);
        parser.finish(out);
        expect(fields(out)).toEqual(whole);
      }),
    );
  });

  it("round-trips any table through the writer", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "é", ";", '"', "\n", " ", "1") });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        (rows) => {
          const quote = makeFieldQuoter(";");
          const table = [["x", "y", "z"], ...rows];
          const text = table.map((r) => formatCsvRow(r, quote, ";")).join("\n") + "\n";
          // A row of three empty cells is written ";;" and read back as such, never as a blank line.
          expect(fields(parseCsv(text, rfc))).toEqual(table);
        },
      ),
    );
  });
});

describe("sniffDialect", () => {
  it("finds ';' with RFC quoting in an Onisep-style file (quoted when a value has a space)", () => {
    const sample = '"code CNIS";"libellé";durée\n252;"bac pro MV";"3 ans"\n312;CAP;"2 ans"\n';
    expect(sniffDialect(sample)).toEqual({ delimiter: ";", quote: "rfc", lineEnding: "\n" });
  });

  it("turns quoting off for a BCN-style file whose values start with a literal quote", () => {
    const sample = 'A;B;C\n1;"et gestion" CIGE;x\n2;y;z\n';
    expect(sniffDialect(sample).quote).toBe("none");
  });

  it("uses the preferred quoting when the sample shows no quote at all", () => {
    const sample = "A;B\n1;2\n";
    expect(sniffDialect(sample, { preferQuote: "none" }).quote).toBe("none");
    expect(sniffDialect(sample).quote).toBe("rfc");
  });

  it("tells ',' from ';' and detects CRLF, tab and pipe", () => {
    expect(sniffDialect("a,b,c\r\n1,2,3\r\n4,5,6\r\n")).toEqual({
      delimiter: ",",
      quote: "rfc",
      lineEnding: "\r\n",
    });
    expect(sniffDialect("a\tb\n1\t2\n").delimiter).toBe("\t");
    expect(sniffDialect("MEF|CFD\n1|2\n").delimiter).toBe("|");
    // Commas inside values do not fool it when ';' splits every line evenly.
    expect(sniffDialect("id;libelle\n1;CAP, fleuriste\n2;BTS, CG, alternance\n").delimiter).toBe(";");
  });
});
