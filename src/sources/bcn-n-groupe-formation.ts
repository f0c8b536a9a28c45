import { BCN_BOOKKEEPING, bcnExport, bcnPage, bcnVintages } from "./bcn.js";
import type { GroupeRecord } from "./records.js";
import type { Parsed } from "../match/identifiers.js";
import { FileWarnings, invalidCodes, readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * BCN N_GROUPE_FORMATION: the groupes of formations, among them the familles de métiers of the bac pro
 * (type TG01, codes G0003…). Published by the BCN API since 2025 (JSON, lower-case keys); the CSV export
 * has the same columns in upper case.
 */
export const groupeSpec = {
  table: "BCN N_GROUPE_FORMATION",
  columns: {
    groupe: { names: ["GROUPE_FORMATION"], required: true },
    type: { names: ["TYPE_GROUPE_FORMATION"] },
    libelle: { names: ["LIBELLE_EDITION", "LIBELLE_LONG"], required: true },
    ouverture: { names: ["DATE_OUVERTURE"] },
    fermeture: { names: ["DATE_FERMETURE"] },
  },
  known: ["LIBELLE_COURT", "LIBELLE_LONG", ...BCN_BOOKKEEPING],
  quote: "none",
  vintages: bcnVintages("BCN export 2020", { name: "BCN export" }),
} satisfies TableSpec<string>;

/** Groupe codes: `G0003` in the BCN; letters, digits and `_` accepted. */
export function parseGroupe(raw: string): Parsed {
  const v = raw.trim().toUpperCase();
  if (v === "") return { ok: false, reason: "vide" };
  if (!/^[0-9A-Z_]{1,12}$/.test(v)) return { ok: false, reason: `groupe code "${v}" is not a code` };
  return { ok: true, value: v };
}

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<GroupeRecord> {
  for (const file of files) {
    const warnings = new FileWarnings(file.relPath);
    for await (const row of readTable(file, groupeSpec, ctx)) {
      const groupe = parseGroupe(row.get("groupe"));
      if (!groupe.ok) {
        ctx.reject(file.relPath, row.line, "invalid code", invalidCodes({ GROUPE_FORMATION: groupe }));
        continue;
      }
      ctx.kept();
      yield {
        kind: "groupe",
        groupe: groupe.value,
        type: row.get("type") || null,
        libelle: row.get("libelle"),
        dateOuverture: warnings.date(row.get("ouverture"), "DATE_OUVERTURE", row.line),
        dateFermeture: warnings.date(row.get("fermeture"), "DATE_FERMETURE", row.line),
      };
    }
    warnings.flush(ctx);
  }
}

export const bcnNGroupeFormation: Source = {
  id: "bcn-n-groupe-formation",
  title: "BCN N_GROUPE_FORMATION (familles de métiers)",
  licence: "Licence Ouverte 2.0",
  homepage: bcnPage("N_GROUPE_FORMATION"),
  access: bcnExport("N_GROUPE_FORMATION"),
  parse,
};
