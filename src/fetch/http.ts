import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { Agent, type Dispatcher, EnvHttpProxyAgent, interceptors, request } from "undici";
import { tempPathFor } from "../io/atomic.js";
import type { RateLimiter } from "./rate-limit.js";
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
  sleep,
} from "./retry.js";
import { type Redactor, sanitizeUrl } from "./secrets.js";

/**
 * The one HTTP core of the toolkit (giget's model: sources describe, one core downloads). Every request
 * has a timeout, is retried with exponential backoff and jitter on network errors, 5xx and 429
 * (honouring Retry-After), and never on other 4xx. A download is streamed to a temporary file beside its
 * destination, hashed on the way, and renamed only when it is complete, its size matches Content-Length,
 * it is not an HTML error page and the caller's validation accepts it.
 *
 * undici (rather than the global fetch or node:http): its `request` gives a Node stream and plain
 * headers, per-request header and body timeouts, a redirect interceptor, and EnvHttpProxyAgent, so
 * HTTP(S)_PROXY / NO_PROXY work for CI machines behind a proxy.
 */
export interface HttpTuning extends RetryPolicy {
  /** Connect timeout, time to the response headers, and longest silence inside a body. */
  timeoutMs: number;
}

export const DEFAULT_HTTP_TUNING: HttpTuning = { ...DEFAULT_RETRY_POLICY, timeoutMs: 60_000 };

export type Headers = Record<string, string>;

export interface RequestSpec {
  url: string;
  method?: "GET" | "POST";
  /** A function when headers change between attempts (a bearer token renewed on the way). */
  headers?: Headers | (() => Promise<Headers>);
  /** Validators of the copy already on disk: sent as If-None-Match / If-Modified-Since. */
  conditional?: { etag?: string | undefined; lastModified?: string | undefined };
}

export type Expected = "csv" | "json";

export interface DownloadOptions {
  expect: Expected;
  onProgress?: (bytes: number, total: number | undefined) => void;
  /** Reads the complete temporary file; throws (a BodyError) to refuse it. */
  validate?: (tempPath: string) => Promise<void>;
}

export type DownloadResult =
  | { kind: "downloaded"; bytes: number; sha256: string; etag?: string; lastModified?: string }
  | { kind: "not-modified" };

/** An HTTP answer that is not a success. `status` lets API clients treat 400/401/404 their way. */
export class HttpStatusError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = "HttpStatusError";
  }
}

/** A body we refuse (HTML page, truncated, invalid JSON); `retryable` when asking again may help. */
export class BodyError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "BodyError";
  }
}

/**
 * The final failure of a request, after retries; its message is already free of secrets. `reason` is the
 * last attempt's error, for callers that decide by its class (never printed as such).
 */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly reason?: unknown,
  ) {
    super(message);
    this.name = "DownloadError";
  }
}

/** Our own timeouts, exact to the millisecond (undici's own timers have a one-second resolution). */
export class TimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(
    readonly phase: "headers" | "body",
    readonly ms: number,
  ) {
    super(
      phase === "headers"
        ? `no response within ${formatSeconds(ms)} (timeout)`
        : `the body stalled for ${formatSeconds(ms)} (timeout)`,
    );
    this.name = "TimeoutError";
  }
}

interface Sent {
  response: Dispatcher.ResponseData;
  /** Arms the idle timer of the body: call on every chunk; `stop` when the body is done. */
  alive(): void;
  stop(): void;
}

/**
 * Parse an API answer: JSON, or a JSON string holding JSON (the DEPP API's "JSON in a JSON string").
 * Invalid JSON is a BodyError worth a retry (a body cut short without a Content-Length).
 */
export function parseJsonBody(text: string): unknown {
  try {
    const doc: unknown = JSON.parse(text);
    return typeof doc === "string" ? JSON.parse(doc) : doc;
  } catch {
    throw new BodyError("the body is not valid JSON (cut short?)", true);
  }
}

/** The start of a body, on one line, for a message. */
export function bodyStart(text: string): string {
  return text.slice(0, 120).replace(/\s+/g, " ");
}

export interface HttpClientOptions {
  tuning?: Partial<HttpTuning>;
  env?: NodeJS.ProcessEnv;
  redactor: Redactor;
  /** Shared by every request of this client, retries included. */
  limiter?: RateLimiter;
  /** Told about each retry (for a progress line). */
  onRetry?: (message: string) => void;
  random?: () => number;
}

const HTML_START = /^\s*<(!doctype\s+html|html|head|body|title)[\s>]/i;
const SNIFF_BYTES = 512;

export class HttpClient {
  readonly tuning: HttpTuning;
  private readonly dispatcher: Dispatcher;
  private readonly base: Agent | EnvHttpProxyAgent;

