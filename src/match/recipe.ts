import type { MefInfo } from "./types.js";

/**
 * The Onisep recipe (the field's official guide): CFD + durée → the N_MEF rows of that CFD whose
 * DUREE_DISPOSITIF = durée and ANNEE_DISPOSITIF = DUREE_DISPOSITIF → their MEF_STAT_11.
 * Known traps handled here:
 * - bac pro taught in "famille de métiers" is announced as 2 ans by Onisep while the BCN says 3: for
 *   niveau 400/403 the terminal year is always year 3;
 * - BT Métiers de la musique (42032302) has two 2-year dispositifs: the one of Onisep is 222;
 * - several MEF10 share one MEFSTAT11: codes are distinct MEFSTAT11s, not MEF rows.
 * Without a durée, every terminal MEFSTAT11 of the CFD is a candidate (the caller decides).
 */
export interface RecipeResult {
  codes: string[];
  /** How the durée was used, for the diagnostics. */
  note: "duree" | "duree_bac_pro_famille" | "sans_duree" | "duree_ignoree" | "aucun_mef";
}

const BAC_PRO_NIVEAUX = new Set(["400", "403"]);
const DISPOSITIF_OVERRIDES: Record<string, string> = { "42032302": "222" };

export function terminalMefstat11(
  cfd: string,
  duree: number | undefined,
  mefs: readonly MefInfo[],
): RecipeResult {
  const terminal = mefs.filter((m) => m.cfd === cfd && m.duree !== null && m.annee === m.duree);
  if (terminal.length === 0) return { codes: [], note: "aucun_mef" };
  const dispositif = DISPOSITIF_OVERRIDES[cfd];
  const scoped = dispositif ? terminal.filter((m) => m.dispositif === dispositif) : terminal;
  const pool = scoped.length > 0 ? scoped : terminal;

  if (BAC_PRO_NIVEAUX.has(cfd.slice(0, 3))) {
    const year3 = pool.filter((m) => m.annee === 3);
    if (year3.length > 0)
      return { codes: distinct(year3), note: duree === 3 ? "duree" : "duree_bac_pro_famille" };
  }
  if (duree === undefined) return { codes: distinct(pool), note: "sans_duree" };
  const sameDuree = pool.filter((m) => m.duree === duree);
  if (sameDuree.length > 0) return { codes: distinct(sameDuree), note: "duree" };
  // The durée matches no dispositif of the CFD: say so, and fall back to all its terminal codes.
  return { codes: distinct(pool), note: "duree_ignoree" };
}

function distinct(mefs: readonly MefInfo[]): string[] {
  // An open MEF first: a closed duplicate of the same code changes nothing, a distinct one stays listed.
  return [...new Set(mefs.map((m) => m.mefstat11))].sort();
}

/**
 * Terminal MEFSTAT11 of a (possibly non-terminal) MEFSTAT11: precomputed in the index from N_MEF (same
 * CFD and dispositif, année = durée); else the 4th character (the year) set to the durée.
 */
export function terminalOf(mefstat11: string, mefs: readonly MefInfo[]): string[] {
  const known = [...new Set(mefs.map((m) => m.terminalMefstat11).filter((t): t is string => t !== null))];
  if (known.length > 0) return known.sort();
  const duree = mefs.find((m) => m.duree !== null)?.duree;
  if (duree !== undefined && duree !== null && duree >= 1 && duree <= 9)
    return [`${mefstat11.slice(0, 3)}${duree}${mefstat11.slice(4)}`];
  return [mefstat11];
}
