import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import pLimit from "p-limit";
import { missingDataError, upstreamError } from "../../errors.js";
import { REGIONS } from "../../sources/regions.js";
import { isObject } from "../../sources/table.js";
import { BodyError, bodyStart, DownloadError, type HttpClient, parseJsonBody } from "../http.js";
import { listFiles } from "../import-local.js";
import type { FileDetails, SourceFetchContext, SourceFetchResult } from "../source-fetch.js";
import { carryOver, clientFor, commitStaging } from "../source-fetch.js";
import { sanitizeUrl, splitUserinfo } from "../secrets.js";
import { type UaiList, uaisFromData } from "../uai-list.js";
import { apiUrl } from "./pages.js";

/**
 * DEPP InserJeunes API (research/source-formats.md §5.1, trajectoires-pro InserJeunesApi.js):
 * `POST /login` with `username` / `password` headers → `{"access_token"}`, then with
 * `Authorization: Bearer`: national per filière and millésime, regional per région académique and
 * millésime (two cumulated years), per UAI and millésime. One file per request, under the path the
 * parser reads the request from (src/sources/inserjeunes-api.ts requestContext). Bodies are checked to
 * be JSON — or a JSON string holding JSON — with a `data` list; they are stored as received.
 *
 * The run is resumable: answers are kept in sources/.inserjeunes-api.partial/ as they arrive, and a run
 * that fails (the API down halfway through 10 000 schools) leaves them there for the next run, which asks
 * only for the rest. The copy in sources/inserjeunes-api/ is replaced only when every request is done;
 * files of the previous copy outside this run's requests (other millésimes, other schools) are kept.
 */
export type DeppLevel = "national" | "regional" | "etablissement";
export const DEPP_LEVELS: readonly DeppLevel[] = ["national", "regional", "etablissement"];
export const DEPP_FILIERES = ["voie_pro_sco_educ_nat", "voie_pro_sco_agri", "apprentissage"] as const;
export const DEPP_CREDENTIALS = ["INSERJEUNES_API_USERNAME", "INSERJEUNES_API_PASSWORD"] as const;

export interface DeppSettings {
  /** End years: national millésime YYYY, regional and per-UAI YYYY-1_YYYY. */
  millesimes: readonly number[];
  levels: ReadonlySet<DeppLevel>;
  /** From --uai-file; otherwise the annuaire / ACCE / index is asked when the run reaches the API. */
  uais?: UaiList;
  /** Token lifetime when the token does not say (a JWT's `exp` wins). */
  tokenLifetimeMs: number;
  /** A partial run older than this is started again rather than resumed. */
  resumeMaxAgeMs: number;
}

export const DEFAULT_TOKEN_LIFETIME_MS = 2 * 60_000;
export const DEFAULT_RESUME_MAX_AGE_MS = 24 * 3_600_000;
const TOKEN_MARGIN_MS = 15_000;

/**
 * The default millésimes: the three ending the year before the current one (in 2026: 2023, 2024, 2025
 * nationally; 2022_2023, 2023_2024, 2024_2025 for regions and schools). A millésime the DEPP has not
 * published yet is answered 4xx, counted as "no data", and is not a failure.
 */
export function defaultMillesimes(now: Date): number[] {
  const last = now.getUTCFullYear() - 1;
  return [last - 2, last - 1, last];
}

export interface DeppRequest {
  /** Path inside sources/inserjeunes-api/. */
  relPath: string;
  /** Route under the API base. */
  route: string;
}

export function deppRequests(
  millesimes: readonly number[],
  levels: ReadonlySet<DeppLevel>,
  uais: readonly string[],
) {
  const out: DeppRequest[] = [];
  const years = [...millesimes].sort((a, b) => a - b);
  const cumul = (y: number) => `${y - 1}_${y}`;
  if (levels.has("national"))
    for (const y of years)
      for (const f of DEPP_FILIERES)
        out.push({ relPath: `france/${y}/${f}.json`, route: `france/millesime/${y}/filiere/${f}` });
  if (levels.has("regional"))
    for (const { academique } of REGIONS)
      for (const y of years)
        out.push({
          relPath: `region/${academique}/${cumul(y)}.json`,
          route: `region/${academique}/millesime/${cumul(y)}`,
        });
  if (levels.has("etablissement"))
    for (const uai of uais)
      for (const y of years)
        out.push({ relPath: `uai/${uai}/${cumul(y)}.json`, route: `UAI/${uai}/millesime/${cumul(y)}` });
  return out;
}

interface Token {
  value: string;
  expiresAt: number;
  generation: number;
}

/** The bearer token: one login at a time, renewed before it expires and when the API answers 401. */
export class DeppSession {
  private token: Token | undefined;
  private pending: Promise<Token> | undefined;
  private generation = 0;
  logins = 0;

