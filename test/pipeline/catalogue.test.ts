import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isUtf8 } from "node:buffer";
import { join } from "node:path";
import fc from "fast-check";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataDir } from "../../src/data-dir.js";
import { ExitCode, InserJeunesError } from "../../src/errors.js";
import { formatCsvRow, makeFieldQuoter, parseCsv } from "../../src/io/csv.js";
import type { CatalogueOptions } from "../../src/pipeline/catalogue.js";
import { runCatalogue } from "../helpers/catalogue.js";
import { MATCH_COLUMNS } from "../../src/pipeline/output-columns.js";
import { buildTestIndex, link } from "../helpers/index.js";
import { DEMO_SOURCES, fixture } from "../helpers/paths.js";

/**
 * The catalogue pipeline on an index built from the bundled fixtures (the demo's sources), plus records
 * for the tables other modules parse: an Onisep action, the famille "Relation client", the catalogue de
 * l'apprentissage's UAIs, two schools of the annuaire, and kit apprentissage links. Expected codes are
 * those of the fixtures (see test/e2e/demo.test.ts for their derivation).
 */
let dir: string;
let dataDir: DataDir;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "inserjeunes-pipeline-"));
  dataDir = await buildTestIndex(dir, {
    files: Object.fromEntries(Object.entries(DEMO_SOURCES).map(([id, path]) => [id, [path]])),
    records: {
      "onisep-actions-lycee": [
        {
          kind: "onisep-action",
          afId: "AF.69395",
          forId: "FOR.5615",
          uai: "0010001W",
          duree: 3,
          libelle: "",
          typeFormation: "baccalauréat professionnel",
        },
      ],
      "kit-apprentissage": [link("rncp", "38302", "cfd", "40031106")],
      "catalogue-apprentissage": [
        {
          kind: "uai-role",
          cle: "k1",
          cfd: "40025214",
          uaiLieu: "0010006B",
          uaiFormateur: null,
          uaiGestionnaire: null,
          duree: 3,
        },
      ],
      "annuaire-education": [
        {
          kind: "etablissement",
          uai: "0010001W",
          nom: "LP Alexandre Bérard",
          commune: "01004",
          communeLibelle: "Ambérieu-en-Bugey",
          departement: "001",
          academie: "10",
          region: "84",
          nature: "320",
        },
      ],
    },
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(input: string | Buffer, options: Partial<CatalogueOptions> = {}, name = "catalogue.csv") {
  const path = join(dir, name);
  await writeFile(path, input);
  const { out, summary, logger } = await runCatalogue(
    { mode: "match", input: path, dataDir, ...options },
    new Date("2026-01-01T00:00:00Z"),
  );
  return { out, summary, logger, path };
}

const ij = (line: string, header: string[], column: string) => {
  const fields = parseCsv(`${line}\n`, { delimiter: ";", quote: "rfc" })[0]!.fields;
  return fields[header.indexOf(column)];
};

describe("processCatalogue", () => {
  it("CSV in, CSV out: input columns untouched, ij_ columns appended, rows in order", async () => {
    const input =
      '\uFEFFid;uai;cfd;duree;voie\r\n1;0010001W;40025214;3 ans;scolaire\r\n2;;="50033412";2 ans;scolaire\r\n3;;4002521;;\r\n';
    const { out, summary } = await run(input);
    const lines = out.split("\r\n");
    expect(lines[0]).toBe(`\uFEFFid;uai;cfd;duree;voie;${MATCH_COLUMNS.join(";")}`);
    expect(lines[1]).toMatch(
      /^1;0010001W;40025214;3 ans;scolaire;couvert;;cfd;1;scolaire;MEFSTAT11:23830025214;40025214;23830025214;;0010001W;$/,
    );
    expect(lines[2]).toMatch(
      /^2;;="50033412";2 ans;scolaire;non_couvert;pas_de_donnees;cfd;1;scolaire;MEFSTAT11:23220033412;/,
    );
    expect(lines[3]).toBe("3;;4002521;;;invalide;identifiant_invalide;;;;;;;;;");
    expect(summary).toMatchObject({
      rows: 3,
      unmatched: 1,
      byStatut: { couvert: 1, non_couvert: 1, invalide: 1 },
    });
  });

  it("JSON in, JSON out: each object as read, plus the ij_ keys", async () => {
    const input = JSON.stringify({
      formations: [
        { cfd: "40025214", uai_formation: "0010006B", duree: "3", bcn_mefs_10: [{ mef10: "2472521431" }] },
        { cfd: "56122101", uai_formation: null, duree: "2", bcn_mefs_10: [] },
      ],
      pagination: { total: 2 },
    });
    const { out, summary } = await run(input, { preset: "catalogue-apprentissage" }, "formations.json");
    const rows = JSON.parse(out) as Record<string, unknown>[];
    expect(summary.format).toBe("json");
    expect(rows[0]).toMatchObject({
      bcn_mefs_10: [{ mef10: "2472521431" }],
      ij_statut: "couvert",
      ij_voie: "apprentissage",
      ij_methode: "mef",
      ij_code_certification: "CFD:40025214",
      ij_uai: "0010006B",
      ij_score: 1,
    });
    expect(rows[1]).toMatchObject({ cfd: "56122101", ij_motif: "code_inconnu", ij_score: 1 });
  });

  it("LHEO in: one CSV row per action; Onisep ids and UAIs read from the feed", async () => {
    const { out, logger } = await run(
      await readFile(fixture("catalogues", "lheo23-two-actions.xml")),
      {},
      "offres.xml",
    );
    expect(logger.lines.join("\n")).toContain("[preset lheo]");
    const [head, ...rows] = out.trimEnd().split("\n");
    const header = head!.split(";");
    expect(rows).toHaveLength(3);
    // FOR.5615 (the formation's FOR_ID ONISEP, rank 4, before its action AF.69395) → 40025214, 3 ans
    // → 23830025214; the school of the lieu de formation.
    expect(["ij_code_certification", "ij_methode", "ij_uai"].map((c) => ij(rows[0]!, header, c))).toEqual([
      "MEFSTAT11:23830025214",
      "onisep",
      "0010001W",
    ]);
    // The second action: FOR.5615 + "2 ans" (bac pro famille rule → year 3), no voie: both voies have
    // national figures, but apprentissage 40025214 also has figures for the region of 0010006B (84), a
    // narrower level, so it is reported.
    expect([ij(rows[1]!, header, "ij_code_certification"), ij(rows[1]!, header, "ij_uai")]).toEqual([
      "CFD:40025214",
      "0010006B",
    ]);
    // RNCP 38400 → Certif Info 100735 → CAP fleuriste 50031223, no durée and no voie: three terminal
    // MEFSTAT11 in scolaire, one code in apprentissage, which has national figures (france/2023).
    expect(["ij_statut", "ij_code_certification"].map((c) => ij(rows[2]!, header, c))).toEqual([
      "couvert",
      "CFD:50031223",
    ]);
  });

  it("--rejects: rows that share one answer each name their own UAI's problem", async () => {
    // The same malformed CFD (7 digits) on three rows: one answer per kind of UAI (invalid ones share
    // one), but each reason names the row's UAI. Check letters, "ABCDEFGHJKLMNPRSTUVWXYZ"[n % 23]:
    // 0010001 → 10001 % 23 = 19 → W, so 0010001X fails; 0131436 → 131436 % 23 = 14 → R, so 0131436S
    // fails; 0010001W (row 3) is valid and adds nothing.
    const input = "id;uai;cfd\n1;0010001X;4002521\n2;0131436S;4002521\n3;0010001W;4002521\n";
    const rejects = join(dir, "rejects-uai.csv");
    await run(input, { rejects });
    const cfd = 'CFD: CFD ""4002521"" has 7 digits: a leading zero was probably lost (04002521?)';
    expect(await readFile(rejects, "utf8")).toBe(
      "ligne;ij_motif;raison;id;uai;cfd\n" +
        `2;identifiant_invalide;"${cfd}; UAI ""0010001X"" fails its checksum (expected letter W)";1;0010001X;4002521\n` +
        `3;identifiant_invalide;"${cfd}; UAI ""0131436S"" fails its checksum (expected letter R)";2;0131436S;4002521\n` +
        `4;identifiant_invalide;"${cfd}";3;0010001W;4002521\n`,
    );
  });

  it("--format ndjson from CSV; --rejects, --unmatched and --report by extension", async () => {
    const input =
      "id;cfd;voie\n1;40025214;apprentissage\n2;99999999;apprentissage\n3;40025214;apprentissage;x\n";
    const files = {
      rejects: join(dir, "rejects.csv"),
      unmatched: join(dir, "unmatched.csv"),
      report: join(dir, "report.md"),
    };
    const { out, summary } = await run(input, { format: "ndjson", ...files });
    expect(
      out
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { ij_statut: string }).ij_statut),
    ).toEqual(["couvert", "non_couvert", "invalide"]);
    expect(await readFile(files.rejects, "utf8")).toBe(
      // The extra cell is folded into the last column, so the file stays rectangular.
      'ligne;ij_motif;raison;id;cfd;voie\n4;ligne_malformee;4 fields where the header has 3;3;40025214;"apprentissage;x"\n',
    );
    // In the output's format: NDJSON here.
    const unmatched = (await readFile(files.unmatched, "utf8")).trim().split("\n");
    expect(unmatched.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(["2", "3"]);
    const report = await readFile(files.report, "utf8");
    expect(report).toContain("| couvert | 1 | 33.3 |");
    expect(report).toContain("| CFD 99999999 | 1 | code_inconnu |");
    expect(summary.report).toBe(files.report);
  });

  it("--max-unmatched: exit 5 once the output is written", async () => {
    const out = join(dir, "gate.csv");
    const attempt = run("cfd\n40025214\n99999999\n12345678\n", { out, maxUnmatched: { percent: 50 } });
    await expect(attempt).rejects.toMatchObject({ exitCode: ExitCode.tooManyErrors });
    await expect(attempt).rejects.toThrow(/2 of 3 row\(s\) without a code, more than --max-unmatched 50%/);
    expect((await readFile(out, "utf8")).split("\n")).toHaveLength(5);
  });

  it("--fuzzy: a label-only catalogue, labelled libelle_approx with its score", async () => {
    const { out } = await run("intitule;voie\nCAP Fleuriste;apprentissage\nFleuriste;apprentissage\n", {
      fuzzy: true,
    });
    const [head, a, b] = out.split("\n");
    const header = head!.split(";");
    expect([
      ij(a!, header, "ij_code_certification"),
      ij(a!, header, "ij_methode"),
      ij(a!, header, "ij_score"),
    ]).toEqual(["CFD:50031223", "libelle_approx", "1"]);
    expect(ij(b!, header, "ij_motif")).toBe("identifiant_absent");
  });

  it("the onisep-actions preset: the action's school and durée, voie scolaire", async () => {
    const input =
      '"Action de Formation (AF) identifiant Onisep";"FOR URL et ID Onisep";"ENS code UAI";"AF durée cycle standard"\nAF.69395;;;\n;https://www.onisep.fr/http/redirection/formation/slug/FOR.1421;0010001W;"2 ans"\n';
    const { out } = await run(input, { preset: "onisep-actions" });
    const [head, a, b] = out.split("\n");
    const header = parseCsv(`${head}\n`, { delimiter: ";", quote: "rfc" })[0]!.fields;
    expect([
      ij(a!, header, "ij_code_certification"),
      ij(a!, header, "ij_uai"),
      ij(a!, header, "ij_voie"),
    ]).toEqual(["MEFSTAT11:23830025214", "0010001W", "scolaire"]);
    expect(ij(b!, header, "ij_code_certification")).toBe("MEFSTAT11:23220031223");
  });

  it("a UAI unknown to the annuaire and the catalogue is uai_inconnu; one the catalogue names is known", async () => {
    const { out } = await run(
      "uai;cfd;voie;duree\n0010016M;40025214;scolaire;3\n0010006B;40025214;apprentissage;3\n",
    );
    const [head, a, b] = out.split("\n");
    const header = head!.split(";");
    expect(ij(a!, header, "ij_motif")).toBe("uai_inconnu");
    expect(ij(b!, header, "ij_motif")).toBe("pas_de_donnees_etablissement");
  });

  it("no usable column: exit 2 listing the columns seen", async () => {
    const attempt = run("nom;ville\nLycée Bérard;Ambérieu\n");
    await expect(attempt).rejects.toBeInstanceOf(InserJeunesError);
    await expect(attempt).rejects.toMatchObject({
      exitCode: 2,
      hint: expect.stringContaining("columns seen: nom, ville"),
    });
  });
});

describe("output rows = input rows, in order, whatever the dialect (property)", () => {
  const cell = fc.string({ unit: fc.constantFrom("a", "é", "’", ";", ",", "|", "\t", '"', "\n", " ", "1") });
  const code = fc.constantFrom("40025214", "50031223", "99999999", "4002521", "", "FOR.5615", "RNCP19117");
  const row = fc.record({
    code,
    uai: fc.constantFrom("0010001W", "0010001X", "", "0010006B"),
    label: cell,
    broken: fc.constantFrom("none", "none", "none", "short", "long"),
  });
  const dialect = fc.record({
    delimiter: fc.constantFrom(";", ",", "\t", "|"),
    eol: fc.constantFrom("\n", "\r\n"),
    bom: fc.boolean(),
    cp1252: fc.boolean(),
    /** --delimiter given, or detected. */
    forced: fc.boolean(),
  });

  it("random rows, dialects and broken lines", async () => {
    await fc.assert(
      fc.asyncProperty(dialect, fc.array(row, { minLength: 1, maxLength: 25 }), async (d, rows) => {
        const quote = makeFieldQuoter(d.delimiter);
        const lines = [formatCsvRow(["id", "code", "uai", "libelle"], quote, d.delimiter)];
        rows.forEach((r, i) => {
          let fields = [String(i + 1), r.code, r.uai, r.label];
          if (r.broken === "short") fields = fields.slice(0, 3);
          if (r.broken === "long") fields = [...fields, "extra"];
          lines.push(formatCsvRow(fields, quote, d.delimiter));
        });
        const text = (d.bom && !d.cp1252 ? "\uFEFF" : "") + lines.join(d.eol) + d.eol;
        const bytes = d.cp1252 ? iconv.encode(text, "win1252") : Buffer.from(text);
        // Detection reads strict UTF-8 first (DESIGN.md): cp1252 bytes that happen to be valid UTF-8 too
        // ("é’’" = E9 92 92 = U+9492) are read as UTF-8, unless --encoding says otherwise.
        fc.pre(d.forced || !d.cp1252 || !isUtf8(bytes));
        const { out, summary } = await run(bytes, {
          columns: "cfd=code,uai=uai,onisep=code,rncp=code",
          ...(d.forced ? { delimiter: d.delimiter, encoding: d.cp1252 ? "windows-1252" : "utf-8" } : {}),
        });
        const parsed = parseCsv(out.replace(/^\uFEFF/, ""), { delimiter: d.delimiter, quote: "rfc" });
        expect(parsed.length).toBe(rows.length + 1);
        expect(parsed.slice(1).map((r) => r.fields[0])).toEqual(rows.map((_, i) => String(i + 1)));
        parsed.slice(1).forEach((r, i) => {
          expect(r.fields).toHaveLength(4 + MATCH_COLUMNS.length);
          const input = rows[i]!;
          if (input.broken === "none")
            expect(r.fields.slice(1, 4)).toEqual([input.code, input.uai, input.label]);
          else expect(r.fields[4]).toBe("invalide");
        });
        // The summary counts what was written: rows sharing an answer, or a verdict, are tallied once
        // with their number (catalogue.ts), and none is lost or counted twice.
        const tally = (cells: string[]) => {
          const counts: Record<string, number> = {};
          for (const c of cells) if (c !== "") counts[c] = (counts[c] ?? 0) + 1;
          return counts;
        };
        const written = parsed.slice(1);
        expect(summary.rows).toBe(rows.length);
        expect(Object.fromEntries(Object.entries(summary.byStatut).filter(([, n]) => n > 0))).toEqual(
          tally(written.map((r) => r.fields[4]!)),
        );
        expect(summary.byMotif).toEqual(tally(written.map((r) => r.fields[5]!)));
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

describe("a row's answer does not depend on the rows before it (property)", () => {
  // The resolver remembers answers per set of codes and kind of UAI (pipeline/resolver.ts), the ones for
  // a malformed UAI or code in small caches of their own: whatever the order, and so whatever is
  // remembered when a row comes, the row must get the cells it gets on its own. 0010001X fails its
  // checksum (see the --rejects test above), 0010001W is a school of the annuaire, 0010006B one of the
  // catalogue de l'apprentissage, 0010002X is well formed but unknown (10002 % 23 = 20 → X).
  const row = fc.record({
    code: fc.constantFrom(
      "40025214",
      "50031223",
      "99999999",
      "4002521",
      "",
      "FOR.5615",
      "RNCP19117",
      "RNCP38302",
    ),
    uai: fc.constantFrom("0010001W", "0010001X", "0131436S", "", "0010006B", "0010002X"),
  });

  const cellsById = (out: string) => {
    const [head, ...rows] = parseCsv(out, { delimiter: ";", quote: "rfc" });
    const first = head!.fields.indexOf("ij_statut");
    return new Map(rows.map((r) => [r.fields[0]!, r.fields.slice(first).join("|")]));
  };

  it("in order, reversed, and alone", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("match" as const, "enrich" as const),
        fc.array(row, { minLength: 2, maxLength: 30 }),
        async (mode, rows) => {
          const lines = rows.map((r, i) => `${i + 1};${r.code};${r.uai}`);
          const csv = (ls: string[]) => `id;code;uai\n${ls.join("\n")}\n`;
          const options = { mode, columns: "cfd=code,uai=uai,onisep=code,rncp=code" };
          const inOrder = cellsById((await run(csv(lines), options)).out);
          const reversed = cellsById((await run(csv([...lines].reverse()), options)).out);
          expect(reversed).toEqual(inOrder);
          const alone = cellsById((await run(csv([lines[lines.length - 1]!]), options)).out);
          expect(alone.get(String(lines.length))).toBe(inOrder.get(String(lines.length)));
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);
});
