import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type { DataDir } from "../data-dir.js";
import { missingDataError } from "../errors.js";
import { MEASURE_NAMES, type Measures } from "../indicators/rates.js";
import type { IndicatorLookup, IndicatorRow } from "../indicators/select.js";
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
 * Read side of the index: every lookup is one prepared statement, and its result is cached per key,
 * so a million-row catalogue pays one query per distinct code, not per row. Caches are bounded: when
 * one grows past its limit it is cleared (catalogue codes come from finite nomenclatures, so this only
 * triggers on floods of garbage).
 */
const CACHE_LIMIT = 200_000;

/**
 * The keys each lookup can find, loaded once on first use (a few MB for full nomenclatures): a code
 * that is in none of them — a typo, a code of another nomenclature — costs a Set lookup, not a query.
 */
const KEY_QUERIES = {
  formation: "SELECT cfd FROM formation",
  mef10: "SELECT mef10 FROM mef",
  mefstat11: "SELECT DISTINCT mefstat11 FROM mef",
  mefCfd: "SELECT DISTINCT cfd FROM mef",
  link: "SELECT DISTINCT from_type || '|' || from_code || '|' || to_type FROM link",
  onisepFormation: "SELECT for_id FROM onisep_formation",
  onisepAction: "SELECT af_id FROM onisep_action",
  certifinfo: "SELECT DISTINCT certifinfo FROM certifinfo",
  sise: "SELECT sise FROM sise",
  etablissement: "SELECT uai FROM etablissement",
  terminales: "SELECT DISTINCT code FROM famille_terminal",
  continuum: "SELECT DISTINCT code || '|' || relation FROM continuum WHERE one_to_one = 1",
} as const;

class Cache<V> {
  private map = new Map<string, V>();
  get(key: string, load: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined || this.map.has(key)) return hit as V;
    const value = load();
    if (this.map.size >= CACHE_LIMIT) this.map.clear();
    this.map.set(key, value);
    return value;
  }
}

interface MefRow {
  mef10: string;
  mefstat11: string;
  cfd: string;
  dispositif: string | null;
  duree: number | null;
  annee: number | null;
  date_fermeture: string | null;
  terminal_mefstat11: string | null;
}

const toMef = (r: MefRow): MefInfo => ({
  mef10: r.mef10,
  mefstat11: r.mefstat11,
  cfd: r.cfd,
  dispositif: r.dispositif,
  duree: r.duree,
  annee: r.annee,
  dateFermeture: r.date_fermeture,
  terminalMefstat11: r.terminal_mefstat11,
});

export class IndexReader implements Nomenclature, IndicatorLookup {
  readonly db: Database.Database;
  private readonly q;
  private readonly caches = {
    formation: new Cache<FormationInfo | undefined>(),
    mef: new Cache<MefInfo | undefined>(),
    mefsByStat: new Cache<MefInfo[]>(),
    mefsByCfd: new Cache<MefInfo[]>(),
    links: new Cache<LinkInfo[]>(),
    onisepFormation: new Cache<OnisepFormationInfo | undefined>(),
    onisepAction: new Cache<OnisepActionInfo | undefined>(),
    certificateurs: new Cache<CertificateurInfo[]>(),
    sise: new Cache<SiseInfo | undefined>(),
    niveau: new Cache<NiveauInfo | undefined>(),
    familles: new Cache<FamilleInfo[]>(),
    terminales: new Cache<TerminalInfo[]>(),
    etablissement: new Cache<EtablissementInfo | undefined>(),
    indicators: new Cache<IndicatorRow[]>(),
    continuum: new Cache<string[]>(),
  };
  private readonly tableCounts: Record<string, number>;
  private readonly keys = new Map<keyof typeof KEY_QUERIES, Set<string>>();
  /** Loaded on first use: UAIs named by the catalogue de l'apprentissage. */
  private catalogueUais: Set<string> | undefined;
  /** (zone|code) keys that have figures at each level, so that a code without any costs no query. */
  private indicatorKeys: Map<string, Map<string, Set<string>>> | undefined;

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
    const measures = MEASURE_NAMES.join(", ");
    this.q = {
      formation: this.db.prepare(
        "SELECT cfd, niveau, libelle, date_ouverture, date_fermeture, date_premiere_session FROM formation WHERE cfd = ?",
      ),
      mef: this.db.prepare("SELECT * FROM mef WHERE mef10 = ?"),
      mefsByStat: this.db.prepare("SELECT * FROM mef WHERE mefstat11 = ? ORDER BY mef10"),
      mefsByCfd: this.db.prepare("SELECT * FROM mef WHERE cfd = ? ORDER BY mef10"),
      links: this.db.prepare(
        "SELECT to_code AS code, source FROM link WHERE from_type = ? AND from_code = ? AND to_type = ? ORDER BY to_code, source",
      ),
      onisepFormation: this.db.prepare(
        "SELECT for_id, cfd, rncp, duree FROM onisep_formation WHERE for_id = ?",
      ),
      onisepAction: this.db.prepare("SELECT af_id, for_id, uai, duree FROM onisep_action WHERE af_id = ?"),
      certificateurs: this.db.prepare(
        "SELECT DISTINCT coalesce(certificateur, '') AS certificateur, coalesce(valideur, '') AS valideur FROM certifinfo WHERE certifinfo = ?",
      ),
      sise: this.db.prepare(
        `SELECT s.libelle, s.type_diplome AS typeDiplome, t.libelle_court AS typeLibelle,
                t.niveau_interministeriel AS niveauInterministeriel
         FROM sise s LEFT JOIN sise_type t ON t.type_diplome = s.type_diplome WHERE s.sise = ?`,
      ),
      niveau: this.db.prepare(
        `SELECT niveau, libelle_court AS libelleCourt, libelle, niveau_interministeriel AS niveauInterministeriel,
                niveau_qualification_rncp AS niveauQualificationRncp FROM niveau WHERE niveau = ?`,
      ),
      familles: this.db.prepare(
        `SELECT f.groupe, g.libelle, f.annee_commune AS anneeCommune, f.via
         FROM famille f LEFT JOIN groupe g ON g.groupe = f.groupe WHERE f.cfd = ? ORDER BY f.via, f.groupe`,
      ),
      terminales: this.db.prepare(
        `SELECT terminal AS code, terminal_cfd AS cfd, groupe, via FROM famille_terminal
         WHERE code = ? ORDER BY via, terminal`,
      ),
      etablissement: this.db.prepare("SELECT uai, region, academie FROM etablissement WHERE uai = ?"),
      indicators: this.db.prepare(
        `SELECT niveau, zone, code, filiere, millesime, ${measures}, source, source_vintage FROM indicator WHERE niveau = ? AND zone = ? AND code = ?`,
      ),
      continuum: this.db.prepare(
        "SELECT other FROM continuum WHERE code = ? AND relation = ? AND one_to_one = 1 ORDER BY other",
      ),
    };
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

