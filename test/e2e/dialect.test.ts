import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoIndexWithCli, runCli } from "../helpers/cli.js";
import { fixture } from "../helpers/paths.js";

/**
 * The output dialect of match and enrich through the built bin (DESIGN.md: "The output keeps the input's
 * delimiter and line endings; it is UTF-8 (with a BOM when the input had one) unless --output-encoding
 * windows-1252", and "--excel: ';', UTF-8 BOM, CRLF and formula-safe cells").
 *
 * fixtures/catalogues/accents-comma-lf.csv is a catalogue as a spreadsheet or pandas exports it: ',', LF,
 * UTF-8 without BOM, Onisep and BCN labels with é è â œ ’ –, and comment cells that look like formulas.
 * Its rows, against the demo's sources (codes derived in test/e2e/demo.test.ts):
 *  1 (line 2)  CFD 40025214 + 3 ans, scolaire → terminal MEFSTAT11 23830025214 (demo row 1), couvert;
 *              the school's own figures: ij_uai_donnee_type lieu.
 *  2 (line 3)  CFD 50031223 + 2 ans, scolaire → 23220031223 (demo row 2), couvert.
 *  3 (line 4)  CFD 50022136 (CAP Pâtissier, the successor of 50022124 in the BCN) is not in the fixture
 *              BCN → non_couvert / code_inconnu. Its comment is =HYPERLINK("https://exemple.test";"clic").
 *  4 (line 5)  no identifier → invalide / identifiant_absent. Its comment is @SOMME(A1:A2).
 */
const INPUT = fixture("catalogues", "accents-comma-lf.csv");
const MATCH_COLUMNS =
  "ij_statut,ij_motif,ij_methode,ij_score,ij_voie,ij_code_certification,ij_cfd,ij_mefstat11,ij_sise,ij_uai,ij_candidats";

let dir: string;
let data: string[];
let inputText: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "inserjeunes-dialect-e2e-"));
  data = ["--data-dir", join(dir, "data")];
  const steps = await buildDemoIndexWithCli(join(dir, "data"));
  expect(steps.map((r) => r.code)).toEqual([0, 0]);
  inputText = await readFile(INPUT, "utf8");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run a command writing to a file of the temp dir; returns the exit code, stderr and the output bytes. */
async function run(command: string, args: string[], name: string, input = INPUT) {
  const out = join(dir, name);
  const result = await runCli([...data, command, input, "-o", out, ...args]);
  const bytes = await readFile(out).catch(() => undefined);
  return { ...result, bytes };
}

/** The input's data lines (without their LF). */
const inputLines = () => inputText.trimEnd().split("\n");

