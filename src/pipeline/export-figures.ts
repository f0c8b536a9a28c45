import {
  apprenticeshipFigures,
  hasUaiRoles,
  indicatorsOfZone,
  indicatorZones,
  isKnownCode,
  type UaiRole,
} from "../index-db/export-reader.js";
import type { IndexReader } from "../index-db/reader.js";
import { continuumOf } from "../indicators/select.js";
import {
  computeFigures,
  type FigureName,
  type Figures,
  isUnderThreshold,
  rulesOf,
  withhold,
} from "../indicators/rates.js";
import {
  type DonneeSourceType,
  type IndicatorRow,
  millesimeVariants,
  selectIndicators,
} from "../indicators/select.js";
import { catalogueRole, onlyPartner } from "../indicators/uai-roles.js";
import type { Voie } from "../match/identifiers.js";
import { departementFromUai, regionFromDepartement, regionFromInsee } from "../sources/regions.js";
import type { Filiere, Niveau } from "../sources/records.js";
import { type Cell, compare, type DatasetSpec, type ExportFilters, SPECS } from "./export-spec.js";

/**
 * The figure datasets (certifications, regionales, formations), zone by zone in code-point order: each
 * zone's own rows, plus the rows the BCN continuum gives (research/trajectoires-pro.md §3,
 * computeContinuumStats): a code known to the BCN with no figures of its own for a millésime gets those
 * of its 1:1 older (`ancienne`) or newer (`nouvelle`) diploma, chosen by selectIndicators exactly as
 * enrich chooses them.
 */
interface FigureRow {
  code: string;
  filiere: Filiere;
  millesime: string;
  type: DonneeSourceType;
  sourceCode: string;
  /** Before the threshold: statCells withholds them. */
  figures: Figures;
  withheld: boolean;
}

/** Batches of rows (arrays of cells in the order of the dataset's fields). */
export type Rows = Iterable<Cell[][]>;

export function* certificationsRows(reader: IndexReader, filters: ExportFilters): Rows {
  const spec = SPECS.certifications;
  const rows = figureRowsOfZone(reader, "national", "", millesimeFilter(filters, "national"));
  yield rows.map((r) => cellsOf(spec, certificationCells(reader, r), statCells(r)));
}

export function* regionalesRows(reader: IndexReader, filters: ExportFilters): Rows {
  const spec = SPECS.regionales;
  const wanted = filters.regions ? new Set(filters.regions) : undefined;
  const millesimes = millesimeFilter(filters, "regional");
  for (const zone of indicatorZones(reader, "regional")) {
    if (wanted && !wanted.has(zone)) continue;
    const region = regionFromInsee(zone)?.nom;
    yield figureRowsOfZone(reader, "regional", zone, millesimes).map((r) =>
      cellsOf(spec, { region, code_region: zone }, certificationCells(reader, r), statCells(r)),
    );
  }
}

/**
 * Per school: each zone's rows typed by the role of the UAI (the reference's computeUAI), and, for
 * apprenticeship, the copies the reference makes for lieux without figures: a formateur's figures go to
 * the lieux whose only formateur it is, then a gestionnaire's to the lieux whose only gestionnaire it is
 * (computeUAILieuFormationForFormateur / …ForGestionnaire), typed `lieu_formation` with `uai_donnee`
 * and `uai_donnee_type` of their source. A copy never replaces a lieu's own figures.
 */
