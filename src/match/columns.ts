import { usageError } from "../errors.js";
import { normalizeHeader } from "../sources/table.js";
import {
  cleanCell,
  type Parsed,
  parseCertifInfo,
  parseCfd,
  parseMef10,
  parseMefstat11,
  parseRncp,
  parseSise,
  parseUai,
  splitList,
  type Voie,
} from "./identifiers.js";
import type { RowCells } from "./match-row.js";
import { PRESETS, type PresetName } from "./presets.js";
import type { Nomenclature } from "./types.js";

/**
 * Which catalogue column plays which role: from `--columns role=column,…`, a `--preset`, or detected
 * from the header names and then from the values of the first rows (checked against the index). The
 * result is printed so the user can check it, and refused when nothing usable is found.
 */
const IDENTIFIER_ROLES = ["cfd", "mef", "mefstat11", "rncp", "certifinfo", "onisep", "af", "sise"] as const;
export const ROLES = ["uai", ...IDENTIFIER_ROLES, "duree", "voie", "libelle", "diplome", "region"] as const;
export type Role = (typeof ROLES)[number];
type IdentifierRole = (typeof IDENTIFIER_ROLES)[number];

export interface ColumnMapping {
  roles: Partial<Record<Role, number[]>>;
  /** Voie fixed by a preset (a voie column, when there is one, wins row by row). */
  voie?: Voie;
  /** How each role was found, for the printed summary. */
  how: Partial<Record<Role, string>>;
  /** "--columns", "preset <name>" or "detected". */
  origin: string;
}

/** Header patterns (normalised names) per role, most specific first. */
const PATTERNS: ReadonlyArray<[Role, RegExp]> = [
  ["af", /(^|_)af(_identifiant|_id)?(_onisep)?$|action_de_formation_af_identifiant|^act_id_onisep$/],
  ["mefstat11", /^(code_)?mef_?stat_?11$|^co_mefstat$|mefstat11|mef_stat_11|^code_formation_mefstat11$/],
  ["mef", /^(code_?)?mef(_?10)?$|(^|_)codes?_mef($|_)|mefs_10|^codemef$|^liste_mef/],
  [
    "cfd",
    /(^|_)cfd($|_)|^code_?scolarite$|^codecfd$|^code_formation_diplome$|^formation_diplome$|^code_en$|codeen|^code_formation_apprentissage$/,
  ],
  ["rncp", /(^|_)rncp(_code)?$|^code_?rncp$|^liste_rncp$|rncp_code|_code_rncp$/],
  [
    "certifinfo",
    /certif_?info(_id)?$|^code_certifinfo$|^id_certifinfo$|identifiant_certifinfo|^code_diplome_ci$/,
  ],
  [
    "onisep",
    /url_?onisep|onisep_url|id_onisep|url_et_id_onisep|lien_site_onisep|^liste_ideo$|ideo_identifiant_formation|^for_id(_onisep)?$|codeideo2?$/,
  ],
  ["sise", /(^|_)sise$|^code_?sise$|^codesise$|diplome_sise/],
  ["uai", /(^|_)uai($|_)|^numero_uai$|^identifiant_de_l_etablissement$|^etablissement_d_?accueil$|^id_etab$/],
  ["duree", /(^|_)duree(_|$)/],
  ["voie", /^voie$|^statut$|apprentissageouscolaire|^modalite$|^co_sta$|^statut_offre/],
  ["diplome", /^(type_diplome|libelle_type_formation|for_type|type_de_diplome|diplome)$/],
  ["libelle", /^(libelle|intitule)(_|$)|libelle_formation|intitule_formation|^nom_formation$/],
  ["region", /^code_region$/],
];

/** Headers that describe a code (its label, level, dates) or a former/derived one, rather than hold it. */
const ABOUT_A_CODE =
  /libelle|intitule|niveau|type|date|echeance|etat|acces|ancien|nouveau|terminale|remplac|precedent|valide|siret|published|outdated|incoherent/;

/** UAI columns in the order the field reads them for apprenticeship: lieu, formateur, gestionnaire. */
function uaiPriority(name: string): number {
  if (/formateur/.test(name)) return 1;
  if (/gestionnaire|responsable|_ges$|organisme/.test(name)) return 2;
  return 0;
}

