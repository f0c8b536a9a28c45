import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { fixture, ROOT, withTempDir } from "../helpers/paths.js";

describe("CLI surface", () => {
  it("--help lists every command with a description", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const name of ["fetch", "build-index", "match", "enrich", "export", "status"])
      expect(stdout).toMatch(new RegExp(`\\n  ${name} .*\\S`));
  });

  it.each(["fetch", "build-index", "match", "enrich", "export", "status"])(
    "%s --help shows an example",
    async (name) => {
      const { code, stdout } = await runCli([name, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Example:\n {2}\$ inserjeunes /);
    },
  );

  it("--version prints the package version", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
    const { code, stdout } = await runCli(["--version"]);
    expect([code, stdout.trim()]).toEqual([0, pkg.version]);
  });

  it("enrich --help documents --history (more rows than the input), --famille and --indicateurs", async () => {
    const { stdout } = await runCli(["enrich", "--help"]);
    const flat = stdout.replace(/\s+/g, " ");
    expect(flat).toContain(
      "--history one output row per millésime with figures (latest first) instead of the latest only: rows are repeated, so the output has more rows than the input",
    );
    expect(flat).toContain(
      '--famille <mode> aggregate: a seconde commune gets the summed figures of its famille\'s terminal codes (choices: "aggregate")',
    );
    expect(flat).toContain("--indicateurs <list> keep only these figure columns");
    // As catalogue-writer.ts excelSafe does (OWASP's list): = + - @, tab and CR.
    expect(flat).toContain("--excel-safe prefix CSV cells starting with = + - @, a tab or a CR");
  });

  it("enrich --indicateurs with an unknown name: exit 2 listing the valid names, before any data is read", async () => {
    await withTempDir(async (dir) => {
      const { code, stderr } = await runCli([
        "--data-dir",
        dir,
        "enrich",
        fixture("catalogues", "onisep-demo.csv"),
        "--indicateurs",
        "taux_emploi_6_mois",
      ]);
      expect(code).toBe(2);
      expect(stderr).toContain("--indicateurs taux_emploi_6_mois: unknown indicator(s) taux_emploi_6_mois");
      expect(stderr).toMatch(/Possible fix: valid names \(with or without ij_\): nb_annee_term, nb_sortant,/);
    });
  });

  it("an unknown option is a usage error (exit 2)", async () => {
    const { code, stderr } = await runCli(["build-index", "--frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option '--frobnicate'/);
  });
});

