import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FetchOptions } from "../../src/fetch/run.js";
import { fetchOne, NOW, readManifestFile, sha256 } from "../helpers/fetch.js";
import { resetMidBody, send, shortBody, startServer, type TestServer, wait } from "../helpers/http-server.js";
import { fixture, withTempDir } from "../helpers/paths.js";

/**
 * Every download fault of issue 5 against a real HTTP server on 127.0.0.1, through runFetch with
 * `--url bcn-n-mef=<server>/N_MEF.csv`: the served body is the BCN N_MEF fixture (cp1252, `;`, as
 * exported). After each case: the file on disk, the manifest, and — when the fetch fails — the previous
 * copy and manifest byte-identical and no temporary file left.
 */
const N_MEF = await readFile(fixture("bcn-n-mef", "N_MEF.csv"));
const MAINTENANCE = await readFile(fixture("fetch", "maintenance.html"));
const ETAG = '"n-mef-v1"';
const LAST_MODIFIED = "Mon, 16 Nov 2026 08:00:00 GMT";

type Fault = (req: IncomingMessage, res: ServerResponse, attempt: number) => void | Promise<void>;
const ok: Fault = (req, res) => {
  if (req.headers["if-none-match"] === ETAG) {
    res.writeHead(304, { etag: ETAG });
    return void res.end();
  }
  send(res, N_MEF, {
    "content-type": "text/csv; charset=windows-1252",
    etag: ETAG,
    "last-modified": LAST_MODIFIED,
  });
};

let server: TestServer;
let fault: Fault = ok;
let attempts = 0;

beforeAll(async () => {
  server = await startServer((req, res) => fault(req, res, ++attempts));
});
afterAll(() => server.close());
beforeEach(() => {
  fault = ok;
  attempts = 0;
  server.requests.length = 0;
});

function fetchMef(dir: string, extra: Partial<FetchOptions> = {}, now = NOW) {
  return fetchOne(dir, "bcn-n-mef", `${server.url}/N_MEF.csv`, { now, extra });
}

const stored = (dir: string) => readFile(join(dir, "sources", "bcn-n-mef", "N_MEF.csv"));

/** A first good fetch, then `fault`: the fetch fails and leaves everything as it was. */
async function expectFailureKeepsPrevious(dir: string, next: Fault, reason: RegExp) {
  await fetchMef(dir);
  const manifestBefore = await readFile(join(dir, "manifest.json"));
  fault = next;
  attempts = 0;
  server.requests.length = 0;
  const { outcome } = await fetchMef(dir, { force: true }, new Date("2026-11-24T10:00:00Z"));
  expect(outcome.status).toBe("failed");
  expect(outcome.reason).toMatch(reason);
  expect(outcome.fetchedAt).toBe(NOW.toISOString()); // the age shown is the previous copy's
  expect((await stored(dir)).equals(N_MEF)).toBe(true);
  expect((await readFile(join(dir, "manifest.json"))).equals(manifestBefore)).toBe(true);
  expect(await readdir(join(dir, "sources"))).toEqual(["bcn-n-mef"]);
  expect(await readdir(join(dir, "sources", "bcn-n-mef"))).toEqual(["N_MEF.csv"]);
  return outcome;
}

