import { MOTIFS, type Outcome, STATUTS } from "./outcome.js";

/**
 * The coverage report of a catalogue: counts and shares by statut, motif, methode, voie and diploma
 * type, and the codes that most often failed to match — what a partner reads to fix their catalogue.
 * Pure: the tally is fed row by row, the renderers return text (JSON, Markdown, self-contained HTML).
 */
export interface Share {
  value: string;
  count: number;
  /** Percentage of all rows, one decimal. */
  share: number;
}

export interface UnmatchedCode {
  code: string;
  count: number;
  /** The motif most rows with this code got. */
  motif: string;
}

export interface CoverageReport {
  title: string;
  input: string;
  mode: string;
  mapping: string;
  generatedAt: string;
  rows: number;
  byStatut: Share[];
  byMotif: Share[];
  byMethode: Share[];
  byVoie: Share[];
  byDiplome: Share[];
  topUnmatched: UnmatchedCode[];
  /**
   * True when more than MAX_UNMATCHED_CODES distinct codes failed: rare ones were dropped, and the
   * counts of the top list are lower bounds.
   */
  unmatchedApproximate: boolean;
}

/**
 * A code that failed, and the motifs its rows got: most codes only ever get one, so the map is made
 * when a second appears.
 */
interface UnmatchedEntry {
  code: string;
  /** Rows counted for the code (Space-Saving: at most `error` of them belonged to evicted codes). */
  count: number;
  error: number;
  motif: string;
  motifCount: number;
  motifs: Map<string, number> | undefined;
  /** Its place in the tally's min-heap. */
  at: number;
}

const TOP = 20;
/**
 * The unmatched codes the tally counts at most. Beyond, the Space-Saving algorithm (Metwally, Agrawal,
 * El Abbadi, 2005) replaces the least counted code: any code on more than rows / MAX of the rows is
 * kept, and each count is known within the evicted code's count (the report gives the lower bound).
 * So memory stays flat on catalogues full of distinct bad codes (typos, free text in a code column).
 */
export const MAX_UNMATCHED_CODES = 8_192;
export const NONE = "(none)";

export class CoverageTally {
  rows = 0;
  private readonly statut = new Map<string, number>();
  private readonly motif = new Map<string, number>();
  private readonly methode = new Map<string, number>();
  private readonly voie = new Map<string, number>();
  private readonly diplome = new Map<string, number>();
  private readonly unmatched = new Map<string, UnmatchedEntry>();
  /** The same entries, as a binary min-heap on count: the root is the code to replace. */
  private readonly heap: UnmatchedEntry[] = [];
  private approximate = false;

  constructor(private readonly maxCodes = MAX_UNMATCHED_CODES) {}

  /** `weight` rows with this outcome (the pipeline counts identical rows before adding them). */
  add(
    outcome: Pick<Outcome, "statut" | "motif" | "methode" | "voie">,
    diplome: string,
    codes: readonly string[],
    weight = 1,
  ): void {
    this.rows += weight;
    bump(this.statut, outcome.statut, weight);
    bump(this.motif, outcome.motif || NONE, weight);
    bump(this.methode, outcome.methode || NONE, weight);
    bump(this.voie, outcome.voie ?? NONE, weight);
    bump(this.diplome, diplome || NONE, weight);
    const motif = outcome.motif || NONE;
    for (const code of codes) {
      const entry = this.unmatched.get(code) ?? this.track(code, motif);
      entry.count += weight;
      if (entry.motifs) bump(entry.motifs, motif, weight);
      else if (motif === entry.motif) entry.motifCount += weight;
      else
        entry.motifs = new Map([
          [entry.motif, entry.motifCount],
          [motif, weight],
        ]);
      this.siftDown(entry.at);
    }
  }

  /** An entry for a code not counted yet: a new one, or, when the tally is full, the least counted. */
  private track(code: string, motif: string): UnmatchedEntry {
    if (this.heap.length < this.maxCodes) {
      const entry: UnmatchedEntry = {
        code,
        count: 0,
        error: 0,
        motif,
        motifCount: 0,
        motifs: undefined,
        at: this.heap.length,
      };
      this.heap.push(entry);
      this.unmatched.set(code, entry);
      this.siftUp(entry.at);
      return entry;
    }
    this.approximate = true;
    const entry = this.heap[0]!;
    this.unmatched.delete(entry.code);
    entry.code = code;
    entry.error = entry.count;
    entry.motif = motif;
    entry.motifCount = 0;
    entry.motifs = undefined;
    this.unmatched.set(code, entry);
    return entry;
  }

