import { parseCfd } from "../match/identifiers.js";
import { BCN_BOOKKEEPING, bcnExport, bcnPage, bcnVintages } from "./bcn.js";
import { parseGroupe } from "./bcn-n-groupe-formation.js";
import type { LienGroupeRecord } from "./records.js";
import { FileWarnings, invalidCodes, readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * BCN N_LIEN_FORMATION_GROUPE: which CFDs belong to which groupe. For a famille de métiers, the CFD of
 * the seconde commune and the CFDs of the specialities are all listed; the index tells them apart with
 * N_MEF (the seconde commune has first-year MEFs only).
 */
export const lienGroupeSpec = {
  table: "BCN N_LIEN_FORMATION_GROUPE",
  columns: {
    groupe: { names: ["GROUPE_FORMATION"], required: true },
    cfd: { names: ["FORMATION_DIPLOME"], required: true },
    fermeture: { names: ["DATE_FERMETURE"] },
  },
  known: ["DATE_OUVERTURE", ...BCN_BOOKKEEPING],
  quote: "none",
  vintages: bcnVintages("BCN export 2020", { name: "BCN export" }),
} satisfies TableSpec<string>;

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<LienGroupeRecord> {
  for (const file of files) {
    const warnings = new FileWarnings(file.relPath);
    for await (const row of readTable(file, lienGroupeSpec, ctx)) {
      const groupe = parseGroupe(row.get("groupe"));
      const cfd = parseCfd(row.get("cfd"));
      if (!groupe.ok || !cfd.ok) {
        const reason = invalidCodes({ GROUPE_FORMATION: groupe, FORMATION_DIPLOME: cfd });
        ctx.reject(file.relPath, row.line, "invalid code", reason);
        continue;
      }
      ctx.kept();
      yield {
        kind: "lien-groupe",
        groupe: groupe.value,
        cfd: cfd.value,
        dateFermeture: warnings.date(row.get("fermeture"), "DATE_FERMETURE", row.line),
      };
    }
    warnings.flush(ctx);
  }
}

export const bcnNLienFormationGroupe: Source = {
  id: "bcn-n-lien-formation-groupe",
  title: "BCN N_LIEN_FORMATION_GROUPE (familles de métiers ↔ CFD)",
  licence: "Licence Ouverte 2.0",
  homepage: bcnPage("N_LIEN_FORMATION_GROUPE"),
  access: bcnExport("N_LIEN_FORMATION_GROUPE"),
  parse,
};
