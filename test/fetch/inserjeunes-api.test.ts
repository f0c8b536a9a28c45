import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { jwtExpiry } from "../../src/fetch/apis/inserjeunes-api.js";
import { Inserter } from "../../src/index-db/insert.js";
import { SCHEMA, SCHEMA_VERSION } from "../../src/index-db/schema.js";
import { type FetchOptions, runFetch } from "../../src/fetch/run.js";
import { allFiles, FAST, readManifestFile, resolveDataDir, sha256, testEffects } from "../helpers/fetch.js";
import { send, startServer, type TestServer } from "../helpers/http-server.js";
import { FIXTURES, fixture, withTempDir } from "../helpers/paths.js";
import { parseWith } from "../helpers/sources.js";

/**
 * The DEPP InserJeunes API client against a fake of the API on 127.0.0.1 that serves the bodies of
 * fixtures/inserjeunes-api/ (JSON strings holding JSON for /france and /UAI, plain JSON for /region, as
 * the real API) and answers 404 / 400 ("UAI incorrect ou agricole") where there is no fixture.
 */
const USERNAME = "depp-user";
const PASSWORD = "S3cr3t-P@ss-4242";
const ENV = { INSERJEUNES_API_USERNAME: USERNAME, INSERJEUNES_API_PASSWORD: PASSWORD };
const FIXTURE_FILES = [
  "france/2022/voie_pro_sco_educ_nat.json",
  "france/2023/apprentissage.json",
  "france/2023/voie_pro_sco_educ_nat.json",
  "region/01/2022_2023.json",
  "uai/0010001W/2022_2023.json",
];
// 0010001W has a fixture; 0331707B is valid but the fake API does not know it (400).
const UAIS = ["0010001W", "0331707B"];

interface Depp {
  /** Data requests a token answers before it expires (401). */
  tokenUses: number;
  /** Routes answered 500 every time. */
  broken: Set<string>;
  /** The 401 body echoes what it was sent (servers do): the password must still appear nowhere. */
  echo: boolean;
  logins: number;
  unauthorized: number;
  inFlight: number;
  maxInFlight: number;
  tokens: Map<string, number>;
}
const depp: Depp = {} as Depp;
let server: TestServer;
let base: string;

function reset() {
  Object.assign(depp, {
    tokenUses: Infinity,
    broken: new Set<string>(),
    echo: false,
    logins: 0,
    unauthorized: 0,
    inFlight: 0,
    maxInFlight: 0,
    tokens: new Map(),
  });
  server.requests.length = 0;
}

