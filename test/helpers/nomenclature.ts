import type { IndicatorLookup, IndicatorRow } from "../../src/indicators/select.js";
import type { CatalogueOffer, UaiRoleLookup } from "../../src/indicators/uai-roles.js";
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
  TerminalInfo,
} from "../../src/match/types.js";
import type { CodeType, Niveau } from "../../src/sources/records.js";

/** The Nomenclature and IndicatorLookup of matching over plain arrays, for unit tests of pure code. */
export interface MemoryData {
  mefs?: MefInfo[];
  formations?: Partial<FormationInfo>[];
  links?: { from: CodeType; code: string; to: CodeType; target: string; source: string }[];
  onisep?: OnisepFormationInfo[];
  actions?: OnisepActionInfo[];
  certificateurs?: Record<string, CertificateurInfo[]>;
  sise?: string[];
  etablissements?: EtablissementInfo[];
  catalogueUais?: string[];
  /** Familles de métiers as the BCN lists them: a groupe and its CFDs. */
  familles?: { groupe: string; libelle: string | null; cfds: string[] }[];
  niveaux?: Record<string, string>;
  labels?: LabelInfo[];
  indicators?: IndicatorRow[];
  continuum?: { code: string; relation: "ancien" | "nouveau"; other: string }[];
  /** Offers of the catalogue de l'apprentissage (UAI roles). */
  offers?: CatalogueOffer[];
}

/** N_MEF row: terminal code precomputed as derive.ts does (same CFD and dispositif, année = durée). */
export function mef(
  mef10: string,
  dispositif: string,
  cfd: string,
  duree: number,
  annee: number,
  mefstat11: string,
): MefInfo {
  return { mef10, mefstat11, cfd, dispositif, duree, annee, dateFermeture: null, terminalMefstat11: null };
}

export class MemoryNomenclature implements Nomenclature, IndicatorLookup, UaiRoleLookup {
  constructor(private readonly d: MemoryData) {
    const mefs = d.mefs ?? [];
    for (const m of mefs)
      m.terminalMefstat11 ??=
        mefs.find(
          (t) =>
            t.cfd === m.cfd && t.dispositif === m.dispositif && t.duree === m.duree && t.annee === t.duree,
        )?.mefstat11 ?? null;
  }