  constructor(private readonly options: HttpClientOptions) {
    this.tuning = { ...DEFAULT_HTTP_TUNING, ...options.tuning };
    const env = options.env ?? {};
    const agentOptions = { connect: { timeout: this.tuning.timeoutMs } };
    const httpProxy = env["HTTP_PROXY"] ?? env["http_proxy"];
    const httpsProxy = env["HTTPS_PROXY"] ?? env["https_proxy"];
    this.base =
      httpProxy || httpsProxy
        ? new EnvHttpProxyAgent({
            ...agentOptions,
            ...(httpProxy ? { httpProxy } : {}),
            ...(httpsProxy ? { httpsProxy } : {}),
            noProxy: env["NO_PROXY"] ?? env["no_proxy"] ?? "",
          })
        : new Agent(agentOptions);
    this.dispatcher = this.base.compose(interceptors.redirect({ maxRedirections: 5 }));
  }

  async close(): Promise<void> {
    await this.base.close();
  }

  /** Download `spec` to `dest` (atomically). 304 → not-modified, and `dest` is not touched. */
  download(spec: RequestSpec, dest: string, options: DownloadOptions): Promise<DownloadResult> {
    return this.withRetries(spec, () => this.downloadOnce(spec, dest, options));
  }

  /** A small body as text (a login answer). Non-2xx statuses throw an HttpStatusError inside DownloadError. */
  text(spec: RequestSpec): Promise<string> {
    return this.withRetries(spec, async () => {
      const { response, stop } = await this.send(spec);
      try {
        await this.refuseStatus(response);
        return await response.body.text();
      } finally {
        stop();
      }
    });
  }

  private async withRetries<T>(spec: RequestSpec, attempt: () => Promise<T>): Promise<T> {
    const { redactor } = this.options;
    const label = `${spec.method ?? "GET"} ${sanitizeUrl(spec.url)}`;
    const attempts = this.tuning.retries + 1;
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const status = error instanceof HttpStatusError ? error.status : undefined;
        const retryable =
          error instanceof HttpStatusError
            ? isRetryableStatus(error.status)
            : error instanceof BodyError
              ? error.retryable
              : isRetryableNetworkError(error);
        const why = redactor.redact(describe(error, this.tuning.timeoutMs));
        if (!retryable || n >= attempts) {
          const after = retryable && n > 1 ? ` (after ${n} attempts)` : "";
          throw new DownloadError(`${label}: ${why}${after}`, status, error);
        }
        const asked = error instanceof HttpStatusError ? error.retryAfterMs : undefined;
        if (asked !== undefined && asked > this.tuning.maxRetryAfterMs)
          throw new DownloadError(
            `${label}: ${why}; the server asks to retry after ${Math.round(asked / 1000)} s, longer than the ${Math.round(this.tuning.maxRetryAfterMs / 1000)} s allowed`,
            status,
            error,
          );
        const wait = asked ?? backoffDelay(n, this.tuning, this.options.random);
        this.options.onRetry?.(
          `${label}: ${why}; retry ${n}/${this.tuning.retries} in ${formatSeconds(wait)}${asked !== undefined ? " (Retry-After)" : ""}`,
        );
        await sleep(wait);
      }
    }
  }

  private async send(spec: RequestSpec): Promise<Sent> {
    await this.options.limiter?.take();
    const extra = typeof spec.headers === "function" ? await spec.headers() : (spec.headers ?? {});
    const headers: Headers = { "accept-encoding": "gzip, deflate, br", ...extra };
    if (spec.conditional?.etag) headers["if-none-match"] = spec.conditional.etag;
    if (spec.conditional?.lastModified) headers["if-modified-since"] = spec.conditional.lastModified;
    const ms = this.tuning.timeoutMs;
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(new TimeoutError("headers", ms)), ms);
    const stop = () => clearTimeout(timer);
    try {
      const response = await request(spec.url, {
        method: spec.method ?? "GET",
        headers,
        dispatcher: this.dispatcher,
        signal: controller.signal,
        // undici's own timers (1 s resolution) as a backstop of ours.
        headersTimeout: ms + 1_000,
        bodyTimeout: ms + 1_000,
      });
      stop();
      const alive = () => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(new TimeoutError("body", ms)), ms);
      };
      alive();
      return { response, alive, stop };
    } catch (error) {
      stop();
      throw error;
    }
  }

  /** Throw an HttpStatusError for a non-2xx answer, with the start of its body (a JSON `msg`…). */
  private async refuseStatus(response: Dispatcher.ResponseData): Promise<void> {
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode < 300) return;
    const snippet = await readSnippet(response.body);
    const retryAfter = parseRetryAfter(header(response.headers, "retry-after"));
    const reason = `HTTP ${statusCode}${snippet ? `: ${snippet}` : ""}`;
    throw new HttpStatusError(reason, statusCode, retryAfter);
  }

  private async downloadOnce(
    spec: RequestSpec,
    dest: string,
    options: DownloadOptions,
  ): Promise<DownloadResult> {
    const { response, alive, stop } = await this.send(spec);
    try {
      return await this.receive(spec, response, alive, dest, options);
    } finally {
      stop();
    }
  }

  private async receive(
    spec: RequestSpec,
    response: Dispatcher.ResponseData,
    alive: () => void,
    dest: string,
    options: DownloadOptions,
  ): Promise<DownloadResult> {
    if (response.statusCode === 304 && spec.conditional) {
      await response.body.dump();
      return { kind: "not-modified" };
    }
    await this.refuseStatus(response);
    // PHP exports often send CSV as text/html: the Content-Type alone does not condemn a body, but a
    // body that starts with a tag under that type is a page, and so is a body that starts like one.
    const type = header(response.headers, "content-type") ?? "";
    const declaredHtml = /text\/html|application\/xhtml/i.test(type);
    const lengthHeader = header(response.headers, "content-length");
    const expected =
      lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    const encoding = (header(response.headers, "content-encoding") ?? "identity").toLowerCase().trim();

    await mkdir(dirname(dest), { recursive: true });
    const temp = tempPathFor(dest);
    const hash = createHash("sha256");
    let received = 0;
    let bytes = 0;
    let head = Buffer.alloc(0);
    const count = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        alive();
        received += chunk.length;
        options.onProgress?.(received, expected);
        callback(null, chunk);
      },
    });
    const inspect = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (head.length < SNIFF_BYTES) {
          head = Buffer.concat([head, chunk]).subarray(0, SNIFF_BYTES);
          if (looksLikeHtml(head, declaredHtml))
            return callback(
              new BodyError(
                htmlMessage(
                  options.expect,
                  declaredHtml ? `Content-Type ${type}` : "the body is an HTML page",
                ),
                false,
              ),
            );
        }
        hash.update(chunk);
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      const decoder = decompressor(encoding);
      const body = response.body as Readable;
      if (decoder) await pipeline(body, count, decoder, inspect, createWriteStream(temp));
      else await pipeline(body, count, inspect, createWriteStream(temp));
      if (expected !== undefined && received !== expected)
        throw new BodyError(
          `the body has ${received} bytes but its Content-Length says ${expected}: the transfer was cut`,
          true,
        );
      await options.validate?.(temp);
      await rename(temp, dest);
    } catch (error) {
      response.body.destroy();
      await rm(temp, { force: true });
      throw error;
    }
    const etag = header(response.headers, "etag");
    const lastModified = header(response.headers, "last-modified");
    return {
      kind: "downloaded",
      bytes,
      sha256: hash.digest("hex"),
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
    };
  }
}

