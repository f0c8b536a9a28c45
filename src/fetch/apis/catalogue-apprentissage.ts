import { sanitizeUrl, splitUserinfo } from "../secrets.js";
import { type SourceFetchContext, type SourceFetchResult, withStaging } from "../source-fetch.js";
import { apiUrl, fetchPages, pagesNote } from "./pages.js";

/** Formations per page: the page size of the field's own importers (trajectoires-pro). */
export const CATALOGUE_PAGE_SIZE = 100;

/**
 * Catalogue de l'offre de formation en apprentissage: `GET {base}/entity/formations?page=N&limit=100`,
 * every page, stored as `page-<n>.json` (research/source-formats.md §7.1). No credentials.
 */
export function fetchCatalogueApprentissage(ctx: SourceFetchContext): Promise<SourceFetchResult> {
  const access = ctx.source.access;
  if (access.kind !== "api") throw new Error(`${ctx.source.id} is not an API`);
  const { url: base, headers } = splitUserinfo(ctx.overrides[0] ?? access.baseUrl, ctx.redactor);
  return withStaging(ctx, { rateLimited: true }, async ({ client, dir, details }) => {
    const result = await fetchPages(
      ctx,
      client,
      dir,
      {
        label: "formations",
        itemsKey: "formations",
        url: (page) => apiUrl(base, "entity/formations", { page, limit: CATALOGUE_PAGE_SIZE }),
        relPath: (page) => `page-${page}.json`,
        headers,
      },
      details,
    );
    if (result.pages === 0) throw new Error(`the catalogue answered no formation at ${sanitizeUrl(base)}`);
    return { origin: sanitizeUrl(base), note: pagesNote(result, "formations") };
  });
}
