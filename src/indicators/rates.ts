/**
 * The field's indicator rules, as pure functions (research/trajectoires-pro.md §3):
 * - rates are integer percentages of nb_annee_term, rounded half-to-even (32.5 → 32, 51.5 → 52);
 * - taux_autres_X_mois = max(100 − taux_en_emploi_X_mois − taux_en_formation, 0);
 * - rates the producer publishes (DEPP DEVENIR_part_*) are kept as published;
 * - nb_annee_term < 20: every rate and count but nb_annee_term is withheld.
 */

export const MONTHS = [6, 12, 18, 24] as const;
export type Month = (typeof MONTHS)[number];

export const COUNT_NAMES = [
  "nb_annee_term",
  "nb_sortant",
  "nb_poursuite_etudes",
  "nb_en_emploi_6_mois",
  "nb_en_emploi_12_mois",
  "nb_en_emploi_18_mois",
  "nb_en_emploi_24_mois",
] as const;
export type CountName = (typeof COUNT_NAMES)[number];

/** Values a producer publishes directly; kept as published. */
export const PUBLISHED_NAMES = [
  "taux_en_emploi_6_mois",
  "taux_en_formation",
  "taux_autres_6_mois",
  "taux_rupture_contrats",
  "salaire_12_mois_q1",
  "salaire_12_mois_q2",
  "salaire_12_mois_q3",
] as const;
export type PublishedName = (typeof PUBLISHED_NAMES)[number];

/**
 * The DEPP's own rates, kept under explicit names because they do not divide by nb_annee_term and must
 * never be read as the field's taux_en_emploi_X_mois (a share of nb_annee_term):
 * - `taux_emploi_sortants_X_mois`: employment among sortants (DEPP `taux_emploi_X_mois`, open data
 *   "Taux emploi X mois", DEPP tables "Taux", InserSup `tx_sortants_en_emploi_sal_fr`);
 * - `taux_poursuite_etudes`: the DEPP's further-study rate, as the DEPP names it;
 * - `taux_emploi_sortants_6_mois_attendu`, `valeur_ajoutee_emploi_6_mois`: the DEPP's model of the
 *   expected employment rate and the school's value added (percentage points), per establishment.
 * Stored as published, for reference and exports; no output figure is computed from them.
 */
export const DEPP_RATE_NAMES = [
  "taux_emploi_sortants_6_mois",
  "taux_emploi_sortants_12_mois",
  "taux_emploi_sortants_18_mois",
  "taux_emploi_sortants_24_mois",
  "taux_poursuite_etudes",
  "taux_emploi_sortants_6_mois_attendu",
  "valeur_ajoutee_emploi_6_mois",
] as const;
export type DeppRateName = (typeof DEPP_RATE_NAMES)[number];

export const MEASURE_NAMES = [...COUNT_NAMES, ...PUBLISHED_NAMES, ...DEPP_RATE_NAMES] as const;
export type MeasureName = CountName | PublishedName | DeppRateName;
export type Measures = Partial<Record<MeasureName, number | null>>;

export const RATE_NAMES = [
  "taux_en_emploi_6_mois",
  "taux_en_emploi_12_mois",
  "taux_en_emploi_18_mois",
  "taux_en_emploi_24_mois",
  "taux_en_formation",
  "taux_autres_6_mois",
  "taux_autres_12_mois",
  "taux_autres_18_mois",
  "taux_autres_24_mois",
] as const;
export type RateName = (typeof RATE_NAMES)[number];

/** Every published figure, in the order of the output columns. */
export const FIGURE_NAMES = [
  ...COUNT_NAMES,
  ...RATE_NAMES,
  "taux_rupture_contrats",
  "salaire_12_mois_q1",
  "salaire_12_mois_q2",
  "salaire_12_mois_q3",
] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];
export type Figures = Record<FigureName, number | null>;

/** The publication threshold on nb_annee_term. */
export const SEUIL_EFFECTIF = 20;

/**
 * round(100 × a / b) half-to-even, computed on integers so that 13/40 is exactly 32.5 → 32
 * (a float product can land on 32.500000000000004). Non-integer inputs fall back to floats.
 */
export function percentage(dividend: number, divisor: number): number | null {
  if (!Number.isFinite(dividend) || !Number.isFinite(divisor) || divisor <= 0 || dividend < 0) return null;
  if (Number.isInteger(dividend) && Number.isInteger(divisor)) {
    const scaled = dividend * 100;
    const q = Math.floor(scaled / divisor);
    const r2 = (scaled - q * divisor) * 2;
    if (r2 < divisor) return q;
    if (r2 > divisor) return q + 1;
    return q % 2 === 0 ? q : q + 1;
  }
  return roundHalfEven((dividend / divisor) * 100);
}

export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  const eps = 1e-9;
  if (diff > 0.5 + eps) return floor + 1;
  if (diff < 0.5 - eps) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * `inserjeunes`: rates from counts, unless the producer published them (DEVENIR_part_*), and
 * taux_autres_X from the (possibly published) taux_en_formation — the DEPP/Exposition behaviour.
 * `insersup` and `aggregate`: every rate from counts, as the reference does for InserSup and sums, and
 * no missing count completed (see completeCounts).
 */
