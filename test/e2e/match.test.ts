import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoIndexWithCli, runCli } from "../helpers/cli.js";
import { fixture } from "../helpers/paths.js";

/** `match` through the built bin, on the demo's sources (codes derived in test/e2e/demo.test.ts). */
let dir: string;
let data: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "inserjeunes-match-e2e-"));
  data = ["--data-dir", join(dir, "data")];
  const steps = await buildDemoIndexWithCli(join(dir, "data"));
  expect(steps.map((r) => r.code)).toEqual([0, 0]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("inserjeunes match", () => {
  it("NDJSON on stdin → NDJSON on stdout; what was detected goes to stderr", async () => {
    const { code, stdout, stderr } = await runCli([...data, "match", "-"], {
      input:
        '{"id":1,"certif":"RNCP19117","statut":"apprentissage"}\n{"id":2,"certif":"RNCP38360","statut":"scolaire","duree":"2 ans"}\n',
    });
    expect(code).toBe(0);
    expect(stderr).toContain("<stdin>: utf-8, NDJSON");
    expect(stderr).toContain("columns: rncp=certif (values: 2/2 RNCP), duree=duree, voie=statut [detected]");
    const rows = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r["id"], r["ij_code_certification"], r["ij_statut"]])).toEqual([
      [1, "CFD:40025214", "couvert"],
      [2, "MEFSTAT11:32221033107", "sous_seuil"],
    ]);
  });

  it("LHEO → CSV file, with the report as HTML, the rejects and the unmatched rows", async () => {
    const out = join(dir, "offres.csv");
    const report = join(dir, "couverture.html");
    const unmatched = join(dir, "sans-code.csv");
    const { code, stderr } = await runCli([
      ...data,
      "match",
      fixture("catalogues", "lheo23-two-actions.xml"),
      "-o",
      out,
      "--report",
      report,
      "--unmatched",
      unmatched,
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain("LHEO 2.3 XML (one row per action)");
    expect((await readFile(out, "utf8")).trimEnd().split("\n")).toHaveLength(4);
    const html = await readFile(report, "utf8");
    expect(html).toContain("<h1>InserJeunes coverage — ");
    expect(html).toMatch(/<td>couvert<\/td><td class="n">3<\/td>/);
    // Every row got a code: the unmatched file has its header only.
    expect((await readFile(unmatched, "utf8")).trimEnd().split("\n")).toHaveLength(1);
  });

  it("--max-unmatched turns too many rows without a code into exit 5, output written", async () => {
    const input = join(dir, "gate.csv");
    await writeFile(input, "cfd\n40025214\n56122101\n4002521\n");
    const out = join(dir, "gate.out.csv");
    const { code, stderr } = await runCli([...data, "match", input, "-o", out, "--max-unmatched", "50%"]);
    expect(code).toBe(5);
    expect(stderr).toContain("2 of 3 row(s) without a code, more than --max-unmatched 50%");
    expect((await readFile(out, "utf8")).split("\n")).toHaveLength(5);
  });

  it("bad options are usage errors (exit 2)", async () => {
    const input = join(dir, "ok.csv");
    await writeFile(input, "cfd\n40025214\n");
    const preset = await runCli([...data, "match", input, "--preset", "onisep"]);
    expect([preset.code, preset.stderr]).toEqual([
      2,
      expect.stringMatching(/Allowed choices are onisep-actions, catalogue-apprentissage/),
    ]);
    const report = await runCli([...data, "match", input, "--report", join(dir, "r.txt")]);
    expect([report.code, report.stderr]).toEqual([
      2,
      expect.stringMatching(/the extension says the format: \.json, \.md or \.html/),
    ]);
    const gate = await runCli([...data, "match", input, "--max-unmatched", "lots"]);
    expect(gate.code).toBe(2);
  });

  it("enrich shares the pipeline: JSON out with typed figures", async () => {
    const input = join(dir, "enrich.csv");
    await writeFile(input, "cfd;duree;voie\n32031408;2 ans;scolaire\n");
    const { code, stdout } = await runCli([...data, "enrich", input, "--format", "json"]);
    expect(code).toBe(0);
    // 32221031408, national 2023: 40 in terminal year, 13 in emploi at 6 months → 32 (half-even).
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({
        cfd: "32031408",
        ij_nb_annee_term: 40,
        ij_taux_en_emploi_6_mois: 32,
        ij_score: 1,
      }),
    ]);
  });
});
