/**
 * Every identifier of the field is normalised and validated here, and only here: trim, unwrap Excel
 * guards (`="…"`), upper-case, strip prefixes (`RNCP`, `CFD:`…), extract ids from URLs. An invalid value
 * is a reason, never an exception. Formats: research/source-formats.md §0.
 */
export type Parsed = { ok: true; value: string } | { ok: false; reason: string };

const ok = (value: string): Parsed => ({ ok: true, value });
const bad = (reason: string): Parsed => ({ ok: false, reason });

/** `="0010001W"` (Excel guard) → `0010001W`; surrounding spaces and quotes removed. */
export function cleanCell(raw: string): string {
  let v = raw.trim();
  if (v.startsWith('="') && v.endsWith('"') && v.length >= 3) v = v.slice(2, -1);
  else if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
  return v.trim();
}

/**
 * Split a multi-valued cell (`;`, `|`, `,` or spaces between values). A prefix written apart from its
 * value (`RNCP 19117`, `CFD: 40025214`) stays with it: it is not a value of its own.
 */
export function splitList(raw: string): string[] {
  let v = cleanCell(raw);
  if (v === "") return [];
  // Most cells hold one bare value: only a cell with a space, a colon or a dash can hold a prefix apart.
  if (/[\s:_-]/.test(v))
    v = v.replace(/\bRNCP[\s:_-]+(?=\d)/gi, "RNCP").replace(/\b(CFD|MEF|MEFSTAT11|CI|SISE)\s*:\s+/gi, "$1:");
  return v
    .split(/[;|,\s]+/)
    .map(cleanCell)
    .filter((s) => s !== "");
}

// UAI: 7 digits + a check letter = "abcdefghjklmnprstuvwxyz"[int(first 7) % 23] (a–z without i, o, q).
const UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";

export function uaiCheckLetter(digits: string): string {
  return UAI_LETTERS[Number.parseInt(digits, 10) % 23]!;
}

export function parseUai(raw: string): Parsed {
  const v = cleanCell(raw).toUpperCase();
  if (v === "") return bad("vide");
  if (/^\d{6}[A-Z]$/.test(v))
    return bad(`UAI "${v}" has 7 characters: a leading zero was probably lost (0${v}?)`);
  if (!/^\d{7}[A-Z]$/.test(v)) return bad(`UAI "${v}" is not 7 digits followed by a letter`);
  const expected = uaiCheckLetter(v.slice(0, 7));
  if (v[7] !== expected) return bad(`UAI "${v}" fails its checksum (expected letter ${expected})`);
  return ok(v);
}

export function parseCfd(raw: string): Parsed {
  const v = cleanCell(raw).toUpperCase().replace(/^CFD:/, "");
  if (v === "") return bad("vide");
  if (/^\d{7}$/.test(v)) return bad(`CFD "${v}" has 7 digits: a leading zero was probably lost (0${v}?)`);
  if (!/^[0-9A-Z]{8}$/.test(v)) return bad(`CFD "${v}" is not 8 characters (digits or capital letters)`);
  return ok(v);
}

export function parseMef10(raw: string): Parsed {
  const v = cleanCell(raw).toUpperCase().replace(/^MEF:/, "");
  if (v === "") return bad("vide");
  if (!/^[0-9A-Z]{10}$/.test(v)) return bad(`MEF "${v}" is not 10 characters`);
  return ok(v);
}

export function parseMefstat11(raw: string): Parsed {
  const v = cleanCell(raw)
    .toUpperCase()
    .replace(/^MEFSTAT11:/, "");
  if (v === "") return bad("vide");
  if (/^\d{10}$/.test(v))
    return bad(`MEFSTAT11 "${v}" has 10 digits: a leading zero was lost, or it is a MEF10`);
  if (!/^[0-9A-Z]{11}$/.test(v)) return bad(`MEFSTAT11 "${v}" is not 11 characters`);
  return ok(v);
}

export function parseRncp(raw: string): Parsed {
  const v = cleanCell(raw)
    .toUpperCase()
    .replace(/^RNCP[\s:_-]*/, "");
  if (v === "") return bad("vide");
  if (!/^\d{1,7}$/.test(v))
    return bad(`RNCP code "${cleanCell(raw)}" is not a number (with or without the RNCP prefix)`);
  return ok(String(Number.parseInt(v, 10)));
}

export function parseCertifInfo(raw: string): Parsed {
  const v = cleanCell(raw).replace(/^CI:/i, "");
  if (v === "") return bad("vide");
  if (!/^\d{1,10}$/.test(v)) return bad(`Certif Info id "${v}" is not a number`);
  return ok(String(Number.parseInt(v, 10)));
}

/** `FOR.5615`, `for.5615` or any URL ending with it (http or https) → `FOR.5615`. */
export function parseOnisepFor(raw: string): Parsed {
  const v = cleanCell(raw);
  if (v === "") return bad("vide");
  const m = /(?:^|[/=\s])FOR\.(\d+)(?:$|[/?#\s])/i.exec(v) ?? /^FOR\.(\d+)$/i.exec(v);
  if (!m) return bad(`"${v}" holds no Onisep formation id (FOR.<number>)`);
  return ok(`FOR.${Number.parseInt(m[1]!, 10)}`);
}

export function parseOnisepAf(raw: string): Parsed {
  const v = cleanCell(raw);
  if (v === "") return bad("vide");
  const m = /(?:^|[/=\s])AF\.(\d+)(?:$|[/?#\s])/i.exec(v);
  if (!m) return bad(`"${v}" holds no Onisep action id (AF.<number>)`);
  return ok(`AF.${Number.parseInt(m[1]!, 10)}`);
}

export function parseSise(raw: string): Parsed {
  const v = cleanCell(raw)
    .toUpperCase()
    .replace(/^SISE:/, "");
  if (v === "") return bad("vide");
  if (!/^[0-9A-Z]{7}$/.test(v)) return bad(`SISE code "${v}" is not 7 characters`);
  return ok(v);
}

/** "3 ans", "1 an", "2", "2 années" → years; months are converted only when they are whole years. */
export function parseDuree(raw: string): number | undefined {
  const v = cleanCell(raw).toLowerCase();
  const m = /^(\d+)\s*(an|ans|année|années|annee|annees|a|y|years?)?$/.exec(v);
  if (m) {
    const n = Number.parseInt(m[1]!, 10);
    return n > 0 && n < 10 ? n : undefined;
  }
  const months = /^(\d+)\s*mois$/.exec(v);
  if (months) {
    const n = Number.parseInt(months[1]!, 10);
    return n > 0 && n % 12 === 0 ? n / 12 : undefined;
  }
  return undefined;
}

export type Voie = "scolaire" | "apprentissage" | "superieur";

export function parseVoie(raw: string): Voie | undefined {
  const v = cleanCell(raw)
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
  if (v === "") return undefined;
  if (
    /^(scolaire|sco|st|statut scolaire|voie scolaire|pro|voie_pro_sco_educ_nat|agricole|formation initiale)$/.test(
      v,
    )
  )
    return "scolaire";
  if (/^(apprentissage|app|ap|apprenti|apprentis|alternance|en apprentissage)$/.test(v))
    return "apprentissage";
  if (/^(superieur|sup|enseignement superieur)$/.test(v)) return "superieur";
  return undefined;
}

/** Format prefixes used by the field's public API. */
export const codePrefix = { cfd: "CFD:", mefstat11: "MEFSTAT11:", sise: "SISE:" } as const;
