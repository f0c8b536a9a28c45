import { COUNT_NAMES, PUBLISHED_NAMES } from "../indicators/rates.js";
import {
  cleanCell,
  type Parsed,
  parseCfd,
  parseMefstat11,
  parseSise,
  parseUai,
} from "../match/identifiers.js";
import { isEmptyMeasures, measureReader, parseMillesime, SkipCounter } from "./measures.js";
import type { Filiere, IndicatorRecord, Niveau } from "./records.js";
import { regionFromInsee, regionFromName } from "./regions.js";
import { isObject, jsonText, readTable, type TableRow, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * API Exposition InserJeunes (research/source-formats.md §5.2, trajectoires-pro.md §5): the JSON list
 * responses (`{"certifications"|"regionales"|"formations":[…],"pagination":{…}}`) and the CSV exports
 * (`;`, `null` for withheld values). Level from the row: a `uai` → établissement, a `region` ({code,nom}
 * in JSON, the region's name in CSV) → régional, else national. Codes may carry their prefix
 * (`CFD:`, `MEFSTAT11:`, `SISE:`).
 *
 * Exposition's rates are already computed (from the DEPP counts, the 6-month ones are the DEPP's DEVENIR
 * parts): the counts, the 6-month rates, taux_rupture_contrats and the salaries are stored; the 12/18/24
 * month rates are recomputed from the counts by the same rules. Only `donnee_source.type = self` rows are
 * figures measured for their code; `ancienne`/`nouvelle` rows (copied along the continuum) are stored
 * apart (indicator_derived) and never read as measured.
 */
/** What Exposition publishes that we store: the counts and the published figures (6-month rates…). */
const MEASURE_COLUMNS = [...COUNT_NAMES, ...PUBLISHED_NAMES];

export const expositionSpec = {
  table: "Exposition InserJeunes",
  columns: {
    code: { names: ["code_certification"], required: true },
    type: { names: ["code_certification_type"] },
    filiere: { names: ["filiere"], required: true },
    millesime: { names: ["millesime"], required: true },
    uai: { names: ["uai"] },
    region: { names: ["region"] },
    donneeSource: { names: ["donnee_source"] },
    donneeSourceType: { names: ["donnee_source_type"] },
    donneeSourceCode: { names: ["donnee_source_code_certification"] },
    meta: { names: ["_meta"] },
    ...Object.fromEntries(MEASURE_COLUMNS.map((name) => [name, { names: [name] }])),
  } as Record<string, { names: string[]; required?: boolean }>,
  known: [
    "code_formation_diplome",
    "libelle",
    "libelle_ancien",
    "libelle_etablissement",
    "diplome",
    "familleMetier",
    "certificationsTerminales",
    "taux_en_emploi_12_mois",
    "taux_en_emploi_18_mois",
    "taux_en_emploi_24_mois",
    "taux_autres_12_mois",
    "taux_autres_18_mois",
    "taux_autres_24_mois",
    "formation_fermee",
    "date_fermeture",
    "academie",
    "uai_type",
    "uai_donnee",
    "uai_donnee_type",
    "uai_lieu_formation",
    "uai_formateur",
    "uai_gestionnaire",
    "nb_diplome",
  ],
  vintages: [
    { name: "Exposition API JSON", test: (h) => h.has("donnee_source") || h.has("meta") },
    { name: "Exposition CSV export", test: (h) => h.has("donnee_source_type") },
  ],
  jsonArrayKeys: ["certifications", "regionales", "formations", "data", "results"],
} satisfies TableSpec<string>;
type Row = TableRow<string>;
const readMeasures = measureReader<string>(Object.fromEntries(MEASURE_COLUMNS.map((n) => [n, n])));

const FILIERES: readonly Filiere[] = ["pro", "agricole", "apprentissage", "superieur"];
const TYPE_PARSERS: Record<string, (raw: string) => Parsed> = {
  CFD: parseCfd,
  MEFSTAT11: parseMefstat11,
  SISE: parseSise,
};

/** A code with or without its prefix; the kind from the prefix, else the type column, else the filière. */
function parseCode(raw: string, type: string, filiere: Filiere): Parsed {
  const v = cleanCell(raw).toUpperCase();
  const prefix = /^(CFD|MEFSTAT11|SISE):/.exec(v)?.[1];
  const kind =
    prefix ??
    { cfd: "CFD", mef11: "MEFSTAT11", mefstat11: "MEFSTAT11", sise: "SISE" }[type.toLowerCase()] ??
    (filiere === "apprentissage" ? "CFD" : filiere === "superieur" ? "SISE" : "MEFSTAT11");
  return TYPE_PARSERS[kind]!(v);
}

/** The level and zone of a row, or why it cannot be placed. */
function placeOf(row: Row): { niveau: Niveau; zone: string } | { error: string } {
  const uai = jsonText(row.raw("uai"));
  if (uai && uai !== "null") {
    const parsed = parseUai(uai);
    return parsed.ok ? { niveau: "etablissement", zone: parsed.value } : { error: parsed.reason };
  }
  const region = row.raw("region");
  if (region !== undefined && region !== null && region !== "" && region !== "null") {
    const found = isObject(region)
      ? regionFromInsee(jsonText(region["code"]))
      : (regionFromName(String(region)) ?? regionFromInsee(String(region)));
    return found
      ? { niveau: "regional", zone: found.insee }
      : { error: `unknown region ${jsonText(region)}` };
  }
  return { niveau: "national", zone: "" };
}

function donneeSourceOf(row: Row): { type: string; code: string } {
  const nested = row.raw("donneeSource");
  if (isObject(nested))
    return { type: jsonText(nested["type"]), code: jsonText(nested["code_certification"]) };
  return { type: row.get("donneeSourceType"), code: row.get("donneeSourceCode") };
}

async function* parseFile(file: SourceFile, ctx: ParseContext): AsyncGenerator<IndicatorRecord> {
  const skipped = new SkipCounter();
  const derived = new SkipCounter("stored apart (indicator_derived)");
  for await (const row of readTable(file, expositionSpec, ctx)) {
    const filiere = row.get("filiere") as Filiere;
    if (!FILIERES.includes(filiere)) {
      ctx.reject(file.relPath, row.line, "unknown filière", `"${row.get("filiere")}"`);
      continue;
    }
    const code = parseCode(row.get("code"), row.get("type"), filiere);
    if (!code.ok) {
      ctx.reject(file.relPath, row.line, "invalid code", code.reason);
      continue;
    }
    const millesime = parseMillesime(row.get("millesime"));
    if (!millesime) {
      ctx.reject(file.relPath, row.line, "no millésime", `"${row.get("millesime")}"`);
      continue;
    }
    const place = placeOf(row);
    if ("error" in place) {
      ctx.reject(file.relPath, row.line, "cannot place the row", place.error);
      continue;
    }
    const source = donneeSourceOf(row);
    const type = source.type === "" || source.type === "null" ? "self" : source.type;
    if (type !== "self" && type !== "ancienne" && type !== "nouvelle") {
      ctx.reject(file.relPath, row.line, "unknown donnee_source type", `"${type}"`);
      continue;
    }
    const read = readMeasures(row.raw);
    if ("column" in read) {
      ctx.reject(file.relPath, row.line, "not a number", `${read.column}: ${read.reason}`);
      continue;
    }
    if (isEmptyMeasures(read.measures)) {
      skipped.add("no figure (every value null)");
      continue;
    }
    const meta = row.raw("meta");
    const imported = isObject(meta) ? jsonText(meta["date_import"]).slice(0, 10) : "";
    const vintage = ctx.report.files.at(-1)?.vintage ?? "Exposition";
    const record: IndicatorRecord = {
      kind: "indicator",
      ...place,
      code: code.value,
      filiere,
      millesime,
      measures: read.measures,
      sourceVintage: imported ? `${vintage}, imported ${imported}` : vintage,
    };
    if (type !== "self") {
      const from = parseCode(source.code, row.get("type"), filiere);
      record.derivedFrom = { type, code: from.ok ? from.value : cleanCell(source.code) };
      derived.add(`donnee_source ${type} (the figures of another code, copied along the continuum)`);
    }
    ctx.kept();
    yield record;
  }
  skipped.report(file.relPath, (m) => ctx.warn(m));
  derived.report(file.relPath, (m) => ctx.warn(m));
}

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<IndicatorRecord> {
  for (const file of files) yield* parseFile(file, ctx);
}

export const expositionApi: Source = {
  id: "exposition-api",
  title: "API Exposition InserJeunes",
  licence: "Licence Ouverte 2.0",
  homepage: "https://exposition.inserjeunes.beta.gouv.fr/api/doc/",
  access: {
    kind: "api",
    description: "GET /api/inserjeunes/certifications, /regionales and /formations, every page",
    baseUrl: "https://exposition.inserjeunes.beta.gouv.fr/api/inserjeunes",
  },
  credentials: ["EXPOSITION_API_KEY"],
  parse,
};