  private siftUp(at: number): void {
    const heap = this.heap;
    const entry = heap[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (heap[parent]!.count <= entry.count) break;
      heap[at] = heap[parent]!;
      heap[at]!.at = at;
      at = parent;
    }
    heap[at] = entry;
    entry.at = at;
  }

  private siftDown(at: number): void {
    const heap = this.heap;
    const n = heap.length;
    const entry = heap[at]!;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && heap[right]!.count < heap[left]!.count ? right : left;
      if (heap[child]!.count >= entry.count) break;
      heap[at] = heap[child]!;
      heap[at]!.at = at;
      at = child;
    }
    heap[at] = entry;
    entry.at = at;
  }

  /** Rows by statut, motif, methode and voie so far (no "(none)" entries). */
  counts(): Record<"statut" | "motif" | "methode" | "voie" | "diplome", Record<string, number>> {
    const plain = (m: Map<string, number>) =>
      Object.fromEntries([...m].filter(([k]) => k !== NONE).sort((a, b) => b[1] - a[1]));
    return {
      statut: plain(this.statut),
      motif: plain(this.motif),
      methode: plain(this.methode),
      voie: plain(this.voie),
      diplome: plain(this.diplome),
    };
  }

  /**
   * The codes that most often failed to match (the report's top list), with the rows known to carry
   * each (exact unless more than MAX_UNMATCHED_CODES distinct codes failed: then a lower bound).
   */
  topUnmatched(): UnmatchedCode[] {
    const known = (e: UnmatchedEntry) => e.count - e.error;
    return [...this.heap]
      .sort((a, b) => known(b) - known(a) || a.code.localeCompare(b.code))
      .slice(0, TOP)
      .map((e) => ({
        code: e.code,
        count: known(e),
        motif: e.motifs ? [...e.motifs].sort((a, b) => b[1] - a[1])[0]![0] : e.motif,
      }));
  }

  report(meta: Pick<CoverageReport, "input" | "mode" | "mapping" | "generatedAt">): CoverageReport {
    const shares = (m: Map<string, number>, order?: readonly string[]): Share[] => {
      const entries = order
        ? [...order.filter((k) => m.has(k)), ...[...m.keys()].filter((k) => !order.includes(k))].map(
            (k) => [k, m.get(k)!] as const,
          )
        : [...m].sort(
            (a, b) =>
              Number(a[0] === NONE) - Number(b[0] === NONE) || b[1] - a[1] || a[0].localeCompare(b[0]),
          );
      return entries.map(([value, count]) => ({ value, count, share: percent(count, this.rows) }));
    };
    const topUnmatched = this.topUnmatched();
    return {
      title: `InserJeunes coverage — ${meta.input}`,
      ...meta,
      rows: this.rows,
      byStatut: shares(this.statut, STATUTS),
      byMotif: shares(this.motif, [...Object.keys(MOTIFS), NONE]),
      byMethode: shares(this.methode),
      byVoie: shares(this.voie),
      byDiplome: shares(this.diplome),
      topUnmatched,
      unmatchedApproximate: this.approximate,
    };
  }
}

function bump(map: Map<string, number>, key: string, weight = 1): void {
  map.set(key, (map.get(key) ?? 0) + weight);
}

function percent(count: number, total: number): number {
  return total === 0 ? 0 : Math.round((1000 * count) / total) / 10;
}

export type ReportFormat = "json" | "markdown" | "html";

export function reportFormatOf(path: string): ReportFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === "json") return "json";
  if (ext === "md" || ext === "markdown") return "markdown";
  if (ext === "html" || ext === "htm") return "html";
  return undefined;
}

export function renderReport(report: CoverageReport, format: ReportFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  if (format === "markdown") return renderMarkdown(report);
  return renderHtml(report);
}

const SECTIONS = [
  ["byStatut", "Statut (ij_statut)"],
  ["byMotif", "Motif (ij_motif)"],
  ["byMethode", "Méthode (ij_methode)"],
  ["byVoie", "Voie (ij_voie)"],
  ["byDiplome", "Diploma type"],
] as const;

const fmt = (n: number) => n.toLocaleString("en-US");

