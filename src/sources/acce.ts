import { parseSchools } from "./etablissements.js";
import type { TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * ACCE extraction (DEPP, acce.depp.education.fr/acce/extract.php): ISO-8859-1/cp1252, `;`, no quoting,
 * LF, 62 columns in the standard extraction (the user picks the columns: only `numero_uai` and
 * `departement_insee_3` are required). Every UAI of the country, CFA and supérieur included, open or
 * closed. The region is not a column: it comes from `departement_insee_3`. Research:
 * source-formats.md §4.1, trajectoires-pro.md §1.2.
 */
export const acceSpec = {
  table: "ACCE extraction",
  quote: "none",
  columns: {
    uai: { names: ["numero_uai"], required: true },
    departement: { names: ["departement_insee_3"], required: true },
    appellation: { names: ["appellation_officielle"] },
    denomination: { names: ["denomination_principale"] },
    patronyme: { names: ["patronyme_uai"] },
    commune: { names: ["commune"] },
    communeLibelle: { names: ["commune_libe"] },
    academie: { names: ["academie"] },
    nature: { names: ["nature_uai"] },
  },
  known: [
    "nature_uai_libe",
    "type_uai",
    "type_uai_libe",
    "etat_etablissement",
    "etat_etablissement_libe",
    "ministere_tutelle",
    "ministere_tutelle_libe",
    "tutelle_2",
    "tutelle_2_libe",
    "secteur_public_prive",
    "secteur_public_prive_libe",
    "sigle_uai",
    "categorie_juridique",
    "categorie_juridique_libe",
    "contrat_etablissement",
    "contrat_etablissement_libe",
    "categorie_financiere",
    "categorie_financiere_libe",
    "situation_comptable",
    "situation_comptable_libe",
    "niveau_uai",
    "niveau_uai_libe",
    "academie_libe",
    "pays",
    "pays_libe",
    "departement_insee_3_libe",
    "hebergement_etablissement",
    "hebergement_etablissement_libe",
    "numero_siren_siret_uai",
    "numero_finess_uai",
    "date_ouverture",
    "date_fermeture",
    "date_derniere_mise_a_jour",
    "lieu_dit_uai",
    "adresse_uai",
    "boite_postale_uai",
    "code_postal_uai",
    "etat_sirad_uai",
    "localite_acheminement_uai",
    "pays_etranger_acheminement",
    "numero_telephone_uai",
    "numero_telecopieur_uai",
    "mention_distribution",
    "mel_uai",
    "site_web",
    "coordonnee_x",
    "coordonnee_y",
    "appariement",
    "appariement_complement",
    "localisation",
    "localisation_complement",
    "date_geolocalisation",
    "source",
  ],
  vintages: [
    {
      name: "ACCE extraction (62 columns)",
      test: (h) => h.has("appellation_officielle") && h.has("date_geolocalisation"),
    },
    { name: "ACCE extraction (chosen columns)", test: () => true },
  ],
} satisfies TableSpec<string>;

const parse = (files: readonly SourceFile[], ctx: ParseContext) =>
  parseSchools(files, ctx, acceSpec, (row) => ({
    uai: row.get("uai"),
    nom: row.get("appellation") || [row.get("denomination"), row.get("patronyme")].filter(Boolean).join(" "),
    commune: row.get("commune"),
    communeLibelle: row.get("communeLibelle"),
    departement: row.get("departement"),
    academie: row.get("academie"),
    region: "", // not an ACCE column: from the département
    nature: row.get("nature"),
  }));

export const acce: Source = {
  id: "acce",
  title: "ACCE — extraction des établissements (DEPP)",
  licence: "Licence Ouverte 2.0",
  homepage: "https://acce.depp.education.fr/acce/",
  access: {
    kind: "local-only",
    description:
      "ACCE has no public download URL: export the établissements from https://acce.depp.education.fr/acce/extract.php, then run `inserjeunes fetch --file acce=<extraction.csv>`",
  },
  parse,
};
