import { parseCertifInfo, parseCfd, parseOnisepFor, parseRncp } from "../match/identifiers.js";
import type { CertifInfoRecord } from "./records.js";
import { readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * Certif Info (Réseau des Carif-Oref). `Code_Diplome` is the Certif Info id and is not unique (one row per
 * ancien diplôme): rows are kept as they are, the index de-duplicates links.
 */
export const certifInfoSpec = {
  table: "Certif Info",
  quote: "none",
  columns: {
    id: { names: ["Code_Diplome", "Code Certifinfo"], required: true },
    libelle: { names: ["Libelle_Diplome", "Intitule Certifinfo"] },
    type: { names: ["Libelle_Type_Diplome"] },
    niveau: { names: ["Code_Niveau_Europeen"] },
    rncp: { names: ["Code_RNCP", "Code RNCP"], required: true },
    cfd: { names: ["Code_Scolarité", "Code scolarité"], required: true },
    certificateur: { names: ["certificateur"] },
    valideur: { names: ["valideur"] },
    ideo: { names: ["codeIdeo2", "Code Onisep Ideo"] },
  },
  known: [
    "Date_MaJ",
    "Code_FormaCode",
    "Libelle_FormaCode",
    "Code_Rome_1",
    "Code_Rome_2",
    "Code_Rome_3",
    "Code_Rome_4",
    "Code_Rome_5",
    "Code_Nsf",
    "Code_RS",
    "Annee_Premiere_Session",
    "Annee_Derniere_Session",
    "Code_Ancien_Diplome",
    "Intitulé_Ancien_Diplome",
    "Code_Ancien_RNCP",
    "Code_Ancien_Scolarité",
    "Options",
    "Etat",
    "Etat_Libelle",
    "Etat_Ancien_Diplome",
    "Etat_Ancien_Diplome_Libelle",
    "accessibilite_fi",
    "accessibilite_ca",
    "accessibilite_fc",
    "accessibilite_cp",
    "accessibilite_vae",
    "accessibilite_ind",
    "code_type_diplome",
  ],
  vintages: [{ name: "Certif Info RCO/open data (37 columns)", test: (h) => h.has("codeideo2") }],
} satisfies TableSpec<string>;

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<CertifInfoRecord> {
  for (const file of files) {
    for await (const row of readTable(file, certifInfoSpec, ctx)) {
      const id = parseCertifInfo(row.get("id"));
      if (!id.ok) {
        ctx.reject(file.relPath, row.line, "invalid Certif Info id", id.reason);
        continue;
      }
      const cfd = row.get("cfd") ? parseCfd(row.get("cfd")) : undefined;
      const rncp = row.get("rncp") ? parseRncp(row.get("rncp")) : undefined;
      const ideo = row.get("ideo") ? parseOnisepFor(row.get("ideo")) : undefined;
      ctx.kept();
      yield {
        kind: "certifinfo",
        certifinfo: id.value,
        libelle: row.get("libelle"),
        typeDiplome: row.get("type"),
        niveauEuropeen: row.get("niveau") || null,
        certificateur: row.get("certificateur"),
        valideur: row.get("valideur"),
        cfd: cfd?.ok ? cfd.value : null,
        rncp: rncp?.ok ? rncp.value : null,
        forId: ideo?.ok ? ideo.value : null,
      };
    }
  }
}

export const certifinfo: Source = {
  id: "certifinfo",
  title: "Certif Info — référentiel national des certifications (Carif-Oref)",
  licence: "Licence Ouverte 2.0",
  homepage: "https://www.data.gouv.fr/fr/datasets/referentiel-national-des-certifications/",
  access: {
    kind: "http",
    files: [
      {
        url: "https://www.data.gouv.fr/api/1/datasets/r/f2981d6f-e55c-42cd-8eba-3e891777e222",
        fileName: "certifinfo.csv",
      },
    ],
  },
  parse,
};