const UAI_ROLES = ["lieu", "formateur", "gestionnaire"] as const;

/**
 * The role each UAI column of the mapping names, by its header: `formateur`, `gestionnaire` (also
 * responsable, organisme, UAI_GES), else `lieu` (a lone UAI column is the place of the formation).
 */
export function uaiColumnRoles(
  mapping: ColumnMapping,
  header: readonly string[],
): (typeof UAI_ROLES)[number][] {
  return (mapping.roles.uai ?? []).map((i) => UAI_ROLES[uaiPriority(normalizeHeader(header[i] ?? ""))]!);
}

function add(mapping: ColumnMapping, role: Role, index: number, how: string): void {
  const list = mapping.roles[role] ?? [];
  if (!list.includes(index)) list.push(index);
  mapping.roles[role] = list;
  mapping.how[role] ??= how;
}

/**
 * Roles from header names. One column per role, except the UAI (lieu, formateur, gestionnaire); among
 * several candidates, the first whose sample values are not JSON objects (`bcn_mefs_10` holds objects,
 * `bcn_mefs_10.mef10` the codes), and for the label, one that names a formation.
 */
export function detectColumns(
  header: readonly string[],
  sample: readonly (readonly string[])[] = [],
): ColumnMapping {
  const mapping: ColumnMapping = { roles: {}, how: {}, origin: "detected" };
  const byRole = new Map<Role, { index: number; rank: number }[]>();
  header.forEach((name, index) => {
    const n = normalizeHeader(name);
    for (let rank = 0; rank < PATTERNS.length; rank++) {
      const [role, pattern] = PATTERNS[rank]!;
      if (!pattern.test(n)) continue;
      if (role !== "libelle" && role !== "diplome" && ABOUT_A_CODE.test(n)) continue;
      byRole.set(role, [...(byRole.get(role) ?? []), { index, rank }]);
      return;
    }
  });
  for (const [role, found] of byRole) {
    if (role === "uai") {
      const sorted = [...found].sort(
        (a, b) =>
          uaiPriority(normalizeHeader(header[a.index]!)) - uaiPriority(normalizeHeader(header[b.index]!)),
      );
      for (const f of sorted) add(mapping, role, f.index, "name");
    } else {
      const usable = found.filter((f) => !holdsObjects(sample, f.index));
      const preferred =
        role === "libelle"
          ? (usable.find((f) => /formation/.test(normalizeHeader(header[f.index]!))) ?? usable[0])
          : usable[0];
      if (preferred) add(mapping, role, preferred.index, "name");
    }
  }
  return mapping;
}

function holdsObjects(sample: readonly (readonly string[])[], index: number): boolean {
  const values = sample.map((row) => (row[index] ?? "").trim()).filter((v) => v !== "");
  return (
    values.length > 0 &&
    values.filter((v) => v.startsWith("{") || v.startsWith("[")).length * 2 > values.length
  );
}

/** Apply a preset: each role takes the first of its names present (every one for the UAI). */
export function presetColumns(name: PresetName, header: readonly string[]): ColumnMapping {
  const preset = PRESETS[name];
  const mapping: ColumnMapping = { roles: {}, how: {}, origin: `preset ${name}` };
  if ("voie" in preset) mapping.voie = preset.voie;
  const normalized = header.map(normalizeHeader);
  for (const [role, names] of Object.entries(preset.roles) as [Role, readonly string[]][]) {
    for (const wanted of names) {
      const i =
        header.indexOf(wanted) !== -1 ? header.indexOf(wanted) : normalized.indexOf(normalizeHeader(wanted));
      if (i === -1) continue;
      add(mapping, role, i, `preset ${name}`);
      if (role !== "uai") break;
    }
  }
  return mapping;
}

/** `uai=Lieu: UAI,cfd=CODE CFD` — a column by name (exact, then normalised) or by 1-based number. */
export function parseColumnsOption(
  option: string,
  header: readonly string[],
  base?: ColumnMapping,
): ColumnMapping {
  const mapping: ColumnMapping = base
    ? {
        roles: { ...base.roles },
        how: { ...base.how },
        origin: `${base.origin} + --columns`,
        ...(base.voie ? { voie: base.voie } : {}),
      }
    : { roles: {}, how: {}, origin: "--columns" };
  for (const part of splitOption(option)) {
    const eq = part.indexOf("=");
    const role = part.slice(0, eq).trim() as Role;
    const names = part.slice(eq + 1).trim();
    if (eq === -1 || !ROLES.includes(role))
      throw usageError(`--columns: "${part}" is not role=column`, { hint: `roles: ${ROLES.join(", ")}` });
    mapping.roles[role] = [];
    delete mapping.how[role];
    for (const name of names.split("+")) add(mapping, role, findColumn(name.trim(), header), "--columns");
  }
  return mapping;
}

