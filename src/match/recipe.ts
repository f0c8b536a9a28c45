import type { MefInfo } from "./types.js";

/**
 * The Onisep recipe (the field's official guide): CFD + durée → the N_MEF rows of that CFD whose
 * DUREE_DISPOSITIF = durée and ANNEE_DISPOSITIF = DUREE_DISPOSITIF → their MEF_STAT_11.
 * Known traps handled here:
 * - bac pro taught in "famille de métiers" is announced as 2 ans by Onisep while the BCN says 3: for
 *   niveau 400/403 the terminal year is always year 3;
 * - BT Métiers de la musique (42032302) has two 2-year dispositifs: the one of Onisep is 222;
 * - several MEF10 share one MEFSTAT11: codes are distinct MEFSTAT11s, not MEF rows;
 * - a CFD keeps the MEFs of dispositifs the BCN closed long ago: with `closedBefore`, a MEF closed
 *   before that date gives way to an open one, and stays only when every candidate is closed.
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
  closedBefore?: string,
): RecipeResult {
  const distinct = (list: readonly MefInfo[]) => distinctOpen(list, closedBefore);
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

/** The MEFSTAT11s of the MEFs still open (of all of them when every one is closed), once each, sorted. */
function distinctOpen(mefs: readonly MefInfo[], closedBefore: string | undefined): string[] {
  const open =
    closedBefore === undefined
      ? mefs
      : mefs.filter((m) => m.dateFermeture === null || m.dateFermeture >= closedBefore);
  return [...new Set((open.length > 0 ? open : mefs).map((m) => m.mefstat11))].sort();
}

/**
 * The date before which a closed MEF is no current code: the start of the school year whose leavers the
 * latest millésime of the index counts (millésime 2023: 2022-09-01). A MEF closed before it had no
 * students then, so it cannot carry the latest figures; the date comes from the index, not the clock,
 * so that one index always gives one answer (the field's Parcoursup script uses its campaign's date).
 */
export function mefsClosedBefore(latestYear: number | null): string | undefined {
  return latestYear === null ? undefined : `${latestYear - 1}-09-01`;
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
