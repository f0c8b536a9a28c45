import type Database from "better-sqlite3";
import type { CatalogueOffer, UaiRoleLookup } from "../indicators/uai-roles.js";

/** Distinct UAIs remembered (cleared when full). */
const CACHE_LIMIT = 50_000;

/**
 * The offers of the catalogue de l'apprentissage (table uai_role) that name a UAI, in any role: one
 * indexed query per distinct UAI, remembered. `named` (IndexReader.uaiInCatalogue, a Set lookup) keeps
 * the UAIs the catalogue does not name from costing a query.
 */
export class CatalogueRoles implements UaiRoleLookup {
  private readonly query;
  private readonly cache = new Map<string, CatalogueOffer[]>();

  constructor(
    db: Database.Database,
    private readonly named: (uai: string) => boolean = () => true,
  ) {
    this.query = db.prepare(
      `SELECT cfd, uai_lieu AS lieu, uai_formateur AS formateur, uai_gestionnaire AS gestionnaire FROM uai_role
       WHERE uai_lieu = ? OR uai_formateur = ? OR uai_gestionnaire = ? ORDER BY cle`,
    );
  }

  offers(uai: string): readonly CatalogueOffer[] {
    if (!this.named(uai)) return [];
    const hit = this.cache.get(uai);
    if (hit) return hit;
    const offers = this.query.all(uai, uai, uai) as CatalogueOffer[];
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(uai, offers);
    return offers;
  }
}