  constructor(
    private readonly client: HttpClient,
    private readonly base: string,
    private readonly credentials: { username: string; password: string },
    private readonly ctx: Pick<SourceFetchContext, "redactor">,
    private readonly lifetimeMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  current(): Promise<Token> {
    if (this.token && this.clock() < this.token.expiresAt) return Promise.resolve(this.token);
    return this.login();
  }

  /** The API refused `stale`: log in again, unless another request already did. */
  renew(stale: Token): Promise<Token> {
    if (this.token && this.token.generation !== stale.generation) return this.current();
    this.token = undefined;
    return this.login();
  }

  private login(): Promise<Token> {
    this.pending ??= this.doLogin().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async doLogin(): Promise<Token> {
    const url = apiUrl(this.base, "login");
    let text: string;
    try {
      text = await this.client.text({ url, method: "POST", headers: { ...this.credentials } });
    } catch (error) {
      if (error instanceof DownloadError && (error.status === 401 || error.status === 403))
        throw missingDataError(
          `the DEPP API refused the login (HTTP ${error.status} at ${sanitizeUrl(url)}): check ${DEPP_CREDENTIALS.join(" and ")}`,
        );
      throw error;
    }
    let value: unknown;
    try {
      const doc: unknown = JSON.parse(text);
      value = isObject(doc) ? doc["access_token"] : undefined;
    } catch {
      value = undefined;
    }
    if (typeof value !== "string" || value === "")
      throw upstreamError(`the DEPP API login at ${sanitizeUrl(url)} answered without an access_token`);
    this.ctx.redactor.add(value);
    this.logins++;
    const now = this.clock();
    const exp = jwtExpiry(value);
    // A JWT says when it expires (renewed a little before; never sooner than in a second, so that a
    // clock skew cannot cause a login per request); otherwise the configured lifetime applies.
    const expiresAt =
      exp !== undefined ? Math.max(exp - TOKEN_MARGIN_MS, now + 1_000) : now + this.lifetimeMs;
    this.token = { value, expiresAt, generation: ++this.generation };
    return this.token;
  }
}

/** `exp` (ms) of a JWT, when the token is one. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const exp = isObject(claims) ? claims["exp"] : undefined;
    return typeof exp === "number" ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A 200 answer without a `data` list: nothing for this request (the API's way to say "no data" too). */
class NoDataBody extends BodyError {
  constructor(message: string) {
    super(message, false);
  }
}

/** The body is JSON (or a JSON string holding JSON) with a `data` list; else it is refused. */
export async function validateDeppBody(path: string): Promise<void> {
  const text = await readFile(path, "utf8");
  const doc = parseJsonBody(text);
  if (!isObject(doc) || !Array.isArray(doc["data"]))
    throw new NoDataBody(`no "data" list in the body: ${bodyStart(text)}`);
}

const PARTIAL_META = ".partial.json";

export async function fetchInserjeunesApi(ctx: SourceFetchContext): Promise<SourceFetchResult> {
  const depp = ctx.settings.depp;
  const access = ctx.source.access;
  if (access.kind !== "api") throw new Error(`${ctx.source.id} is not an API`);
  const username = ctx.env["INSERJEUNES_API_USERNAME"];
  const password = ctx.env["INSERJEUNES_API_PASSWORD"];
  if (!username || !password)
    throw missingDataError(`inserjeunes-api needs ${DEPP_CREDENTIALS.join(" and ")}`);
  ctx.redactor.add(username);
  ctx.redactor.add(password);
  const { url: base, headers: baseHeaders } = splitUserinfo(ctx.overrides[0] ?? access.baseUrl, ctx.redactor);
  const origin = sanitizeUrl(base);

  const notes: string[] = [];
  let uais: readonly string[] = [];
  if (depp.levels.has("etablissement")) {
    const list = depp.uais ?? (await uaisFromData(ctx.dataDir));
    if (list) {
      uais = list.uais;
      ctx.progress.info(`${ctx.source.id}: ${list.uais.length} school(s) from ${list.from}`);
    } else
      notes.push(
        "per-school requests skipped: no UAI list (fetch and index annuaire-education or acce, or pass --uai-file)",
      );
  }
  const requests = deppRequests(depp.millesimes, depp.levels, uais);
  if (requests.length === 0)
    throw missingDataError("nothing to ask the DEPP API: no level, millésime or UAI");

  const partial = await openPartial(ctx, origin, depp.resumeMaxAgeMs);
  const done = new Set(await relativeFiles(partial));
  const todo = requests.filter((r) => !done.has(r.relPath));
  if (todo.length < requests.length)
    ctx.progress.info(
      `${ctx.source.id}: resuming, ${requests.length - todo.length} of ${requests.length} request(s) already answered`,
    );

  const client = clientFor(ctx, { rateLimited: true });
  const session = new DeppSession(client, base, { username, password }, ctx, depp.tokenLifetimeMs);
  const limit = pLimit(ctx.settings.concurrency);
  let answered = requests.length - todo.length;
  let noData = 0;
  let failure: DownloadError | Error | undefined;
  let failures = 0;

  const ask = async (request: DeppRequest): Promise<void> => {
    if (failure) return; // stop scheduling once a request failed for good: the rest resumes next run
    let used: Awaited<ReturnType<DeppSession["current"]>> | undefined;
    for (let renewals = 0; ; renewals++) {
      try {
        await client.download(
          {
            url: apiUrl(base, request.route),
            headers: async () => {
              used = await session.current();
              return { ...baseHeaders, authorization: `Bearer ${used.value}` };
            },
          },
          join(partial, ...request.relPath.split("/")),
          { expect: "json", validate: validateDeppBody },
        );
        break;
      } catch (error) {
        if (error instanceof DownloadError && error.status === 401 && used && renewals < 2) {
          await session.renew(used);
          continue;
        }
        if (
          error instanceof DownloadError &&
          (error.status === 400 || error.status === 404 || error.reason instanceof NoDataBody)
        ) {
          noData++;
          break;
        }
        failures++;
        failure ??= error as Error;
        return;
      }
    }
    answered++;
    ctx.progress.update(`${answered}/${requests.length} request(s), ${noData} without data`);
  };

  try {
    if (todo.length > 0) await session.current(); // a refused login stops here, before any request
    await Promise.all(todo.map((request) => limit(() => ask(request))));
  } finally {
    await client.close();
  }
  if (failure) {
    const kept = (await relativeFiles(partial)).length;
    throw upstreamError(
      `${ctx.source.id}: ${failures} request(s) failed, ${requests.length - answered} not done; first failure: ${failure.message}`,
      {
        hint: `run the same fetch again: the ${kept} answer(s) already received are kept in sources/.${ctx.source.id}.partial/ and only the rest is asked (for ${Math.round(depp.resumeMaxAgeMs / 3_600_000)} h)`,
      },
    );
  }

  const stored = await relativeFiles(partial);
  if (stored.length === 0)
    throw upstreamError(
      `${ctx.source.id}: the API answered no data for any of the ${requests.length} request(s) (millésimes ${depp.millesimes.join(", ")})`,
      { hint: "check --millesimes: a millésime the DEPP has not published yet has no data" },
    );
  // Answers of an older plan that this run did not ask for are not part of this copy.
  const planned = new Set(requests.map((r) => r.relPath));
  for (const name of stored) if (!planned.has(name)) await rm(join(partial, ...name.split("/")));
  const details: FileDetails = new Map();
  for (const r of requests) details.set(r.relPath, { url: apiUrl(origin, r.route) });
  for (const file of ctx.previous?.files ?? [])
    if (!planned.has(file.name)) {
      await carryOver(ctx, file.name, partial);
      details.set(file.name, { ...(file.url ? { url: file.url } : {}) });
    }
  await rm(join(partial, PARTIAL_META), { force: true });
  const committed = await commitStaging(ctx, partial, origin, details);
  if (noData > 0) notes.push(`${noData} of ${requests.length} request(s) without data (HTTP 400/404)`);
  if (session.logins > 1) notes.push(`${session.logins} logins (token renewed)`);
  return { ...committed, ...(notes.length > 0 ? { note: notes.join("; ") } : {}) };
}

/** sources/.<id>.partial/: resumed when it is recent and from the same API, else started again. */
async function openPartial(ctx: SourceFetchContext, origin: string, maxAgeMs: number): Promise<string> {
  const dir = join(ctx.dataDir.sources, `.${ctx.source.id}.partial`);
  const metaPath = join(dir, PARTIAL_META);
  const now = ctx.now().getTime();
  let meta: { startedAt?: string; origin?: string } | undefined;
  try {
    meta = JSON.parse(await readFile(metaPath, "utf8")) as typeof meta;
  } catch {
    meta = undefined;
  }
  const resumable =
    !ctx.settings.force &&
    meta?.origin === origin &&
    typeof meta.startedAt === "string" &&
    now - Date.parse(meta.startedAt) < maxAgeMs;
  if (!resumable) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(metaPath, `${JSON.stringify({ startedAt: ctx.now().toISOString(), origin })}\n`);
  }
  return dir;
}

async function relativeFiles(dir: string): Promise<string[]> {
  return (await listFiles(dir)).map((path) => relative(dir, path).split(sep).join("/"));
}
