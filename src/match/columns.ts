import { usageError } from "../errors.js";
import { normalizeHeader } from "../sources/table.js";
import type { RowCells } from "./match-row.js";

/**
 * Which catalogue column plays which role. From `--columns role=column,…`, or detected from header
 * names; printed so the user can check it; refused when nothing usable is found.
 */
const IDENTIFIER_ROLES = ["cfd", "mef", "mefstat11", "rncp", "certifinfo", "onisep", "af", "sise"] as const;
export const ROLES = ["uai", ...IDENTIFIER_ROLES, "duree", "voie", "libelle", "region"] as const;
export type Role = (typeof ROLES)[number];
export type ColumnMapping = Partial<Record<Role, number[]>>;

/** Header patterns (normalised names) per role, most specific first. */
const PATTERNS: ReadonlyArray<[Role, RegExp]> = [
  ["af", /(^|_)af(_identifiant|_id)?(_onisep)?$|action_de_formation_af_identifiant/],
  ["mefstat11", /mef_?stat_?11|mefstat|co_mefstat/],
  ["mef", /^(code_?)?mef(_?10)?$|^codes?_mef|mefs_10|^codemef$|^liste_mef/],
  ["cfd", /(^|_)cfd($|_)|^code_?scolarite$|^codecfd$|^code_formation_diplome$|^formation_diplome$|^code_en$/],
  ["rncp", /(^|_)rncp(_code)?$|^code_?rncp$|^liste_rncp$|rncp_code|_code_rncp$/],
  ["certifinfo", /certif_?info(_id)?$|^code_certifinfo$|^id_certifinfo$|identifiant_certifinfo/],
  [
    "onisep",
    /url_?onisep|onisep_url|id_onisep|url_et_id_onisep|lien_site_onisep|^liste_ideo$|ideo_identifiant_formation|^for_id$/,
  ],
  ["sise", /(^|_)sise$|^code_?sise$|^codesise$|diplome_sise/],
  ["uai", /(^|_)uai($|_)|^numero_uai$|^identifiant_de_l_etablissement$|^uai_/],
  ["duree", /(^|_)duree(_|$)/],
  ["voie", /^voie$|^statut$|apprentissageouscolaire|^modalite$|^co_sta$|^statut_offre/],
  ["libelle", /^(libelle|intitule)(_|$)|libelle_formation|intitule_formation/],
  ["region", /^code_region$/],
];

/** UAI columns in the order the field reads them for apprenticeship: lieu, formateur, gestionnaire. */
function uaiPriority(name: string): number {
  if (/lieu|formation|aff|accueil|composante|ens_code/.test(name)) return 0;
  if (/formateur/.test(name)) return 1;
  if (/gestionnaire|responsable|ges/.test(name)) return 2;
  return 0;
}

/** Headers that describe a code (its label, level, type, dates) rather than hold it. */
const ABOUT_A_CODE = /libelle|intitule|niveau|type|date|echeance|etat|acces/;

function addColumn(mapping: ColumnMapping, role: Role, index: number): void {
  const list = mapping[role] ?? [];
  list.push(index);
  mapping[role] = list;
}

export function detectColumns(header: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  header.forEach((name, index) => {
    const n = normalizeHeader(name);
    for (const [role, pattern] of PATTERNS) {
      if (!pattern.test(n)) continue;
      if (role !== "libelle" && ABOUT_A_CODE.test(n)) continue;
      if (role === "libelle" && mapping.libelle) return;
      addColumn(mapping, role, index);
      return;
    }
  });
  if (mapping.uai)
    mapping.uai.sort(
      (a, b) => uaiPriority(normalizeHeader(header[a]!)) - uaiPriority(normalizeHeader(header[b]!)),
    );
  return mapping;
}

/** `uai=Lieu: UAI,cfd=CODE CFD` — a column by name (exact, then normalised) or by 1-based number. */
export function parseColumnsOption(option: string, header: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const part of splitOption(option)) {
    const eq = part.indexOf("=");
    const role = part.slice(0, eq).trim() as Role;
    const names = part.slice(eq + 1).trim();
    if (eq === -1 || !ROLES.includes(role))
      throw usageError(`--columns: "${part}" is not role=column`, { hint: `roles: ${ROLES.join(", ")}` });
    for (const name of names.split("+")) addColumn(mapping, role, findColumn(name.trim(), header));
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

export function hasIdentifier(mapping: ColumnMapping): boolean {
  return IDENTIFIER_ROLES.some((r) => (mapping[r]?.length ?? 0) > 0);
}

export function describeMapping(mapping: ColumnMapping, header: readonly string[]): string {
  return ROLES.filter((r) => mapping[r]?.length)
    .map((r) => `${r}=${mapping[r]!.map((i) => header[i]).join("+")}`)
    .join(", ");
}

/** Cells of a row by role. */
export function cellsOf(fields: readonly string[], mapping: ColumnMapping): RowCells {
  const pick = (role: Role) => (mapping[role] ?? []).map((i) => fields[i] ?? "");
  const one = (role: Role) => {
    const i = mapping[role]?.[0];
    return i === undefined ? undefined : (fields[i] ?? "");
  };
  const cells: RowCells = {
    uai: pick("uai"),
    mefstat11: pick("mefstat11"),
    mef: pick("mef"),
    cfd: pick("cfd"),
    onisep: pick("onisep"),
    af: pick("af"),
    rncp: pick("rncp"),
    certifinfo: pick("certifinfo"),
    sise: pick("sise"),
  };
  const duree = one("duree");
  const voie = one("voie");
  const region = one("region");
  if (duree !== undefined) cells.duree = duree;
  if (voie !== undefined) cells.voie = voie;
  if (region !== undefined) cells.region = region;
  return cells;
}
