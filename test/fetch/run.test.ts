import type { InserJeunesError } from "../../src/errors.js";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envUrlName, planFetch } from "../../src/fetch/plan.js";
import { type FetchOptions, runFetch } from "../../src/fetch/run.js";
import { formatAge, summaryJson, summaryTable } from "../../src/fetch/summary.js";
import { getSource } from "../../src/sources/index.js";
import { SOURCE_IDS, type SourceId } from "../../src/sources/types.js";
import { FAST, NOW, readManifestFile, resolveDataDir, sha256, testEffects } from "../helpers/fetch.js";
import { send, startServer, type TestServer } from "../helpers/http-server.js";
import { fixture, withTempDir } from "../helpers/paths.js";

/**
 * What `fetch` does with each source, and its summary. A local server stands in for every producer,
 * through INSERJEUNES_URL_<SOURCE_ID> (the mechanism CI mirrors use): plain-file sources get the BCN
 * N_MEF fixture, the catalogue one page of the catalogue fixture, /broken answers 500, /maintenance an
 * HTML page.
 */
const N_MEF = await readFile(fixture("bcn-n-mef", "N_MEF.csv"));
const CATALOGUE = await readFile(fixture("fetch", "catalogue-apprentissage", "formations.json"), "utf8");
let server: TestServer;

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url?.startsWith("/broken")) return send(res, "Internal Server Error", {}, 500);
    if (req.url?.startsWith("/maintenance"))
      return send(res, "<!DOCTYPE html><html><body>Maintenance</body></html>", {
        "content-type": "text/html",
      });
    if (req.url?.startsWith("/catalogue/entity/formations?page=1"))
      return send(
        res,
        CATALOGUE.replace(/\s+$/, "").replace(/\}$/, ',"pagination":{"nombre_de_page":1,"total":5}}'),
      );
    if (req.url?.startsWith("/files/")) return send(res, N_MEF, { "content-type": "text/csv" });
    send(res, "Not Found", {}, 404);
  });
});
afterAll(() => server.close());

/** Every source that can be downloaded, pointed at the local server. */
function mirrorEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const id of SOURCE_IDS) {
    const access = getSource(id).access;
    if (access.kind === "http")
      env[envUrlName(id)] = access.files.map((f) => `${server.url}/files/${id}/${f.fileName}`).join(" ");
  }
  env[envUrlName("catalogue-apprentissage")] = `${server.url}/catalogue`;
  return { ...env, ...extra };
}

function fetchWith(dir: string, options: Partial<FetchOptions>, env = mirrorEnv()) {
  const { effects, lines } = testEffects(env);
  const run = runFetch(
    { dataDir: resolveDataDir(dir), ids: [], files: [], tuning: FAST, rate: 500, ...options },
    effects,
  );
  return { run, lines };
}

const OPEN_HTTP = SOURCE_IDS.filter((id) => getSource(id).access.kind === "http");

