import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { InserJeunesError } from "../../src/errors.js";
import { type CatalogueInput, openCatalogue, openCatalogueInput } from "../../src/io/catalogue-reader.js";
import { readAhead } from "../../src/io/input.js";
import { FormationScanner, LHEO_COLUMNS, type LheoPiece } from "../../src/io/lheo-reader.js";
import { describeReal, fixture, real } from "../helpers/paths.js";

/** Open bytes cut in chunks of `size` (to put chunk boundaries everywhere), with a small read-ahead. */
async function open(bytes: Buffer | string, size = 7, sniff = 16): Promise<CatalogueInput> {
  const buffer = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) chunks.push(buffer.subarray(i, i + size));
  return openCatalogueInput(await readAhead(Readable.from(chunks), "<test>", buffer.length, sniff));
}

async function rows(input: CatalogueInput) {
  const out = [];
  for await (const batch of input.batches()) out.push(...batch);
  return out;
}

const col = (input: CatalogueInput, name: string) => input.columns.indexOf(name);

describe("CSV catalogues", () => {
  it.each([
    [
      "UTF-8 with BOM, ';', LF",
      "\uFEFFid;cfd\n1;40025214\n",
      "utf-8 (BOM), CSV delimiter ';', RFC quoting, LF",
    ],
    ["',', CRLF", "id,cfd\r\n1,40025214\r\n", "utf-8, CSV delimiter ',', RFC quoting, CRLF"],
    ["tab", "id\tcfd\n1\t40025214\n", "utf-8, CSV delimiter tab, RFC quoting, LF"],
    ["pipe", "id|cfd\n1|40025214\n", "utf-8, CSV delimiter pipe, RFC quoting, LF"],
  ])("%s", async (_name, text, describe) => {
    const input = await open(text);
    expect(input.format).toBe("csv");
    expect(input.describe).toBe(describe);
    expect((await rows(input)).map((r) => r.fields)).toEqual([["1", "40025214"]]);
  });

  it("cp1252 bytes are read as Windows-1252", async () => {
    const input = await open(iconv.encode("id;libellé\n1;Hôtel – café’s\n", "win1252"));
    expect(input.encoding.encoding).toBe("windows-1252");
    expect(input.header).toEqual(["id", "libellé"]);
    expect((await rows(input))[0]!.fields).toEqual(["1", "Hôtel – café’s"]);
  });

  it("quoted fields with delimiters, quotes and newlines; the raw line is kept to be written back", async () => {
    const text =
      'id;libelle;cfd\r\n1;"Bac pro; ""MV""\r\noption A";40025214\r\n2;="50033412";="50033412"\r\n';
    const [a, b] = await rows(await open(text));
    expect(a!.fields).toEqual(["1", 'Bac pro; "MV"\r\noption A', "40025214"]);
    expect(a!.raw).toBe('1;"Bac pro; ""MV""\r\noption A";40025214');
    expect(a!.line).toBe(2);
    // Excel-guarded values are cells like any other; identifiers.ts unwraps them when matching.
    expect(b!.fields).toEqual(["2", '="50033412"', '="50033412"']);
    expect(b!.line).toBe(4);
  });

  it("a line with too few or too many fields is padded or folded, and says so", async () => {
    const [short, long] = await rows(await open("a;b;c\n1;2\n1;2;3;4\n"));
    expect(short).toMatchObject({ fields: ["1", "2", ""], problem: "2 fields where the header has 3" });
    expect(long).toMatchObject({ fields: ["1", "2", "3;4"], problem: "4 fields where the header has 3" });
  });

  it("the first rows are read ahead for detection and yielded again, in order", async () => {
    const text = `n\n${Array.from({ length: 50 }, (_, i) => i).join("\n")}\n`;
    const input = await openCatalogueInput(
      await readAhead(Readable.from([Buffer.from(text)]), "<t>", undefined),
      {
        sampleRows: 10,
      },
    );
    expect(input.sample.map((r) => r.fields[0])).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect((await rows(input)).map((r) => r.fields[0])).toEqual(
      Array.from({ length: 50 }, (_, i) => String(i)),
    );
  });

  it("an xlsx is refused with what to do", async () => {
    await expect(open(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))).rejects.toThrow(
      /does not look like a text file/,
    );
  });
});