describe("download: a plain file source", () => {
  it("stores the bytes as served and records url, bytes, sha256, validators and time", async () => {
    await withTempDir(async (dir) => {
      const { outcome, lines } = await fetchMef(dir);
      expect(outcome).toMatchObject({ source: "bcn-n-mef", status: "fresh", bytes: N_MEF.length, files: 1 });
      expect((await stored(dir)).equals(N_MEF)).toBe(true);
      const entry = (await readManifestFile(dir)).sources["bcn-n-mef"]!;
      expect(entry).toEqual({
        origin: { kind: "url", url: `${server.url}/N_MEF.csv` },
        files: [
          {
            name: "N_MEF.csv",
            bytes: N_MEF.length,
            sha256: sha256(N_MEF),
            url: `${server.url}/N_MEF.csv`,
            etag: ETAG,
            lastModified: LAST_MODIFIED,
          },
        ],
        bytes: N_MEF.length,
        sha256: sha256(N_MEF),
        fetchedAt: NOW.toISOString(),
      });
      expect(lines).toContain(
        `bcn-n-mef: fresh, 1 file(s), ${N_MEF.length} bytes, sha256 ${sha256(N_MEF).slice(0, 12)}…`,
      );
    });
  });

  it("304 on revalidation: If-None-Match and If-Modified-Since sent, the file is kept as is, status unchanged", async () => {
    await withTempDir(async (dir) => {
      await fetchMef(dir);
      const before = await stat(join(dir, "sources", "bcn-n-mef", "N_MEF.csv"));
      server.requests.length = 0;
      const later = new Date("2026-11-24T10:00:00Z");
      const { outcome } = await fetchMef(dir, {}, later);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.headers["if-none-match"]).toBe(ETAG);
      expect(server.requests[0]!.headers["if-modified-since"]).toBe(LAST_MODIFIED);
      expect(outcome).toMatchObject({
        status: "unchanged",
        reason: "1 of 1 file(s) not modified (HTTP 304)",
      });
      const after = await stat(join(dir, "sources", "bcn-n-mef", "N_MEF.csv"));
      expect(after.ino).toBe(before.ino); // the same file, not a new copy
      const entry = (await readManifestFile(dir)).sources["bcn-n-mef"]!;
      expect(entry.fetchedAt).toBe(later.toISOString()); // confirmed current at that time
      expect(entry.files[0]).toMatchObject({ etag: ETAG, sha256: sha256(N_MEF) });
    });
  });

  it("--force downloads again without validators; new bytes → updated", async () => {
    await withTempDir(async (dir) => {
      await fetchMef(dir);
      const changed = Buffer.concat([N_MEF, Buffer.from("2472521433;247;40025214;3;3;TLEPRO25214;x\n")]);
      fault = (_req, res) => send(res, changed, { etag: '"n-mef-v2"' });
      const { outcome } = await fetchMef(dir, { force: true });
      expect(server.requests.at(-1)!.headers["if-none-match"]).toBeUndefined();
      expect(outcome.status).toBe("updated");
      expect((await stored(dir)).equals(changed)).toBe(true);
      expect((await readManifestFile(dir)).sources["bcn-n-mef"]!.files[0]).toMatchObject({
        sha256: sha256(changed),
        etag: '"n-mef-v2"',
      });
    });
  });

  it("500 then 200: retried, stored", async () => {
    await withTempDir(async (dir) => {
      fault = (req, res, n) => (n === 1 ? send(res, "Internal Server Error", {}, 500) : ok(req, res, n));
      const { outcome, lines } = await fetchMef(dir);
      expect(outcome.status).toBe("fresh");
      expect(attempts).toBe(2);
      expect((await stored(dir)).equals(N_MEF)).toBe(true);
      expect(lines.some((l) => /HTTP 500.*retry 1\/2/.test(l))).toBe(true);
    });
  });

  it("429 with Retry-After: 1 waits at least one second, then succeeds", async () => {
    await withTempDir(async (dir) => {
      fault = (req, res, n) =>
        n === 1 ? send(res, "Too Many Requests", { "retry-after": "1" }, 429) : ok(req, res, n);
      const { outcome } = await fetchMef(dir);
      expect(outcome.status).toBe("fresh");
      const [first, second] = server.requests;
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(990); // not the 20 ms backoff of FAST
      expect((await stored(dir)).equals(N_MEF)).toBe(true);
    });
  });

  it("a connection reset in the middle of the body is retried", async () => {
    await withTempDir(async (dir) => {
      fault = (req, res, n) => (n === 1 ? resetMidBody(res, N_MEF) : ok(req, res, n));
      const { outcome } = await fetchMef(dir);
      expect(outcome.status).toBe("fresh");
      expect(attempts).toBe(2);
      expect((await stored(dir)).equals(N_MEF)).toBe(true);
    });
  });

  it("resets on every attempt: failed after 3 attempts, the previous copy byte-identical", async () => {
    await withTempDir(async (dir) => {
      const outcome = await expectFailureKeepsPrevious(
        dir,
        (_req, res) => resetMidBody(res, N_MEF),
        /closed before the end of the body.*after 3 attempts/,
      );
      expect(attempts).toBe(3);
      expect(outcome.reason).toContain(`GET ${server.url}/N_MEF.csv`);
    });
  });

  it("a body shorter than its Content-Length is retried, then refused", async () => {
    await withTempDir(async (dir) => {
      fault = (req, res, n) => (n === 1 ? shortBody(res, N_MEF) : ok(req, res, n));
      expect((await fetchMef(dir)).outcome.status).toBe("fresh");
      expect(attempts).toBe(2);
    });
    await withTempDir(async (dir) => {
      await expectFailureKeepsPrevious(
        dir,
        (_req, res) => shortBody(res, N_MEF),
        /(closed before the end of the body|Content-Length).*after 3 attempts/,
      );
    });
  });

  it("an HTML maintenance page served with 200 is refused at once (not retried)", async () => {
    await withTempDir(async (dir) => {
      const outcome = await expectFailureKeepsPrevious(
        dir,
        (_req, res) => send(res, MAINTENANCE, { "content-type": "text/html; charset=utf-8" }),
        /HTML page instead of a CSV file/,
      );
      expect(attempts).toBe(1);
      expect(outcome.reason).not.toMatch(/attempts/);
    });
  });

  it("an HTML page sent as text/csv is recognised by its first bytes", async () => {
    await withTempDir(async (dir) => {
      await expectFailureKeepsPrevious(
        dir,
        (_req, res) => send(res, MAINTENANCE, { "content-type": "text/csv" }),
        /HTML page instead of a CSV file \(the body is an HTML page\)/,
      );
    });
  });

  it("a CSV served as text/html (a PHP export's default type) is kept: the body decides", async () => {
    await withTempDir(async (dir) => {
      fault = (_req, res) => send(res, N_MEF, { "content-type": "text/html; charset=UTF-8" });
      expect((await fetchMef(dir)).outcome.status).toBe("fresh");
      expect((await stored(dir)).equals(N_MEF)).toBe(true);
    });
  });

  it("a response slower than the timeout is abandoned and retried", async () => {
    await withTempDir(async (dir) => {
      fault = async (req, res, n) => {
        if (n === 1) await wait(3_000); // FAST.timeoutMs is 400
        if (!res.destroyed) await ok(req, res, n);
      };
      const started = Date.now();
      expect((await fetchMef(dir)).outcome.status).toBe("fresh");
      expect(attempts).toBe(2);
      expect(Date.now() - started).toBeLessThan(2_500); // the slow answer was not waited for
    });
    await withTempDir(async (dir) => {
      await expectFailureKeepsPrevious(
        dir,
        async (req, res, n) => {
          await wait(700);
          if (!res.destroyed) await ok(req, res, n);
        },
        /no response within 400 ms \(timeout\).*after 3 attempts/,
      );
    });
  });

  it("404 is not retried", async () => {
    await withTempDir(async (dir) => {
      const outcome = await expectFailureKeepsPrevious(
        dir,
        (_req, res) => send(res, "Not Found", {}, 404),
        /HTTP 404: Not Found/,
      );
      expect(attempts).toBe(1);
      expect(outcome.reason).not.toMatch(/attempts/);
    });
  });

  it("a gzip-encoded answer is stored decoded, and its Content-Length is the compressed size", async () => {
    await withTempDir(async (dir) => {
      fault = (_req, res) => send(res, gzipSync(N_MEF), { "content-encoding": "gzip" });
      expect((await fetchMef(dir)).outcome.status).toBe("fresh");
      expect(server.requests[0]!.headers["accept-encoding"]).toMatch(/gzip/);
      expect((await stored(dir)).equals(N_MEF)).toBe(true);
      expect((await readManifestFile(dir)).sources["bcn-n-mef"]!.sha256).toBe(sha256(N_MEF));
    });
  });
});