describe("fetch with no argument", () => {
  it("downloads every open source, skips the others with one line each saying what to do", async () => {
    await withTempDir(async (dir) => {
      const { run, lines } = fetchWith(dir, {});
      const summary = await run;
      const status = Object.fromEntries(summary.outcomes.map((o) => [o.source, o.status]));
      expect(Object.keys(status)).toEqual([...SOURCE_IDS]);
      for (const id of [...OPEN_HTTP, "catalogue-apprentissage"]) expect(status[id], id).toBe("fresh");
      expect(status["inserjeunes-api"]).toBe("skipped");
      expect(status["exposition-api"]).toBe("skipped");
      expect(status["acce"]).toBe("skipped");
      expect(lines).toContain(
        "inserjeunes-api: skipped, set INSERJEUNES_API_USERNAME and INSERJEUNES_API_PASSWORD to fetch it",
      );
      expect(lines).toContain("exposition-api: skipped, set EXPOSITION_API_KEY to fetch it");
      expect(lines.find((l) => l.startsWith("acce: skipped"))).toMatch(/fetch --file acce=<extraction\.csv>/);
      // A source published as several files (inserjeunes-open): each stored under the descriptor's name.
      const open = getSource("inserjeunes-open").access;
      expect(open.kind === "http" && open.files.length).toBeGreaterThan(1);
      expect((await readdir(join(dir, "sources", "inserjeunes-open"))).sort()).toEqual(
        open.kind === "http" ? open.files.map((f) => f.fileName).sort() : [],
      );
      const manifest = await readManifestFile(dir);
      expect(Object.keys(manifest.sources).sort()).toEqual([...OPEN_HTTP, "catalogue-apprentissage"].sort());
      expect(manifest.sources["bcn-n-mef"]!.files[0]).toMatchObject({
        name: "N_MEF.csv",
        sha256: sha256(N_MEF),
        url: `${server.url}/files/bcn-n-mef/N_MEF.csv`,
      });
    });
  });

  it("a failed source does not stop the others, and the summary says which and why", async () => {
    await withTempDir(async (dir) => {
      const env = mirrorEnv({ [envUrlName("certifinfo")]: `${server.url}/broken/certifinfo.csv` });
      const summary = await fetchWith(
        dir,
        { ids: ["bcn-n-mef", "certifinfo", "bcn-n-formation-diplome"] },
        env,
      ).run;
      expect(summary.outcomes.map((o) => [o.source, o.status])).toEqual([
        ["bcn-n-mef", "fresh"],
        ["bcn-n-formation-diplome", "fresh"],
        ["certifinfo", "failed"],
      ]);
      expect(summary.outcomes[2]!.reason).toMatch(/HTTP 500: Internal Server Error \(after 3 attempts\)/);
      expect(await readdir(join(dir, "sources"))).toEqual(["bcn-n-formation-diplome", "bcn-n-mef"]);
      const table = summaryTable(summary, NOW);
      expect(table[0]).toMatch(/^source\s+status\s+size\s+age\s+reason$/);
      expect(table[1]).toMatch(/^bcn-n-mef\s+fresh\s+5\.7 kB\s+0 s$/);
      expect(table[3]).toMatch(
        /^certifinfo\s+failed\s+-\s+-\s+GET http:\/\/127\.0\.0\.1:\d+\/broken\/certifinfo\.csv: HTTP 500/,
      );
    });
  });
});

describe("an HTML page instead of the file", () => {
  it("fails the source; 'the previous copy is kept' is said once, and only when there is one", async () => {
    await withTempDir(async (dir) => {
      const html = mirrorEnv({ [envUrlName("bcn-n-mef")]: `${server.url}/maintenance/N_MEF.csv` });
      const first = fetchWith(dir, { ids: ["bcn-n-mef"] }, html);
      expect((await first.run).outcomes[0]).toMatchObject({ status: "failed" });
      const failed = (lines: string[]) => lines.filter((l) => l.startsWith("warning: bcn-n-mef: failed"));
      expect(failed(first.lines)).toHaveLength(1);
      expect(failed(first.lines)[0]).toMatch(/HTML page instead of a CSV file/);
      expect(failed(first.lines)[0]).not.toMatch(/previous copy/);
      await fetchWith(dir, { ids: ["bcn-n-mef"] }).run;
      const again = fetchWith(dir, { ids: ["bcn-n-mef"] }, html);
      await again.run;
      expect(failed(again.lines)[0]?.match(/the previous copy is kept/g)).toHaveLength(1);
    });
  });
});