function renderMarkdown(r: CoverageReport): string {
  const lines = [
    `# ${r.title}`,
    "",
    `${fmt(r.rows)} rows · ${r.mode} · ${r.generatedAt}`,
    "",
    `Columns: ${r.mapping}`,
    "",
  ];
  for (const [key, title] of SECTIONS) {
    lines.push(`## ${title}`, "", "| value | rows | % | |", "|---|---:|---:|---|");
    for (const s of r[key])
      lines.push(
        `| ${mdEscape(s.value)} | ${fmt(s.count)} | ${s.share.toFixed(1)} | ${"█".repeat(Math.round(s.share / 4))} |`,
      );
    lines.push("");
  }
  lines.push(
    `## Codes most often unmatched (top ${TOP})${r.unmatchedApproximate ? " — approximate: rare codes were dropped, counts are lower bounds" : ""}`,
    "",
  );
  if (r.topUnmatched.length === 0) lines.push("None.", "");
  else {
    lines.push("| code | rows | motif |", "|---|---:|---|");
    for (const u of r.topUnmatched) lines.push(`| ${mdEscape(u.code)} | ${fmt(u.count)} | ${u.motif} |`);
    lines.push("");
  }
  return lines.join("\n");
}

const mdEscape = (s: string) => s.replaceAll("|", "\\|");

const esc = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const STATUT_COLORS: Record<string, string> = {
  couvert: "#2e7d32",
  sous_seuil: "#f9a825",
  non_couvert: "#c62828",
  plusieurs_codes: "#6a1b9a",
  invalide: "#616161",
};

/** One horizontal stacked bar of the statuts, as inline SVG. */
function statutChart(r: CoverageReport): string {
  const width = 800;
  let x = 0;
  const rects = r.byStatut
    .map((s) => {
      const w = r.rows === 0 ? 0 : (width * s.count) / r.rows;
      const rect = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="36" fill="${STATUT_COLORS[s.value] ?? "#999"}"><title>${esc(s.value)}: ${fmt(s.count)} (${s.share.toFixed(1)} %)</title></rect>`;
      x += w;
      return rect;
    })
    .join("");
  const legend = r.byStatut
    .map(
      (s) =>
        `<span class="key"><i style="background:${STATUT_COLORS[s.value] ?? "#999"}"></i>${esc(s.value)} ${s.share.toFixed(1)} %</span>`,
    )
    .join(" ");
  return `<svg role="img" aria-label="rows by statut" viewBox="0 0 ${width} 36" width="100%" height="36">${rects}</svg><p>${legend}</p>`;
}

function table(title: string, shares: readonly Share[]): string {
  const rows = shares
    .map(
      (s) =>
        `<tr><td>${esc(s.value)}</td><td class="n">${fmt(s.count)}</td><td class="n">${s.share.toFixed(1)}</td><td class="bar"><span style="width:${Math.min(100, s.share)}%"></span></td></tr>`,
    )
    .join("\n");
  return `<h2>${esc(title)}</h2>\n<table><thead><tr><th>value</th><th>rows</th><th>%</th><th></th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function renderHtml(r: CoverageReport): string {
  const unmatched =
    r.topUnmatched.length === 0
      ? "<p>None.</p>"
      : `<table><thead><tr><th>code</th><th>rows</th><th>motif</th></tr></thead><tbody>\n${r.topUnmatched
          .map(
            (u) =>
              `<tr><td><code>${esc(u.code)}</code></td><td class="n">${fmt(u.count)}</td><td>${esc(u.motif)}</td></tr>`,
          )
          .join("\n")}\n</tbody></table>`;
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #ddd}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.bar{width:35%}td.bar span{display:block;height:.8rem;background:#1565c0}
.key{margin-right:1rem}.key i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
.meta{color:#555}
</style>
</head>
<body>
<h1>${esc(r.title)}</h1>
<p class="meta">${fmt(r.rows)} rows · ${esc(r.mode)} · ${esc(r.generatedAt)}<br>Columns: ${esc(r.mapping)}</p>
${statutChart(r)}
${SECTIONS.map(([key, title]) => table(title, r[key])).join("\n")}
<h2>Codes most often unmatched (top ${TOP})${r.unmatchedApproximate ? " — approximate: counts are lower bounds" : ""}</h2>
${unmatched}
</body>
</html>
`;
}