describe("JSON catalogues", () => {
  it("an array of objects: top-level keys are the columns, nested ones readable as key.sub", async () => {
    const text = JSON.stringify([
      {
        cfd: "32023107",
        bcn_mefs_10: [{ mef10: "3112310721" }, { mef10: "3112310722" }],
        duree: 2,
        ok: true,
      },
      { cfd: "46X25201", bcn_mefs_10: [], rncp: "RNCP36721" },
    ]);
    const input = await open(text);
    expect([input.format, input.describe]).toEqual(["json", "utf-8, JSON array"]);
    expect(input.header).toEqual(["cfd", "bcn_mefs_10", "duree", "ok", "rncp"]);
    expect(input.columns).toContain("bcn_mefs_10.mef10");
    const [a, b] = await rows(input);
    expect(a!.fields[col(input, "bcn_mefs_10.mef10")]).toBe("3112310721|3112310722");
    expect(a!.fields[col(input, "duree")]).toBe("2");
    expect(a!.object).toMatchObject({ duree: 2, ok: true });
    expect(b!.fields[col(input, "rncp")]).toBe("RNCP36721");
  });

  it("an object wrapping the array (the catalogue API) skips lists of scalars and the pagination", async () => {
    const text =
      '{"tags":["2024"],"formations":[{"cfd":"40025214"},{"cfd":"50031223","x":"]"}],"pagination":{"total":2}}';
    const input = await open(text, 5);
    expect(input.describe).toBe("utf-8, JSON object holding an array");
    expect((await rows(input)).map((r) => r.object)).toEqual([
      { cfd: "40025214" },
      { cfd: "50031223", x: "]" },
    ]);
  });

  it("NDJSON: one row per line, a broken line is a row that says why", async () => {
    const input = await open('{"cfd":"40025214"}\n\n{"cfd": oops}\r\n{"cfd":"50031223"}\n', 4, 32);
    expect(input.format).toBe("ndjson");
    const out = await rows(input);
    expect(out.map((r) => [r.line, r.fields[0], r.problem?.slice(0, 18)])).toEqual([
      [1, "40025214", undefined],
      [3, "", "not valid JSON (Un"],
      [4, "50031223", undefined],
    ]);
    expect(out[1]!.raw).toBe('{"cfd": oops}');
  });

  it("a truncated JSON file is an error naming the line", async () => {
    // Small files are read whole while the first rows are sampled: the error comes at open.
    await expect(open('[{"cfd":"40025214"},\n{"cfd":"5003')).rejects.toThrow(
      /<test>: the JSON ends in the middle of a value \(line 2\)/,
    );
  });
});

