import { parseCfd, parseMef10, parseMefstat11 } from "../match/identifiers.js";
import { BCN_BOOKKEEPING, bcnExport, bcnPage, bcnVintages } from "./bcn.js";
import type { MefRecord } from "./records.js";
import { FileWarnings, invalidCodes, readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * BCN N_MEF: MEF10 ↔ MEFSTAT11 ↔ CFD, with durée and année of the cursus. Vintages: 2020 export (27
 * columns), 2023+ exports (22 columns, `;` or `|`), BCN API JSON (lower-case keys, typed numbers).
 */
export const nMefSpec = {
  table: "BCN N_MEF",
  columns: {
    mef: { names: ["MEF"], required: true },
    mefstat11: { names: ["MEF_STAT_11"], required: true },
    cfd: { names: ["FORMATION_DIPLOME"], required: true },
    dispositif: { names: ["DISPOSITIF_FORMATION"], required: true },
    duree: { names: ["DUREE_DISPOSITIF"], required: true },
    annee: { names: ["ANNEE_DISPOSITIF"], required: true },
    ouverture: { names: ["DATE_OUVERTURE"] },
    fermeture: { names: ["DATE_FERMETURE"] },
    statut: { names: ["STATUT_MEF"] },
    libelle: { names: ["LIBELLE_EDITION", "LIBELLE_LONG"] },
  },
  known: [
    "LIBELLE_COURT",
    "LIBELLE_LONG",
    "NB_OPTION_OBLIGATOIRE",
    "NB_OPTION_FACULTATIF",
    "RENFORCEMENT_LANGUE",
    "DUREE_PROJET",
    "DUREE_STAGE",
    "HORAIRE",
    "MEF_INSCRIPTION_SCOLARITE",
    "MEF_STAT_9",
    ...BCN_BOOKKEEPING,
  ],
  quote: "none",
  vintages: bcnVintages("BCN export 2020 (27 columns)", { name: "BCN export 2021+ (22 columns)" }),
} satisfies TableSpec<string>;

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<MefRecord> {
  for (const file of files) {
    const warnings = new FileWarnings(file.relPath);
    for await (const row of readTable(file, nMefSpec, ctx)) {
      const mef = parseMef10(row.get("mef"));
      const stat = parseMefstat11(row.get("mefstat11"));
      const cfd = parseCfd(row.get("cfd"));
      if (!mef.ok || !stat.ok || !cfd.ok) {
        const reason = invalidCodes({ MEF: mef, MEF_STAT_11: stat, FORMATION_DIPLOME: cfd });
        ctx.reject(file.relPath, row.line, "invalid code", reason);
        continue;
      }
      ctx.kept();
      yield {
        kind: "mef",
        mef10: mef.value,
        mefstat11: stat.value,
        cfd: cfd.value,
        dispositif: row.get("dispositif"),
        duree: warnings.int(row.get("duree"), "DUREE_DISPOSITIF", row.line),
        annee: warnings.int(row.get("annee"), "ANNEE_DISPOSITIF", row.line),
        dateOuverture: warnings.date(row.get("ouverture"), "DATE_OUVERTURE", row.line),
        dateFermeture: warnings.date(row.get("fermeture"), "DATE_FERMETURE", row.line),
        statut: row.get("statut") || null,
        libelle: row.get("libelle"),
      };
    }
    warnings.flush(ctx);
  }
}

export const bcnNMef: Source = {
  id: "bcn-n-mef",
  title: "BCN N_MEF (modules élémentaires de formation)",
  licence: "Licence Ouverte 2.0",
  homepage: bcnPage("N_MEF"),
  access: bcnExport("N_MEF"),
  parse,
};