describe("sources asked for by name", () => {
  it("a source needing credentials, asked without them: exit 3 naming the variables, nothing downloaded", async () => {
    await withTempDir(async (dir) => {
      await expect(fetchWith(dir, { ids: ["bcn-n-mef", "inserjeunes-api"] }).run).rejects.toMatchObject({
        exitCode: 3,
        message:
          "inserjeunes-api needs credentials: set INSERJEUNES_API_USERNAME and INSERJEUNES_API_PASSWORD to fetch it",
      });
      await expect(fetchWith(dir, { ids: ["exposition-api"] }).run).rejects.toMatchObject({
        exitCode: 3,
        message: "exposition-api needs credentials: set EXPOSITION_API_KEY to fetch it",
      });
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it("acce has no public URL: asked for, it explains --file (exit 3)", async () => {
    await expect(fetchWith("/nonexistent", { ids: ["acce"] }).run).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(
        /^acce: no public download: .*inserjeunes fetch --file acce=<extraction\.csv>/,
      ),
    });
  });

  it("--file imports mix with downloads; a --file source is not downloaded", async () => {
    server.requests.length = 0;
    await withTempDir(async (dir) => {
      const summary = await fetchWith(dir, {
        ids: ["bcn-n-mef", "certifinfo"],
        files: [
          `certifinfo=${fixture("certifinfo", "certifinfo.csv")}`,
          `acce=${fixture("bcn-n-mef", "N_MEF.csv")}`,
        ],
      }).run;
      expect(summary.outcomes.map((o) => [o.source, o.status])).toEqual([
        ["bcn-n-mef", "fresh"],
        ["certifinfo", "fresh"],
        ["acce", "fresh"],
      ]);
      expect(server.requests.some((r) => r.path.includes("certifinfo"))).toBe(false);
      const manifest = await readManifestFile(dir);
      expect(manifest.sources["certifinfo"]!.origin).toEqual({
        kind: "file",
        path: fixture("certifinfo", "certifinfo.csv"),
      });
      expect(manifest.sources["bcn-n-mef"]!.origin.kind).toBe("url");
    });
  });

  it("--file alone imports only the files (no download), as before", () => {
    const plan = planFetch(
      { ids: [], files: ["certifinfo=x.csv"], urls: [], all: false, offline: false },
      {},
    );
    expect(plan).toEqual([{ id: "certifinfo", action: { kind: "import", path: "x.csv" } }]);
    const all = planFetch({ ids: [], files: ["certifinfo=x.csv"], urls: [], all: true, offline: false }, {});
    expect(all.filter((p) => p.action.kind === "download").map((p) => p.id)).toContain("bcn-n-mef");
  });
});

describe("sources that cannot be downloaded as asked", () => {
  const refusal = (ids: string[]) => {
    try {
      planFetch({ ids, files: [], urls: [], all: false, offline: false }, {});
    } catch (error) {
      return error as InserJeunesError;
    }
    throw new Error("expected a refusal");
  };

  it("acce (no public URL) → exit 3 pointing to --file, not to credentials", () => {
    const error = refusal(["acce"]);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/acce: no public download/);
    expect(error.hint).toBe("import the file you exported with --file <source-id>=<path>");
  });

  it("a credentialed source without its variables → exit 3 naming them", () => {
    const error = refusal(["exposition-api"]);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/set EXPOSITION_API_KEY/);
    expect(error.hint).toMatch(/never on the command line/);
  });
});