describe("LHEO catalogues", () => {
  it("LHEO 2.3: one row per action, the UAIs of lieu, formateur and organisme, Onisep ids as ids", async () => {
    const input = await openCatalogue(fixture("catalogues", "lheo23-two-actions.xml"));
    expect(input.describe).toBe("utf-8, LHEO 2.3 XML (one row per action)");
    expect(input.header).toEqual([...LHEO_COLUMNS]);
    const out = await rows(input);
    const get = (i: number, c: string) => out[i]!.fields[col(input, c)];
    expect(out).toHaveLength(3);
    expect([get(0, "action@numero"), get(0, "code-UAI-lieu-formation"), get(0, "duree-indicative")]).toEqual([
      "AF.69395",
      "0010001W",
      "3 ans",
    ]);
    expect([
      get(0, "code-RNCP"),
      get(0, "code-CERTIFINFO"),
      get(0, "FOR_ID ONISEP"),
      get(0, "ACT_ID ONISEP"),
    ]).toEqual(["19117", "82775", "FOR.5615", "AF.69395"]);
    expect([
      get(1, "code-UAI-formateur"),
      get(1, "SIRET-formateur"),
      get(1, "code-UAI-organisme-formation"),
    ]).toEqual(["0010006B", "19010006900012", "0010001W"]);
    expect([get(0, "lieu-region"), get(0, "session-debut"), get(0, "intitule-formation")]).toEqual([
      "84",
      "20240902",
      "Bac pro Maintenance des véhicules option A voitures particulières",
    ]);
    // A formation without any action still gives its row.
    expect([get(2, "formation@numero"), get(2, "action@numero"), get(2, "code-RNCP")]).toEqual([
      "sans-action",
      "",
      "38400",
    ]);
  });

  it("LHEO 2.2 with a namespace prefix, in ISO-8859-1 as declared", async () => {
    const input = await openCatalogue(fixture("catalogues", "lheo22-prefixed-latin1.xml"));
    expect(input.describe).toBe("windows-1252, LHEO 2.2 XML (one row per action)");
    const [row] = await rows(input);
    expect(row!.fields[col(input, "intitule-formation")]).toBe("CAP Fleuriste (année spéciale)");
    expect(row!.fields[col(input, "code-CERTIFINFO")]).toBe("100735");
  });

  it("the same rows whatever the chunk boundaries", async () => {
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(fixture("catalogues", "lheo23-two-actions.xml"));
    const whole = (await rows(await openCatalogue(fixture("catalogues", "lheo23-two-actions.xml")))).map(
      (r) => r.fields,
    );
    for (const size of [1, 13, 100, 4096])
      expect((await rows(await open(bytes, size, 64))).map((r) => r.fields)).toEqual(whole);
  });

  it("XML that is not LHEO, and malformed XML, are errors with a location", async () => {
    await expect(open('<?xml version="1.0"?><rss><channel/></rss>')).rejects.toThrow(
      /XML but not an LHEO feed/,
    );
    const broken =
      '<lheo xmlns="http://www.lheo.org/2.2"><offres>\n<formation numero="1">\n<intitule-formation>x</intitule>\n</formation></offres></lheo>';
    const error = await open(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InserJeunesError);
    expect((error as Error).message).toMatch(
      /^<test>:3\n {2}line: <intitule-formation>x<\/intitule>\nmalformed XML in a <formation>/,
    );
  });

  it("memory does not grow with the file: a 30 MB feed is cut one formation at a time", () => {
    const formation = (i: number) =>
      `<formation numero="${i}"><intitule-formation>Formation ${i} ${"x".repeat(2000)}</intitule-formation>` +
      `<certification><code-RNCP>${19117 + (i % 7)}</code-RNCP></certification>` +
      `<action numero="${i}"><duree-indicative>2 ans</duree-indicative></action></formation>\n`;
    const scanner = new FormationScanner("<feed>");
    const pieces: LheoPiece[] = [];
    let held = 0;
    let total = 0;
    let count = 0;
    scanner.push('<?xml version="1.0"?>\n<lheo xmlns="http://lheo.gouv.fr/2.3"><offres>\n', pieces);
    // 64 KB chunks, as the file reader gives them, cut anywhere.
    let pending = "";
    for (let i = 0; i < 14_000; i++) {
      pending += formation(i);
      while (pending.length >= 65_536) {
        scanner.push(pending.slice(0, 65_536), pieces);
        total += 65_536;
        pending = pending.slice(65_536);
        held = Math.max(held, scanner.buffered);
        count += pieces.length;
        pieces.length = 0;
      }
    }
    scanner.push(`${pending}</offres></lheo>\n`, pieces);
    count += pieces.length;
    expect(total).toBeGreaterThan(29_000_000);
    expect(count).toBe(14_000);
    // Never more than one chunk and the formation it cuts.
    expect(held).toBeLessThan(65_536 + 2_200);
  });
});

describeReal("real catalogues read", () => {
  it("the LHEO 2.2 example of the lheo-schema repository (Onisep BTS NRC offer)", async () => {
    // real-samples/lheo/lheo-schema_exemple-bts-onisep.xml: <code-RNCP>474</code-RNCP>,
    // <code-CERTIFINFO>19004</code-CERTIFINFO>, <duree-indicative>2 ans</duree-indicative>,
    // FOR_ID ONISEP 9436, ACT_ID ONISEP 18706, lieu region 53 (Bretagne), no UAI element (2.2).
    const input = await openCatalogue(real("lheo", "lheo-schema_exemple-bts-onisep.xml"));
    const [row] = await rows(input);
    const get = (c: string) => row!.fields[col(input, c)];
    expect([get("code-RNCP"), get("code-CERTIFINFO"), get("duree-indicative")]).toEqual([
      "474",
      "19004",
      "2 ans",
    ]);
    expect([
      get("FOR_ID ONISEP"),
      get("ACT_ID ONISEP"),
      get("lieu-region"),
      get("code-UAI-lieu-formation"),
    ]).toEqual(["FOR.9436", "AF.18706", "53", ""]);
  });

  it("the catalogue de l'apprentissage API response (two formations)", async () => {
    const input = await openCatalogue(
      real("catalogue-apprentissage", "trajpro_fixture_catalogue_api_v1_entity_formations.json"),
    );
    const out = await rows(input);
    expect(out.map((r) => [r.fields[col(input, "cfd")], r.fields[col(input, "bcn_mefs_10.mef10")]])).toEqual([
      ["46X25201", ""],
      ["32023107", "3112310721|3112310722"],
    ]);
  });
});
