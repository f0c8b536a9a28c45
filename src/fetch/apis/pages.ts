import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import { isObject } from "../../sources/table.js";
import { BodyError, bodyStart, type Headers, type HttpClient, parseJsonBody } from "../http.js";
import type { ManifestFile } from "../manifest.js";
import { sanitizeUrl } from "../secrets.js";
import type { SourceFetchContext } from "../source-fetch.js";

/**
 * A paginated JSON API (`{"<items>":[…],"pagination":{"page","nombre_de_page","total",…}}`), stored one
 * file per page. Page 1 says how many pages there are; pages 2…N are then fetched once each (in
 * parallel, within the run's concurrency). When the API does not say, pages are read in order until an
 * empty one. Empty pages are not stored. If the items do not add up to the announced total (the data
 * changed during the run), the summary says so.
 */
export interface PagedResource {
  /** For messages: "formations". */
  label: string;
  /** Key of the items list in a page. */
  itemsKey: string;
  url(page: number): string;
  /** Path of page n inside sources/<id>/. */
  relPath(page: number): string;
  headers?: Headers;
}

export interface PagesResult {
  pages: number;
  items: number;
  total: number | undefined;
}

interface PageInfo {
  items: number;
  pageCount: number | undefined;
  total: number | undefined;
}

export async function fetchPages(
  ctx: SourceFetchContext,
  client: HttpClient,
  staging: string,
  resource: PagedResource,
  details: Map<string, Pick<ManifestFile, "url">>,
): Promise<PagesResult> {
  let stored = 0;
  let items = 0;
  const fetchPage = async (page: number): Promise<PageInfo> => {
    const url = resource.url(page);
    const path = join(staging, ...resource.relPath(page).split("/"));
    let info: PageInfo | undefined;
    await client.download({ url, ...(resource.headers ? { headers: resource.headers } : {}) }, path, {
      expect: "json",
      validate: async (temp) => {
        info = readPage(await readFile(temp, "utf8"), resource.itemsKey);
      },
    });
    if (!info || info.items === 0) {
      await rm(path, { force: true });
    } else {
      stored++;
      items += info.items;
      details.set(resource.relPath(page), { url: sanitizeUrl(url) });
    }
    ctx.progress.update(`${resource.label}: ${stored} page(s), ${items} item(s)`);
    return info ?? { items: 0, pageCount: undefined, total: undefined };
  };

  const first = await fetchPage(1);
  if (first.items > 0 && first.pageCount !== undefined) {
    const limit = pLimit(ctx.settings.concurrency);
    const rest = Array.from({ length: Math.max(0, first.pageCount - 1) }, (_, i) => i + 2);
    await Promise.all(rest.map((page) => limit(() => fetchPage(page))));
  } else if (first.items > 0) {
    for (let page = 2; (await fetchPage(page)).items > 0; page++);
  }
  return { pages: stored, items, total: first.total };
}

function readPage(text: string, itemsKey: string): PageInfo {
  const doc = parseJsonBody(text);
  const list = isObject(doc) ? doc[itemsKey] : undefined;
  if (!Array.isArray(list))
    throw new BodyError(`the page has no "${itemsKey}" list: ${bodyStart(text)}`, false);
  const pagination = isObject(doc) && isObject(doc["pagination"]) ? doc["pagination"] : {};
  return {
    items: list.length,
    pageCount: toCount(pagination["nombre_de_page"]),
    total: toCount(pagination["total"]),
  };
}

function toCount(value: unknown): number | undefined {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** `base` + path segments + query parameters, keeping the base's own query (an override may carry one). */
export function apiUrl(base: string, path: string, params: Record<string, string | number> = {}): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
  return url.toString();
}

export function pagesNote(result: PagesResult, label: string): string | undefined {
  if (result.total === undefined || result.total === result.items) return undefined;
  return `${label}: ${result.items} item(s) read but the API announced ${result.total} (the data changed during the run?)`;
}
