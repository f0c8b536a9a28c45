/**
 * Secrets (API passwords, keys, tokens) must never reach a log line, an error message, the manifest or
 * the --json output. Everything the fetch layer prints or records goes through one Redactor, which knows
 * the secret values of the run (from the environment, and the tokens obtained on the way), and through
 * sanitizeUrl, which strips credentials from URLs.
 */
const MASK = "***";
/** Shorter values would mask ordinary words; no real password or key is that short. */
const MIN_SECRET_LENGTH = 4;
/** Query parameters whose value is a credential. */
const SECRET_PARAMS = /^(api[-_]?key|key|token|access[-_]?token|password|passwd|pwd|secret|signature|sig)$/i;

export class Redactor {
  private secrets: string[] = [];

  /** Register a secret value (and its URL-encoded form). Empty or very short values are ignored. */
  add(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH) return;
    for (const form of [value, encodeURIComponent(value)])
      if (!this.secrets.includes(form)) this.secrets.push(form);
    // Longest first, so that a secret containing another is masked whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text.replace(/\b(https?:\/\/)[^\s/@]+@/gi, `$1${MASK}@`);
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    return out;
  }
}

/** The URL without user:password and with credential query parameters masked: safe to print and store. */
export function sanitizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\b(https?:\/\/)[^\s/@]+@/gi, `$1${MASK}@`);
  }
  parsed.username = "";
  parsed.password = "";
  for (const name of [...parsed.searchParams.keys()])
    if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, MASK);
  return parsed.toString();
}

/**
 * Split `https://user:pass@host/…` into a URL without userinfo and a Basic Authorization header: the
 * HTTP client never sees credentials in a URL (so they cannot end up in one of its error messages).
 */
export function splitUserinfo(
  url: string,
  redactor: Redactor,
): { url: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url, headers: {} };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  redactor.add(password);
  const basic = Buffer.from(`${user}:${password}`).toString("base64");
  redactor.add(basic);
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.toString(), headers: { authorization: `Basic ${basic}` } };
}