export type RateRules = "inserjeunes" | "insersup" | "aggregate";

/** The rules of a row's figures: InserSup for the supérieur, aggregate for a famille's sum. */
export function rulesOf(filiere: string, summed = false): RateRules {
  return summed ? "aggregate" : filiere === "superieur" ? "insersup" : "inserjeunes";
}

/** The names of each month's count and rates, made once (not a template string per row). */
const PER_MONTH = MONTHS.map((x) => ({
  x,
  emploi: `nb_en_emploi_${x}_mois` as const,
  taux: `taux_en_emploi_${x}_mois` as const,
  autres: `taux_autres_${x}_mois` as const,
}));

export function computeFigures(measures: Measures, rules: RateRules = "inserjeunes"): Figures {
  // The missing counts are the InserJeunes import's (computeMissingStats): InserSup rows are taken as
  // published, and a sum adds counts each completed already (see completeCounts).
  const m = rules === "inserjeunes" ? completeCounts(measures) : measures;
  const term = m.nb_annee_term ?? null;
  const fromCounts = (n: number | null | undefined) =>
    term === null || n === null || n === undefined ? null : percentage(n, term);
  const usePublished = rules === "inserjeunes";

  const formationFromCounts = fromCounts(m.nb_poursuite_etudes);
  const tauxEnFormation = usePublished ? (m.taux_en_formation ?? formationFromCounts) : formationFromCounts;
  const out = {} as Figures;
  for (const name of COUNT_NAMES) out[name] = m[name] ?? null;
  for (const { x, emploi: count, taux, autres } of PER_MONTH) {
    const emploiFromCounts = fromCounts(m[count]);
    const publishedEmploi = x === 6 && usePublished ? m.taux_en_emploi_6_mois : undefined;
    const emploi = publishedEmploi ?? emploiFromCounts;
    out[taux] = emploi;
    const publishedAutres = x === 6 && usePublished ? m.taux_autres_6_mois : undefined;
    // The reference subtracts the rate computed from counts for X > 6, the published one for 6 months.
    const emploiForAutres = x === 6 ? emploi : emploiFromCounts;
    const formationForAutres = rules === "inserjeunes" ? tauxEnFormation : formationFromCounts;
    out[autres] =
      publishedAutres ??
      (emploiForAutres === null || formationForAutres === null
        ? null
        : Math.max(100 - emploiForAutres - formationForAutres, 0));
  }
  out.taux_en_formation = tauxEnFormation;
  out.taux_rupture_contrats = m.taux_rupture_contrats ?? null;
  out.salaire_12_mois_q1 = m.salaire_12_mois_q1 ?? null;
  out.salaire_12_mois_q2 = m.salaire_12_mois_q2 ?? null;
  out.salaire_12_mois_q3 = m.salaire_12_mois_q3 ?? null;
  return out;
}

/**
 * The reference's computeMissingStats, run when InserJeunes figures are imported: 100 % poursuite ⇒ 0
 * emploi when the count is missing; nb_sortant = nb_annee_term − nb_poursuite_etudes when missing.
 * nb_poursuite_etudes is never derived. Not for InserSup rows (imported as published). The reference
 * sums stored, so completed, counts: a famille's codes are each completed before they are summed.
 */
export function completeCounts(measures: Measures): Measures {
  const m = { ...measures };
  const term = m.nb_annee_term;
  if (term === null || term === undefined) return m;
  const poursuite = m.nb_poursuite_etudes;
  if ((m.nb_sortant === null || m.nb_sortant === undefined) && poursuite !== null && poursuite !== undefined)
    m.nb_sortant = term - poursuite;
  if (poursuite === term) for (const { emploi } of PER_MONTH) if (!m[emploi]) m[emploi] = 0;
  return m;
}

/** True when the figures must be withheld (nb_annee_term known and below the threshold). */
export function isUnderThreshold(measures: Measures): boolean {
  const term = measures.nb_annee_term;
  return term !== null && term !== undefined && term < SEUIL_EFFECTIF;
}

/** Withhold everything but nb_annee_term (counts too, as the reference does since 2025). */
export function withhold(figures: Figures): Figures {
  const out = {} as Figures;
  for (const name of FIGURE_NAMES) out[name] = null;
  out.nb_annee_term = figures.nb_annee_term;
  out.salaire_12_mois_q1 = figures.salaire_12_mois_q1;
  out.salaire_12_mois_q2 = figures.salaire_12_mois_q2;
  out.salaire_12_mois_q3 = figures.salaire_12_mois_q3;
  return out;
}

/** Sum counts of several codes (familles de métiers); null when every value is null. */
export function sumMeasures(list: readonly Measures[]): Measures {
  const out: Measures = {};
  for (const name of COUNT_NAMES) {
    let sum: number | null = null;
    for (const m of list) {
      const v = m[name];
      if (v !== null && v !== undefined) sum = (sum ?? 0) + v;
    }
    out[name] = sum;
  }
  return out;
}
