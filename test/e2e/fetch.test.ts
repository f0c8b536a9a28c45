import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { allFiles } from "../helpers/fetch.js";
import { send, startServer, type TestServer } from "../helpers/http-server.js";
import { fixture, withTempDir } from "../helpers/paths.js";

/**
 * `inserjeunes fetch` through the built bin, against a local server: exit codes, the summary on stderr,
 * --json on stdout, --quiet, and secrets. The fake DEPP API here is hostile: its error bodies echo the
 * password and the bearer token it was sent, as careless servers do.
 */
const PASSWORD = "Tr0ub4dor-and-3-horses";
const USERNAME = "ij-partner";
const NO_PROXY = { HTTP_PROXY: "", HTTPS_PROXY: "", http_proxy: "", https_proxy: "" };
const tokens: string[] = [];
let server: TestServer;

beforeAll(async () => {
  const nMef = await readFile(fixture("bcn-n-mef", "N_MEF.csv"));
  const national = await readFile(fixture("inserjeunes-api", "france", "2023", "apprentissage.json"));
  server = await startServer((req, res) => {
    const path = req.url ?? "/";
    if (path === "/N_MEF.csv") return send(res, nMef, { "content-type": "text/csv" });
    if (path === "/depp/login") {
      if (req.headers["password"] !== PASSWORD)
        return send(res, `{"msg":"wrong password ${String(req.headers["password"])}"}`, {}, 401);
      const token = `eyJ.secret-token-${tokens.length + 1}`;
      tokens.push(token);
      return send(res, JSON.stringify({ access_token: token }), { "content-type": "application/json" });
    }
    if (path === "/depp/france/millesime/2023/filiere/apprentissage") return send(res, national);
    if (path.startsWith("/depp/region/"))
      return send(res, `upstream error; request headers were ${JSON.stringify(req.headers)}`, {}, 500);
    send(res, '{"msg":"Not found"}', {}, 404);
  });
});
afterAll(() => server.close());

describe("inserjeunes fetch (built bin)", () => {
  it("a download: the summary table on stderr, exit 0; --json on stdout; --quiet prints nothing", async () => {
    await withTempDir(async (dir) => {
      const args = ["--data-dir", dir, "fetch", "bcn-n-mef", "--url", `bcn-n-mef=${server.url}/N_MEF.csv`];
      const plain = await runCli(args, { env: NO_PROXY });
      expect(plain.code).toBe(0);
      expect(plain.stdout).toBe("");
      expect(plain.stderr).toMatch(/^bcn-n-mef: downloading$/m);
      expect(plain.stderr).toMatch(/^source\s+status\s+size\s+age\s+reason$/m);
      expect(plain.stderr).toMatch(/^bcn-n-mef\s+fresh\s+5\.7 kB\s+0 s$/m);

      const json = await runCli(["--json", ...args], { env: NO_PROXY });
      expect(json.code).toBe(0);
      const summary = JSON.parse(json.stdout) as {
        sources: { source: string; status: string; url: string }[];
      };
      expect(summary.sources).toEqual([
        expect.objectContaining({ source: "bcn-n-mef", status: "unchanged", url: `${server.url}/N_MEF.csv` }),
      ]);

      const quiet = await runCli(["--quiet", ...args], { env: NO_PROXY });
      expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, "", ""]);
    });
  });

  it("a source that fails → exit 4, with the reason in the table", async () => {
    await withTempDir(async (dir) => {
      const { code, stderr } = await runCli(
        ["--data-dir", dir, "fetch", "bcn-n-mef", "--url", `bcn-n-mef=${server.url}/gone.csv`],
        { env: NO_PROXY },
      );
      expect(code).toBe(4);
      expect(stderr).toMatch(
        /^bcn-n-mef\s+failed\s+-\s+-\s+GET http:\/\/127\.0\.0\.1:\d+\/gone\.csv: HTTP 404/m,
      );
    });
  });

  it("inserjeunes-api asked for without credentials → exit 3 naming the variables", async () => {
    await withTempDir(async (dir) => {
      const { code, stderr } = await runCli(["--data-dir", dir, "fetch", "inserjeunes-api"], {
        env: { ...NO_PROXY, INSERJEUNES_API_USERNAME: "", INSERJEUNES_API_PASSWORD: "" },
      });
      expect(code).toBe(3);
      expect(stderr).toContain(
        "error: inserjeunes-api needs credentials: set INSERJEUNES_API_USERNAME and INSERJEUNES_API_PASSWORD to fetch it",
      );
    });
  });

  it("--offline with nothing fetched → exit 3, listing what is missing", async () => {
    await withTempDir(async (dir) => {
      const { code, stderr } = await runCli([
        "--data-dir",
        dir,
        "fetch",
        "--offline",
        "bcn-n-mef",
        "certifinfo",
      ]);
      expect(code).toBe(3);
      expect(stderr).toMatch(
        /^bcn-n-mef\s+failed\s+-\s+-\s+missing: not fetched yet: run `inserjeunes fetch bcn-n-mef`$/m,
      );
      expect(stderr).toMatch(/^certifinfo\s+failed/m);
      expect(stderr).toContain("2 source(s) missing or altered");
    });
  });

  it("the password and the tokens appear in no output and no file, even when the server echoes them", async () => {
    await withTempDir(async (dir) => {
      const base = [
        "--debug",
        "--json",
        "--data-dir",
        dir,
        "fetch",
        "inserjeunes-api",
        "--millesimes",
        "2023",
      ];
      const url = ["--url", `inserjeunes-api=${server.url}/depp`, "--retries", "0", "--rate", "100"];
      const env = { ...NO_PROXY, INSERJEUNES_API_USERNAME: USERNAME, INSERJEUNES_API_PASSWORD: PASSWORD };

      const refused = await runCli([...base, ...url], {
        env: { ...env, INSERJEUNES_API_PASSWORD: `x${PASSWORD}` },
      });
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/refused the login \(HTTP 401/);

      const national = await runCli([...base, ...url, "--levels", "national"], { env });
      expect(national.code).toBe(0);

      const echoed = await runCli([...base, ...url, "--levels", "regional"], { env });
      expect(echoed.code).toBe(4);
      expect(echoed.stderr).toMatch(
        /HTTP 500: upstream error; request headers were .*"authorization":"Bearer \*\*\*"/,
      );

      expect(tokens.length).toBeGreaterThanOrEqual(2);
      const files = await Promise.all((await allFiles(dir)).map((f) => readFile(f, "utf8")));
      expect(files.length).toBeGreaterThan(1); // manifest, the national answer, the partial run's marker
      for (const text of [refused, national, echoed].flatMap((r) => [r.stdout, r.stderr]).concat(files)) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(USERNAME);
        for (const token of tokens) expect(text).not.toContain(token);
      }
    });
  });
});
