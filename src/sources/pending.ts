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

const ods = (domain: string, dataset: string) =>
  `https://${domain}/api/explore/v2.1/catalog/datasets/${dataset}/exports/csv?delimiter=%3B`;

export const pendingSources = {
  "catalogue-apprentissage": pending(
    "catalogue-apprentissage",
    "Catalogue de l'offre de formation en apprentissage",
    "https://catalogue.apprentissage.education.gouv.fr/",
    {
      kind: "api",
      description: "GET /entity/formations?page=N&limit=100, every page until the last",
      baseUrl: "https://catalogue.apprentissage.education.gouv.fr/api/v1",
    },
  ),
  "annuaire-education": pending(
    "annuaire-education",
    "Annuaire de l'éducation (établissements)",
    "https://data.education.gouv.fr/explore/dataset/fr-en-annuaire-education/",
    {
      kind: "http",
      files: [
        {
          url: ods("data.education.gouv.fr", "fr-en-annuaire-education"),
          fileName: "fr-en-annuaire-education.csv",
        },
      ],
    },
  ),
  acce: pending(
    "acce",
    "ACCE — extraction des établissements (DEPP)",
    "https://acce.depp.education.fr/acce/",
    {
      kind: "local-only",
      description:
        "ACCE has no public download URL: export the établissements from https://acce.depp.education.fr/acce/extract.php, then run `inserjeunes fetch --file acce=<extraction.csv>`",
    },
  ),
  "inserjeunes-open": pending(
    "inserjeunes-open",
    "InserJeunes open data (lycées professionnels et CFA, formation fine)",
    "https://data.education.gouv.fr/explore/?q=inserjeunes",
    {
      kind: "http",
      files: [
        {
          url: ods("data.education.gouv.fr", "fr-en-inserjeunes-lycee_pro-formation-fine"),
          fileName: "fr-en-inserjeunes-lycee_pro-formation-fine.csv",
        },
        {
          url: ods("data.education.gouv.fr", "fr-en-inserjeunes-cfa-formation-fine"),
          fileName: "fr-en-inserjeunes-cfa-formation-fine.csv",
        },
      ],
    },
  ),
  insersup: pending(
    "insersup",
    "InserSup (insertion des diplômés du supérieur)",
    "https://data.enseignementsup-recherche.gouv.fr/explore/dataset/fr-esr-insersup/",
    {
      kind: "http",
      files: [
        {
          url: ods("data.enseignementsup-recherche.gouv.fr", "fr-esr-insersup"),
          fileName: "fr-esr-insersup.csv",
        },
      ],
    },
  ),
  "exposition-api": pending(
    "exposition-api",
    "API Exposition InserJeunes",
    "https://exposition.inserjeunes.beta.gouv.fr/api/doc/",
    {
      kind: "api",
      description: "GET /api/inserjeunes/certifications, /regionales and /formations, every page",
      baseUrl: "https://exposition.inserjeunes.beta.gouv.fr/api/inserjeunes",
    },
    ["EXPOSITION_API_KEY"],
  ),
} satisfies Partial<Record<SourceId, Source>>;
