/**
 * What each exported dataset holds: its columns (with a Table Schema type and a description, written to
 * datapackage.json), its primary key and its row order. The figure datasets keep the columns of the
 * Exposition InserJeunes CSV exports (research/trajectoires-pro.md §5), statistics in alphabetical order;
 * columns the Exposition CSV does not have come last.
 *
 * Cell convention (`Cell`): a string or a number is a value; `null` is a figure withheld because
 * nb_annee_term < 20 (CSV `null`, JSON null); `undefined` is a value that cannot be computed or is not
 * known (CSV empty, key absent in JSON), as in the Exposition API.
 */
export const DATASETS = [
  "certifications",
  "regionales",
  "formations",
  "correspondances",
  "couverture",
] as const;
export type Dataset = (typeof DATASETS)[number];

/** Which rows to keep. */
export interface ExportFilters {
  /** Millésimes as given (2023, 2022_2023, 2022/2023); undefined = all. */
  millesimes?: readonly string[];
  /** INSEE region codes. */
  regions?: readonly string[];
  /** Académie codes. */
  academies?: readonly string[];
}

export type Cell = string | number | null | undefined;
export type FieldType = "string" | "integer" | "number";

export interface Field {
  name: string;
  type: FieldType;
  description: string;
  enum?: readonly string[];
  pattern?: string;
}

export interface DatasetSpec {
  name: Dataset;
  title: string;
  description: string;
  fields: readonly Field[];
  primaryKey: readonly string[];
}

const s = (name: string, description: string, extra: Partial<Field> = {}): Field => ({
  name,
  type: "string",
  description,
  ...extra,
});

const FILIERES = ["pro", "agricole", "apprentissage", "superieur"] as const;
const MILLESIME = "^[0-9]{4}(_[0-9]{4})?$";

/** The statistics, in the (alphabetical) order of the Exposition CSV. */
function statFields(withSalaries: boolean): Field[] {
  const fields: Field[] = [
    { name: "nb_annee_term", type: "integer", description: "students in the terminal year" },
    ...[12, 18, 24, 6].map((x): Field => ({
      name: `nb_en_emploi_${x}_mois`,
      type: "integer",
      description: `leavers in salaried employment in France ${x} months after leaving`,
    })),
    { name: "nb_poursuite_etudes", type: "integer", description: "students who went on studying" },
    { name: "nb_sortant", type: "integer", description: "leavers (nb_annee_term − nb_poursuite_etudes)" },
  ];
  if (withSalaries)
    for (const q of [1, 2, 3])
      fields.push({
        name: `salaire_12_mois_q${q}`,
        type: "number",
        description: `net monthly salary 12 months after leaving, quartile ${q} (national only)`,
      });
  for (const x of [12, 18, 24, 6])
    fields.push({
      name: `taux_autres_${x}_mois`,
      type: "number",
      description: `% of nb_annee_term neither employed nor studying ${x} months after`,
    });
  for (const x of [12, 18, 24, 6])
    fields.push({
      name: `taux_en_emploi_${x}_mois`,
      type: "number",
      description: `% of nb_annee_term in salaried employment ${x} months after`,
    });
  fields.push(
    { name: "taux_en_formation", type: "number", description: "% of nb_annee_term still studying" },
    {
      name: "taux_rupture_contrats",
      type: "number",
      description: "% of apprenticeship contracts broken off",
    },
  );
  return fields;
}

const certificationFields: Field[] = [
  s("code_certification", "MEFSTAT11 (voie scolaire), CFD (apprentissage) or SISE (supérieur)"),
  s("code_formation_diplome", "CFD of the certification"),
  s("filiere", "pro, agricole, apprentissage or superieur", { enum: FILIERES }),
  s("millesime", "2023 (national) or 2022_2023 (two cumulated cohorts)", { pattern: MILLESIME }),
  s("donnee_source_type", "self, or ancienne/nouvelle: figures of the 1:1 older/newer diploma", {
    enum: ["self", "ancienne", "nouvelle"],
  }),
  s("donnee_source_code_certification", "the code whose figures these are"),
];

const uaiRoleEnum = { enum: ["lieu_formation", "formateur", "gestionnaire", "inconnu"] };

