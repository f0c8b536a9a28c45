import Fuse from "fuse.js";
import type { LabelMatcher } from "./match-row.js";
import type { LabelInfo, Nomenclature } from "./types.js";

/**
 * --fuzzy: the row's label against the labels of the diplomas (BCN, Certif Info, Onisep), blocked by
 * diploma type: a "bac pro …" is only compared with bac pro CFDs (BCN niveaux 400/403), which also fixes
 * the level. Without a recognisable type, no guess is made. The best match is kept when its similarity
 * (1 − Fuse score) reaches MIN_SIMILARITY; every CFD as close as the best (within TIE) is kept too, so
 * that near-ties end as plusieurs_codes rather than a coin toss. Used only when no identifier matched.
 */
export interface DiplomaType {
  type: string;
  /** BCN NIVEAU_FORMATION_DIPLOME values (first 3 chars of the CFD). */
  niveaux: readonly string[];
  pattern: RegExp;
}

/** Most specific first (BTSA before BTS, BAC PRO before BAC). Patterns apply to accent-free lower case. */
export const DIPLOMA_TYPES: readonly DiplomaType[] = [
  { type: "BTSA", niveaux: ["323"], pattern: /\bbtsa\b|brevet de technicien superieur agricole/ },
  { type: "BTS", niveaux: ["320", "323"], pattern: /\bbts\b|brevet de technicien superieur/ },
  { type: "BAC PRO", niveaux: ["400", "403"], pattern: /\bbac(calaureat)?\s*pro(fessionnel)?\b/ },
  { type: "CAPA", niveaux: ["503"], pattern: /\bcapa\b|cap agricole/ },
  { type: "CAP", niveaux: ["500", "503"], pattern: /\bcap\b|certificat d.aptitude professionnelle/ },
  { type: "BP", niveaux: ["450", "453"], pattern: /\bbp\b|brevet professionnel/ },
  { type: "BMA", niveaux: ["401"], pattern: /\bbma\b|brevet des metiers d.art/ },
  { type: "BT", niveaux: ["420"], pattern: /\bbt\b|brevet de technicien\b/ },
  {
    type: "MC",
    niveaux: ["010", "013", "461", "561"],
    pattern: /\bmc\d?\b|mention complementaire|certificat de specialisation|\bcs\b/,
  },
  {
    type: "DNMADE",
    niveaux: ["241"],
    pattern: /\bdn ?made\b|diplome national des metiers d.art et du design/,
  },
];

const MIN_SIMILARITY = 0.6;
const TIE = 0.02;

export function plain(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

export function diplomaTypeOf(text: string | undefined): DiplomaType | undefined {
  if (!text) return undefined;
  const t = plain(text);
  return DIPLOMA_TYPES.find((d) => d.pattern.test(t));
}

/** Accent-free words, without the diploma type ("(BAC PRO)", "bac pro", "BTS"…) nor punctuation. */
export function normalizeLabel(text: string): string {
  let t = plain(text).replace(/\([^)]*\)/g, " ");
  for (const d of DIPLOMA_TYPES) t = t.replace(new RegExp(d.pattern.source, "g"), " ");
  return t
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

interface Entry {
  key: string;
  cfd: string;
  /** Closing year (open-ended = Infinity): among equally close labels, the diploma open longest wins. */
  closes: number;
}

const closingYear = (date: string | null) => (date ? Number(date.slice(0, 4)) || Infinity : Infinity);

export class FuzzyLabelMatcher implements LabelMatcher {
  private readonly indexes = new Map<string, Fuse<Entry>>();

  constructor(private readonly nom: Pick<Nomenclature, "labels">) {}

  match(libelle: string, diplome: string | undefined): { cfd: string; score: number }[] {
    const type = diplomaTypeOf(diplome) ?? diplomaTypeOf(libelle);
    if (!type) return [];
    const query = normalizeLabel(libelle);
    if (query.length < 3) return [];
    const results = this.index(type).search(query, { limit: 20 });
    const best = results[0];
    if (best?.score === undefined) return [];
    const similarity = Math.round((1 - best.score) * 100) / 100;
    if (similarity < MIN_SIMILARITY) return [];
    const close = results.filter((r) => (r.score ?? 1) - best.score! <= TIE).map((r) => r.item);
    const latest = Math.max(...close.map((e) => e.closes));
    const cfds = [...new Set(close.filter((e) => e.closes === latest).map((e) => e.cfd))];
    return cfds.map((cfd) => ({ cfd, score: similarity }));
  }

  private index(type: DiplomaType): Fuse<Entry> {
    let fuse = this.indexes.get(type.type);
    if (!fuse) {
      const seen = new Set<string>();
      const entries: Entry[] = [];
      for (const l of this.nom.labels(type.niveaux) as LabelInfo[]) {
        const key = normalizeLabel(l.libelle);
        if (key === "" || seen.has(`${l.cfd}|${key}`)) continue;
        seen.add(`${l.cfd}|${key}`);
        entries.push({ key, cfd: l.cfd, closes: closingYear(l.dateFermeture) });
      }
      fuse = new Fuse(entries, { keys: ["key"], includeScore: true, ignoreLocation: true, threshold: 0.4 });
      this.indexes.set(type.type, fuse);
    }
    return fuse;
  }
}