  formation(cfd: string): FormationInfo | undefined {
    const f = this.d.formations?.find((x) => x.cfd === cfd);
    return f
      ? {
          cfd,
          niveau: f.niveau ?? cfd.slice(0, 3),
          libelle: f.libelle ?? null,
          dateOuverture: f.dateOuverture ?? null,
          dateFermeture: f.dateFermeture ?? null,
          datePremiereSession: f.datePremiereSession ?? null,
        }
      : undefined;
  }
  mef(mef10: string) {
    return this.d.mefs?.find((m) => m.mef10 === mef10);
  }
  mefsByStat(mefstat11: string) {
    return (this.d.mefs ?? []).filter((m) => m.mefstat11 === mefstat11);
  }
  mefsByCfd(cfd: string) {
    return (this.d.mefs ?? []).filter((m) => m.cfd === cfd);
  }
  links(fromType: CodeType, code: string, toType: CodeType): LinkInfo[] {
    const byCode = new Map<string, string[]>();
    for (const l of this.d.links ?? [])
      if (l.from === fromType && l.code === code && l.to === toType)
        byCode.set(l.target, [...(byCode.get(l.target) ?? []), l.source]);
    return [...byCode].map(([c, s]) => ({ code: c, source: s.join("+") }));
  }
  onisepFormation(forId: string) {
    return this.d.onisep?.find((o) => o.forId === forId);
  }
  onisepAction(afId: string) {
    return this.d.actions?.find((a) => a.afId === afId);
  }
  certificateurs(ci: string) {
    return this.d.certificateurs?.[ci] ?? [];
  }
  sise(code: string) {
    return this.d.sise?.includes(code) ? { libelle: null } : undefined;
  }
  etablissement(uai: string) {
    return this.d.etablissements?.find((e) => e.uai === uai);
  }
  hasEtablissements() {
    return (this.d.etablissements?.length ?? 0) > 0;
  }
  uaiInCatalogue(uai: string) {
    return this.d.catalogueUais?.includes(uai) ?? false;
  }
  niveau(niveau: string): NiveauInfo | undefined {
    const libelleCourt = this.d.niveaux?.[niveau];
    return libelleCourt === undefined
      ? undefined
      : { niveau, libelleCourt, libelle: null, niveauInterministeriel: null, niveauQualificationRncp: null };
  }
  /** As derive.ts: the année commune is the CFD whose MEFs are all year 1 of a cursus longer than a year. */
  private isAnneeCommune(cfd: string): boolean {
    const mefs = this.mefsByCfd(cfd);
    return mefs.length > 0 && mefs.every((m) => m.annee === 1 && (m.duree ?? 0) > 1);
  }
  familles(cfd: string): FamilleInfo[] {
    return (this.d.familles ?? [])
      .filter((f) => f.cfds.includes(cfd))
      .map((f) => ({
        groupe: f.groupe,
        libelle: f.libelle,
        anneeCommune: this.isAnneeCommune(cfd),
        via: "bcn",
      }));
  }
  /** As famille_terminal: the année commune's codes → the terminal codes of its famille, same durée. */
  certificationsTerminales(code: string): TerminalInfo[] {
    const cfd = this.mefsByStat(code)[0]?.cfd ?? code;
    if (!this.isAnneeCommune(cfd)) return [];
    const duree = this.mefsByCfd(cfd)[0]!.duree;
    const out: TerminalInfo[] = [];
    for (const f of this.d.familles ?? []) {
      if (!f.cfds.includes(cfd)) continue;
      for (const other of f.cfds) {
        if (other === cfd || this.isAnneeCommune(other)) continue;
        for (const m of this.mefsByCfd(other))
          if (m.annee === m.duree && m.duree === duree)
            out.push({ code: m.mefstat11, cfd: other, groupe: f.groupe, via: "bcn" });
      }
    }
    return out.sort((a, b) => a.code.localeCompare(b.code));
  }
  labels(niveaux: readonly string[]) {
    return (this.d.labels ?? []).filter((l) => niveaux.includes(l.cfd.slice(0, 3)));
  }
  has(table: "mef" | "formation" | "sise" | "onisep" | "onisep_action" | "certifinfo") {
    const counts = {
      mef: this.d.mefs?.length,
      formation: this.d.formations?.length,
      sise: this.d.sise?.length,
      onisep: this.d.onisep?.length,
      onisep_action: this.d.actions?.length,
      certifinfo: Object.keys(this.d.certificateurs ?? {}).length,
    };
    return (counts[table] ?? 0) > 0;
  }
  rows(niveau: Niveau, zone: string, code: string) {
    return (this.d.indicators ?? []).filter((r) => r.niveau === niveau && r.zone === zone && r.code === code);
  }
  offers(uai: string): CatalogueOffer[] {
    return (this.d.offers ?? []).filter(
      (o) => o.lieu === uai || o.formateur === uai || o.gestionnaire === uai,
    );
  }
  continuum(code: string, relation: "ancien" | "nouveau") {
    return (this.d.continuum ?? [])
      .filter((c) => c.code === code && c.relation === relation)
      .map((c) => c.other);
  }
}

/** National figures for a code, enough to make it couvert (or sous_seuil under 20). */
export function national(code: string, filiere: IndicatorRow["filiere"], nbAnneeTerm = 40): IndicatorRow {
  return {
    niveau: "national",
    zone: "",
    code,
    filiere,
    millesime: "2023",
    measures: {
      nb_annee_term: nbAnneeTerm,
      nb_poursuite_etudes: 10,
      nb_en_emploi_6_mois: 12,
      nb_sortant: 30,
    },
    source: "inserjeunes-api",
  };
}

export { rowCells } from "../../src/match/match-row.js";