describe("output dialect of match and enrich (built bin)", () => {
  it("by default keeps ',', LF, no BOM and UTF-8: each input line written back byte for byte, then the ij_ cells", async () => {
    const { code, bytes } = await run("match", [], "default.csv");
    expect(code).toBe(0);
    const lines = bytes!.toString("utf8").split("\n");
    expect(lines.pop()).toBe(""); // ends with LF
    expect(lines).toHaveLength(5); // header + 4 rows, as the input
    expect(bytes!.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(bytes!.includes(Buffer.from("\r"))).toBe(false);
    inputLines().forEach((line, i) => expect(lines[i]!.startsWith(`${line},`)).toBe(true));
    expect(lines[0]).toBe(`${inputLines()[0]},${MATCH_COLUMNS}`);
    // Formula-looking cells are left alone without --excel / --excel-safe.
    expect(lines[4]).toBe(
      "4,Bac pro Métiers de l'accueil,,,,,scolaire,@SOMME(A1:A2),invalide,identifiant_absent,,,scolaire,,,,,,",
    );
  });

  it("--excel: ';', CRLF, UTF-8 BOM, formula-safe cells, rows requoted for ';' — the exact bytes", async () => {
    const { code, bytes } = await run("match", ["--excel"], "excel.csv");
    expect(code).toBe(0);
    const expected =
      "\uFEFF" +
      [
        `id;intitule;etablissement;uai;cfd;duree;voie;commentaire;${MATCH_COLUMNS.replaceAll(",", ";")}`,
        "1;Bac pro Maintenance des véhicules option A voitures particulières;Lycée professionnel Alexandre Bérard;0010001W;40025214;3 ans;scolaire;Cœur de métier : l’entretien – 2 ans;couvert;;cfd;1;scolaire;MEFSTAT11:23830025214;40025214;23830025214;;0010001W;",
        "2;CAP Fleuriste;Lycée des métiers de l'accueil;;50031223;2 ans;scolaire;-3;couvert;;cfd;1;scolaire;MEFSTAT11:23220031223;50031223;23220031223;;;",
        // The ',' inside the quoted label needs no quotes with ';'; the formula gets its ' and, holding
        // ';' and '"', is quoted with its quotes doubled.
        `3;CAP Pâtissier;Centre de Formation d'Apprentis de la Fédération des Artisans Boulangers Pâtissiers, Romagnat;0632072K;50022136;2 ans;apprentissage;"'=HYPERLINK(""https://exemple.test"";""clic"")";non_couvert;code_inconnu;cfd;1;apprentissage;CFD:50022136;50022136;;;0632072K;`,
        "4;Bac pro Métiers de l'accueil;;;;;scolaire;'@SOMME(A1:A2);invalide;identifiant_absent;;;scolaire;;;;;;",
      ].join("\r\n") +
      "\r\n";
    expect(bytes!.toString("utf8")).toBe(expected);
    expect([...bytes!.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("enrich --excel: the figures of row 1 (demo row 1: 31 in terminal year at 0010001W) and --rejects read like the output", async () => {
    const rejects = join(dir, "excel-rejects.csv");
    const { code, bytes } = await run("enrich", ["--excel", "--rejects", rejects], "excel-enrich.csv");
    expect(code).toBe(0);
    const lines = bytes!.toString("utf8").split("\r\n");
    expect(lines).toHaveLength(6); // header, 4 rows, "" after the last CRLF
    // emploi 6 = 9/31 → 29, 12 = 11/31 → 35, formation 13/31 → 42, autres 29 and 23 (demo.test.ts row 1).
    expect(lines[1]).toBe(
      "1;Bac pro Maintenance des véhicules option A voitures particulières;Lycée professionnel Alexandre Bérard;0010001W;40025214;3 ans;scolaire;Cœur de métier : l’entretien – 2 ans;couvert;;cfd;1;scolaire;MEFSTAT11:23830025214;40025214;23830025214;;0010001W;etablissement;2022_2023;pro;self;23830025214;31;18;13;9;11;;;29;35;;;42;29;23;;;;;;;;lieu;",
    );
    expect(await readFile(rejects, "utf8")).toBe(
      "\uFEFFligne;ij_motif;raison;id;intitule;etablissement;uai;cfd;duree;voie;commentaire\r\n" +
        "5;identifiant_absent;;4;Bac pro Métiers de l'accueil;;;;;scolaire;'@SOMME(A1:A2)\r\n",
    );
  });

  it("--output-encoding windows-1252: the input's dialect in cp1252 bytes (é E9, œ 9C, ’ 92, – 96), no BOM", async () => {
    const utf8 = await run("match", [], "utf8.csv");
    const { code, bytes } = await run("match", ["--output-encoding", "windows-1252"], "cp1252.csv");
    expect(code).toBe(0);
    // Same text as the UTF-8 output, only encoded otherwise: one byte per character.
    expect(iconv.decode(bytes!, "win1252")).toBe(utf8.bytes!.toString("utf8"));
    expect(bytes!.length).toBe(utf8.bytes!.toString("utf8").length);
    const row1 = bytes!.subarray(bytes!.indexOf("\n1,") + 1);
    // "1,Bac pro Maintenance des v" then é (0xE9).
    expect(row1[27]).toBe(0xe9);
    const comment = row1.subarray(row1.indexOf(",scolaire,C") + 11, row1.indexOf(",couvert,"));
    expect(comment).toEqual(
      Buffer.concat([
        Buffer.from([0x9c]), // œ ("Cœur")
        Buffer.from("ur de m"),
        Buffer.from([0xe9]), // é
        Buffer.from("tier : l"),
        Buffer.from([0x92]), // ’
        Buffer.from("entretien "),
        Buffer.from([0x96]), // –
        Buffer.from(" 2 ans"),
      ]),
    );
    expect(bytes![0]).toBe(0x69); // "id", no BOM
  });

  it("--excel --output-encoding windows-1252: ';', CRLF, formula-safe, cp1252 bytes and no BOM", async () => {
    const excel = await run("match", ["--excel"], "excel-ref.csv");
    const { code, bytes } = await run(
      "match",
      ["--excel", "--output-encoding", "cp1252"],
      "excel-cp1252.csv",
    );
    expect(code).toBe(0);
    expect(iconv.decode(bytes!, "win1252")).toBe(excel.bytes!.toString("utf8").slice(1)); // less the BOM
    expect(bytes!.subarray(0, 3).toString("latin1")).toBe("id;");
    expect(bytes!.includes(Buffer.from("CAP P\xe2tissier;", "latin1"))).toBe(true); // â E2
  });

  it("a windows-1252 input written back in windows-1252: the input's bytes, then the ij_ cells", async () => {
    const cp1252Input = join(dir, "offres-cp1252.csv");
    const original = iconv.encode(
      inputText.replaceAll("\n", "\r\n").replaceAll(",", ";").replace(
        // the one cell holding ',' keeps its quotes; the formula cell holds ';' and keeps them too
        "Pâtissiers; Romagnat",
        "Pâtissiers, Romagnat",
      ),
      "win1252",
    );
    await writeFile(cp1252Input, original);
    const { code, stderr, bytes } = await run(
      "match",
      ["--output-encoding", "windows-1252"],
      "roundtrip.csv",
      cp1252Input,
    );
    expect(code).toBe(0);
    expect(stderr).toContain("offres-cp1252.csv: windows-1252, CSV delimiter ';', RFC quoting, CRLF");
    const outLines = bytes!.toString("latin1").split("\r\n");
    original
      .toString("latin1")
      .trimEnd()
      .split("\r\n")
      .forEach((line, i) => expect(outLines[i]!.startsWith(`${line};`)).toBe(true));
    // Without --output-encoding the same input gives UTF-8 (DESIGN: UTF-8 unless asked).
    const utf8 = await run("match", [], "roundtrip-utf8.csv", cp1252Input);
    expect(utf8.bytes!.toString("utf8")).toContain("CAP Pâtissier;");
  });

  it("a character windows-1252 lacks is exit 2 naming the file, line, column and value; nothing is written", async () => {
    const input = join(dir, "co2.csv");
    await writeFile(
      input,
      "id;intitule;cfd\n1;CAP Pâtissier;50031223\n2;BTS Métiers de la chimie – bilan CO₂;32031408\n",
    );
    const { code, stderr, bytes } = await run(
      "enrich",
      ["--output-encoding", "windows-1252"],
      "co2.out.csv",
      input,
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      `error: ${input}:3, column "intitule", value "BTS Métiers de la chimie – bilan CO₂": "₂" (U+2082) cannot be written in windows-1252\n` +
        "Possible fix: keep the default --output-encoding utf-8",
    );
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(bytes).toBeUndefined();
    expect((await readdir(dir)).filter((f) => f.startsWith(".co2.out.csv") || f === "co2.out.csv")).toEqual(
      [],
    );
  });

  it("refuses what cannot be: windows-1252 JSON/NDJSON, --excel with --format json, an unknown encoding (exit 2)", async () => {
    const json = await runCli([
      ...data,
      "enrich",
      INPUT,
      "--format",
      "json",
      "--output-encoding",
      "windows-1252",
    ]);
    expect([json.code, json.stderr]).toEqual([
      2,
      "error: --output-encoding windows-1252 applies to CSV output only; JSON is always UTF-8\n" +
        "Possible fix: leave out --output-encoding, or use --format csv\n",
    ]);
    const ndjson = await runCli([...data, "match", "-", "--output-encoding", "windows-1252"], {
      input: '{"cfd":"40025214"}\n',
    });
    expect(ndjson.code).toBe(2);
    expect(ndjson.stderr).toContain("NDJSON is always UTF-8 (the output is NDJSON because the input is)");
    const excel = await runCli([...data, "match", INPUT, "--excel", "--format", "json"]);
    expect([excel.code, excel.stderr]).toEqual([
      2,
      "error: --excel writes CSV for Excel: it cannot go with --format json\n" +
        "Possible fix: leave out --excel to write JSON, or --format to write CSV\n",
    ]);
    const latin1 = await runCli([...data, "match", INPUT, "--output-encoding", "latin1"]);
    expect(latin1.code).toBe(2);
    expect(latin1.stderr).toContain("--output-encoding latin1: expected utf-8 or windows-1252");
  });

  it("--excel on an NDJSON input gives CSV for Excel; --excel-safe alone keeps the input's dialect", async () => {
    const ndjson = await runCli([...data, "match", "-", "--excel", "--quiet"], {
      input: '{"id":1,"cfd":"40025214","commentaire":"+33 4 74 00 00 00"}\n',
    });
    expect(ndjson.code).toBe(0);
    expect(ndjson.stdout).toBe(
      `\uFEFFid;cfd;commentaire;${MATCH_COLUMNS.replaceAll(",", ";")}\r\n` +
        "1;40025214;'+33 4 74 00 00 00;couvert;;cfd;1;scolaire;MEFSTAT11:23830025214;40025214;23830025214;;;\r\n",
    );
    const { code, bytes } = await run("match", ["--excel-safe"], "safe.csv");
    expect(code).toBe(0);
    const lines = bytes!.toString("utf8").split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[2]).toBe(
      "2,CAP Fleuriste,Lycée des métiers de l'accueil,,50031223,2 ans,scolaire,-3,couvert,,cfd,1,scolaire,MEFSTAT11:23220031223,50031223,23220031223,,,",
    );
    expect(lines[3]).toContain(
      `,apprentissage,"'=HYPERLINK(""https://exemple.test"";""clic"")",non_couvert,`,
    );
  });
});