beforeAll(async () => {
  server = await startServer(async (req, res) => {
    const path = (req.url ?? "").replace(/^\/api\/v1\.0/, "");
    if (req.method === "POST" && path === "/login") {
      if (req.headers["username"] !== USERNAME || req.headers["password"] !== PASSWORD)
        return send(
          res,
          JSON.stringify({ msg: depp.echo ? `bad password ${req.headers["password"]}` : "nope" }),
          {},
          401,
        );
      const token = `tok-${++depp.logins}-${randomBytes(6).toString("hex")}`;
      depp.tokens.set(token, 0);
      return send(res, JSON.stringify({ access_token: token }), { "content-type": "application/json" });
    }
    const token = /^Bearer (.+)$/.exec(req.headers["authorization"] ?? "")?.[1] ?? "";
    const uses = depp.tokens.get(token);
    if (uses === undefined || uses >= depp.tokenUses) {
      depp.unauthorized++;
      return send(res, JSON.stringify({ msg: "Token has expired" }), {}, 401);
    }
    depp.tokens.set(token, uses + 1);
    depp.inFlight++;
    depp.maxInFlight = Math.max(depp.maxInFlight, depp.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    depp.inFlight--;
    if (depp.broken.has(path)) return send(res, "Internal Server Error", {}, 500);
    const route =
      /^\/france\/millesime\/(\d{4})\/filiere\/(\w+)$/.exec(path) ??
      /^\/region\/(\d\d)\/millesime\/(\d{4}_\d{4})$/.exec(path) ??
      /^\/UAI\/(\w{8})\/millesime\/(\d{4}_\d{4})$/.exec(path);
    if (!route) return send(res, JSON.stringify({ msg: "Not found" }), {}, 404);
    const scope = path.startsWith("/france") ? "france" : path.startsWith("/region") ? "region" : "uai";
    const file =
      scope === "france" ? `france/${route[1]}/${route[2]}.json` : `${scope}/${route[1]}/${route[2]}.json`;
    if (!existsSync(fixture("inserjeunes-api", file)))
      return scope === "uai"
        ? send(res, JSON.stringify({ msg: "UAI incorrect ou agricole" }), {}, 400)
        : send(res, JSON.stringify({ msg: "Not found" }), {}, 404);
    send(res, await readFile(fixture("inserjeunes-api", file)), { "content-type": "application/json" });
  });
  base = `${server.url}/api/v1.0`;
});
afterAll(() => server.close());
beforeEach(reset);

async function fetchDepp(dir: string, extra: Partial<FetchOptions> = {}, env: NodeJS.ProcessEnv = ENV) {
  const uaiFile = join(dir, "uais.txt");
  if (!existsSync(uaiFile)) await writeFile(uaiFile, `uai\n${UAIS.join("\n")}\n`);
  const { effects, lines } = testEffects(env);
  const summary = await runFetch(
    {
      dataDir: resolveDataDir(join(dir, "data")),
      ids: ["inserjeunes-api"],
      files: [],
      urls: [`inserjeunes-api=${base}`],
      millesimes: [2022, 2023],
      uaiFile,
      tuning: FAST,
      rate: 200,
      concurrency: 3,
      ...extra,
    },
    effects,
  );
  return { outcome: summary.outcomes[0]!, lines };
}

const sourceDir = (dir: string) => join(dir, "data", "sources", "inserjeunes-api");
const storedNames = async (dir: string) =>
  (await allFiles(sourceDir(dir))).map((f) => relative(sourceDir(dir), f).replaceAll("\\", "/"));
const dataRequests = () => server.requests.filter((r) => r.method === "GET");

describe("inserjeunes-api: the DEPP API", () => {
  it("logs in with username/password headers, asks every level, stores each answer where the parser reads it", async () => {
    await withTempDir(async (dir) => {
      const { outcome } = await fetchDepp(dir);
      expect(outcome.status).toBe("fresh");

      const login = server.requests.find((r) => r.method === "POST")!;
      expect(login.path).toBe("/api/v1.0/login");
      expect([login.headers["username"], login.headers["password"]]).toEqual([USERNAME, PASSWORD]);
      // 2 millésimes × (3 filières + 18 régions académiques + 2 UAI) = 46 requests, each asked once.
      const asked = dataRequests().map((r) => r.path);
      expect(asked).toHaveLength(46);
      expect(new Set(asked).size).toBe(46);
      expect(asked).toContain("/api/v1.0/france/millesime/2023/filiere/voie_pro_sco_agri");
      expect(asked).toContain("/api/v1.0/region/18/millesime/2021_2022");
      expect(asked).toContain("/api/v1.0/UAI/0331707B/millesime/2022_2023");
      expect(dataRequests().every((r) => /^Bearer tok-1-/.test(r.headers["authorization"] ?? ""))).toBe(true);

      // Only the 5 answers with data are stored, byte for byte, at the fixture's paths.
      expect(await storedNames(dir)).toEqual([...FIXTURE_FILES].sort());
      for (const name of FIXTURE_FILES)
        expect(
          (await readFile(join(sourceDir(dir), name))).equals(
            await readFile(fixture("inserjeunes-api", name)),
          ),
        ).toBe(true);
      expect(outcome.reason).toBe("41 of 46 request(s) without data (HTTP 400/404)");

      const entry = (await readManifestFile(join(dir, "data"))).sources["inserjeunes-api"]!;
      expect(entry.origin).toEqual({ kind: "url", url: base });
      expect(entry.files.find((f) => f.name === "region/01/2022_2023.json")).toEqual({
        name: "region/01/2022_2023.json",
        bytes: (await readFile(fixture("inserjeunes-api", "region/01/2022_2023.json"))).length,
        sha256: sha256(await readFile(fixture("inserjeunes-api", "region/01/2022_2023.json"))),
        url: `${base}/region/01/millesime/2022_2023`,
      });

      // The parser reads the stored tree as it reads the fixtures: same records, nothing rejected.
      const files = (await allFiles(sourceDir(dir))).map((path) => ({
        path,
        relPath: relative(sourceDir(dir), path),
      }));
      const fromFetch = await parseWith("inserjeunes-api", files);
      const fromFixtures = await parseWith(
        "inserjeunes-api",
        FIXTURE_FILES.map((relPath) => ({ path: join(FIXTURES, "inserjeunes-api", relPath), relPath })),
      );
      expect(fromFetch.report.rowsRejected).toBe(0);
      expect(fromFetch.records).toEqual(fromFixtures.records);
      expect(fromFetch.records.length).toBeGreaterThan(0);
    });
  });

  it("keeps to the rate limit and the concurrency bound", async () => {
    await withTempDir(async (dir) => {
      const rate = 40;
      await fetchDepp(dir, { rate, concurrency: 2, millesimes: [2023] });
      // login + 23 requests, their starts 1/40 s apart: the server sees at least 22 gaps of 25 ms between
      // the first arrival and the last (one gap of slack: the first request also opens the connection).
      // Unthrottled, 24 requests of 5 ms two at a time would take about 60 ms.
      const times = server.requests.map((r) => r.at);
      expect(times).toHaveLength(24);
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(22 * (1000 / rate));
      expect(depp.maxInFlight).toBeLessThanOrEqual(2);
    });
  });

  it("a token that expires in the middle of the run: 401, one new login, the request asked again", async () => {
    await withTempDir(async (dir) => {
      depp.tokenUses = 10;
      const { outcome } = await fetchDepp(dir);
      expect(outcome.status).toBe("fresh");
      expect(depp.unauthorized).toBeGreaterThan(0);
      // 46 requests at 10 per token: at least 5 tokens; logins are shared by concurrent requests.
      expect(depp.logins).toBeGreaterThanOrEqual(5);
      expect(depp.logins).toBeLessThanOrEqual(depp.unauthorized + 1);
      expect(outcome.reason).toContain(`${depp.logins} logins (token renewed)`);
      expect(await storedNames(dir)).toEqual([...FIXTURE_FILES].sort());
      // Every request was eventually answered with a valid token: 46 distinct answered paths.
      expect(new Set(dataRequests().map((r) => r.path)).size).toBe(46);
    });
  });

  it("a token of known lifetime is renewed before it expires, without a 401", async () => {
    await withTempDir(async (dir) => {
      const { outcome } = await fetchDepp(dir, { tokenLifetimeMs: 60, rate: 100 });
      expect(outcome.status).toBe("fresh");
      expect(depp.unauthorized).toBe(0);
      expect(depp.logins).toBeGreaterThan(1);
    });
  });

  it("reads a JWT's exp as the token lifetime", () => {
    const payload = Buffer.from(JSON.stringify({ sub: "x", exp: 1_800_000_000 })).toString("base64url");
    expect(jwtExpiry(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`)).toBe(1_800_000_000_000);
    expect(jwtExpiry("tok-1-abcdef")).toBeUndefined();
  });

  it("a refused login fails the source, the previous copy stays, the echoed password appears nowhere", async () => {
    await withTempDir(async (dir) => {
      await fetchDepp(dir);
      const before = await readFile(join(dir, "data", "manifest.json"));
      reset();
      depp.echo = true;
      const { outcome, lines } = await fetchDepp(
        dir,
        {},
        { ...ENV, INSERJEUNES_API_PASSWORD: `${PASSWORD}-wrong` },
      );
      expect(outcome.status).toBe("failed");
      expect(outcome.reason).toMatch(
        /refused the login \(HTTP 401 .*check INSERJEUNES_API_USERNAME and INSERJEUNES_API_PASSWORD/,
      );
      expect(dataRequests()).toHaveLength(0);
      expect((await readFile(join(dir, "data", "manifest.json"))).equals(before)).toBe(true);
      expect(await storedNames(dir)).toEqual([...FIXTURE_FILES].sort());
      const everything = [
        ...lines,
        JSON.stringify(outcome),
        ...(await Promise.all((await allFiles(dir)).map((f) => readFile(f, "utf8")))),
      ];
      for (const text of everything) expect(text).not.toContain(PASSWORD);
    });
  });

  it("a run that fails halfway keeps its answers and the next run asks only for the rest", async () => {
    await withTempDir(async (dir) => {
      depp.broken.add("/region/05/millesime/2022_2023");
      const first = await fetchDepp(dir);
      expect(first.outcome.status).toBe("failed");
      expect(first.outcome.reason).toMatch(/1 request\(s\) failed.*HTTP 500.*after 3 attempts/);
      expect(first.outcome.reason).toMatch(/only the rest is asked/);
      expect(existsSync(sourceDir(dir))).toBe(false); // nothing half-done under the final name
      const partial = join(dir, "data", "sources", ".inserjeunes-api.partial");
      const kept = (await allFiles(partial))
        .map((f) => relative(partial, f))
        .filter((n) => !n.startsWith("."));
      const askedFirst = new Set(dataRequests().map((r) => r.path));
      expect(kept.length).toBeGreaterThan(0); // the national answers came before region 05 failed
      expect(askedFirst.size).toBeLessThan(46); // and the run stopped asking once it had failed

      reset();
      const second = await fetchDepp(dir);
      expect(second.outcome.status).toBe("fresh");
      const askedAgain = dataRequests().map((r) => r.path);
      expect(askedAgain.length).toBe(46 - kept.length);
      // Nothing already stored is asked again; the 46 requests are covered by the two runs together.
      for (const name of kept) {
        const route = name
          .replace(/^france\/(\d{4})\/(\w+)\.json$/, "/api/v1.0/france/millesime/$1/filiere/$2")
          .replace(/^region\/(\d\d)\/(\w+)\.json$/, "/api/v1.0/region/$1/millesime/$2")
          .replace(/^uai\/(\w+)\/(\w+)\.json$/, "/api/v1.0/UAI/$1/millesime/$2");
        expect(askedAgain).not.toContain(route);
      }
      expect(new Set([...askedFirst, ...askedAgain]).size).toBe(46);
      expect(await storedNames(dir)).toEqual([...FIXTURE_FILES].sort());
      expect(existsSync(partial)).toBe(false);
    });
  });

  it("files of the previous copy outside this run's requests are kept", async () => {
    await withTempDir(async (dir) => {
      await fetchDepp(dir);
      reset();
      const { outcome } = await fetchDepp(dir, { millesimes: [2023], levels: ["national"] });
      expect(dataRequests()).toHaveLength(3);
      expect(outcome.status).toBe("unchanged");
      expect(await storedNames(dir)).toEqual([...FIXTURE_FILES].sort());
    });
  });

  it("without a UAI list, per-school requests are skipped and the summary says how to get one", async () => {
    await withTempDir(async (dir) => {
      const { outcome } = await fetchDepp(dir, { uaiFile: undefined, millesimes: [2023] });
      expect(outcome.reason).toMatch(/per-school requests skipped: no UAI list.*--uai-file/);
      expect(dataRequests().some((r) => r.path.includes("/UAI/"))).toBe(false);
    });
  });

  it("without --uai-file, the schools of the index whose nature InserJeunes covers", async () => {
    await withTempDir(async (dir) => {
      // An index holding three schools of the annuaire: a lycée professionnel (nature 320), a CFA (600),
      // an école maternelle (101, not in InserJeunes: never asked about).
      await mkdir(join(dir, "data"), { recursive: true });
      const db = new Database(join(dir, "data", "index.sqlite"));
      db.exec(SCHEMA);
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
      const inserter = new Inserter(db);
      inserter.begin("annuaire-education");
      const school = {
        kind: "etablissement",
        commune: null,
        communeLibelle: null,
        departement: null,
      } as const;
      inserter.insert({
        ...school,
        uai: "0010001W",
        nom: "LP Alexandre Bérard",
        academie: "10",
        region: "84",
        nature: "320",
      });
      inserter.insert({
        ...school,
        uai: "0331707B",
        nom: "CFA",
        academie: "04",
        region: "75",
        nature: "600",
      });
      inserter.insert({
        ...school,
        uai: "0690128P",
        nom: "École maternelle",
        academie: "10",
        region: "84",
        nature: "101",
      });
      inserter.commit();
      db.close();
      const { outcome, lines } = await fetchDepp(dir, {
        uaiFile: undefined,
        millesimes: [2023],
        levels: ["etablissement"],
      });
      expect(outcome.status).toBe("fresh");
      expect(
        dataRequests()
          .map((r) => r.path)
          .sort(),
      ).toEqual(["/api/v1.0/UAI/0010001W/millesime/2022_2023", "/api/v1.0/UAI/0331707B/millesime/2022_2023"]);
      expect(lines).toContain("inserjeunes-api: 2 school(s) from the index (etablissement)");
    });
  });

  it("--uai-file: a malformed UAI stops the run before any request, naming file, line and value", async () => {
    await withTempDir(async (dir) => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "uais.txt"), "0010001W\n0010001X\n");
      await expect(fetchDepp(dir)).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/uais\.txt:2, value "0010001X": UAI "0010001X" fails its checksum/),
      });
      expect(server.requests).toHaveLength(0);
    });
  });
});
