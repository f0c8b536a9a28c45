import { join } from "node:path";
import { usageError } from "../errors.js";
import type { ManifestFile } from "./manifest.js";
import { formatBytes } from "./progress.js";
import { sanitizeUrl, splitUserinfo } from "./secrets.js";
import {
  carryOver,
  hasPreviousFile,
  type SourceFetchContext,
  type SourceFetchResult,
  withStaging,
} from "./source-fetch.js";

/**
 * A source published as plain files (BCN exports, Onisep downloads, Opendatasoft exports…), or any source
 * given --url: each file is revalidated with the validators of the copy on disk (304 → kept as is), else
 * downloaded again.
 */
export function fetchHttpFiles(
  ctx: SourceFetchContext,
  declared: ReadonlyArray<{ url: string; fileName: string }>,
): Promise<SourceFetchResult> {
  const files = filesToFetch(declared, ctx.overrides, ctx.source.id);
  const previous = new Map((ctx.previous?.files ?? []).map((f) => [f.name, f]));
  return withStaging(ctx, { rateLimited: false }, async ({ client, dir, details }) => {
    let notModified = 0;
    for (const file of files) {
      const { url, headers } = splitUserinfo(file.url, ctx.redactor);
      const shown = sanitizeUrl(file.url);
      const before = previous.get(file.fileName);
      const conditional =
        !ctx.settings.force && before?.url === shown && (before.etag || before.lastModified)
          ? (await hasPreviousFile(ctx, before))
            ? { etag: before.etag, lastModified: before.lastModified }
            : undefined
          : undefined;
      ctx.progress.update(`${file.fileName} from ${shown}`);
      const result = await client.download(
        { url, headers, ...(conditional ? { conditional } : {}) },
        join(dir, file.fileName),
        {
          expect: /\.json$/i.test(file.fileName) ? "json" : "csv",
          onProgress: (bytes, total) =>
            ctx.progress.update(
              `${file.fileName}: ${formatBytes(bytes)}${total ? ` of ${formatBytes(total)}` : ""}`,
            ),
        },
      );
      if (result.kind === "not-modified") {
        notModified++;
        await carryOver(ctx, file.fileName, dir);
        details.set(file.fileName, pickValidators(before!));
      } else {
        const { etag, lastModified } = result;
        details.set(file.fileName, {
          url: shown,
          ...(etag ? { etag } : {}),
          ...(lastModified ? { lastModified } : {}),
        });
      }
    }
    return {
      origin: sanitizeUrl(files[0]!.url),
      note: notModified > 0 ? `${notModified} of ${files.length} file(s) not modified (HTTP 304)` : undefined,
    };
  });
}

function pickValidators(file: ManifestFile): Pick<ManifestFile, "url" | "etag" | "lastModified"> {
  return {
    ...(file.url ? { url: file.url } : {}),
    ...(file.etag ? { etag: file.etag } : {}),
    ...(file.lastModified ? { lastModified: file.lastModified } : {}),
  };
}

/**
 * The files to download: the descriptor's, or the --url overrides. Overrides keep the descriptor's file
 * names when there are as many of them (a mirror of the same files); otherwise each file is named after
 * the last segment of its URL.
 */
export function filesToFetch(
  declared: ReadonlyArray<{ url: string; fileName: string }>,
  overrides: readonly string[],
  id: string,
): { url: string; fileName: string }[] {
  if (overrides.length === 0) return [...declared];
  if (overrides.length === declared.length)
    return overrides.map((url, i) => ({ url, fileName: declared[i]!.fileName }));
  const names = new Set<string>();
  return overrides.map((url) => {
    const last = decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
    const fileName = last.replace(/[^\w.-]+/g, "_");
    if (!fileName || fileName.startsWith(".") || names.has(fileName))
      throw usageError(`--url ${id}=${sanitizeUrl(url)}: cannot name the file after this URL`, {
        hint: `give ${id} as many --url as it has files (${declared.map((f) => f.fileName).join(", ")}), in that order`,
      });
    names.add(fileName);
    return { url, fileName };
  });
}
