import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type { DataDir } from "../data-dir.js";
import { missingDataError } from "../errors.js";
import { MEASURE_NAMES, type Measures } from "../indicators/rates.js";
import type { IndicatorLookup, IndicatorRow } from "../indicators/select.js";
import type { CatalogueOffer, UaiRoleLookup } from "../indicators/uai-roles.js";
import type {
  CertificateurInfo,
  EtablissementInfo,
  FamilleInfo,
  FormationInfo,
  LabelInfo,
  LinkInfo,
  MefInfo,
  NiveauInfo,
  Nomenclature,
  OnisepActionInfo,
  OnisepFormationInfo,
  SiseInfo,
  TerminalInfo,
} from "../match/types.js";
import type { CodeType, Filiere, Niveau } from "../sources/records.js";
import { SCHEMA_VERSION } from "./schema.js";

/**
 * Read side of the index. match and enrich look up every distinct code of a catalogue, and a national
 * catalogue holds most of the nomenclature: so each table is read whole, in one scan, the first time it
 * is needed, into plain maps (a few MB for full nomenclatures, read in well under a second), instead of
 * one query per key. Memory is then set by the index, not by the catalogue: it stays flat however many
 * rows are read. The indicator table is read one level at a time into typed arrays (figures as
 * Float64Array), and IndicatorRow objects are made on demand.
 */

/** Strings that repeat across rows (sources, filières, millésimes, regions…), kept once. */
class Interner {
  private readonly map = new Map<string, string>();
  get<T extends string | null>(value: T): T {
    if (value === null) return value;
    const hit = this.map.get(value);
    if (hit !== undefined) return hit as T;
    this.map.set(value, value);
    return value;
  }
}

/**
 * Rows grouped under a key, in the order the scan returns them. Lists are made to their exact size (an
 * array grown by push keeps room for 17 elements): a table read whole holds hundreds of thousands.
 */
function groupBy<R, V>(rows: Iterable<R>, key: (r: R) => string, value: (r: R) => V): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(value(r));
    else map.set(k, [value(r)]);
  }
  for (const [k, list] of map) if (list.length > 1) map.set(k, list.slice());
  return map;
}

const NONE: readonly never[] = Object.freeze([]);

/** Codes that have figures at a level and zone (a UAI, a region, "" for national). */
export interface CodeSet {
  has(code: string): boolean;
  keys(): Iterable<string>;
}

/**
 * One level of the indicator table: for each zone, its codes and where their rows start in the arrays
 * (rows of one key are contiguous: the table is read in primary-key order).
 */
interface IndicatorLevel {
  zones: Map<string, Map<string, number>>;
  /** The zones of each code (made on first use). */
  byCode: Map<string, Set<string>> | undefined;
  /** MEASURE_NAMES.length values per row; NaN = null. */
  measures: Float64Array;
  filiere: Uint16Array;
  millesime: Uint16Array;
  source: Uint16Array;
  /** Index + 1 in `strings`; 0 = no vintage. */
  vintage: Uint16Array;
  strings: string[];
}

/** A table read whole on first use. */
class Lazy<T> {
  private value: T | undefined;
  constructor(private readonly load: () => T) {}
  get(): T {
    return (this.value ??= this.load());
  }
}

/**
 * A row of an indicator level. Its measures are read from the level's arrays when first asked for:
 * choosing among a code's rows (filières × millésimes × continuum) reads their filière and millésime,
 * and only the chosen row's measures.
 */
class LevelRow implements IndicatorRow {
  readonly filiere: Filiere;
  readonly millesime: string;
  readonly source: string;
  declare sourceVintage?: string;
  private read: Measures | undefined;

  constructor(
    private readonly level: IndicatorLevel,
    private readonly at: number,
    readonly niveau: Niveau,
    readonly zone: string,
    readonly code: string,
  ) {
    this.filiere = level.strings[level.filiere[at]!] as Filiere;
    this.millesime = level.strings[level.millesime[at]!]!;
    this.source = level.strings[level.source[at]!]!;
    const vintage = level.vintage[at]!;
    if (vintage > 0) this.sourceVintage = level.strings[vintage - 1]!;
  }

