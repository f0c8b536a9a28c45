import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultMillesimes, deppRequests } from "../../src/fetch/apis/inserjeunes-api.js";
import { apiUrl } from "../../src/fetch/apis/pages.js";
import { filesToFetch } from "../../src/fetch/http-files.js";
import { parseLevels, parseMillesimes, parsePositive } from "../../src/fetch/options.js";
import { memoryLogger } from "../../src/effects.js";
import { formatBytes, plainProgress, redactingProgress } from "../../src/fetch/progress.js";
import { RateLimiter } from "../../src/fetch/rate-limit.js";
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
} from "../../src/fetch/retry.js";
import { Redactor, sanitizeUrl } from "../../src/fetch/secrets.js";
import { readUaiFile } from "../../src/fetch/uai-list.js";
import { withTempDir } from "../helpers/paths.js";

describe("retry policy", () => {
  it.each([
    [200, false],
    [304, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
  ])("HTTP %i retried: %s", (status, retried) => expect(isRetryableStatus(status)).toBe(retried));

  it.each([
    [{ code: "ECONNRESET" }, true],
    [{ code: "UND_ERR_SOCKET" }, true],
    [{ code: "UND_ERR_HEADERS_TIMEOUT" }, true],
    [{ message: "fetch failed", cause: { code: "ECONNREFUSED" } }, true],
    [{ code: "ENOTFOUND" }, false], // a wrong host name does not heal in a second
    [{ code: "ERR_INVALID_URL" }, false],
    [new TypeError("x is not a function"), false],
  ])("network error %o retried: %s", (error, retried) =>
    expect(isRetryableNetworkError(error)).toBe(retried),
  );

  it("backoff doubles from the base, is capped, and its jitter stays within [d/2, d]", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1_000, maxDelayMs: 30_000 };
    // retry 1: 1 s, 2: 2 s, 3: 4 s, 4: 8 s, 5: 16 s, 6: 32 s → capped at 30 s.
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000,
    ]);
    expect([1, 2, 3].map((n) => backoffDelay(n, policy, () => 0))).toEqual([500, 1_000, 2_000]);
  });

  it("Retry-After: seconds or an HTTP date", () => {
    const now = Date.parse("Mon, 23 Nov 2026 10:00:00 GMT");
    expect(parseRetryAfter("1", now)).toBe(1_000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("the rate limiter spaces request starts evenly", async () => {
    const limiter = new RateLimiter(50);
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => limiter.take().then(() => times.push(Date.now()))));
    expect(times.at(-1)! - started).toBeGreaterThanOrEqual(5 * 20 - 2); // 6 starts at 50/s: 100 ms
    expect(Date.now() - started).toBeLessThan(400);
  });
});

describe("secrets", () => {
  it("sanitizeUrl drops user:password and masks credential parameters", () => {
    expect(sanitizeUrl("https://u:p4ss@mirror.example/a.csv?x=1")).toBe("https://mirror.example/a.csv?x=1");
    expect(sanitizeUrl("https://api.example/f?apiKey=abc123&page=2")).toBe(
      "https://api.example/f?apiKey=***&page=2",
    );
    expect(sanitizeUrl("https://api.example/f?token=abc&access_token=def")).toBe(
      "https://api.example/f?token=***&access_token=***",
    );
  });

  it("the redactor masks each secret, its URL-encoded form, and userinfo in any URL of a text", () => {
    const redactor = new Redactor();
    redactor.add("p@ss word!");
    redactor.add("abc"); // too short to mask without garbling ordinary words
    const text =
      "login p@ss word! failed; url https://x.example/?p=p%40ss%20word! and https://me:pw@h.example/";
    expect(redactor.redact(text)).toBe(
      "login *** failed; url https://x.example/?p=*** and https://***@h.example/",
    );
    expect(redactor.redact("abc")).toBe("abc");
  });
});

