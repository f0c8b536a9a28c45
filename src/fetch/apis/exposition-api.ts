import { missingDataError } from "../../errors.js";
import { sanitizeUrl, splitUserinfo } from "../secrets.js";
import { type SourceFetchContext, type SourceFetchResult, withStaging } from "../source-fetch.js";
import { apiUrl, fetchPages, pagesNote } from "./pages.js";

export const EXPOSITION_RESOURCES = ["certifications", "regionales", "formations"] as const;
const ITEMS_PER_PAGE = 1000;

/**
 * API Exposition InserJeunes (research/source-formats.md §5.2): the three list routes, every page, with
 * the key in the `x-api-key` header (never in the URL, so it cannot reach a log). Stored as
 * `<resource>/page-<n>.json`.
 */
export function fetchExpositionApi(ctx: SourceFetchContext): Promise<SourceFetchResult> {
  const access = ctx.source.access;
  if (access.kind !== "api") throw new Error(`${ctx.source.id} is not an API`);
  const key = ctx.env["EXPOSITION_API_KEY"];
  if (!key) throw missingDataError("exposition-api needs EXPOSITION_API_KEY");
  ctx.redactor.add(key);
  const { url: base, headers } = splitUserinfo(ctx.overrides[0] ?? access.baseUrl, ctx.redactor);
  return withStaging(ctx, { rateLimited: true }, async ({ client, dir, details }) => {
    const notes: string[] = [];
    for (const resource of EXPOSITION_RESOURCES) {
      const result = await fetchPages(
        ctx,
        client,
        dir,
        {
          label: resource,
          itemsKey: resource,
          url: (page) => apiUrl(base, resource, { page, items_par_page: ITEMS_PER_PAGE }),
          relPath: (page) => `${resource}/page-${page}.json`,
          headers: { ...headers, "x-api-key": key },
        },
        details,
      );
      const note = result.pages === 0 ? `${resource}: no item` : pagesNote(result, resource);
      if (note) notes.push(note);
    }
    if (details.size === 0) throw new Error(`the API answered no item at ${sanitizeUrl(base)}`);
    return { origin: sanitizeUrl(base), note: notes.join("; ") || undefined };
  });
}