function decompressor(encoding: string): NodeJS.ReadWriteStream | undefined {
  if (encoding === "gzip" || encoding === "x-gzip") return createGunzip();
  if (encoding === "deflate") return createInflate();
  if (encoding === "br") return createBrotliDecompress();
  return undefined;
}

function header(headers: Dispatcher.ResponseData["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function looksLikeHtml(head: Buffer, declaredHtml: boolean): boolean {
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  if (declaredHtml && /^\s*</.test(text)) return true;
  return HTML_START.test(text) || (/^\s*</.test(text) && /<html[\s>]/i.test(text));
}

function htmlMessage(expect: Expected, evidence: string): string {
  return `the server answered with an HTML page instead of ${expect === "csv" ? "a CSV file" : "JSON"} (${evidence}): a maintenance or login page, or a moved dataset`;
}

async function readSnippet(body: Dispatcher.ResponseData["body"]): Promise<string> {
  try {
    const text = (await body.text()).replace(/\s+/g, " ").trim();
    if (/^<(!doctype|html)/i.test(text)) return "an HTML error page";
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return "";
  }
}

/** A short, human cause for an attempt's failure. */
function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof HttpStatusError || error instanceof BodyError || error instanceof TimeoutError)
    return error.message;
  const code = findCode(error);
  switch (code) {
    case "UND_ERR_HEADERS_TIMEOUT":
      return `no response within ${formatSeconds(timeoutMs)} (timeout)`;
    case "UND_ERR_BODY_TIMEOUT":
      return `the body stalled for ${formatSeconds(timeoutMs)} (timeout)`;
    case "UND_ERR_CONNECT_TIMEOUT":
      return `could not connect within ${formatSeconds(timeoutMs)} (timeout)`;
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
    case "ERR_STREAM_PREMATURE_CLOSE":
      return "the connection was closed before the end of the body";
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name not found (DNS)";
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return code ? `${message} (${code})` : message;
    }
  }
}

function findCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === "string") return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

export function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