  get measures(): Measures {
    if (this.read === undefined) {
      const measures: Measures = {};
      const width = MEASURE_NAMES.length;
      const base = this.at * width;
      for (let j = 0; j < width; j++) {
        const v = this.level.measures[base + j]!;
        if (!Number.isNaN(v)) measures[MEASURE_NAMES[j]!] = v;
      }
      this.read = measures;
    }
    return this.read;
  }
}

/** Rows of a key: start row × ROW_SPAN + count. */
const ROW_SPAN = 65_536;

export class IndexReader implements Nomenclature, IndicatorLookup, UaiRoleLookup {
  readonly db: Database.Database;
  private readonly tableCounts: Record<string, number>;
  private readonly strings = new Interner();
  private readonly indicatorLevels = new Map<Niveau, IndicatorLevel>();
  private readonly formationTable = new Lazy(() => this.loadFormation());
  private readonly mefTable = new Lazy(() => this.loadMef());
  private readonly linkTable = new Lazy(() => this.loadLink());
  private readonly onisepFormationTable = new Lazy(() => this.loadOnisepFormation());
  private readonly onisepActionTable = new Lazy(() => this.loadOnisepAction());
  private readonly certificateursTable = new Lazy(() => this.loadCertificateurs());
  private readonly siseTable = new Lazy(() => this.loadSise());
  private readonly niveauTable = new Lazy(() => this.loadNiveau());
  private readonly familleTable = new Lazy(() => this.loadFamille());
  private readonly familleTerminalTable = new Lazy(() => this.loadFamilleTerminal());
  private readonly etablissementTable = new Lazy(() => this.loadEtablissement());
  private readonly uaiRoleTable = new Lazy(() => this.loadUaiRole());
  private readonly continuumTable = new Lazy(() => this.loadContinuum());

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    const version = this.meta("schema_version");
    if (version !== String(SCHEMA_VERSION))
      throw missingDataError(
        `${path} was built by another version of inserjeunes (schema ${version ?? "?"})`,
        {
          hint: "run `inserjeunes build-index` again",
        },
      );
    this.tableCounts = {};
    for (const table of [
      "mef",
      "formation",
      "sise",
      "onisep_formation",
      "onisep_action",
      "certifinfo",
      "etablissement",
    ])
      this.tableCounts[table] = (
        this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }
      ).n;
  }

  close(): void {
    this.db.close();
  }

  private scan<R extends unknown[]>(sql: string, ...params: unknown[]): IterableIterator<R> {
    return this.db
      .prepare(sql)
      .raw()
      .iterate(...params) as IterableIterator<R>;
  }

  meta(key: string): string | undefined {
    try {
      return (
        this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined
      )?.value;
    } catch {
      return undefined;
    }
  }

  private loadFormation() {
    const map = new Map<string, FormationInfo>();
    const rows = this.scan<[string, string, string | null, string | null, string | null, string | null]>(
      "SELECT cfd, niveau, libelle, date_ouverture, date_fermeture, date_premiere_session FROM formation",
    );
    for (const [cfd, niveau, libelle, ouverture, fermeture, premiere] of rows)
      map.set(cfd, {
        cfd,
        niveau: this.strings.get(niveau),
        libelle,
        dateOuverture: this.strings.get(ouverture),
        dateFermeture: this.strings.get(fermeture),
        datePremiereSession: this.strings.get(premiere),
      });
    return map;
  }

  formation(cfd: string): FormationInfo | undefined {
    return this.formationTable.get().get(cfd);
  }

  private loadMef() {
    const s = this.strings;
    const all: MefInfo[] = [];
    const rows = this.scan<
      [string, string, string, string | null, number | null, number | null, string | null, string | null]
    >(
      `SELECT mef10, mefstat11, cfd, dispositif, duree, annee, date_fermeture, terminal_mefstat11
         FROM mef ORDER BY mef10`,
    );
    for (const [mef10, mefstat11, cfd, dispositif, duree, annee, fermeture, terminal] of rows)
      all.push({
        mef10,
        mefstat11,
        cfd,
        dispositif: s.get(dispositif),
        duree,
        annee,
        dateFermeture: s.get(fermeture),
        terminalMefstat11: terminal,
      });
    return {
      byMef10: new Map(all.map((m) => [m.mef10, m])),
      byStat: groupBy(
        all,
        (m) => m.mefstat11,
        (m) => m,
      ),
      byCfd: groupBy(
        all,
        (m) => m.cfd,
        (m) => m,
      ),
    };
  }

  mef(mef10: string): MefInfo | undefined {
    return this.mefTable.get().byMef10.get(mef10);
  }

  mefsByStat(mefstat11: string): readonly MefInfo[] {
    return this.mefTable.get().byStat.get(mefstat11) ?? NONE;
  }

  mefsByCfd(cfd: string): readonly MefInfo[] {
    return this.mefTable.get().byCfd.get(cfd) ?? NONE;
  }

  /**
   * Links by from_type, to_type, then code (no key is built per lookup). One entry per code; its sources
   * joined, so a link stated by two sources is one candidate.
   */
  private loadLink() {
    const map = new Map<string, Map<string, Map<string, LinkInfo[]>>>();
    const strings = this.strings;
    // Primary-key order: by key, then code, then source.
    const rows = this.scan<[string, string, string, string, string]>(
      "SELECT from_type, from_code, to_type, to_code, source FROM link ORDER BY from_type, from_code, to_type, to_code, source",
    );
    let byCode: Map<string, LinkInfo[]> | undefined;
    let list: LinkInfo[] | undefined;
    let last: LinkInfo | undefined;
    let keyFrom = "";
    let keyCode = "";
    let keyTo = "";
    for (const [fromType, fromCode, toType, code, source] of rows) {
      if (fromCode !== keyCode || toType !== keyTo || fromType !== keyFrom || !byCode) {
        if (fromType !== keyFrom || toType !== keyTo || !byCode) {
          let byTo = map.get(fromType);
          if (!byTo) map.set(fromType, (byTo = new Map()));
          byCode = byTo.get(toType);
          if (!byCode) byTo.set(toType, (byCode = new Map()));
        }
        keyFrom = fromType;
        keyCode = fromCode;
        keyTo = toType;
        list = undefined;
        last = undefined;
      }
      if (last?.code === code) last.source = strings.get(`${last.source}+${source}`);
      else {
        last = { code: strings.get(code), source: strings.get(source) };
        // A list made for its first link is of its exact size (most codes have one).
        if (list) list.push(last);
        else byCode.set(fromCode, (list = [last]));
      }
    }
    return map;
  }

  links(fromType: CodeType, code: string, toType: CodeType): readonly LinkInfo[] {
    return this.linkTable.get().get(fromType)?.get(toType)?.get(code) ?? NONE;
  }

  private loadOnisepFormation() {
    const map = new Map<string, OnisepFormationInfo>();
    const rows = this.scan<[string, string | null, string | null, number | null]>(
      "SELECT for_id, cfd, rncp, duree FROM onisep_formation",
    );
    for (const [id, cfd, rncp, duree] of rows) map.set(id, { forId: id, cfd, rncp, duree });
    return map;
  }

  onisepFormation(forId: string): OnisepFormationInfo | undefined {
    return this.onisepFormationTable.get().get(forId);
  }

  private loadOnisepAction() {
    const map = new Map<string, OnisepActionInfo>();
    const rows = this.scan<[string, string | null, string | null, number | null]>(
      "SELECT af_id, for_id, uai, duree FROM onisep_action",
    );
    for (const [id, forId, uai, duree] of rows) map.set(id, { afId: id, forId, uai, duree });
    return map;
  }

  onisepAction(afId: string): OnisepActionInfo | undefined {
    return this.onisepActionTable.get().get(afId);
  }

  private loadCertificateurs() {
    // Distinct pairs per Certif Info id, in the order of the rows (as SELECT DISTINCT … WHERE id = ?).
    const pairs = new Map<string, CertificateurInfo>();
    const single = new Map<CertificateurInfo, CertificateurInfo[]>();
    const map = new Map<string, CertificateurInfo[]>();
    const rows = this.scan<[string, string, string]>(
      "SELECT certifinfo, coalesce(certificateur, ''), coalesce(valideur, '') FROM certifinfo ORDER BY certifinfo, rowid",
    );
    for (const [id, certificateur, valideur] of rows) {
      const pairKey = `${certificateur}\u0000${valideur}`;
      let pair = pairs.get(pairKey);
      if (!pair) pairs.set(pairKey, (pair = { certificateur, valideur }));
      const list = map.get(id);
      // Most ids have one pair: they share its one-element list.
      if (!list) map.set(id, (single.get(pair) ?? single.set(pair, [pair]).get(pair))!);
      else if (!list.includes(pair)) map.set(id, [...list, pair]);
    }
    return map;
  }

  certificateurs(certifinfo: string): readonly CertificateurInfo[] {
    return this.certificateursTable.get().get(certifinfo) ?? NONE;
  }

  private loadSise() {
    const map = new Map<string, SiseInfo>();
    const rows = this.db
      .prepare(
        `SELECT s.sise, s.libelle, s.type_diplome AS typeDiplome, t.libelle_court AS typeLibelle,
                  t.niveau_interministeriel AS niveauInterministeriel
           FROM sise s LEFT JOIN sise_type t ON t.type_diplome = s.type_diplome`,
      )
      .all() as (SiseInfo & { sise: string })[];
    for (const { sise, ...info } of rows) map.set(sise, info);
    return map;
  }

  sise(code: string): SiseInfo | undefined {
    return this.siseTable.get().get(code);
  }

  private loadNiveau() {
    const rows = this.db
      .prepare(
        `SELECT niveau, libelle_court AS libelleCourt, libelle, niveau_interministeriel AS niveauInterministeriel,
                  niveau_qualification_rncp AS niveauQualificationRncp FROM niveau`,
      )
      .all() as NiveauInfo[];
    return new Map(rows.map((r) => [r.niveau, r]));
  }

  niveau(niveau: string): NiveauInfo | undefined {
    return this.niveauTable.get().get(niveau);
  }

  private loadFamille() {
    const rows = this.db
      .prepare(
        `SELECT f.cfd, f.groupe, g.libelle, f.annee_commune AS anneeCommune, f.via
             FROM famille f LEFT JOIN groupe g ON g.groupe = f.groupe ORDER BY f.cfd, f.via, f.groupe`,
      )
      .all() as (Omit<FamilleInfo, "anneeCommune"> & { cfd: string; anneeCommune: number })[];
    return groupBy(
      rows,
      (r) => r.cfd,
      ({ cfd: _, ...r }): FamilleInfo => ({ ...r, anneeCommune: r.anneeCommune === 1 }),
    );
  }

  familles(cfd: string): readonly FamilleInfo[] {
    return this.familleTable.get().get(cfd) ?? NONE;
  }

  private loadFamilleTerminal() {
    const rows = this.db
      .prepare(
        `SELECT code AS key, terminal AS code, terminal_cfd AS cfd, groupe, via FROM famille_terminal
             ORDER BY key, via, terminal`,
      )
      .all() as (TerminalInfo & { key: string })[];
    return groupBy(
      rows,
      (r) => r.key,
      ({ key: _, ...r }): TerminalInfo => r,
    );
  }

  certificationsTerminales(code: string): readonly TerminalInfo[] {
    return this.familleTerminalTable.get().get(code) ?? NONE;
  }

  private loadEtablissement() {
    const map = new Map<string, EtablissementInfo>();
    const rows = this.scan<[string, string | null, string | null]>(
      "SELECT uai, region, academie FROM etablissement",
    );
    for (const [u, region, academie] of rows)
      map.set(u, { uai: u, region: this.strings.get(region), academie: this.strings.get(academie) });
    return map;
  }

  etablissement(uai: string): EtablissementInfo | undefined {
    return this.etablissementTable.get().get(uai);
  }

  hasEtablissements(): boolean {
    return (this.tableCounts["etablissement"] ?? 0) > 0;
  }

  has(table: "mef" | "formation" | "sise" | "onisep" | "onisep_action" | "certifinfo"): boolean {
    return (this.tableCounts[table === "onisep" ? "onisep_formation" : table] ?? 0) > 0;
  }

  /**
   * The catalogue de l'apprentissage's offers under each UAI they name, in any role (an offer naming
   * three UAIs is one object in three lists), in the order of their key.
   */
  private loadUaiRole() {
    const map = new Map<string, CatalogueOffer[]>();
    const rows = this.scan<[string, string | null, string | null, string | null]>(
      "SELECT cfd, uai_lieu, uai_formateur, uai_gestionnaire FROM uai_role ORDER BY cle",
    );
    for (const [cfd, lieu, formateur, gestionnaire] of rows) {
      const offer: CatalogueOffer = { cfd, lieu, formateur, gestionnaire };
      for (const uai of new Set([lieu, formateur, gestionnaire])) {
        if (!uai) continue;
        const list = map.get(uai);
        if (list) list.push(offer);
        else map.set(uai, [offer]);
      }
    }
    return map;
  }

  uaiInCatalogue(uai: string): boolean {
    return this.uaiRoleTable.get().has(uai);
  }

  offers(uai: string): readonly CatalogueOffer[] {
    return this.uaiRoleTable.get().get(uai) ?? NONE;
  }

  labels(niveaux: readonly string[]): readonly LabelInfo[] {
    if (niveaux.length === 0) return [];
    const prefixes = niveaux.map(() => "substr(cfd, 1, 3) = ?").join(" OR ");
    return this.db
      .prepare(
        `SELECT l.cfd, l.libelle, l.source, f.date_fermeture AS dateFermeture FROM (
           SELECT cfd, libelle, 'bcn' AS source FROM formation WHERE libelle IS NOT NULL AND (${prefixes})
           UNION SELECT cfd, libelle, 'certifinfo' FROM certifinfo WHERE cfd IS NOT NULL AND libelle IS NOT NULL AND (${prefixes})
           UNION SELECT cfd, libelle, 'onisep' FROM onisep_formation WHERE cfd IS NOT NULL AND libelle IS NOT NULL AND (${prefixes})
         ) l LEFT JOIN formation f ON f.cfd = l.cfd`,
      )
      .all(...niveaux, ...niveaux, ...niveaux) as LabelInfo[];
  }

  /** Whether any figures exist for (niveau, zone, code). */
  hasFigures(niveau: Niveau, zone: string, code: string): boolean {
    return this.codesWithFigures(niveau, zone)?.has(code) ?? false;
  }

  /** The codes that have figures at this level and zone (a UAI, a region, "" for national). */
  codesWithFigures(niveau: Niveau, zone: string): CodeSet | undefined {
    return this.indicatorLevel(niveau).zones.get(zone);
  }

  /** The zones (UAIs, regions) that have figures for this code at this level. */
  zonesWithFigures(niveau: Niveau, code: string): ReadonlySet<string> | undefined {
    const level = this.indicatorLevel(niveau);
    if (!level.byCode) {
      level.byCode = new Map();
      for (const [zone, codes] of level.zones)
        for (const c of codes.keys()) {
          const zones = level.byCode.get(c);
          if (zones) zones.add(zone);
          else level.byCode.set(c, new Set([zone]));
        }
    }
    return level.byCode.get(code);
  }

  /** Every row of a level, read once in primary-key order (zone, code, filière, millésime). */
  private indicatorLevel(niveau: Niveau): IndicatorLevel {
    const cached = this.indicatorLevels.get(niveau);
    if (cached) return cached;
    const width = MEASURE_NAMES.length;
    const n = (
      this.db.prepare("SELECT count(*) AS n FROM indicator WHERE niveau = ?").get(niveau) as { n: number }
    ).n;
    const measures = new Float64Array(n * width);
    const filiere = new Uint16Array(n);
    const millesime = new Uint16Array(n);
    const source = new Uint16Array(n);
    const vintage = new Uint16Array(n);
    const strings: string[] = [];
    const ids = new Map<string, number>();
    const id = (s: string) => {
      let i = ids.get(s);
      if (i === undefined) {
        i = strings.length;
        if (i >= 0xffff) throw new Error("indicator: too many distinct filières, millésimes or sources");
        strings.push(s);
        ids.set(s, i);
      }
      return i;
    };
    const zones = new Map<string, Map<string, number>>();
    const rows = this.scan<unknown[]>(
      `SELECT zone, code, filiere, millesime, source, source_vintage, ${MEASURE_NAMES.join(", ")}
       FROM indicator WHERE niveau = ? ORDER BY zone, code, filiere, millesime`,
      niveau,
    );
    let i = 0;
    let codes: Map<string, number> | undefined;
    let zone: string | undefined;
    let code: string | undefined;
    for (const r of rows) {
      if (i >= n) break; // the index is read-only: cannot happen, but never write past the arrays
      const z = r[0] as string;
      const c = r[1] as string;
      if (z !== zone) {
        zone = z;
        code = undefined;
        codes = zones.get(z);
        if (!codes) zones.set(z, (codes = new Map()));
      }
      if (c !== code) {
        code = c;
        codes!.set(c, i * ROW_SPAN);
      }
      codes!.set(c, codes!.get(c)! + 1);
      filiere[i] = id(r[2] as string);
      millesime[i] = id(r[3] as string);
      source[i] = id(r[4] as string);
      vintage[i] = typeof r[5] === "string" ? id(r[5]) + 1 : 0;
      const base = i * width;
      for (let j = 0; j < width; j++) {
        const v = r[6 + j];
        measures[base + j] = typeof v === "number" ? v : Number.NaN;
      }
      i++;
    }
    const level: IndicatorLevel = {
      zones,
      byCode: undefined,
      measures,
      filiere,
      millesime,
      source,
      vintage,
      strings,
    };
    this.indicatorLevels.set(niveau, level);
    return level;
  }

  rows(niveau: Niveau, zone: string, code: string): readonly IndicatorRow[] {
    const level = this.indicatorLevel(niveau);
    const span = level.zones.get(zone)?.get(code);
    if (span === undefined) return NONE;
    const start = Math.floor(span / ROW_SPAN);
    const end = start + (span % ROW_SPAN);
    const out = new Array<IndicatorRow>(end - start);
    for (let i = start; i < end; i++) out[i - start] = new LevelRow(level, i, niveau, zone, code);
    return out;
  }

  /** 1:1 continuum links, by relation then code (no key is built per lookup: select.ts walks them often). */
  private loadContinuum() {
    const rows = [
      ...this.scan<[string, string, string]>(
        "SELECT code, relation, other FROM continuum WHERE one_to_one = 1 ORDER BY code, relation, other",
      ),
    ];
    const of = (relation: string) =>
      groupBy(
        rows.filter(([, r]) => r === relation),
        ([c]) => c,
        ([, , other]) => other,
      );
    return { ancien: of("ancien"), nouveau: of("nouveau") };
  }

  continuum(code: string, relation: "ancien" | "nouveau"): readonly string[] {
    return this.continuumTable.get()[relation]?.get(code) ?? NONE;
  }

  /** The most recent millésime end year in the index, or null. */
  latestYear(): number | null {
    const r = this.db
      .prepare("SELECT max(CAST(substr(millesime, -4) AS INTEGER)) AS y FROM indicator")
      .get() as { y: number | null };
    return r.y;
  }
}

export function openIndex(dataDir: DataDir): IndexReader {
  if (!existsSync(dataDir.index))
    throw missingDataError(`no index in ${dataDir.root}`, {
      hint: "run `inserjeunes fetch` then `inserjeunes build-index` (or pass --data-dir)",
    });
  return new IndexReader(dataDir.index);
}
