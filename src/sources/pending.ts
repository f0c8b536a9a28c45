import type { Source, SourceAccess, SourceId } from "./types.js";

/**
 * Sources whose parser has not been written yet: fetch knows where they live, build-index says plainly
 * that it skipped them. Each one leaves this file when its own module arrives.
 */
function pending(
  id: SourceId,
  title: string,
  homepage: string,
  access: SourceAccess,
  credentials?: readonly string[],
): Source {
  return {
    id,
    title,
    licence: "Licence Ouverte 2.0",
    homepage,
    access,
    ...(credentials ? { credentials } : {}),
    parse(_files, ctx) {
      ctx.warn(`${id}: this version of inserjeunes cannot parse this source yet; its files were not indexed`);
      return [];
    },
  };
}

const bcnExport = (table: string) =>
  ({
    kind: "http",
    files: [
      {
        url: `https://bcn.depp.education.fr/bcn/index.php/export/CSV?n=${table}&separator=%3B`,
        fileName: `${table}.csv`,
      },
    ],
  }) as const;
const bcnPage = (table: string) => `https://bcn.depp.education.fr/bcn/workspace/viewTable/n/${table}`;
const onisep = (id: string) =>
  ({
    kind: "http",
    files: [{ url: `https://api.opendata.onisep.fr/downloads/${id}/${id}.csv`, fileName: `${id}.csv` }],
  }) as const;

export const pendingSources = {
  "bcn-v-formation-diplome": pending(
    "bcn-v-formation-diplome",
    "BCN V_FORMATION_DIPLOME (diplômes, y compris agriculture)",
    bcnPage("V_FORMATION_DIPLOME"),
    bcnExport("V_FORMATION_DIPLOME"),
  ),
  "bcn-n-niveau-formation-diplome": pending(
    "bcn-n-niveau-formation-diplome",
    "BCN N_NIVEAU_FORMATION_DIPLOME (types de diplôme)",
    bcnPage("N_NIVEAU_FORMATION_DIPLOME"),
    bcnExport("N_NIVEAU_FORMATION_DIPLOME"),
  ),
  "bcn-n-diplome-sise": pending(
    "bcn-n-diplome-sise",
    "BCN N_DIPLOME_SISE (diplômes du supérieur)",
    bcnPage("N_DIPLOME_SISE"),
    bcnExport("N_DIPLOME_SISE"),
  ),
  "bcn-n-groupe-formation": pending(
    "bcn-n-groupe-formation",
    "BCN N_GROUPE_FORMATION (familles de métiers)",
    bcnPage("N_GROUPE_FORMATION"),
    bcnExport("N_GROUPE_FORMATION"),
  ),
  "bcn-n-lien-formation-groupe": pending(
    "bcn-n-lien-formation-groupe",
    "BCN N_LIEN_FORMATION_GROUPE (familles de métiers ↔ CFD)",
    bcnPage("N_LIEN_FORMATION_GROUPE"),
    bcnExport("N_LIEN_FORMATION_GROUPE"),
  ),
  "onisep-actions-lycee": pending(
    "onisep-actions-lycee",
    "Onisep Idéo-Actions de formation initiale, univers lycée",
    "https://opendata.onisep.fr/data/605340ddc19a9/",
    onisep("605340ddc19a9"),
  ),
  "onisep-actions-sup": pending(
    "onisep-actions-sup",
    "Onisep Idéo-Actions de formation initiale, univers enseignement supérieur",
    "https://opendata.onisep.fr/data/605344579a7d7/",
    onisep("605344579a7d7"),
  ),
  "onisep-table-passage": pending(
    "onisep-table-passage",
    "Onisep table de passage codes certifications et formations",
    "https://opendata.onisep.fr/data/6152ccdf850ef/",
    onisep("6152ccdf850ef"),
  ),
  "kit-apprentissage": pending(
    "kit-apprentissage",
    "Kit apprentissage (CFD ↔ RNCP)",
    "https://github.com/mission-apprentissage/tables-correspondances",
    {
      kind: "http",
      files: [
        {
          url: "https://raw.githubusercontent.com/mission-apprentissage/tables-correspondances/master/server/src/jobs/rncpImporter/assets/Kit_apprentissage_20231218.csv",
          fileName: "Kit_apprentissage.csv",
        },
      ],
    },
  ),
} satisfies Partial<Record<SourceId, Source>>;
