import { XMLParser, XMLValidator } from "fast-xml-parser";
import { formatLocation, usageError } from "../errors.js";

/**
 * LHEO 2.2 (http://www.lheo.org/2.2) and 2.3 (http://lheo.gouv.fr/2.3) offer feeds, one output row per
 * <action>. Files can be hundreds of MB: a tag scanner cuts the decoded text into one <formation> at a
 * time, and only that piece is parsed (fast-xml-parser), so memory never holds more than one formation.
 *
 * The columns are fixed (LHEO element names), multi-valued elements joined with "|". Onisep ids found in
 * the Onisep extras (`FOR_ID ONISEP`, `ACT_ID ONISEP`) are written in their canonical form (`FOR.9436`,
 * `AF.18706`) so that they read as identifiers.
 */
export const LHEO_NAMESPACES: Record<string, string> = {
  "http://www.lheo.org/2.2": "2.2",
  "http://lheo.gouv.fr/2.3": "2.3",
};

export const LHEO_COLUMNS = [
  "formation@numero",
  "action@numero",
  "intitule-formation",
  "code-RNCP",
  "code-CERTIFINFO",
  "code-RS",
  "code-niveau-sortie",
  "certifiante",
  "code-UAI-lieu-formation",
  "code-UAI-formateur",
  "code-UAI-organisme-formation",
  "SIRET-lieu-formation",
  "SIRET-formateur",
  "SIRET-organisme-formation",
  "nom-organisme",
  "duree-indicative",
  "duree-cycle",
  "FOR_ID ONISEP",
  "ACT_ID ONISEP",
  "extra-CFD",
  "lieu-codepostal",
  "lieu-ville",
  "lieu-departement",
  "lieu-region",
  "session-debut",
  "session-fin",
] as const;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  textNodeName: "#text",
});

const MAX_FORMATION_CHARS = 64 * 1024 * 1024;
const OPEN = /<(?:[A-Za-z_][\w.-]*:)?formation(?=[\s>/])/g;

export interface LheoPiece {
  text: string;
  line: number;
}

/** Finds the LHEO version in the start of the document; throws when it is not an LHEO feed. */
export function lheoVersion(head: string, source: string): string {
  const root = /<(?:([A-Za-z_][\w.-]*):)?lheo[\s>]/.exec(head);
  if (!root)
    throw usageError(`${source} is XML but not an LHEO feed (no <lheo> root element)`, {
      hint: "match reads LHEO 2.2 / 2.3 offer files; export other XML as CSV or JSON",
    });
  const tagEnd = head.indexOf(">", root.index);
  const tag = head.slice(root.index, tagEnd === -1 ? undefined : tagEnd);
  const prefix = root[1] ? `:${root[1]}` : "";
  const ns = new RegExp(`xmlns${prefix}\\s*=\\s*["']([^"']+)["']`).exec(tag)?.[1];
  if (ns && LHEO_NAMESPACES[ns]) return LHEO_NAMESPACES[ns]!;
  return ns ? `unknown namespace ${ns}` : "no namespace";
}

/** The encoding named in the XML declaration, if any. */
export function xmlDeclaredEncoding(head: string): string | undefined {
  return /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1]?.toLowerCase();
}

/** Cuts <formation>…</formation> pieces out of text pushed in chunks. */
export class FormationScanner {
  private buf = "";
  /** Line of buf[0]. */
  private line = 1;

  constructor(private readonly source: string) {}

  /** Characters held between pushes (the start of a formation cut by a chunk boundary). */
  get buffered(): number {
    return this.buf.length;
  }

  push(text: string, out: LheoPiece[]): void {
    this.buf += text;
    let from = 0;
    for (;;) {
      OPEN.lastIndex = from;
      const open = OPEN.exec(this.buf);
      if (!open) {
        // Keep a tail that may hold the start of a tag cut by the chunk boundary.
        const lt = this.buf.lastIndexOf("<");
        from = lt === -1 ? this.buf.length : Math.max(from, lt);
        break;
      }
      const name = open[0].slice(1);
      const selfClosing = this.buf.indexOf(">", open.index);
      if (selfClosing === -1) {
        from = open.index;
        break;
      }
      let end: number;
      if (this.buf.charCodeAt(selfClosing - 1) === 47) end = selfClosing + 1;
      else {
        const close = this.buf.indexOf(`</${name}>`, selfClosing);
        if (close === -1) {
          from = open.index;
          if (this.buf.length - from > MAX_FORMATION_CHARS)
            throw usageError(
              `${this.source}:${this.lineAt(from)}: a <formation> element is larger than 64 MB or never closed`,
              { hint: "check that the LHEO file is complete (not truncated)" },
            );
          break;
        }
        end = close + name.length + 3;
      }
      out.push({ text: this.buf.slice(open.index, end), line: this.lineAt(open.index) });
      from = end;
    }
    this.advance(from);
  }

  /** Line of buf[index]; indexes are asked in increasing order, so newlines are counted once. */
  private cursor = 0;
  private cursorLine = 1;
  private lineAt(index: number): number {
    if (index < this.cursor) {
      this.cursor = 0;
      this.cursorLine = this.line;
    }
    let i = this.buf.indexOf("\n", this.cursor);
    while (i !== -1 && i < index) {
      this.cursorLine++;
      i = this.buf.indexOf("\n", i + 1);
    }
    this.cursor = index;
    return this.cursorLine;
  }