describe("fetch options", () => {
  it.each([
    ["2024", [2024]],
    ["2023,2024", [2023, 2024]],
    ["2022_2023, 2024", [2023, 2024]],
    ["2024,2023,2024", [2023, 2024]],
  ])("--millesimes %s → %o", (value, years) => expect(parseMillesimes(value)).toEqual(years));

  it.each(["24", "2022_2024", "2023;2024", ""])("--millesimes %s is refused", (value) =>
    expect(() => parseMillesimes(value)).toThrow(/is not a millésime/),
  );

  it("levels and positive numbers", () => {
    expect(parseLevels("national,etablissement")).toEqual(["national", "etablissement"]);
    expect(() => parseLevels("national,uai")).toThrow('--levels national,uai: "uai" is not a level');
    expect(parsePositive("0.5", "--rate")).toBe(0.5);
    expect(() => parsePositive("0", "--rate")).toThrow("--rate 0: expected a positive number");
    expect(() => parsePositive("-1", "--rate")).toThrow("expected a positive number");
  });

  it("default millésimes: the three ending the year before", () => {
    expect(defaultMillesimes(new Date("2026-11-23T10:00:00Z"))).toEqual([2023, 2024, 2025]);
    expect(defaultMillesimes(new Date("2027-01-01T00:00:00Z"))).toEqual([2024, 2025, 2026]);
  });

  it("DEPP requests: national per filière, regional per région académique, per UAI; cumulated millésimes", () => {
    const requests = deppRequests([2024], new Set(["national", "regional", "etablissement"]), ["0010001W"]);
    expect(requests).toHaveLength(3 + 18 + 1);
    expect(requests[0]).toEqual({
      relPath: "france/2024/voie_pro_sco_educ_nat.json",
      route: "france/millesime/2024/filiere/voie_pro_sco_educ_nat",
    });
    expect(requests[3]).toEqual({
      relPath: "region/01/2023_2024.json",
      route: "region/01/millesime/2023_2024",
    });
    expect(requests.at(-1)).toEqual({
      relPath: "uai/0010001W/2023_2024.json",
      route: "UAI/0010001W/millesime/2023_2024",
    });
  });

  it("apiUrl keeps the base's path and query", () => {
    expect(apiUrl("https://h.example/api/v1/", "entity/formations", { page: 2, limit: 100 })).toBe(
      "https://h.example/api/v1/entity/formations?page=2&limit=100",
    );
    expect(apiUrl("https://h.example/api?tenant=x", "login")).toBe("https://h.example/api/login?tenant=x");
  });

  it("--url file names: the descriptor's when there are as many URLs, else the URL's last segment", () => {
    const declared = [
      { url: "https://a.example/1", fileName: "lycee.csv" },
      { url: "https://a.example/2", fileName: "cfa.csv" },
    ];
    expect(
      filesToFetch(declared, ["https://m.example/x", "https://m.example/y"], "inserjeunes-open"),
    ).toEqual([
      { url: "https://m.example/x", fileName: "lycee.csv" },
      { url: "https://m.example/y", fileName: "cfa.csv" },
    ]);
    expect(filesToFetch([], ["https://m.example/exports/acce%202026.csv"], "acce")).toEqual([
      { url: "https://m.example/exports/acce%202026.csv", fileName: "acce_2026.csv" },
    ]);
    expect(() => filesToFetch([], ["https://m.example/"], "acce")).toThrow(
      /cannot name the file after this URL/,
    );
  });

  it("sizes", () => {
    expect([0, 999, 1_000, 5_699, 1_234_567, 25_000_000_000].map(formatBytes)).toEqual([
      "0 B",
      "999 B",
      "1.0 kB",
      "5.7 kB",
      "1.2 MB",
      "25 GB",
    ]);
  });
});

describe("plain progress (not a terminal)", () => {
  it("a line when a source starts, an update at most every 10 s, the final line; secrets masked", () => {
    const logger = memoryLogger();
    let now = 0;
    const redactor = new Redactor();
    redactor.add("hunter2-secret");
    const progress = redactingProgress(
      plainProgress(logger, 10_000, () => now),
      (t) => redactor.redact(t),
    );
    progress.begin("inserjeunes-api", "asking the API");
    now = 9_999;
    progress.update("10/46 request(s)");
    now = 10_000;
    progress.update("12/46 request(s)");
    progress.note("inserjeunes-api: HTTP 500 for password hunter2-secret; retry 1/4 in 1 s");
    progress.end("inserjeunes-api: fresh, 5 file(s)", true);
    expect(logger.lines).toEqual([
      "inserjeunes-api: asking the API",
      "inserjeunes-api: 12/46 request(s)",
      "warning: inserjeunes-api: HTTP 500 for password ***; retry 1/4 in 1 s",
      "inserjeunes-api: fresh, 5 file(s)",
    ]);
  });
});

describe("--uai-file", () => {
  it("one UAI per line; a header, blank lines, comments and extra fields are fine; duplicates once", async () => {
    await withTempDir(async (dir) => {
      await mkdir(dir, { recursive: true });
      const path = join(dir, "uais.csv");
      await writeFile(
        path,
        "\uFEFFuai;nom\r\n0010001W;LP Alexandre Bérard\r\n\r\n# CFA\r\n0331707b\r\n0010001W\r\n",
      );
      expect(await readUaiFile(path)).toEqual({ uais: ["0010001W", "0331707B"], from: path });
    });
  });

  it("a missing file or a file without UAI is a usage error", async () => {
    await withTempDir(async (dir) => {
      await expect(readUaiFile(join(dir, "none.txt"))).rejects.toMatchObject({ exitCode: 2 });
      await writeFile(join(dir, "empty.txt"), "uai\n");
      await expect(readUaiFile(join(dir, "empty.txt"))).rejects.toThrow(/no UAI in the file/);
    });
  });
});