describe("--url and INSERJEUNES_URL_<SOURCE_ID>", () => {
  const plan = (urls: string[], env: NodeJS.ProcessEnv = {}) =>
    planFetch({ ids: ["bcn-n-mef"], files: [], urls, all: false, offline: false }, env);

  it("--url wins over the environment, which wins over the descriptor", () => {
    const env = { INSERJEUNES_URL_BCN_N_MEF: "https://mirror.example/N_MEF.csv" };
    expect(plan([], env)[0]!.action).toEqual({
      kind: "download",
      overrides: ["https://mirror.example/N_MEF.csv"],
    });
    expect(plan(["bcn-n-mef=https://other.example/N_MEF.csv"], env)[0]!.action).toEqual({
      kind: "download",
      overrides: ["https://other.example/N_MEF.csv"],
    });
    expect(plan([])[0]!.action).toEqual({ kind: "download", overrides: [] });
  });

  it.each([
    [
      ["bcn-mef=https://x.example/a.csv"],
      /--url bcn-mef=https:\/\/x\.example\/a\.csv: unknown source id "bcn-mef"/,
    ],
    [["bcn-n-mef=ftp://x.example/a.csv"], /only http and https URLs are fetched/],
    [["bcn-n-mef=not a url"], /--url bcn-n-mef=not a url: not a URL/],
    [["bcn-n-mef"], /expected --url bcn-n-mef=<url>/],
  ])("%s → usage error (exit 2)", (urls, message) => {
    expect(() => plan(urls)).toThrow(message);
    try {
      plan(urls);
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
  });

  it("a URL with a password is never echoed with it", () => {
    expect(() => plan(["bcn-n-mef=ftp://user:hunter2-secret@x.example/a.csv"])).toThrow(
      "--url bcn-n-mef=ftp://x.example/a.csv: only http and https URLs are fetched",
    );
  });

  it("a mirror with user:password in the URL: Basic auth sent, the manifest keeps the URL without it", async () => {
    await withTempDir(async (dir) => {
      const url = server.url.replace("http://", "http://mirror:hunter2-secret@");
      const { run, lines } = fetchWith(dir, {
        ids: ["bcn-n-mef"],
        urls: [`bcn-n-mef=${url}/files/N_MEF.csv`],
      });
      expect((await run).outcomes[0]!.status).toBe("fresh");
      expect(server.requests.at(-1)!.headers["authorization"]).toBe(
        `Basic ${Buffer.from("mirror:hunter2-secret").toString("base64")}`,
      );
      const manifest = await readFile(join(dir, "manifest.json"), "utf8");
      expect(manifest).toContain(`"url": "${server.url}/files/N_MEF.csv"`);
      expect(manifest + lines.join("\n")).not.toContain("hunter2");
    });
  });
});

describe("--offline", () => {
  it("checks presence and integrity against the manifest, downloads nothing", async () => {
    await withTempDir(async (dir) => {
      await fetchWith(dir, { ids: ["bcn-n-mef", "bcn-n-formation-diplome"] }).run;
      const before = server.requests.length;
      const offline = (ids: SourceId[]) => fetchWith(dir, { ids, offline: true }).run;

      const ok = await offline(["bcn-n-mef", "bcn-n-formation-diplome", "certifinfo"]);
      expect(ok.offline).toBe(true);
      expect(ok.outcomes.map((o) => [o.source, o.status, o.reason])).toEqual([
        ["bcn-n-mef", "unchanged", undefined],
        ["bcn-n-formation-diplome", "unchanged", undefined],
        ["certifinfo", "failed", "missing: not fetched yet: run `inserjeunes fetch certifinfo`"],
      ]);

      await writeFile(join(dir, "sources", "bcn-n-mef", "N_MEF.csv"), "MEF;altered\n");
      await rm(join(dir, "sources", "bcn-n-formation-diplome"), { recursive: true });
      const bad = await offline(["bcn-n-mef", "bcn-n-formation-diplome"]);
      expect(bad.outcomes.map((o) => o.reason)).toEqual([
        "altered: N_MEF.csv no longer matches its sha256 in manifest.json: run `inserjeunes fetch bcn-n-mef`",
        "missing: no file on disk: run `inserjeunes fetch bcn-n-formation-diplome`",
      ]);
      expect(server.requests.length).toBe(before);
    });
  });

  it("with no source named, a copy imported for a source the run would skip is checked too", async () => {
    await withTempDir(async (dir) => {
      // ACCE has no public download: the plain run skips it, but build-index reads the imported copy.
      await fetchWith(dir, { files: [`acce=${fixture("acce", "acce_etablissements.csv")}`] }).run;
      const acce = async () =>
        (await fetchWith(dir, { offline: true }).run).outcomes.find((o) => o.source === "acce");
      expect(await acce()).toMatchObject({ status: "unchanged" });
      await writeFile(join(dir, "sources", "acce", "acce_etablissements.csv"), "numero_uai\n");
      expect(await acce()).toMatchObject({
        status: "failed",
        reason: expect.stringMatching(/^altered: acce_etablissements.csv no longer matches/),
      });
    });
  });

  it("a source asked by name is checked even without its credentials; --offline with --url is refused", async () => {
    await withTempDir(async (dir) => {
      const summary = await fetchWith(dir, { ids: ["inserjeunes-api"], offline: true }, {}).run;
      expect(summary.outcomes[0]).toMatchObject({ source: "inserjeunes-api", status: "failed" });
      await expect(
        fetchWith(dir, { offline: true, urls: ["bcn-n-mef=https://x.example/a.csv"] }).run,
      ).rejects.toMatchObject({ exitCode: 2 });
    });
  });
});

describe("summary", () => {
  it("ages read as people say them", () => {
    expect([0, 59_000, 60_000, 3_599_000, 3_600_000, 86_399_000, 86_400_000 * 12].map(formatAge)).toEqual([
      "0 s",
      "59 s",
      "1 min",
      "59 min",
      "1 h",
      "23 h",
      "12 d",
    ]);
  });

  it("--json: one object per source with status, size, age, url, sha256 and reason", () => {
    const json = summaryJson(
      {
        offline: false,
        outcomes: [
          { source: "acce", status: "skipped", reason: "no public download" },
          {
            source: "bcn-n-mef",
            status: "fresh",
            bytes: 10,
            files: 1,
            fetchedAt: "2026-11-23T09:00:00.000Z",
            entry: {
              origin: { kind: "url", url: "https://x.example/N_MEF.csv" },
              files: [],
              bytes: 10,
              sha256: "ab",
              fetchedAt: "2026-11-23T09:00:00.000Z",
            },
          },
        ],
      },
      NOW,
      "/data",
    );
    expect(json).toEqual({
      dataDir: "/data",
      offline: false,
      sources: [
        {
          source: "acce",
          status: "skipped",
          bytes: null,
          files: null,
          fetchedAt: null,
          ageSeconds: null,
          url: null,
          sha256: null,
          reason: "no public download",
        },
        {
          source: "bcn-n-mef",
          status: "fresh",
          bytes: 10,
          files: 1,
          fetchedAt: "2026-11-23T09:00:00.000Z",
          ageSeconds: 3600,
          url: "https://x.example/N_MEF.csv",
          sha256: "ab",
          reason: null,
        },
      ],
    });
  });
});