  private exists(name: keyof typeof KEY_QUERIES, key: string): boolean {
    let set = this.keys.get(name);
    if (!set) {
      set = new Set();
      for (const [k] of this.db.prepare(KEY_QUERIES[name]).raw().iterate() as IterableIterator<[string]>)
        set.add(k);
      this.keys.set(name, set);
    }
    return set.has(key);
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

  formation(cfd: string): FormationInfo | undefined {
    if (!this.exists("formation", cfd)) return undefined;
    return this.caches.formation.get(cfd, () => {
      const r = this.q.formation.get(cfd) as
        | {
            cfd: string;
            niveau: string;
            libelle: string | null;
            date_ouverture: string | null;
            date_fermeture: string | null;
            date_premiere_session: string | null;
          }
        | undefined;
      return r
        ? {
            cfd: r.cfd,
            niveau: r.niveau,
            libelle: r.libelle,
            dateOuverture: r.date_ouverture,
            dateFermeture: r.date_fermeture,
            datePremiereSession: r.date_premiere_session,
          }
        : undefined;
    });
  }

  mef(mef10: string): MefInfo | undefined {
    if (!this.exists("mef10", mef10)) return undefined;
    return this.caches.mef.get(mef10, () => {
      const r = this.q.mef.get(mef10) as MefRow | undefined;
      return r ? toMef(r) : undefined;
    });
  }

  mefsByStat(mefstat11: string): readonly MefInfo[] {
    if (!this.exists("mefstat11", mefstat11)) return [];
    return this.caches.mefsByStat.get(mefstat11, () =>
      (this.q.mefsByStat.all(mefstat11) as MefRow[]).map(toMef),
    );
  }

  mefsByCfd(cfd: string): readonly MefInfo[] {
    if (!this.exists("mefCfd", cfd)) return [];
    return this.caches.mefsByCfd.get(cfd, () => (this.q.mefsByCfd.all(cfd) as MefRow[]).map(toMef));
  }

  links(fromType: CodeType, code: string, toType: CodeType): readonly LinkInfo[] {
    if (!this.exists("link", `${fromType}|${code}|${toType}`)) return [];
    return this.caches.links.get(`${fromType}|${code}|${toType}`, () => {
      const rows = this.q.links.all(fromType, code, toType) as LinkInfo[];
      // One entry per code; its sources joined, so a link stated by two sources is one candidate.
      const byCode = new Map<string, string[]>();
      for (const r of rows) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r.source]);
      return [...byCode].map(([c, s]) => ({ code: c, source: s.join("+") }));
    });
  }

  onisepFormation(forId: string): OnisepFormationInfo | undefined {
    if (!this.exists("onisepFormation", forId)) return undefined;
    return this.caches.onisepFormation.get(forId, () => {
      const r = this.q.onisepFormation.get(forId) as
        { for_id: string; cfd: string | null; rncp: string | null; duree: number | null } | undefined;
      return r ? { forId: r.for_id, cfd: r.cfd, rncp: r.rncp, duree: r.duree } : undefined;
    });
  }

  onisepAction(afId: string): OnisepActionInfo | undefined {
    if (!this.exists("onisepAction", afId)) return undefined;
    return this.caches.onisepAction.get(afId, () => {
      const r = this.q.onisepAction.get(afId) as
        { af_id: string; for_id: string | null; uai: string | null; duree: number | null } | undefined;
      return r ? { afId: r.af_id, forId: r.for_id, uai: r.uai, duree: r.duree } : undefined;
    });
  }

  certificateurs(certifinfo: string): readonly CertificateurInfo[] {
    if (!this.exists("certifinfo", certifinfo)) return [];
    return this.caches.certificateurs.get(
      certifinfo,
      () => this.q.certificateurs.all(certifinfo) as CertificateurInfo[],
    );
  }

  sise(code: string): SiseInfo | undefined {
    if (!this.exists("sise", code)) return undefined;
    return this.caches.sise.get(code, () => this.q.sise.get(code) as SiseInfo | undefined);
  }

  niveau(niveau: string): NiveauInfo | undefined {
    return this.caches.niveau.get(niveau, () => this.q.niveau.get(niveau) as NiveauInfo | undefined);
  }

  familles(cfd: string): readonly FamilleInfo[] {
    return this.caches.familles.get(cfd, () =>
      (this.q.familles.all(cfd) as (Omit<FamilleInfo, "anneeCommune"> & { anneeCommune: number })[]).map(
        (r) => ({ ...r, anneeCommune: r.anneeCommune === 1 }),
      ),
    );
  }

  certificationsTerminales(code: string): readonly TerminalInfo[] {
    if (!this.exists("terminales", code)) return [];
    return this.caches.terminales.get(code, () => this.q.terminales.all(code) as TerminalInfo[]);
  }

  etablissement(uai: string): EtablissementInfo | undefined {
    if (!this.exists("etablissement", uai)) return undefined;
    return this.caches.etablissement.get(
      uai,
      () => this.q.etablissement.get(uai) as EtablissementInfo | undefined,
    );
  }

  hasEtablissements(): boolean {
    return (this.tableCounts["etablissement"] ?? 0) > 0;
  }

  has(table: "mef" | "formation" | "sise" | "onisep" | "onisep_action" | "certifinfo"): boolean {
    return (this.tableCounts[table === "onisep" ? "onisep_formation" : table] ?? 0) > 0;
  }

  uaiInCatalogue(uai: string): boolean {
    if (!this.catalogueUais) {
      this.catalogueUais = new Set();
      const rows = this.db
        .prepare("SELECT uai_lieu, uai_formateur, uai_gestionnaire FROM uai_role")
        .raw()
        .iterate() as IterableIterator<(string | null)[]>;
      for (const row of rows) for (const u of row) if (u) this.catalogueUais.add(u);
    }
    return this.catalogueUais.has(uai);
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

  /** Whether any figures exist for (niveau, zone, code): the keys are loaded once per level. */
  hasFigures(niveau: Niveau, zone: string, code: string): boolean {
    return this.codesWithFigures(niveau, zone)?.has(code) ?? false;
  }

  /** The codes that have figures at this level and zone (a UAI, a region, "" for national). */
  codesWithFigures(niveau: Niveau, zone: string): ReadonlySet<string> | undefined {
    this.indicatorKeys ??= new Map();
    let zones = this.indicatorKeys.get(niveau);
    if (!zones) {
      zones = new Map();
      const rows = this.db
        .prepare("SELECT DISTINCT zone, code FROM indicator WHERE niveau = ?")
        .raw()
        .iterate(niveau) as IterableIterator<[string, string]>;
      for (const [z, c] of rows) {
        let codes = zones.get(z);
        if (!codes) zones.set(z, (codes = new Set()));
        codes.add(c);
      }
      this.indicatorKeys.set(niveau, zones);
    }
    return zones.get(zone);
  }

  rows(niveau: Niveau, zone: string, code: string): readonly IndicatorRow[] {
    if (!this.hasFigures(niveau, zone, code)) return [];
    return this.caches.indicators.get(`${niveau}|${zone}|${code}`, () =>
      (this.q.indicators.all(niveau, zone, code) as Record<string, unknown>[]).map((r) => {
        const measures: Measures = {};
        for (const name of MEASURE_NAMES) {
          const v = r[name];
          if (typeof v === "number") measures[name] = v;
        }
        return {
          niveau: r["niveau"] as Niveau,
          zone: r["zone"] as string,
          code: r["code"] as string,
          filiere: r["filiere"] as Filiere,
          millesime: r["millesime"] as string,
          measures,
          source: r["source"] as string,
          ...(typeof r["source_vintage"] === "string" ? { sourceVintage: r["source_vintage"] } : {}),
        };
      }),
    );
  }

  continuum(code: string, relation: "ancien" | "nouveau"): readonly string[] {
    if (!this.exists("continuum", `${code}|${relation}`)) return [];
    return this.caches.continuum.get(`${code}|${relation}`, () =>
      (this.q.continuum.all(code, relation) as { other: string }[]).map((r) => r.other),
    );
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