describe("fetch --file", () => {
  it("an unknown source id → exit 2 listing the valid ids", async () => {
    await withTempDir(async (dir) => {
      const { code, stderr } = await runCli([
        "--data-dir",
        dir,
        "fetch",
        "--file",
        `bcn-mef=${fixture("bcn-n-mef", "N_MEF.csv")}`,
      ]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/unknown source id "bcn-mef"/);
      expect(stderr).toMatch(/valid ids: bcn-n-mef, bcn-n-formation-diplome/);
    });
  });

  it("a missing file → exit 2, and nothing is written", async () => {
    await withTempDir(async (dir) => {
      const { code, stderr } = await runCli([
        "--data-dir",
        dir,
        "fetch",
        "--file",
        "bcn-n-mef=/nonexistent/N_MEF.csv",
      ]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/no such file or directory/);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it("INSERJEUNES_DATA_DIR sets the data directory", async () => {
    await withTempDir(async (dir) => {
      const { code } = await runCli(
        ["fetch", "--file", `certifinfo=${fixture("certifinfo", "certifinfo.csv")}`],
        {
          env: { INSERJEUNES_DATA_DIR: dir },
        },
      );
      expect(code).toBe(0);
      expect(await readdir(join(dir, "sources", "certifinfo"))).toEqual(["certifinfo.csv"]);
    });
  });
});

describe("bad catalogues", () => {
  let data: string;
  let tmp: string;
  beforeAll(async () => {
    tmp = join(await import("node:os").then((os) => os.tmpdir()), `inserjeunes-cli-${process.pid}`);
    data = join(tmp, "data");
    await mkdir(tmp, { recursive: true });
    const fetch = await runCli([
      "--data-dir",
      data,
      "fetch",
      "--file",
      `bcn-n-mef=${fixture("bcn-n-mef", "N_MEF.csv")}`,
    ]);
    expect(fetch.code).toBe(0);
    expect((await runCli(["--data-dir", data, "build-index"])).code).toBe(0);
  });

  const write = async (name: string, content: string | Buffer) => {
    const path = join(tmp, name);
    await writeFile(path, content);
    return path;
  };

  it("a file that is not CSV (an xlsx) → exit 2 with what to do", async () => {
    const path = await write("catalogue.xlsx", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    const { code, stderr } = await runCli(["--data-dir", data, "enrich", path]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/catalogue\.xlsx does not look like a text file/);
    expect(stderr).toMatch(/Possible fix: export the sheet as CSV/);
  });

  it("no identifier column → exit 2 listing the columns seen", async () => {
    const path = await write("noid.csv", "nom;ville\nLycée Bérard;Ambérieu\n");
    const { code, stderr } = await runCli(["--data-dir", data, "match", path]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no identifier column found/);
    expect(stderr).toMatch(/columns seen: nom, ville/);
  });

  it("a broken quote → exit 2 with file and line, no output file", async () => {
    const path = await write(
      "broken.csv",
      'id;cfd;libelle\n1;40025214;ok\n2;40025214;"never closed\n3;32031408;x\n',
    );
    const out = join(tmp, "broken.out.csv");
    const { code, stderr } = await runCli(["--data-dir", data, "enrich", path, "--out", out]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${path}:3`);
    expect(stderr).toMatch(/never closed|never closed/);
    expect(stderr).toMatch(/Possible fix: double every "/);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it("without an index → exit 3 saying what to run", async () => {
    await withTempDir(async (dir) => {
      const path = await write("ok.csv", "cfd\n40025214\n");
      const { code, stderr } = await runCli(["--data-dir", dir, "enrich", path]);
      expect(code).toBe(3);
      expect(stderr).toMatch(/run `inserjeunes fetch` then `inserjeunes build-index`/);
    });
  });

  it("--out naming the input is refused: the input is never modified", async () => {
    const path = await write("self.csv", "cfd\n40025214\n");
    const { code, stderr } = await runCli(["--data-dir", data, "enrich", path, "--out", path]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/is the input file/);
    expect(await readFile(path, "utf8")).toBe("cfd\n40025214\n");
  });

  it("--out naming a directory → exit 2 saying to give a file path, the directory untouched", async () => {
    const path = await write("to-dir.csv", "cfd\n40025214\n");
    await withTempDir(async (dir) => {
      const { code, stderr } = await runCli(["--data-dir", data, "match", path, "--out", dir]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/is a directory, not a file to write/);
      expect(stderr).toMatch(/Possible fix: give a file path/);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it("--max-errors N: more invalide rows than N exit 5, the output still written; N or fewer exit 0", async () => {
    // Two rows whose only identifier is malformed (a 7-digit CFD: identifiant_invalide), one good row.
    const path = await write("errors.csv", "cfd\n4002521\n40025214\n3203140\n");
    await withTempDir(async (dir) => {
      const out = join(dir, "out.csv");
      const over = await runCli(["--data-dir", data, "enrich", path, "--max-errors", "1", "--out", out]);
      expect(over.code).toBe(5);
      expect(over.stderr).toMatch(/2 invalide row\(s\), more than --max-errors 1 \(the output was written\)/);
      expect((await readFile(out, "utf8")).trimEnd().split("\n")).toHaveLength(4);
      const within = await runCli(["--data-dir", data, "enrich", path, "--max-errors", "2", "--out", out]);
      expect(within.code).toBe(0);
      const unlimited = await runCli(["--data-dir", data, "enrich", path, "--out", out]);
      expect(unlimited.code).toBe(0);
    });
  });

  it("stdin in, stdout out, one output row per input row", async () => {
    const { code, stdout } = await runCli(["--data-dir", data, "match", "-"], {
      input: "cfd,duree\n40025214,3 ans\n\n99999999,\n",
    });
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^cfd,duree,ij_statut,ij_motif/);
    expect(lines[1]).toContain("MEFSTAT11:23830025214");
  });
});