  private advance(to: number): void {
    this.line = this.lineAt(to);
    this.buf = this.buf.slice(to);
    this.cursor = 0;
    this.cursorLine = this.line;
  }
}

const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const nodes = (v: unknown): Node[] =>
  list(v).filter((x): x is Node => x !== null && typeof x === "object" && !Array.isArray(x));

function text(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join("|");
  const t = (v as Node)["#text"];
  return t === undefined ? "" : text(t);
}

/** Values found at `path` below each node (each step may be a list). */
function collect(from: unknown, path: readonly string[]): string[] {
  let current: unknown[] = list(from);
  for (const step of path)
    current = current.flatMap((n) => (n && typeof n === "object" ? list((n as Node)[step]) : []));
  return current.map(text).filter((s) => s !== "");
}

const joined = (values: string[]) => [...new Set(values)].join("|");

/** `<extras><extra info="FOR_ID ONISEP">9436</extra></extras>` anywhere directly under `node`. */
function extras(node: unknown, info: RegExp): string[] {
  return nodes((node as Node | undefined)?.["extras"])
    .flatMap((e) => nodes(e["extra"]))
    .filter((e) => info.test(String(e["@info"] ?? "")))
    .map(text)
    .filter((s) => s !== "");
}

function onisepId(prefix: "FOR" | "AF", values: string[]): string {
  return joined(values.map((v) => (/^\d+$/.test(v) ? `${prefix}.${Number.parseInt(v, 10)}` : v)));
}

/** Parses one <formation> piece into one row per action (at least one row). */
export function formationRows(piece: LheoPiece, source: string): { fields: string[]; line: number }[] {
  const valid = XMLValidator.validate(piece.text);
  if (valid !== true) {
    const line = piece.line + valid.err.line - 1;
    const lineText = piece.text.split("\n")[valid.err.line - 1] ?? "";
    throw usageError(
      `${formatLocation({ file: source, line, text: lineText.trim() })}\nmalformed XML in a <formation>: ${valid.err.msg}`,
      { hint: "fix the XML (an LHEO validator such as xmllint --schema lheo.xsd shows every problem)" },
    );
  }
  const parsed = parser.parse(piece.text) as Node;
  const formation = nodes(parsed["formation"])[0] ?? {};
  const certification = formation["certification"];
  const organisme = formation["organisme-formation-responsable"];
  const common: Record<string, string> = {
    "formation@numero": text(formation["@numero"]),
    "intitule-formation": text(formation["intitule-formation"]),
    "code-RNCP": joined(collect(certification, ["code-RNCP"])),
    "code-CERTIFINFO": joined(collect(certification, ["code-CERTIFINFO"])),
    "code-RS": joined(collect(certification, ["code-RS"])),
    "code-niveau-sortie": text(formation["code-niveau-sortie"]),
    certifiante: text(formation["certifiante"]),
    "code-UAI-organisme-formation": joined(collect(organisme, ["code-UAI-organisme-formation"])),
    "SIRET-organisme-formation": joined(collect(organisme, ["SIRET-organisme-formation", "SIRET"])),
    "nom-organisme": joined(collect(organisme, ["nom-organisme"])),
    "FOR_ID ONISEP": onisepId("FOR", extras(formation, /^FOR_ID ONISEP$/i)),
    "extra-CFD": joined([
      ...extras(formation, /cfd|scolarit/i),
      ...nodes(certification).flatMap((c) => extras(c, /cfd|scolarit/i)),
    ]),
  };
  const actions = nodes(formation["action"]);
  const rows = (actions.length > 0 ? actions : [undefined]).map((action) => {
    const lieu = action?.["lieu-de-formation"];
    const adresse = ["coordonnees", "adresse"];
    const values: Record<string, string> = {
      ...common,
      "action@numero": text(action?.["@numero"]),
      "code-UAI-lieu-formation": joined(collect(lieu, ["code-UAI-lieu-formation"])),
      "code-UAI-formateur": joined(collect(action?.["organisme-formateur"], ["code-UAI-formateur"])),
      "SIRET-lieu-formation": joined(collect(lieu, ["SIRET-lieu-formation", "SIRET"])),
      "SIRET-formateur": joined(collect(action?.["organisme-formateur"], ["SIRET-formateur", "SIRET"])),
      "duree-indicative": text(action?.["duree-indicative"]),
      "duree-cycle": text(action?.["duree-cycle"]),
      "ACT_ID ONISEP": onisepId("AF", extras(action, /^ACT_ID ONISEP$/i)),
      "lieu-codepostal": joined(collect(lieu, [...adresse, "codepostal"])),
      "lieu-ville": joined(collect(lieu, [...adresse, "ville"])),
      "lieu-departement": joined(collect(lieu, [...adresse, "departement"])),
      "lieu-region": joined(collect(lieu, [...adresse, "region"])),
      "session-debut": collect(action?.["session"], ["periode", "debut"])[0] ?? "",
      "session-fin": collect(action?.["session"], ["periode", "fin"])[0] ?? "",
    };
    if (!values["extra-CFD"]) values["extra-CFD"] = joined(extras(action, /cfd|scolarit/i));
    return { fields: LHEO_COLUMNS.map((c) => values[c] ?? ""), line: piece.line };
  });
  return rows;
}
