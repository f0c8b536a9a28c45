import { parseDuree, parseOnisepAf, parseOnisepFor, parseUai } from "../match/identifiers.js";
import type { OnisepActionRecord } from "./records.js";
import { FileWarnings, invalidCodes, readTable, type TableSpec } from "./table.js";
import type { ParseContext, SourceFile } from "./types.js";

/**
 * Onisep Idéo-Actions de formation initiale (univers lycée 605340ddc19a9, univers enseignement supérieur
 * 605344579a7d7): one action = one formation (FOR id) taught in one school (UAI), with the durée of its
 * last cycle. CSV labels and the snake_case keys of the JSON download / search API are both accepted
 * (research/source-formats.md §2.3). No real file was available: the four key columns are required.
 */
export const onisepActionsSpec = {
  table: "Onisep Idéo-Actions de formation",
  columns: {
    af: { names: ["Action de Formation (AF) identifiant Onisep"], required: true },
    url: { names: ["FOR URL et ID Onisep"], required: true },
    uai: { names: ["ENS code UAI"], required: true },
    duree: { names: ["AF durée cycle standard"], required: true },
    libelle: { names: ["Formation (FOR) libellé"] },
    type: { names: ["FOR type"] },
  },
  known: [
    "FOR indexation domaine web Onisep",
    "FOR nature du certificat",
    "FOR URL référentiel",
    "FOR niveau de sortie",
    "Lieu d'enseignement (ENS) libellé",
    "ENS URL et ID Onisep",
    "ENS statut",
    "ENS adresse",
    "ENS code postal",
    "ENS commune",
    "ENS département",
    "ENS académie",
    "ENS région",
    "ENS latitude",
    "ENS longitude",
    "ENS n° téléphone",
    "ENS site web",
    "ENS hébergement",
    "ENS accessibilité",
    "AF modalités scolarité",
    "AF éléments d'enseignement",
    "AF coût scolarité",
    "AF coût d'inscription",
    "AF modalités accueil",
    "AF page web",
    "AF date de modification",
  ],
  vintages: [
    { name: "JSON (snake_case keys)", test: (_h, format) => format === "json" },
    { name: "CSV (labels)", test: () => true },
  ],
} satisfies TableSpec<string>;

export async function* parseOnisepActions(
  files: readonly SourceFile[],
  ctx: ParseContext,
): AsyncGenerator<OnisepActionRecord> {
  for (const file of files) {
    const warnings = new FileWarnings(file.relPath);
    for await (const row of readTable(file, onisepActionsSpec, ctx)) {
      const af = parseOnisepAf(row.get("af"));
      const forId = parseOnisepFor(row.get("url"));
      if (!af.ok || !forId.ok) {
        const reason = invalidCodes({
          "Action de Formation (AF) identifiant Onisep": af,
          "FOR URL et ID Onisep": forId,
        });
        ctx.reject(file.relPath, row.line, "invalid Onisep id", reason);
        continue;
      }
      // The UAI may be empty or lower-case (c-est-qui-le-pro upper-cases it): parseUai does.
      let uai: string | null = null;
      if (row.get("uai") !== "") {
        const parsed = parseUai(row.get("uai"));
        if (parsed.ok) uai = parsed.value;
        else warnings.add("with an unreadable ENS code UAI, kept without UAI", row.line, parsed.reason);
      }
      const duree = parseDuree(row.get("duree")) ?? null;
      if (duree === null && row.get("duree") !== "")
        warnings.add("with a durée that is not whole years, ignored", row.line, `"${row.get("duree")}"`);
      ctx.kept();
      yield {
        kind: "onisep-action",
        afId: af.value,
        forId: forId.value,
        uai,
        duree,
        libelle: row.get("libelle"),
        typeFormation: row.get("type"),
      };
    }
    warnings.flush(ctx);
  }
}