export const SPECS: Record<Dataset, DatasetSpec> = {
  certifications: {
    name: "certifications",
    title: "National InserJeunes figures per certification and millésime",
    description:
      "One row per certification, filière and millésime at national level, with the rows the BCN " +
      "continuum gives to a 1:1 older or newer diploma without figures of its own.",
    fields: [...certificationFields, ...statFields(true)],
    primaryKey: ["code_certification", "filiere", "millesime"],
  },
  regionales: {
    name: "regionales",
    title: "Regional InserJeunes figures per certification and millésime",
    description: "The certifications dataset per region (INSEE region code in code_region).",
    fields: [
      s("region", "region name"),
      ...certificationFields,
      ...statFields(false),
      s("code_region", "INSEE region code"),
    ],
    primaryKey: ["code_region", "code_certification", "filiere", "millesime"],
  },
  formations: {
    name: "formations",
    title: "InserJeunes figures per school (UAI), certification and millésime",
    description:
      "One row per UAI, certification, filière and millésime; uai_type / uai_donnee_type say which " +
      "role the school plays for an apprenticeship offer (catalogue de l'apprentissage), when known.",
    fields: [
      s("uai", "school (UAI)", { pattern: "^[0-9]{7}[A-Z]$" }),
      s("uai_type", "role of the UAI: lieu_formation, formateur, gestionnaire or inconnu", uaiRoleEnum),
      s("uai_donnee", "UAI whose figures these are"),
      s("uai_donnee_type", "role of uai_donnee", uaiRoleEnum),
      ...certificationFields,
      ...statFields(false),
      s("code_region", "INSEE region code of the UAI"),
      s("academie", "académie code of the UAI (annuaire / ACCE)"),
    ],
    primaryKey: ["uai", "code_certification", "filiere", "millesime"],
  },
  correspondances: {
    name: "correspondances",
    title: "Identifiers → InserJeunes certification codes",
    description:
      "For every identifier the index knows (Onisep FOR id, Certif Info, RNCP, CFD, MEF, MEFSTAT11, " +
      "SISE), the InserJeunes code(s) it leads to per voie, as `match` finds them, with the chain of " +
      "sources that states each link. Identifiers that lead to no code are not listed.",
    fields: [
      s("type_code", "onisep, certifinfo, rncp, cfd, mef10, mefstat11 or sise", {
        enum: ["onisep", "certifinfo", "rncp", "cfd", "mef10", "mefstat11", "sise"],
      }),
      s("code", "the identifier"),
      s("libelle", "its label in the source that names it"),
      s("voie", "scolaire (MEFSTAT11), apprentissage (CFD) or superieur (SISE)", {
        enum: ["scolaire", "apprentissage", "superieur"],
      }),
      s("code_certification", "the InserJeunes code, prefixed: MEFSTAT11:…, CFD:…, SISE:…"),
      s("cfd", "CFD of the certification"),
      s("mefstat11", "terminal-year MEFSTAT11 (voie scolaire)"),
      s("sise", "SISE diploma code (supérieur)"),
      s("libelle_formation", "BCN label of the CFD (or of the SISE diploma)"),
      s("niveau_formation_diplome", "BCN diploma type (first 3 characters of the CFD)"),
      { name: "duree", type: "integer", description: "duration in years of the scolaire dispositif" },
      s("source", "sources of each step of the link, e.g. certifinfo > bcn-n-mef"),
    ],
    primaryKey: ["type_code", "code", "code_certification"],
  },
  couverture: {
    name: "couverture",
    title: "Coverage of a catalogue",
    description:
      "How many rows of the catalogue given with --catalogue are couvert, sous_seuil, non_couvert… " +
      "and why (motif), how they were matched (methode), on which voie and diploma type, and the codes " +
      "that most often failed to match (code_non_trouve) — what a partner reads to fix the catalogue.",
    fields: [
      s("dimension", "ensemble, statut, motif, methode, voie, diplome or code_non_trouve", {
        enum: ["ensemble", "statut", "motif", "methode", "voie", "diplome", "code_non_trouve"],
      }),
      s("valeur", "the value counted (ensemble: lignes; code_non_trouve: the identifier, e.g. CFD 56122101)"),
      { name: "lignes", type: "integer", description: "catalogue rows" },
      { name: "part", type: "number", description: "% of the catalogue rows, one decimal" },
      s("motif", "code_non_trouve: the motif most of its rows got; empty otherwise"),
    ],
    primaryKey: ["dimension", "valeur"],
  },
};

export function isDataset(value: string): value is Dataset {
  return (DATASETS as readonly string[]).includes(value);
}

/** The position of each column, by name. */
export function columnIndex(spec: DatasetSpec): Record<string, number> {
  return Object.fromEntries(spec.fields.map((f, i) => [f.name, i]));
}

/** Code-point order: the same on every machine and locale (never localeCompare in an export). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
