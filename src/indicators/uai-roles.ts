/**
 * Which UAIs may carry a row's establishment figures, and in which role (research/trajectoires-pro.md §3,
 * computeUAI). The DEPP publishes apprenticeship figures under one UAI of an offer — the lieu de
 * formation, the formateur (the CFA) or the gestionnaire (the organisme responsable) — and the
 * catalogue de l'apprentissage says which UAIs play which role for a CFD. Pure: the catalogue and the
 * figures come from lookups.
 *
 * The order in which they are tried:
 * 1. the row's own UAIs, in the order of its columns (lieu, formateur, gestionnaire — columns.ts);
 * 2. for apprenticeship, the formateur the catalogue associates with the row's lieu for the CFD (or its
 *    1:1 continuum), when it is the only one — several formateurs: no guess — and when its own figures
 *    are typed formateur (catalogueRole);
 * 3. then the gestionnaire associated with the row's lieu (or, when the UAI is named only as a
 *    formateur, with that formateur), when it is the only one and its figures are typed gestionnaire.
 */
export type UaiRole = "lieu" | "formateur" | "gestionnaire";

/** One offer of the catalogue de l'apprentissage: a CFD and its three UAIs. */
export interface CatalogueOffer {
  cfd: string;
  lieu: string | null;
  formateur: string | null;
  gestionnaire: string | null;
}

export interface UaiRoleLookup {
  /** Offers that name this UAI in any role (any CFD). */
  offers(uai: string): readonly CatalogueOffer[];
}

/** A UAI of the row: its value and the role of the column it came from. */
export interface RowUai {
  value: string;
  role: UaiRole;
}

/** A UAI whose figures count as the school's, with the role written in ij_uai_donnee_type. */
export interface DataUai {
  uai: string;
  role: UaiRole;
  /** Named by the row itself, or associated with it by the catalogue de l'apprentissage. */
  via: "ligne" | "catalogue";
}

export interface DataUaiPlan {
  uais: DataUai[];
  /** Associations left out because they were not unique (for the row's detail). */
  notes: string[];
}

const distinct = (values: readonly (string | null)[]): string[] => [
  ...new Set(values.filter((v): v is string => v !== null && v !== "")),
];

/** The formateurs (gestionnaires) the catalogue names for a lieu's offers, once each. */
function partnersOf(lieu: string, role: "formateur" | "gestionnaire", offers: readonly CatalogueOffer[]) {
  return distinct(offers.filter((o) => o.lieu === lieu).map((o) => o[role]));
}

/**
 * The only formateur (gestionnaire) of a lieu's offers of the CFD (`offers`: the lieu's), whose figures
 * the reference copies to the lieu; undefined when there is none or several (no guess).
 */
export function onlyPartner(
  lieu: string,
  role: "formateur" | "gestionnaire",
  offers: readonly CatalogueOffer[],
): string | undefined {
  const list = partnersOf(lieu, role, offers);
  return list.length === 1 ? list[0] : undefined;
}

/**
 * The UAIs to try, in order, for an apprenticeship CFD whose 1:1 continuum (itself included) is `cfds`.
 * `hasFigures(uai)` says whether a UAI has establishment figures for one of these CFDs: it decides the
 * reference's relabelling of a lieu that is its own formateur (below).
 */
