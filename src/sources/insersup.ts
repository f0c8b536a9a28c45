import { MONTHS, type MeasureName, type Measures } from "../indicators/rates.js";
import { parseSise, parseUai } from "../match/identifiers.js";
import { isEmptyMeasures, type MeasureValue, parseMeasure, SkipCounter } from "./measures.js";
import type { IndicatorRecord, Niveau } from "./records.js";
import { normalizeHeader, readTable, type TableRow, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * InserSup (SIES): the open dataset fr-esr-insersup (Opendatasoft JSON or CSV export, field names) and
 * the private InserSup API (`{"results":[…]}`). Research: source-formats.md §6, trajectoires-pro.md §2.4.
 *
 * - long schema (date_jeu 2023_S2, 2024_S2): one row per date_inser (6, 12, 18, 24, 30 months), grouped
 *   here per (établissement, diplôme, promo);
 * - wide schema (2025+): one row, figures suffixed `_6`, `_12`, `_18`, `_24`, `_30`;
 * - the ODS rows are kept only for one line per diploma × establishment: genre, nationalité and régime
 *   d'inscription = ensemble, obtention_diplome = diplômé (absent columns count as such); national rows
 *   are `uo_lib = National` with `etablissement = all`;
 * - promo ["2021"] → millésime 2021, ["2020","2021"] or "2020,2021" (cumulated) → 2020_2021; the private
 *   API says cumulation with `"130 *"` in nb_sortants (`"12 **"`: cumulation impossible → single year);
 * - counts: nb_sortant = nb_sortants, nb_poursuite_etudes = nb_poursuivants, nb_en_emploi_X_mois = salaried
 *   employment in France at X months, and nb_annee_term = nb_sortants + nb_poursuivants (ODS) or
 *   nb_inscrits (private API), as the reference does; salaries at 12 months; code = SISE, filière supérieur.
 */
const SUFFIXES = [6, 12, 18, 24, 30];
const everySuffix = (prefixes: string[]) => prefixes.flatMap((p) => SUFFIXES.map((m) => `${p}_${m}`));

export const insersupSpec = {
  table: "InserSup",
  columns: {
    etablissement: { names: ["etablissement"], required: true },
    diplome: { names: ["diplome", "diplome_consol"], required: true },
    promo: { names: ["promo"] },
    anneeUniversitaire: { names: ["annee_universitaire"] },
    dateJeu: { names: ["date_jeu"] },
    dateInser: { names: ["date_inser"] },
    uoLib: { names: ["uo_lib"] },
    source: { names: ["source"] },
    genre: { names: ["genre"] },
    nationalite: { names: ["nationalite"] },
    regime: { names: ["regime_inscription"] },
    obtention: { names: ["obtention_diplome"] },
    nbSortants: { names: ["nb_sortants"] },
    nbPoursuivants: { names: ["nb_poursuivants"] },
    nbInscrits: { names: ["nb_inscrits"] },
    nbEmploi: { names: ["nb_sortants_en_emploi_sal_fr"] },
    txEmploi: { names: ["tx_sortants_en_emploi_sal_fr", "taux_emploi_sal_fr"] },
    salaireQ1: { names: ["salaire_q1"] },
    salaireQ2: { names: ["salaire_q2"] },
    salaireQ3: { names: ["salaire_q3"] },
    ...Object.fromEntries(
      MONTHS.flatMap((m) => [
        [`nbEmploi${m}`, { names: [`nb_sortants_en_emploi_sal_fr_${m}`, `nb_in_dsn_${m}`] }],
        [`txEmploi${m}`, { names: [`tx_sortants_en_emploi_sal_fr_${m}`] }],
      ]),
    ),
    salaire12Q1: { names: ["salaire_q1_12", "salaire_q1_national_diplome_12"] },
    salaire12Q2: { names: ["salaire_q2_12", "salaire_q2_national_diplome_12"] },
    salaire12Q3: { names: ["salaire_q3_12", "salaire_q3_national_diplome_12"] },
  } as Record<string, { names: string[]; required?: boolean }>,
  known: [
    "reg_nom",
    "reg_id",
    "aca_nom",
    "aca_id",
    "uo_lib_actuel",
    "id_paysage",
    "id_paysage_actuel",
    "denomination_principale",
    "type_diplome_long",
    "type_diplome",
    "dom_lib",
    "dom",
    "discipli_lib",
    "discipli",
    "sectdis_lib",
    "sectdis",
    "libelle_diplome",
    "date_inser_long",
    "flag",
    "exception",
    "taux_insertion",
    "taux_emploi",
    "tx_sortants_en_emploi_non_sal",
    "nb_sortants_en_emploi_stable",
    "tx_sortants_en_emploi_stable",
    "tx_sortants_en_emploi",
    "tx_sortants_en_emploi_etranger",
    "domaine",
    "discipline",
    "secteur_disciplinaire",
    "nb_diplomes",
    "taux_poursuivant",
    ...everySuffix([
      "flag",
      "exception",
      "tx_sortants_en_emploi",
      "tx_sortants_en_emploi_etranger",
      "nb_sortants_en_emploi_non_sal",
      "tx_sortants_en_emploi_non_sal",
      "nb_sortants_en_emploi_stable",
      "tx_sortants_en_emploi_stable",
      "salaire_q1",
      "salaire_q2",
      "salaire_q3",
      "taux_in_dsn",
      "taux_autre",
    ]),
    "nb_sortants_en_emploi_sal_fr_30",
    "tx_sortants_en_emploi_sal_fr_30",
    "nb_in_dsn_30",
  ],
  vintages: [
    { name: "InserSup API (results)", test: (h) => h.has("annee_universitaire") },
    { name: "fr-esr-insersup wide schema (2025+)", test: (h) => h.has("nb_sortants_en_emploi_sal_fr_12") },
    {
      name: "fr-esr-insersup long schema (nb_sortants_en_emploi_sal_fr)",
      test: (h) => h.has("nb_sortants_en_emploi_sal_fr"),
    },
    {
      name: "fr-esr-insersup long schema (taux_emploi_sal_fr only)",
      test: (h) => h.has("taux_emploi_sal_fr"),
    },
  ],
} satisfies TableSpec<string>;
type Row = TableRow<string>;

const FILTERS: ReadonlyArray<{ column: string; keep: string; reason: string }> = [
  { column: "genre", keep: "ensemble", reason: "breakdown by genre" },
  { column: "nationalite", keep: "ensemble", reason: "breakdown by nationalité" },
  { column: "regime", keep: "ensemble", reason: "breakdown by régime d'inscription" },
  { column: "obtention", keep: "diplome", reason: "not limited to graduates (obtention_diplome ≠ diplômé)" },
];

interface Key {
  niveau: Niveau;
  zone: string;
  code: string;
  millesime: string;
}

/** Where a row belongs (level, zone, SISE, millésime), or why it is left out. */
function keyOf(
  row: Row,
  flagOfSortants: MeasureValue | undefined,
): Key | { skip: string } | { reject: string } {
  const diplome = row.get("diplome");
  if (diplome.toLowerCase() === "all") return { skip: "diplome = all (every diploma of the scope)" };
  const sise = parseSise(diplome);
  if (!sise.ok) return { reject: sise.reason };
  const etablissement = row.get("etablissement");
  let niveau: Niveau = "etablissement";
  let zone = "";
  if (normalizeHeader(row.get("uoLib")) === "national" && ["all", ""].includes(etablissement.toLowerCase()))
    niveau = "national";
  else {
    const uai = parseUai(etablissement);
    if (!uai.ok) {
      if (/^[a-z]+$/i.test(etablissement))
        return { skip: `etablissement "${etablissement}" (an aggregate of establishments, not a UAI)` };
      return { reject: uai.reason };
    }
    zone = uai.value;
  }
  const millesime = millesimeOf(row, flagOfSortants);
  if (!millesime) return { reject: `no millésime in promo "${row.get("promo")}"` };
  return { niveau, zone, code: sise.value, millesime };
}

function millesimeOf(row: Row, flagOfSortants: MeasureValue | undefined): string | undefined {
  const annee = /^(\d{4})\s*[-_/]\s*(\d{4})$/.exec(row.get("anneeUniversitaire"));
  if (annee) {
    const cumulated = flagOfSortants?.ok && flagOfSortants.flag === "cumul";
    return cumulated ? `${annee[1]}_${annee[2]}` : annee[2];
  }
  const raw = row.raw("promo");
  const list = (Array.isArray(raw) ? raw.map(String) : String(raw ?? "").split(/[,;|\s]+/))
    .map((v) => v.trim())
    .filter((v) => /^\d{4}$/.test(v));
  const years = [...new Set(list)].sort();
  if (years.length === 1) return years[0];
  if (years.length === 2 && Number(years[1]) - Number(years[0]) === 1) return `${years[0]}_${years[1]}`;
  return undefined;
}

class InvalidFigure extends Error {}

function figure(row: Row, column: string): number | null {
  const parsed = parseMeasure(row.raw(column));
  if (!parsed.ok)
    throw new InvalidFigure(`column "${insersupSpec.columns[column]?.names[0]}": ${parsed.reason}`);
  return parsed.value;
}

/** Counts common to every schema. */
function baseMeasures(row: Row): Measures {
  const sortants = figure(row, "nbSortants");
  const poursuivants = figure(row, "nbPoursuivants");
  const inscrits = figure(row, "nbInscrits");
  const fromApi = row.raw("anneeUniversitaire") !== undefined;
  return {
    nb_sortant: sortants,
    nb_poursuite_etudes: poursuivants,
    nb_annee_term: fromApi
      ? inscrits
      : sortants === null || poursuivants === null
        ? null
        : sortants + poursuivants,
  };
}

function wideMeasures(row: Row): Measures {
  const m = baseMeasures(row);
  for (const x of MONTHS) {
    m[`nb_en_emploi_${x}_mois`] = figure(row, `nbEmploi${x}`);
    m[`taux_emploi_sortants_${x}_mois`] = figure(row, `txEmploi${x}`);
  }
  m.salaire_12_mois_q1 = figure(row, "salaire12Q1");
  m.salaire_12_mois_q2 = figure(row, "salaire12Q2");
  m.salaire_12_mois_q3 = figure(row, "salaire12Q3");
  return m;
}

/** A long-schema row: the figures at its date_inser, or undefined for months we do not index (30). */
function longMeasures(row: Row, month: number): Measures | undefined {
  if (!(MONTHS as readonly number[]).includes(month)) return undefined;
  const m = baseMeasures(row);
  m[`nb_en_emploi_${month}_mois` as MeasureName] = figure(row, "nbEmploi");
  m[`taux_emploi_sortants_${month}_mois` as MeasureName] = figure(row, "txEmploi");
  if (month === 12) {
    m.salaire_12_mois_q1 = figure(row, "salaireQ1");
    m.salaire_12_mois_q2 = figure(row, "salaireQ2");
    m.salaire_12_mois_q3 = figure(row, "salaireQ3");
  }
  return m;
}

async function* parseFile(file: SourceFile, ctx: ParseContext): AsyncGenerator<IndicatorRecord> {
  const skipped = new SkipCounter();
  const empty = new SkipCounter("not indexed", "diploma(s) × establishment × promo");
  // Long schema: rows of one (key) are merged, whatever their order in the file.
  const groups = new Map<string, { record: IndicatorRecord; months: Set<number> }>();
  const out: IndicatorRecord[] = [];
  let ignoredMonths = 0;
  for await (const row of readTable(file, insersupSpec, ctx)) {
    const filtered = FILTERS.find(
      (f) => row.raw(f.column) !== undefined && normalizeHeader(row.get(f.column) || f.keep) !== f.keep,
    );
    if (filtered) {
      skipped.add(filtered.reason);
      continue;
    }
    if (row.get("source") && row.get("source").toLowerCase() !== "insersup") {
      skipped.add(`source ≠ insersup`);
      continue;
    }
    const key = keyOf(row, parseMeasure(row.raw("nbSortants")));
    if ("skip" in key) {
      skipped.add(key.skip);
      continue;
    }
    if ("reject" in key) {
      ctx.reject(file.relPath, row.line, "invalid row", key.reject);
      continue;
    }
    const dateJeu = row.get("dateJeu");
    const vintage = ctx.report.files.at(-1)?.vintage ?? "InserSup";
    const sourceVintage = dateJeu ? `${vintage}, date_jeu ${dateJeu}` : vintage;
    const record: IndicatorRecord = {
      kind: "indicator",
      ...key,
      filiere: "superieur",
      measures: {},
      sourceVintage,
    };
    try {
      const dateInser = row.get("dateInser");
      if (dateInser === "") {
        record.measures = wideMeasures(row);
        out.push(record);
        continue;
      }
      const month = Number.parseInt(dateInser, 10);
      const measures = longMeasures(row, month);
      if (!measures) {
        ignoredMonths++;
        continue;
      }
      const id = `${key.niveau}|${key.zone}|${key.code}|${key.millesime}`;
      const group = groups.get(id);
      if (!group) {
        record.measures = measures;
        groups.set(id, { record, months: new Set([month]) });
      } else if (group.months.has(month)) {
        skipped.add("repeats the figures of a (UAI, SISE, promo, date_inser) already read (first kept)");
      } else {
        group.months.add(month);
        for (const [name, value] of Object.entries(measures) as [MeasureName, number | null][])
          group.record.measures[name] ??= value;
      }
    } catch (error) {
      if (!(error instanceof InvalidFigure)) throw error;
      ctx.reject(file.relPath, row.line, "not a number", error.message);
    }
  }
  for (const record of [...out, ...[...groups.values()].map((g) => g.record)]) {
    if (isEmptyMeasures(record.measures)) {
      empty.add("no figure published");
      continue;
    }
    ctx.kept();
    yield record;
  }
  if (ignoredMonths > 0)
    ctx.warn(`${file.relPath}: ${ignoredMonths} row(s) at 30 months or more: no such column in the index`);
  skipped.report(file.relPath, (m) => ctx.warn(m));
  empty.report(file.relPath, (m) => ctx.warn(m));
}

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<IndicatorRecord> {
  for (const file of files) yield* parseFile(file, ctx);
}

export const insersup: Source = {
  id: "insersup",
  title: "InserSup (insertion des diplômés du supérieur)",
  licence: "Licence Ouverte 2.0",
  homepage: "https://data.enseignementsup-recherche.gouv.fr/explore/dataset/fr-esr-insersup/",
  access: {
    kind: "http",
    files: [
      {
        url: "https://data.enseignementsup-recherche.gouv.fr/api/explore/v2.1/catalog/datasets/fr-esr-insersup/exports/csv?delimiter=%3B",
        fileName: "fr-esr-insersup.csv",
      },
    ],
  },
  parse,
};
