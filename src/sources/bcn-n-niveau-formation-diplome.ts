import { BCN_BOOKKEEPING, bcnExport, bcnPage, bcnVintages } from "./bcn.js";
import type { NiveauRecord } from "./records.js";
import { readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * BCN N_NIVEAU_FORMATION_DIPLOME: the diploma type of a CFD, by its first 3 characters ("400" → BAC PRO,
 * "500" → CAP, "320" → BTS). 2020 export: 14 columns; 2024 export: 10 columns with
 * NIVEAU_QUALIFICATION_RNCP; BCN API JSON.
 */
export const niveauSpec = {
  table: "BCN N_NIVEAU_FORMATION_DIPLOME",
  columns: {
    niveau: { names: ["NIVEAU_FORMATION_DIPLOME"], required: true },
    libelleCourt: { names: ["LIBELLE_COURT"], required: true },
    libelle: { names: ["LIBELLE_100"] },
    interministeriel: { names: ["NIVEAU_INTERMINISTERIEL"] },
    niveauRncp: { names: ["NIVEAU_QUALIFICATION_RNCP"] },
  },
  known: ["ANCIEN_NIVEAU", "DATE_OUVERTURE", "DATE_FERMETURE", ...BCN_BOOKKEEPING],
  quote: "none",
  vintages: bcnVintages(
    "BCN export 2020 (14 columns)",
    { name: "BCN export 2024+ (10 columns)", has: "niveau_qualification_rncp" },
    { name: "BCN export 2021–2023" },
  ),
} satisfies TableSpec<string>;

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<NiveauRecord> {
  for (const file of files) {
    for await (const row of readTable(file, niveauSpec, ctx)) {
      const niveau = row.get("niveau").toUpperCase();
      if (!/^[0-9A-Z]{3}$/.test(niveau)) {
        const detail =
          niveau === "" ? "NIVEAU_FORMATION_DIPLOME is empty" : `"${niveau}" is not 3 characters`;
        ctx.reject(file.relPath, row.line, "invalid code", detail);
        continue;
      }
      ctx.kept();
      yield {
        kind: "niveau",
        niveau,
        libelleCourt: row.get("libelleCourt"),
        libelle: row.get("libelle"),
        niveauInterministeriel: row.get("interministeriel") || null,
        niveauQualificationRncp: row.get("niveauRncp") || null,
      };
    }
  }
}

export const bcnNNiveauFormationDiplome: Source = {
  id: "bcn-n-niveau-formation-diplome",
  title: "BCN N_NIVEAU_FORMATION_DIPLOME (types de diplôme)",
  licence: "Licence Ouverte 2.0",
  homepage: bcnPage("N_NIVEAU_FORMATION_DIPLOME"),
  access: bcnExport("N_NIVEAU_FORMATION_DIPLOME"),
  parse,
};