export function apprentissageDataUais(
  rowUais: readonly RowUai[],
  cfds: readonly string[],
  catalogue: UaiRoleLookup,
  hasFigures: (uai: string) => boolean,
): DataUaiPlan {
  const plan: DataUaiPlan = { uais: [], notes: [] };
  const seen = new Set<string>();
  const add = (uai: string, role: UaiRole, via: DataUai["via"]) => {
    if (seen.has(uai)) return;
    seen.add(uai);
    plan.uais.push({ uai, role, via });
  };
  const offersOf = (uai: string) => catalogue.offers(uai).filter((o) => cfds.includes(o.cfd));
  const partners: { role: UaiRole; uai: string }[] = [];
  for (const row of rowUais) {
    const offers = offersOf(row.value);
    add(row.value, catalogueRole(row.value, offers, offersOf, hasFigures) ?? row.role, "ligne");
    const asLieu = offers.filter((o) => o.lieu === row.value);
    const asFormateur = offers.filter((o) => o.formateur === row.value);
    // The reference copies a formateur's figures to the lieux whose only formateur it is, then a
    // gestionnaire's to the lieux whose only gestionnaire it is.
    const where = (list: readonly string[], role: UaiRole) => {
      if (list.length === 1 && list[0] !== row.value) partners.push({ role, uai: list[0]! });
      // Said only when one of them has figures (it changes nothing otherwise).
      else if (list.length > 1 && list.some(hasFigures))
        plan.notes.push(
          `the catalogue de l'apprentissage names ${list.length} ${role}s for ${row.value} × ${cfds[0]} (${list.join(", ")}): none of their figures is used`,
        );
    };
    if (asLieu.length > 0) {
      where(partnersOf(row.value, "formateur", asLieu), "formateur");
      where(partnersOf(row.value, "gestionnaire", asLieu), "gestionnaire");
    } else if (asFormateur.length > 0)
      where(distinct(asFormateur.map((o) => o.gestionnaire)), "gestionnaire");
  }
  // The reference copies figures typed formateur to the lieux whose only formateur their UAI is, then
  // figures typed gestionnaire likewise (computeUAILieuFormationFor…): a partner counts only when its own
  // type for the CFD is the relation — a formateur whose figures are typed lieu (another of its lieux has
  // several formateurs) or gestionnaire gives nothing as a formateur.
  for (const role of ["formateur", "gestionnaire"] as const)
    for (const p of partners)
      if (p.role === role && catalogueRole(p.uai, offersOf(p.uai), offersOf, hasFigures) === role)
        add(p.uai, role, "catalogue");
  return plan;
}

/**
 * The role of a UAI whose own figures are used (computeUAIBase, computeUaiFormateur,
 * computeUaiGestionnaire): lieu if the catalogue names it as a lieu for the CFD, else formateur, else
 * gestionnaire; a lieu that is its own only formateur, while another of its lieux has no figures, is
 * the formateur (its figures count that other lieu's apprentices); likewise a formateur that is its own
 * only gestionnaire, while another formateur of it has no figures (and not all that formateur's lieux
 * have some), is the gestionnaire. Undefined when the catalogue does not name it for the CFD.
 */
export function catalogueRole(
  uai: string,
  offers: readonly CatalogueOffer[],
  offersOf: (uai: string) => readonly CatalogueOffer[],
  hasFigures: (uai: string) => boolean,
): UaiRole | undefined {
  const asLieu = offers.filter((o) => o.lieu === uai);
  const asFormateur = offers.filter((o) => o.formateur === uai);
  const asGestionnaire = offers.filter((o) => o.gestionnaire === uai);
  const only = (list: readonly string[]) => list.length === 1 && list[0] === uai;
  let role: UaiRole | undefined =
    asLieu.length > 0
      ? "lieu"
      : asFormateur.length > 0
        ? "formateur"
        : asGestionnaire.length > 0
          ? "gestionnaire"
          : undefined;
  if (role === undefined || role === "gestionnaire") return role;

  const ownFormateur = role === "lieu" && only(distinct(asLieu.map((o) => o.formateur)));
  const otherLieux = distinct(asFormateur.map((o) => o.lieu)).filter((l) => l !== uai);
  if (ownFormateur && otherLieux.some((l) => !hasFigures(l))) role = "formateur";

  const gestionnaires = distinct(
    (role === "lieu" || ownFormateur ? asLieu : asFormateur).map((o) => o.gestionnaire),
  );
  if (!only(gestionnaires) || (role === "lieu" && !ownFormateur)) return role;
  // A lieu that stays a lieu because another of its lieux has figures does not become the gestionnaire.
  if (role === "lieu" && otherLieux.some((l) => hasFigures(l))) return role;
  const otherFormateurs = distinct(asGestionnaire.map((o) => o.formateur)).filter((f) => f !== uai);
  const uncovered = otherFormateurs.some((f) => {
    if (hasFigures(f)) return false;
    const lieux = distinct(
      offersOf(f)
        .filter((o) => o.formateur === f)
        .map((o) => o.lieu),
    );
    return !lieux.every((l) => hasFigures(l));
  });
  return uncovered ? "gestionnaire" : role;
}
