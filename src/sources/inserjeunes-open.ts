import { parseCfd, parseMefstat11, parseUai } from "../match/identifiers.js";
import { isEmptyMeasures, measureReader, parseMillesime, SkipCounter } from "./measures.js";
import type { EtablissementIndicatorRecord, Filiere, IndicatorRecord } from "./records.js";
import { normalizeHeader, readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * InserJeunes open data (research/source-formats.md §5.3–5.4): the Opendatasoft datasets of
 * data.education.gouv.fr (label or field-name headers, CSV or JSON; `cumul 2023-2024` millésimes; rates
 * printed as floats, `30.0`) and the DEPP establishment publication tables (`n°UAI de l'établissement`,
 * millésime and voie in the file name: `…-2022_2023-pro.csv`).
 *
 * These files publish RATES, mostly without counts. The DEVENIR parts are shares of nb_annee_term and are
 * stored as the field's taux_en_emploi_6_mois / taux_en_formation / taux_autres_6_mois; the DEPP's
 * "Taux emploi X mois" are among sortants and go to taux_emploi_sortants_X_mois, never the other way.
 * - formation fine (UAI × MEFSTAT11 or CFD): indicator rows at the établissement level;
 * - per establishment (no formation code): the indicator_etablissement table (no (UAI, code) lookup).
 */
const COLUMNS = {
  annee: { names: ["Année", "annee"] },
  uai: { names: ["UAI", "n°UAI de l'établissement"], required: true },
  mefstat11: { names: ["Code formation mefstat11", "code_formation_mefstat11"] },
  cfd: { names: ["Code formation apprentissage", "code_formation_apprentissage"] },
  perimetre: { names: ["Dont apprentis en EPLE", "Dont apprentis EPLE", "dont_apprentis_eple"] },
  // The 2018_2019 DEPP tables lost the header of this column (merged Excel cells): first unnamed one.
  unnamed: { names: [""] },
  partPoursuite: {
    names: ["DEVENIR Part poursuite études", "part_en_poursuite_d_etudes", "Part en poursuite d'études"],
  },
  partEmploi6: {
    names: [
      "DEVENIR Part en emploi 6 mois",
      "part_en_emploi_6_mois_apres_la_sortie",
      "Part en emploi 6 mois après la sortie",
    ],
  },
  partAutres6: {
    names: [
      "DEVENIR Part autre situation 6 mois",
      "part_des_autres_situations",
      "Part des autres situations",
    ],
  },
  rupture: { names: ["Part contrats apprentissage interrompus", "taux_contrats_interrompus"] },
  tauxPoursuite: { names: ["Taux poursuite études", "Taux de poursuite d'études"] },
  tauxEmploi6: { names: ["Taux emploi 6 mois", "Taux", "Taux d'emploi 6 mois après la sortie"] },
  tauxEmploi6Attendu: { names: ["Taux emploi 6 mois attendu", "Taux attendu"] },
  va: { names: ["VA emploi 6 mois", "Valeur ajoutée"] },
  tauxEmploi12: { names: ["Taux emploi 12 mois", "Taux d'emploi 12 mois après la sortie"] },
  tauxEmploi18: { names: ["Taux emploi 18 mois", "Taux d'emploi 18 mois après la sortie"] },
  tauxEmploi24: { names: ["Taux emploi 24 mois", "Taux d'emploi 24 mois après la sortie"] },
} as const;
type Column = keyof typeof COLUMNS;

const readMeasures = measureReader<Column>({
  partPoursuite: "taux_en_formation",
  partEmploi6: "taux_en_emploi_6_mois",
  partAutres6: "taux_autres_6_mois",
  rupture: "taux_rupture_contrats",
  tauxPoursuite: "taux_poursuite_etudes",
  tauxEmploi6: "taux_emploi_sortants_6_mois",
  tauxEmploi6Attendu: "taux_emploi_sortants_6_mois_attendu",
  va: "valeur_ajoutee_emploi_6_mois",
  tauxEmploi12: "taux_emploi_sortants_12_mois",
  tauxEmploi18: "taux_emploi_sortants_18_mois",
  tauxEmploi24: "taux_emploi_sortants_24_mois",
});

type Headers = ReadonlySet<string>;
/** The Opendatasoft datasets, each exported with label or field-name headers. */
const ODS_DATASETS: ReadonlyArray<{ name: string; test: (h: Headers) => boolean }> = [
  { name: "lycée pro formation fine", test: (h) => h.has("code_formation_mefstat11") },
  { name: "CFA formation fine", test: (h) => h.has("code_formation_apprentissage") },
  {
    name: "fr-en-inserjeunes-cfa",
    test: (h) => h.has("part_contrats_apprentissage_interrompus") || h.has("taux_contrats_interrompus"),
  },
  { name: "fr-en-inserjeunes-lycee_pro", test: (h) => h.has("dont_apprentis_eple") },
];
const headerKinds = [
  { kind: "labels", test: (h: Headers) => h.has("devenir_part_poursuite_etudes") },
  { kind: "field names", test: (h: Headers) => h.has("part_en_poursuite_d_etudes") },
];

export const inserjeunesOpenSpec = {
  table: "InserJeunes open data",
  columns: COLUMNS,
  known: [
    "Libellé",
    "Région",
    "num_ligne",
    "Libellé de l'établissement",
    "Type diplome",
    "Libellé formation",
    "Durée formation",
    "Diplôme rénové ou nouveau",
    "Type de diplôme",
    "Libellé de la formation",
    "Durée de formation (en année)",
    "Diplôme renové ou nouveau",
  ],
  vintages: [
    {
      name: "DEPP establishment table, merged header (unnamed columns not read)",
      test: (h) => h.has("n_uai_de_letablissement") && h.has(""),
    },
    { name: "DEPP establishment table", test: (h) => h.has("n_uai_de_letablissement") },
    ...ODS_DATASETS.flatMap((d) =>
      headerKinds.map((k) => ({
        name: `${d.name} (${k.kind})`,
        test: (h: Headers) => d.test(h) && k.test(h),
      })),
    ),
    ...ODS_DATASETS,
  ],
  jsonArrayKeys: ["results", "records", "data"],
} satisfies TableSpec<Column>;

/** Filière of a file without a code column: what the columns or the file name say. */
function filiereOfFile(relPath: string, has: (c: Column) => boolean): Filiere | "" {
  if (has("rupture")) return "apprentissage";
  if (has("perimetre")) return "pro";
  const name = relPath.toLowerCase();
  if (/apprentissage|cfa/.test(name)) return "apprentissage";
  if (/lycee_pro|[-_]pro\b|[-_]pro[-_.]/.test(name)) return "pro";
  return "";
}

async function* parseFile(
  file: SourceFile,
  ctx: ParseContext,
): AsyncGenerator<IndicatorRecord | EtablissementIndicatorRecord> {
  const skipped = new SkipCounter();
  const millesimeOfFile = /(\d{4})_(\d{4})/.exec(file.relPath)?.[0];
  let vintage: string | undefined;
  let merged = false;
  for await (const row of readTable(file, inserjeunesOpenSpec, ctx)) {
    const has = (c: Column) => row.raw(c) !== undefined;
    if (vintage === undefined) {
      vintage = ctx.report.files.at(-1)?.vintage ?? "InserJeunes open data";
      merged = vintage.includes("merged header");
      if (merged)
        ctx.warn(
          `${file.relPath}: the header has unnamed columns (a merged Excel header); only the named ones are read, and a text in the first unnamed column is read as the population ("ensemble", "dont …")`,
        );
    }
    const millesime = has("annee") ? parseMillesime(row.get("annee")) : millesimeOfFile;
    if (!millesime) {
      ctx.reject(
        file.relPath,
        row.line,
        "no millésime",
        has("annee")
          ? `Année "${row.get("annee")}" is not a millésime (cumul 2023-2024, 2023_2024)`
          : "a DEPP table without an Année column must carry it in its file name (…-2022_2023-pro.csv)",
      );
      continue;
    }
    const uai = parseUai(row.get("uai"));
    if (!uai.ok) {
      ctx.reject(file.relPath, row.line, "invalid UAI", uai.reason);
      continue;
    }
    const read = readMeasures(row.raw);
    if ("column" in read) {
      ctx.reject(
        file.relPath,
        row.line,
        "not a number",
        `column "${COLUMNS[read.column].names[0]}": ${read.reason}`,
      );
      continue;
    }
    if (isEmptyMeasures(read.measures)) {
      skipped.add("no figure published (masked by the producer)");
      continue;
    }
    if (has("mefstat11") || has("cfd")) {
      const scolaire = has("mefstat11");
      const code = scolaire ? parseMefstat11(row.get("mefstat11")) : parseCfd(row.get("cfd"));
      if (!code.ok) {
        ctx.reject(file.relPath, row.line, "invalid formation code", code.reason);
        continue;
      }
      ctx.kept();
      yield {
        kind: "indicator",
        niveau: "etablissement",
        zone: uai.value,
        code: code.value,
        filiere: scolaire ? "pro" : "apprentissage",
        millesime,
        measures: read.measures,
        sourceVintage: vintage,
      };
      continue;
    }
    const population = row.get("perimetre") || (merged ? textOrEmpty(row.get("unnamed")) : "");
    ctx.kept();
    yield {
      kind: "etablissement-indicator",
      uai: uai.value,
      filiere: filiereOfFile(file.relPath, has),
      perimetre: population ? populationKey(population) : "ensemble",
      millesime,
      measures: read.measures,
      sourceVintage: vintage,
    };
  }
  skipped.report(file.relPath, (m) => ctx.warn(m));
}

const populations = new Map<string, string>();
/** "dont élèves en voie pro sco" → "dont_eleves_en_voie_pro_sco" (a handful of values: memoised). */
function populationKey(text: string): string {
  let key = populations.get(text);
  if (key === undefined) {
    key = normalizeHeader(text);
    populations.set(text, key);
  }
  return key;
}

/** A text cell of an unnamed column; numbers there are figures we cannot name, not a population. */
function textOrEmpty(value: string): string {
  return /^[+-]?[\d.,\s]*$/.test(value) ? "" : value;
}

async function* parse(
  files: readonly SourceFile[],
  ctx: ParseContext,
): AsyncGenerator<IndicatorRecord | EtablissementIndicatorRecord> {
  for (const file of files) yield* parseFile(file, ctx);
}

const ods = (dataset: string) => ({
  url: `https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets/${dataset}/exports/csv?delimiter=%3B`,
  fileName: `${dataset}.csv`,
});

export const inserjeunesOpen: Source = {
  id: "inserjeunes-open",
  title: "InserJeunes open data (lycées professionnels et CFA, formation fine et établissements)",
  licence: "Licence Ouverte 2.0",
  homepage: "https://data.education.gouv.fr/explore/?q=inserjeunes",
  access: {
    kind: "http",
    files: [
      ods("fr-en-inserjeunes-lycee_pro-formation-fine"),
      ods("fr-en-inserjeunes-cfa-formation-fine"),
      ods("fr-en-inserjeunes-lycee_pro"),
      ods("fr-en-inserjeunes-cfa"),
    ],
  },
  parse,
};
