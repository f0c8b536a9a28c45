import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { allFiles, fetchOne, readManifestFile } from "../helpers/fetch.js";
import { send, startServer, type TestServer } from "../helpers/http-server.js";
import { fixture, withTempDir } from "../helpers/paths.js";

/**
 * Paginated APIs against a fake on 127.0.0.1 that cuts fixtures/fetch/catalogue-apprentissage/
 * formations.json (5 records in the catalogue API's record shape, real codes) into pages of 2, with the
 * API's `pagination` object (`page` as a string, `resultats_par_page`, `nombre_de_page`, `total`).
 */
const { formations } = JSON.parse(
  await readFile(fixture("fetch", "catalogue-apprentissage", "formations.json"), "utf8"),
) as { formations: Record<string, unknown>[] };
const PER_PAGE = 2;

interface Mode {
  /** What `nombre_de_page` says: the truth, one page too many (its last page is empty), or nothing. */
  pageCount: "exact" | "one-too-many" | "absent";
}
const mode: Mode = { pageCount: "exact" };
let server: TestServer;

function page(n: number, key: string, items: Record<string, unknown>[]) {
  const exact = Math.ceil(items.length / PER_PAGE);
  const pagination =
    mode.pageCount === "absent"
      ? undefined
      : {
          page: String(n),
          resultats_par_page: PER_PAGE,
          nombre_de_page: mode.pageCount === "exact" ? exact : exact + 1,
          total: items.length,
        };
  return JSON.stringify({
    [key]: items.slice((n - 1) * PER_PAGE, n * PER_PAGE),
    ...(pagination ? { pagination } : {}),
  });
}

beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const n = Number(url.searchParams.get("page"));
    if (url.pathname === "/api/v1/entity/formations")
      return send(res, page(n, "formations", formations), {
        "content-type": "application/json; charset=utf-8",
      });
    const resource = /^\/api\/inserjeunes\/(certifications|regionales|formations)$/.exec(url.pathname)?.[1];
    if (resource) {
      if (req.headers["x-api-key"] !== "expo-key-123456")
        return send(res, '{"message":"Unauthorized"}', {}, 401);
      const items =
        resource === "certifications" ? formations.slice(0, 3) : resource === "regionales" ? [] : formations;
      return send(res, page(n, resource, items), { "content-type": "application/json" });
    }
    send(res, "Not Found", {}, 404);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  mode.pageCount = "exact";
});

async function fetchCatalogue(dir: string) {
  return (await fetchOne(dir, "catalogue-apprentissage", `${server.url}/api/v1`)).outcome;
}

const pagesAsked = () =>
  server.requests
    .map((r) => new URL(r.path, "http://x").searchParams.get("page"))
    .map(Number)
    .sort();

describe("catalogue-apprentissage: every page, once", () => {
  it.each(["exact", "one-too-many", "absent"] as const)(
    "nombre_de_page %s: pages 1-3 stored, the empty page neither stored nor followed",
    async (pageCount) => {
      mode.pageCount = pageCount;
      await withTempDir(async (dir) => {
        const outcome = await fetchCatalogue(dir);
        expect(outcome.status).toBe("fresh");
        // exact: 1, 2, 3; one too many: 4 is announced, asked once, and empty; absent: 4 is asked, empty, the end.
        expect(pagesAsked()).toEqual(pageCount === "exact" ? [1, 2, 3] : [1, 2, 3, 4]);
        expect(server.requests[0]!.path).toBe("/api/v1/entity/formations?page=1&limit=100");
        const sourceDir = join(dir, "sources", "catalogue-apprentissage");
        const names = (await allFiles(sourceDir)).map((f) => relative(sourceDir, f));
        expect(names).toEqual(["page-1.json", "page-2.json", "page-3.json"]);
        const stored = await Promise.all(
          names.map(
            async (n) =>
              (
                JSON.parse(await readFile(join(sourceDir, n), "utf8")) as {
                  formations: Record<string, unknown>[];
                }
              ).formations,
          ),
        );
        // The five records, each once, in order: no page lost or fetched twice.
        expect(stored.flat().map((f) => f["cle_ministere_educatif"])).toEqual(
          formations.map((f) => f["cle_ministere_educatif"]),
        );
        const entry = (await readManifestFile(dir)).sources["catalogue-apprentissage"]!;
        expect(entry.files.map((f) => [f.name, f.url])).toEqual([
          ["page-1.json", `${server.url}/api/v1/entity/formations?page=1&limit=100`],
          ["page-2.json", `${server.url}/api/v1/entity/formations?page=2&limit=100`],
          ["page-3.json", `${server.url}/api/v1/entity/formations?page=3&limit=100`],
        ]);
        expect(outcome.reason).toBeUndefined(); // 5 items, as announced
      });
    },
  );

  it("the same pages again: unchanged, and the copy on disk is the same", async () => {
    await withTempDir(async (dir) => {
      await fetchCatalogue(dir);
      const before = await readFile(join(dir, "manifest.json"), "utf8");
      expect((await fetchCatalogue(dir)).status).toBe("unchanged");
      const after = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as { sources: object };
      expect(after.sources).toEqual((JSON.parse(before) as { sources: object }).sources);
    });
  });
});

describe("exposition-api: key in a header, three resources, every page", () => {
  it("pages are stored per resource, the key never in a URL, a log line or the manifest", async () => {
    await withTempDir(async (dir) => {
      const key = "expo-key-123456";
      const { outcome, lines } = await fetchOne(dir, "exposition-api", `${server.url}/api/inserjeunes`, {
        env: { EXPOSITION_API_KEY: key },
      });
      expect(outcome.status).toBe("fresh");
      expect(outcome.reason).toBe("regionales: no item");
      const sourceDir = join(dir, "sources", "exposition-api");
      expect((await allFiles(sourceDir)).map((f) => relative(sourceDir, f).replaceAll("\\", "/"))).toEqual([
        "certifications/page-1.json",
        "certifications/page-2.json",
        "formations/page-1.json",
        "formations/page-2.json",
        "formations/page-3.json",
      ]);
      expect(server.requests.every((r) => r.headers["x-api-key"] === key)).toBe(true);
      expect(server.requests.every((r) => !r.path.includes(key))).toBe(true);
      expect(lines.join("\n")).not.toContain(key);
      expect(await readFile(join(dir, "manifest.json"), "utf8")).not.toContain(key);
    });
  });
});
