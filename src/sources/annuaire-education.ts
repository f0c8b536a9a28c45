import { parseSchools } from "./etablissements.js";
import type { TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * Annuaire de l'éducation (data.education.gouv.fr `fr-en-annuaire-education`), Opendatasoft exports:
 * UTF-8 with BOM, CRLF, `;`. Three header generations, read by name: labels (71 columns, 2024+),
 * the 2023 labels (69 columns: `Code postal`, `Nombre_d_eleves`, `etablissement_multi_lignes`) and field
 * names (lower case; also the keys of the JSON export). `Code_region` is the INSEE region code.
 * Research: source-formats.md §4.2.
 */
export const annuaireSpec = {
  table: "Annuaire de l'éducation",
  columns: {
    uai: { names: ["Identifiant_de_l_etablissement"], required: true },
    nom: { names: ["Nom_etablissement"], required: true },
    commune: { names: ["Code_commune"] },
    communeLibelle: { names: ["Nom_commune"] },
    departement: { names: ["Code_departement"] },
    academie: { names: ["Code_academie"] },
    region: { names: ["Code_region"] },
    nature: { names: ["code_nature"] },
  },
  known: [
    "Type_etablissement",
    "Statut_public_prive",
    "Adresse_1",
    "Adresse_2",
    "Adresse_3",
    "Code_postal",
    "Ecole_maternelle",
    "Ecole_elementaire",
    "Voie_generale",
    "Voie_technologique",
    "Voie_professionnelle",
    "Telephone",
    "Fax",
    "Web",
    "Mail",
    "Restauration",
    "Hebergement",
    "ULIS",
    "Apprentissage",
    "Segpa",
    "Section_arts",
    "Section_cinema",
    "Section_theatre",
    "Section_sport",
    "Section_internationale",
    "Section_europeenne",
    "Lycee_Agricole",
    "Lycee_militaire",
    "Lycee_des_metiers",
    "Post_BAC",
    "Appartenance_Education_Prioritaire",
    "GRETA",
    "SIREN_SIRET",
    "Nombre_d_eleves",
    "Fiche_onisep",
    "position",
    "Type_contrat_prive",
    "Libelle_departement",
    "Libelle_academie",
    "Libelle_region",
    "coordX_origine",
    "coordY_origine",
    "epsg_origine",
    "coordonnee_X",
    "coordonnee_Y",
    "epsg",
    "nom_circonscription",
    "latitude",
    "longitude",
    "precision_localisation",
    "date_ouverture",
    "date_maj_ligne",
    "etat",
    "ministere_tutelle",
    "multi_uai",
    "etablissement_multi_lignes",
    "rpi_concentre",
    "rpi_disperse",
    "libelle_nature",
    "Code_type_contrat_prive",
    "PIAL",
    "etablissement_mere",
    "type_rattachement_etablissement_mere",
    "code_circonscription",
    "code_zone_animation_pedagogique",
    "libelle_zone_animation_pedagogique",
    "code_bassin_formation",
    "libelle_bassin_formation",
  ],
  vintages: [
    {
      name: "2023 labels (69 columns, etablissement_multi_lignes)",
      test: (h) => h.has("etablissement_multi_lignes"),
    },
    {
      name: "labels (71 columns, bassin de formation)",
      test: (h) => h.has("code_bassin_formation") && h.has("multi_uai"),
    },
    {
      name: "field names (69 columns, nombre_d_eleves)",
      test: (h) => h.has("nombre_d_eleves") && h.has("multi_uai"),
    },
  ],
} satisfies TableSpec<string>;

const parse = (files: readonly SourceFile[], ctx: ParseContext) =>
  parseSchools(files, ctx, annuaireSpec, (row) => ({
    uai: row.get("uai"),
    nom: row.get("nom"),
    commune: row.get("commune"),
    communeLibelle: row.get("communeLibelle"),
    departement: row.get("departement"),
    academie: row.get("academie"),
    region: row.get("region"),
    nature: row.get("nature"),
  }));

export const annuaireEducation: Source = {
  id: "annuaire-education",
  title: "Annuaire de l'éducation (établissements)",
  licence: "Licence Ouverte 2.0",
  homepage: "https://data.education.gouv.fr/explore/dataset/fr-en-annuaire-education/",
  access: {
    kind: "http",
    files: [
      {
        url: "https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets/fr-en-annuaire-education/exports/csv?delimiter=%3B",
        fileName: "fr-en-annuaire-education.csv",
      },
    ],
  },
  parse,
};