export function* formationsRows(reader: IndexReader, filters: ExportFilters): Rows {
  const spec = SPECS.formations;
  const regions = filters.regions ? new Set(filters.regions) : undefined;
  const academies = filters.academies ? new Set(filters.academies) : undefined;
  const millesimes = millesimeFilter(filters, "etablissement");
  const roles = new SchoolRoles(reader);
  const zones = indicatorZones(reader, "etablissement");
  const withFigures = new Set(zones);
  // The copies first: a lieu may come before its formateur in code-point order.
  const copies = new Map<string, { row: FigureRow; donnee: string; type: UaiRole }[]>();
  const rowsOf = new Map<string, FigureRow[]>();
  for (const uai of zones) {
    if (!roles.partner(uai)) continue;
    const rows = figureRowsOfZone(reader, "etablissement", uai, millesimes);
    rowsOf.set(uai, rows);
    for (const row of rows)
      for (const copy of roles.copies(uai, row)) {
        const list = copies.get(copy.lieu) ?? [];
        list.push({ row, donnee: uai, type: copy.type });
        copies.set(copy.lieu, list);
      }
  }
  // Formateur copies before gestionnaire ones (a stable sort): the reference makes them first, and a
  // copy never replaces another.
  for (const list of copies.values())
    list.sort((a, b) => (a.type === b.type ? 0 : a.type === "formateur" ? -1 : 1));
  for (const uai of [...new Set([...zones, ...copies.keys()])].sort(compare)) {
    const known = reader.etablissement(uai);
    const region = known?.region ?? regionFromDepartement(departementFromUai(uai))?.insee;
    const academie = known?.academie ?? undefined;
    const own = rowsOf.get(uai) ?? (withFigures.has(uai) ? undefined : []);
    rowsOf.delete(uai);
    if (regions && (!region || !regions.has(region))) continue;
    if (academies && (!academie || !academies.has(academie))) continue;
    const place = { code_region: region, academie };
    const rows = (own ?? figureRowsOfZone(reader, "etablissement", uai, millesimes)).map((r) => {
      const role = roles.of(uai, r);
      return { r, cells: { uai, uai_type: role, uai_donnee: uai, uai_donnee_type: role } };
    });
    const taken = new Set(rows.map(({ r }) => `${r.code}|${r.filiere}|${r.millesime}`));
    for (const { row, donnee, type } of copies.get(uai) ?? []) {
      const key = `${row.code}|${row.filiere}|${row.millesime}`;
      if (taken.has(key)) continue;
      taken.add(key);
      rows.push({
        r: row,
        cells: { uai, uai_type: "lieu_formation", uai_donnee: donnee, uai_donnee_type: type },
      });
    }
    rows.sort(
      (a, b) =>
        compare(a.r.code, b.r.code) ||
        compare(a.r.filiere, b.r.filiere) ||
        compare(a.r.millesime, b.r.millesime),
    );
    yield rows.map(({ r, cells }) =>
      cellsOf(spec, cells, place, certificationCells(reader, r), statCells(r)),
    );
  }
}

/** Every row of a zone, its own and the continuum's, sorted by code, filière, millésime. */
function figureRowsOfZone(
  reader: IndexReader,
  niveau: Niveau,
  zone: string,
  millesimes: ReadonlySet<string> | undefined,
): FigureRow[] {
  const own = indicatorsOfZone(reader, niveau, zone).filter(
    (r) => !millesimes || millesimes.has(r.millesime),
  );
  const rows = own.map(ownRow);
  const covered = new Set(own.map((r) => `${r.code}|${voieOfFiliere(r.filiere)}|${r.millesime}`));
  const zoneMillesimes = [...new Set(own.map((r) => r.millesime))].sort();
  const candidates = new Set<string>();
  for (const r of own)
    if (r.filiere !== "superieur") for (const c of continuumReach(reader, r.code)) candidates.add(c);
  for (const code of [...candidates].sort()) {
    if (!isKnownCode(reader, code)) continue;
    const voie = voieOfCode(code);
    for (const millesime of zoneMillesimes) {
      if (covered.has(`${code}|${voie}|${millesime}`)) continue;
      const { selection } = selectIndicators(
        {
          voie,
          code,
          uai: niveau === "etablissement" ? zone : null,
          region: niveau === "regional" ? zone : null,
          niveau,
          millesime,
        },
        reader,
      );
      if (!selection || selection.donneeSourceType === "self" || selection.millesime !== millesime) continue;
      rows.push({
        code,
        filiere: selection.filiere,
        millesime,
        type: selection.donneeSourceType,
        sourceCode: selection.donneeSourceCode,
        figures: selection.computedFigures,
        withheld: selection.underThreshold,
      });
    }
  }
  return rows.sort(
    (a, b) => compare(a.code, b.code) || compare(a.filiere, b.filiere) || compare(a.millesime, b.millesime),
  );
}

function ownRow(r: IndicatorRow): FigureRow {
  const figures = computeFigures(r.measures, rulesOf(r.filiere));
  const withheld = isUnderThreshold(r.measures);
  return {
    code: r.code,
    filiere: r.filiere,
    millesime: r.millesime,
    type: "self",
    sourceCode: r.code,
    figures,
    withheld,
  };
}

/** Codes linked to `code` by chains of 1:1 continuum links, in both directions (select.ts's walk). */
function continuumReach(reader: IndexReader, code: string): string[] {
  return continuumOf(code, reader)
    .slice(1)
    .map((c) => c.code);
}

/**
 * The role of a school for a row's certification, as the reference's computeUAI types it: scolaire rows
 * are taught where they are counted (lieu_formation); supérieur rows `inconnu`; apprenticeship rows take
 * the role the catalogue de l'apprentissage gives the UAI for the CFD or its 1:1 continuum, relabelled
 * as uai-roles.ts catalogueRole does (inconnu when the catalogue names it for none, empty when no
 * catalogue is indexed). A school "has figures" for a code and millésime when it has some for the code
 * or a 1:1 neighbour (what the continuum gives it).
 */
