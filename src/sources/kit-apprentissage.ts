import { parseCfd, parseRncp } from "../match/identifiers.js";
import type { LinkRecord } from "./records.js";
import { FileWarnings, invalidCodes, readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * The "kit apprentissage" table (France compétences / Carif-Oref): CFD ↔ RNCP for diplomas prepared by
 * apprenticeship. Trap: here `Code_Diplome` is the CFD (in Certif Info it is the Certif Info id), and
 * `Code_RNCP` carries the `RNCP` prefix. UTF-8 with BOM, CRLF, RFC quoting (research §3.3). `NR` (non
 * renseigné) in Code_RNCP means the CFD has no RNCP fiche: the row is valid and links nothing.
 */
export const kitSpec = {
  table: "Kit apprentissage",
  columns: {
    cfd: { names: ["Code_Diplome"], required: true },
    rncp: { names: ["Code_RNCP"], required: true },
  },
  known: [
    "Intitulé diplôme (DEPP)",
    "Niveau fiche RNCP",
    "Abrégé de diplôme (RNCP)",
    "Dernière MaJ",
    "Accès à l'apprentissage de la fiche RNCP (oui/non)",
    "Date d'échéance de la fiche RNCP",
    "Fiche ACTIVE/INACTIVE",
  ],
  vintages: [
    { name: "Kit apprentissage 2023 (9 columns)", test: (h) => h.has("fiche_active_inactive") },
    { name: "Kit apprentissage (other columns)", test: () => true },
  ],
} satisfies TableSpec<string>;

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<LinkRecord> {
  for (const file of files) {
    const warnings = new FileWarnings(file.relPath);
    for await (const row of readTable(file, kitSpec, ctx)) {
      const cfd = parseCfd(row.get("cfd"));
      if (!cfd.ok) {
        ctx.reject(file.relPath, row.line, "invalid code", invalidCodes({ Code_Diplome: cfd }));
        continue;
      }
      ctx.kept();
      if (/^(NR|)$/i.test(row.get("rncp"))) {
        warnings.add("without RNCP fiche (NR), nothing linked", row.line, cfd.value);
        continue;
      }
      const rncp = parseRncp(row.get("rncp"));
      if (!rncp.ok) {
        warnings.add("with an unreadable Code_RNCP, nothing linked", row.line, rncp.reason);
        continue;
      }
      yield { kind: "link", fromType: "rncp", fromCode: rncp.value, toType: "cfd", toCode: cfd.value };
    }
    warnings.flush(ctx);
  }
}

export const kitApprentissage: Source = {
  id: "kit-apprentissage",
  title: "Kit apprentissage (CFD ↔ RNCP)",
  licence: "Licence Ouverte 2.0",
  homepage: "https://github.com/mission-apprentissage/tables-correspondances",
  access: {
    kind: "http",
    files: [
      {
        url: "https://raw.githubusercontent.com/mission-apprentissage/tables-correspondances/master/server/src/jobs/rncpImporter/assets/Kit_apprentissage_20231218.csv",
        fileName: "Kit_apprentissage.csv",
      },
    ],
  },
  parse,
};