function splitOption(option: string): string[] {
  // Split on commas that start a new "role=" pair, so column names may contain commas.
  const out: string[] = [];
  for (const piece of option.split(",")) {
    if (/^\s*[a-z0-9]+\s*=/.test(piece) || out.length === 0) out.push(piece);
    else out[out.length - 1] += `,${piece}`;
  }
  return out.filter((p) => p.trim() !== "");
}

function findColumn(name: string, header: readonly string[]): number {
  let i = header.indexOf(name);
  if (i === -1) i = header.findIndex((h) => normalizeHeader(h) === normalizeHeader(name));
  if (i === -1 && /^\d+$/.test(name) && Number(name) >= 1 && Number(name) <= header.length)
    i = Number(name) - 1;
  if (i === -1)
    throw usageError(`--columns: no column "${name}" in the catalogue`, {
      hint: `columns seen: ${header.join(", ")}`,
    });
  return i;
}

// ---------------------------------------------------------------------------------------------------
// Detection from values

type ValueCheck = (value: string, nom: Nomenclature | undefined) => boolean;

const isOk = (p: Parsed) => p.ok;
const value = (p: Parsed) => (p.ok ? p.value : "");

/** Patterns that identify a role by themselves. */
const SELF_EVIDENT: ReadonlyArray<[IdentifierRole | "uai", ValueCheck]> = [
  ["uai", (v) => isOk(parseUai(v))],
  ["onisep", (v) => /(^|[/=\s])FOR\.\d+($|[/?#\s])/i.test(v)],
  ["af", (v) => /(^|[/=\s])AF\.\d+($|[/?#\s])/i.test(v)],
  ["rncp", (v) => /^RNCP\s*\d{1,7}$/i.test(v)],
];

/** Codes that only the index can tell apart (8 digits may be a CFD or a date). */
const KNOWN_TO_INDEX: ReadonlyArray<[IdentifierRole, ValueCheck]> = [
  [
    "cfd",
    (v, nom) => {
      const p = parseCfd(v);
      return p.ok && !!nom && (nom.formation(p.value) !== undefined || nom.mefsByCfd(p.value).length > 0);
    },
  ],
  ["mef", (v, nom) => isOk(parseMef10(v)) && !!nom && nom.mef(value(parseMef10(v))) !== undefined],
  [
    "mefstat11",
    (v, nom) => isOk(parseMefstat11(v)) && !!nom && nom.mefsByStat(value(parseMefstat11(v))).length > 0,
  ],
  ["sise", (v, nom) => isOk(parseSise(v)) && !!nom && nom.sise(value(parseSise(v))) !== undefined],
  [
    "certifinfo",
    (v, nom) => /^\d+$/.test(v) && !!nom && nom.certificateurs(value(parseCertifInfo(v))).length > 0,
  ],
  [
    "rncp",
    (v, nom) => {
      const p = parseRncp(v);
      return (
        p.ok &&
        /^\d+$/.test(v) &&
        !!nom &&
        (nom.links("rncp", p.value, "cfd").length > 0 || nom.links("rncp", p.value, "certifinfo").length > 0)
      );
    },
  ],
];

const SELF_EVIDENT_SHARE = 0.9;
const KNOWN_SHARE = 0.5;
const MAX_VALUES = 200;

/**
 * Columns not recognised by name, recognised by their values: a UAI (with a valid checksum), an Onisep
 * id or URL, an RNCP code with its prefix; or codes the index knows (CFD, MEF, MEFSTAT11, SISE, Certif
 * Info, RNCP). Only roles still free are filled; the share of matching values is reported.
 */
export function detectFromValues(
  mapping: ColumnMapping,
  header: readonly string[],
  sample: readonly (readonly string[])[],
  nom: Nomenclature | undefined,
): ColumnMapping {
  const taken = new Set(Object.values(mapping.roles).flat());
  header.forEach((name, index) => {
    if (taken.has(index) || /libelle|intitule|nom|adresse|commune|description/.test(normalizeHeader(name)))
      return;
    const values = [...new Set(sample.flatMap((row) => splitList(row[index] ?? "")).map(cleanCell))].slice(
      0,
      MAX_VALUES,
    );
    if (values.length === 0) return;
    const share = (check: ValueCheck) => values.filter((v) => check(v, nom)).length;
    for (const [role, check] of SELF_EVIDENT) {
      if (mapping.roles[role]?.length && role !== "uai") continue;
      const n = share(check);
      if (n >= values.length * SELF_EVIDENT_SHARE) {
        add(mapping, role, index, `values: ${n}/${values.length} ${role.toUpperCase()}`);
        return;
      }
    }
    if (!nom) return;
    let best: { role: IdentifierRole; n: number } | undefined;
    let tie = false;
    for (const [role, check] of KNOWN_TO_INDEX) {
      if (mapping.roles[role]?.length) continue;
      const n = share(check);
      if (n < values.length * KNOWN_SHARE) continue;
      if (best && n === best.n) tie = true;
      if (!best || n > best.n) {
        best = { role, n };
        tie = false;
      }
    }
    if (best && !tie)
      add(mapping, best.role, index, `values: ${best.n}/${values.length} known ${best.role.toUpperCase()}`);
  });
  return mapping;
}

export function hasIdentifier(mapping: ColumnMapping): boolean {
  return IDENTIFIER_ROLES.some((r) => (mapping.roles[r]?.length ?? 0) > 0);
}

export function describeMapping(mapping: ColumnMapping, header: readonly string[]): string {
  const roles = ROLES.filter((r) => mapping.roles[r]?.length)
    .map((r) => {
      const how = mapping.how[r];
      const names = mapping.roles[r]!.map((i) => header[i]).join("+");
      return `${r}=${names}${how && how !== "name" && !how.startsWith("preset") && how !== "--columns" ? ` (${how})` : ""}`;
    })
    .join(", ");
  return `${roles}${mapping.voie ? `, voie=${mapping.voie} (fixed)` : ""} [${mapping.origin}]`;
}

/** Reads the mapped cells of a row; built once per catalogue. */
export function cellReader(mapping: ColumnMapping): (fields: readonly string[]) => RowCells {
  const r = mapping.roles;
  const list = (role: Role) => r[role] ?? [];
  const pick = (fields: readonly string[], role: Role) => list(role).map((i) => fields[i] ?? "");
  const one = (role: Role) => r[role]?.[0];
  const duree = one("duree");
  const voie = one("voie");
  const region = one("region");
  const libelle = one("libelle");
  const diplome = one("diplome");
  return (fields) => {
    const cells: RowCells = {
      uai: pick(fields, "uai"),
      mefstat11: pick(fields, "mefstat11"),
      mef: pick(fields, "mef"),
      cfd: pick(fields, "cfd"),
      onisep: pick(fields, "onisep"),
      af: pick(fields, "af"),
      rncp: pick(fields, "rncp"),
      certifinfo: pick(fields, "certifinfo"),
      sise: pick(fields, "sise"),
    };
    if (duree !== undefined) cells.duree = fields[duree] ?? "";
    if (voie !== undefined) cells.voie = fields[voie] ?? "";
    if (region !== undefined) cells.region = fields[region] ?? "";
    if (libelle !== undefined) cells.libelle = fields[libelle] ?? "";
    if (diplome !== undefined) cells.diplome = fields[diplome] ?? "";
    return cells;
  };
}

/**
 * Columns whose cells decide the codes (everything but the UAI; the label only with --fuzzy), and the
 * UAI columns: rows equal on these get the same answer.
 */
export function keyColumns(mapping: ColumnMapping, fuzzy = false): { codes: number[]; uai: number[] } {
  const ignored: Role[] = fuzzy ? ["uai"] : ["uai", "libelle", "diplome"];
  const codes = ROLES.filter((role) => !ignored.includes(role)).flatMap((role) => mapping.roles[role] ?? []);
  return { codes: [...new Set(codes)], uai: mapping.roles.uai ?? [] };
}