class SchoolRoles {
  private readonly indexed: boolean;
  private readonly figures: Set<string>;

  constructor(private readonly reader: IndexReader) {
    this.indexed = hasUaiRoles(reader);
    this.figures = apprenticeshipFigures(reader);
  }

  /** Whether the catalogue names the UAI as the formateur or gestionnaire of an offer. */
  partner(uai: string): boolean {
    return this.reader.offers(uai).some((o) => o.formateur === uai || o.gestionnaire === uai);
  }

  of(uai: string, row: FigureRow): UaiRole | "lieu_formation" | "inconnu" | undefined {
    if (row.filiere === "pro" || row.filiere === "agricole") return "lieu_formation";
    if (row.filiere === "superieur") return "inconnu";
    if (!this.indexed) return undefined;
    const { offersOf, hasFigures } = this.scope(row);
    const role = catalogueRole(uai, offersOf(uai), offersOf, hasFigures);
    return role === "lieu" ? "lieu_formation" : (role ?? "inconnu");
  }

  /** The lieux an apprenticeship row of this UAI is copied to, and the type the copy keeps. */
  copies(uai: string, row: FigureRow): { lieu: string; type: "formateur" | "gestionnaire" }[] {
    if (row.filiere !== "apprentissage" || !this.indexed) return [];
    const type = this.of(uai, row);
    if (type !== "formateur" && type !== "gestionnaire") return [];
    const { offersOf, hasFigures } = this.scope(row);
    const field = type === "formateur" ? "formateur" : "gestionnaire";
    const out: { lieu: string; type: "formateur" | "gestionnaire" }[] = [];
    for (const lieu of new Set(
      offersOf(uai)
        .filter((o) => o[field] === uai)
        .map((o) => o.lieu),
    )) {
      if (!lieu || lieu === uai || hasFigures(lieu)) continue;
      // Only when this UAI is the lieu's only formateur (gestionnaire) for the CFD, as enrich reads it.
      if (onlyPartner(lieu, field, offersOf(lieu)) === uai) out.push({ lieu, type });
    }
    return out;
  }

  private scope(row: FigureRow) {
    const cfds = [row.code, ...continuumReach(this.reader, row.code)];
    const offersOf = (u: string) => this.reader.offers(u).filter((o) => cfds.includes(o.cfd));
    const hasFigures = (u: string) => cfds.some((c) => this.figures.has(`${u}|${c}|${row.millesime}`));
    return { offersOf, hasFigures };
  }
}

function certificationCells(reader: IndexReader, r: FigureRow): Record<string, Cell> {
  return {
    code_certification: r.code,
    code_formation_diplome: cfdOf(reader, r.code),
    filiere: r.filiere,
    millesime: r.millesime,
    donnee_source_type: r.type,
    donnee_source_code_certification: r.sourceCode,
  };
}

/**
 * `null` = withheld under the threshold (rates.ts withhold), undefined = no value. As the reference's
 * transformDisplayStat, only a figure the row has is withheld: one never published, or that cannot be
 * computed, stays absent (the Exposition API: "null quand les effectifs sont < 20 ; absent si l'on ne
 * peut pas les calculer").
 */
function statCells(r: FigureRow): Record<string, Cell> {
  const shown = r.withheld ? withhold(r.figures) : r.figures;
  const out: Record<string, Cell> = {};
  for (const [name, value] of Object.entries(r.figures) as [FigureName, number | null][])
    if (value !== null) out[name] = shown[name];
  return out;
}

/** The dataset's cells from the parts that name them (looked up in turn: no merged object per row). */
function cellsOf(spec: DatasetSpec, ...parts: Record<string, Cell>[]): Cell[] {
  return spec.fields.map((f) => {
    for (const part of parts) if (f.name in part) return part[f.name];
    return undefined;
  });
}

function cfdOf(reader: IndexReader, code: string): string | undefined {
  if (code.length === 8) return code;
  if (code.length === 11) return reader.mefsByStat(code)[0]?.cfd;
  return undefined;
}

function voieOfCode(code: string): Voie {
  return code.length === 11 ? "scolaire" : code.length === 8 ? "apprentissage" : "superieur";
}

function voieOfFiliere(filiere: Filiere): Voie {
  return filiere === "apprentissage" ? "apprentissage" : filiere === "superieur" ? "superieur" : "scolaire";
}

/** The millésimes a filter keeps at a level: `2023` nationally, `2022_2023` (and `2023`) below. */
function millesimeFilter(filters: ExportFilters, niveau: Niveau): Set<string> | undefined {
  if (!filters.millesimes) return undefined;
  return new Set(filters.millesimes.flatMap((m) => millesimeVariants(m, niveau)));
}
