import { COUNT_NAMES, type MeasureName } from "../indicators/rates.js";
import { parseCfd, parseMefstat11, parseUai } from "../match/identifiers.js";
import { isEmptyMeasures, measureReader, parseMeasure, SkipCounter } from "./measures.js";
import type { EtablissementIndicatorRecord, Filiere, IndicatorRecord, Niveau } from "./records.js";
import { regionFromAcademique, regionFromInsee } from "./regions.js";
import { isObject, readJsonFile, readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * DEPP InserJeunes API (research/source-formats.md §5.1). One stored file per request; the path says
 * what the body does not: `france/<YYYY>/<filiere>.json`, `region/<code académique>/<YYYY-1_YYYY>.json`,
 * `uai/<UAI>/<YYYY-1_YYYY>.json`. Bodies may be "JSON in a JSON string". Rows are one measure × one
 * dimension; they are grouped per (code, filière). `ensemble` rows (establishment totals) are skipped.
 */

/**
 * DEPP id_mesure → our measure; null = known and deliberately not stored. The DEPP's taux_emploi_X_mois
 * are among sortants: they go to taux_emploi_sortants_X_mois, never to the field's taux_en_emploi_X_mois
 * (a share of nb_annee_term, which comes from the DEVENIR parts or from counts).
 */
const MEASURES: Record<string, MeasureName | null> = {
  nb_annee_term: "nb_annee_term",
  nb_sortant: "nb_sortant",
  nb_poursuite_etudes: "nb_poursuite_etudes",
  nb_en_emploi_6_mois: "nb_en_emploi_6_mois",
  nb_en_emploi_12_mois: "nb_en_emploi_12_mois",
  nb_en_emploi_18_mois: "nb_en_emploi_18_mois",
  nb_en_emploi_24_mois: "nb_en_emploi_24_mois",
  taux_rupture_contrats: "taux_rupture_contrats",
  DEVENIR_part_en_emploi_6_mois: "taux_en_emploi_6_mois",
  DEVENIR_part_poursuite_etudes: "taux_en_formation",
  DEVENIR_part_autre_situation_6_mois: "taux_autres_6_mois",
  salaire_TS_Q1_12_mois: "salaire_12_mois_q1",
  salaire_TS_Q2_12_mois: "salaire_12_mois_q2",
  salaire_TS_Q3_12_mois: "salaire_12_mois_q3",
  taux_emploi_6_mois: "taux_emploi_sortants_6_mois",
  taux_emploi_12_mois: "taux_emploi_sortants_12_mois",
  taux_emploi_18_mois: "taux_emploi_sortants_18_mois",
  taux_emploi_24_mois: "taux_emploi_sortants_24_mois",
  taux_poursuite_etudes: "taux_poursuite_etudes",
  taux_emploi_6_mois_attendu: "taux_emploi_sortants_6_mois_attendu",
  valeur_ajoutee_6_mois: "valeur_ajoutee_emploi_6_mois",
  // Precision of the salary quartiles: not a figure of its own.
  salaire_TS_Q1_12_mois_prec: null,
  salaire_TS_Q2_12_mois_prec: null,
  salaire_TS_Q3_12_mois_prec: null,
};

const FILIERES: Record<string, Filiere> = {
  voie_pro_sco_educ_nat: "pro",
  voie_pro_sco_agri: "agricole",
  apprentissage: "apprentissage",
};

interface RequestContext {
  niveau: Niveau;
  zone: string;
  millesime: string;
  filiere?: Filiere;
}

/** Read the request context from the stored path; undefined when the path does not say it. */
export function requestContext(relPath: string): RequestContext | { error: string } {
  const parts = relPath.split("/");
  const [scope, key, leaf] = parts.slice(-3);
  const name = leaf?.replace(/\.json$/i, "");
  if (parts.length >= 3 && scope === "france" && key && /^\d{4}$/.test(key) && name) {
    const filiere = FILIERES[name];
    if (!filiere)
      return { error: `unknown filière "${name}" (expected ${Object.keys(FILIERES).join(", ")})` };
    return { niveau: "national", zone: "", millesime: key, filiere };
  }
  if (parts.length >= 3 && scope === "region" && key && name && /^\d{4}_\d{4}$/.test(name)) {
    const region = regionFromAcademique(key);
    if (!region) return { error: `unknown région académique "${key}" (01 … 18)` };
    return { niveau: "regional", zone: region.insee, millesime: name };
  }
  if (parts.length >= 3 && scope?.toLowerCase() === "uai" && key && name && /^\d{4}_\d{4}$/.test(name)) {
    const uai = parseUai(key);
    if (!uai.ok) return { error: uai.reason };
    return { niveau: "etablissement", zone: uai.value, millesime: name };
  }
  return {
    error:
      "the path does not say which request this body answers; store API bodies as france/<YYYY>/<filiere>.json, region/<code académique>/<YYYY-1_YYYY>.json or uai/<UAI>/<YYYY-1_YYYY>.json",
  };
}

const ROUTE: Record<Niveau, string> = { national: "/france", regional: "/region", etablissement: "/UAI" };

/** What a body says when the API refused the request (HTTP 400 on /UAI: "UAI incorrect ou agricole"). */
function refusal(doc: unknown): string | undefined {
  return isObject(doc) && !("data" in doc) && typeof doc["msg"] === "string" ? doc["msg"] : undefined;
}

type ApiRecord = IndicatorRecord | EtablissementIndicatorRecord;

function* parseApiBody(
  doc: unknown,
  context: RequestContext,
  file: SourceFile,
  ctx: ParseContext,
): Generator<ApiRecord> {
  const data = isObject(doc) ? doc["data"] : undefined;
  if (!Array.isArray(data)) {
    ctx.reject(file.relPath, 1, "no data array", 'the body has no "data" list');
    return;
  }
  const sourceVintage = `DEPP API ${ROUTE[context.niveau]}`;
  const skipped = new SkipCounter();
  const emptyCodes = new SkipCounter("not indexed", "code(s)");
  const groups = new Map<string, IndicatorRecord>();
  const totals = new Map<string, EtablissementIndicatorRecord>();
  let n = 0;
  for (const row of data) {
    n++;
    ctx.read();
    if (!isObject(row)) {
      ctx.reject(file.relPath, n, "not an object");
      continue;
    }
    const dimension = Array.isArray(row["dimensions"]) ? row["dimensions"][0] : undefined;
    if (!isObject(dimension)) {
      ctx.reject(file.relPath, n, "no dimension");
      continue;
    }
    const mesure = String(row["id_mesure"] ?? "");
    if (!(mesure in MEASURES)) {
      skipped.add(`unknown id_mesure "${mesure}"`);
      continue;
    }
    const target = MEASURES[mesure] ?? null;
    const value = parseMeasure(row["valeur_mesure"]);
    if (!value.ok) {
      ctx.reject(file.relPath, n, "not a number", `valeur_mesure of ${mesure}: ${value.reason}`);
      continue;
    }
    const rowFiliere = row["filiere"];
    if (rowFiliere !== undefined && rowFiliere !== null && !(String(rowFiliere) in FILIERES)) {
      ctx.reject(
        file.relPath,
        n,
        "unknown filière",
        `"${String(rowFiliere)}" (expected ${Object.keys(FILIERES).join(", ")})`,
      );
      continue;
    }
    const filiereOfRow = rowFiliere ? FILIERES[String(rowFiliere)] : undefined;
    if ("ensemble" in dimension) {
      // Totals of the whole scope, without a formation code: kept per establishment only.
      if (context.niveau !== "etablissement") {
        skipped.add("ensemble rows (totals of the whole scope, no formation code)");
        continue;
      }
      if (target === null) continue;
      const filiere = context.filiere ?? filiereOfRow ?? "";
      let total = totals.get(filiere);
      if (!total) {
        total = {
          kind: "etablissement-indicator",
          uai: context.zone,
          filiere,
          perimetre: "ensemble",
          millesime: context.millesime,
          measures: {},
          sourceVintage,
        };
        totals.set(filiere, total);
      }
      total.measures[target] = value.value;
      continue;
    }
    const apprentissage = dimension["id_formation_apprentissage"];
    const mef = dimension["id_mefstat11"];
    const parsed =
      apprentissage !== undefined
        ? parseCfd(String(apprentissage))
        : mef !== undefined
          ? parseMefstat11(String(mef))
          : undefined;
    if (!parsed) {
      ctx.reject(file.relPath, n, "unknown dimension", Object.keys(dimension).join(","));
      continue;
    }
    if (!parsed.ok) {
      ctx.reject(file.relPath, n, "invalid code", parsed.reason);
      continue;
    }
    const filiere: Filiere =
      context.filiere ?? filiereOfRow ?? (apprentissage !== undefined ? "apprentissage" : "pro");
    if (target === null) continue;
    const key = `${parsed.value}|${filiere}`;
    let record: IndicatorRecord | undefined = groups.get(key);
    if (!record) {
      record = {
        kind: "indicator",
        niveau: context.niveau,
        zone: context.zone,
        code: parsed.value,
        filiere,
        millesime: context.millesime,
        measures: {},
        sourceVintage,
      };
      groups.set(key, record);
    }
    record.measures[target] = value.value;
  }
  for (const record of [...groups.values(), ...totals.values()]) {
    if (isEmptyMeasures(record.measures)) {
      emptyCodes.add("every valeur_mesure is null");
      continue;
    }
    ctx.kept();
    yield record;
  }
  skipped.report(file.relPath, (m) => ctx.warn(m));
  emptyCodes.report(file.relPath, (m) => ctx.warn(m));
}

/** Orion's flattening of the /region route (tjp-pilotage ij_region_data.csv): one row per code. */
const flattenedSpec = {
  table: "InserJeunes regional indicators (flattened CSV)",
  columns: {
    millesime: { names: ["millesime"], required: true },
    region: { names: ["code_region"], required: true },
    voie: { names: ["voie"], required: true },
    cfd: { names: ["cfd"] },
    mefstat11: { names: ["mefstat11"] },
    nb_annee_term: { names: ["nb_annee_term"] },
    nb_sortant: { names: ["nb_sortant"] },
    nb_poursuite_etudes: { names: ["nb_poursuite_etudes"] },
    nb_en_emploi_6_mois: { names: ["nb_en_emploi_6_mois"] },
    nb_en_emploi_12_mois: { names: ["nb_en_emploi_12_mois"] },
    nb_en_emploi_18_mois: { names: ["nb_en_emploi_18_mois"] },
    nb_en_emploi_24_mois: { names: ["nb_en_emploi_24_mois"] },
    taux_emploi_6_mois: { names: ["taux_emploi_6_mois"] },
    taux_emploi_12_mois: { names: ["taux_emploi_12_mois"] },
    taux_emploi_18_mois: { names: ["taux_emploi_18_mois"] },
    taux_emploi_24_mois: { names: ["taux_emploi_24_mois"] },
    taux_poursuite_etudes: { names: ["taux_poursuite_etudes"] },
  },
  known: ["id", "code_region_ij"],
  vintages: [
    { name: "Orion flattened /region responses (derived CSV)", test: (h) => h.has("code_region_ij") },
  ],
} satisfies TableSpec<string>;

async function* parseFlattened(file: SourceFile, ctx: ParseContext): AsyncGenerator<IndicatorRecord> {
  for await (const row of readTable(file, flattenedSpec, ctx)) {
    const voie = row.get("voie");
    const parsed = voie === "apprentissage" ? parseCfd(row.get("cfd")) : parseMefstat11(row.get("mefstat11"));
    const region = regionFromInsee(row.get("region"));
    const millesime = row.get("millesime");
    if (
      !parsed.ok ||
      !region ||
      !/^\d{4}_\d{4}$/.test(millesime) ||
      (voie !== "apprentissage" && voie !== "scolaire")
    ) {
      ctx.reject(
        file.relPath,
        row.line,
        "invalid row",
        parsed.ok ? `region "${row.get("region")}", voie "${voie}"` : parsed.reason,
      );
      continue;
    }
    const read = readFlattenedMeasures(row.raw);
    if ("column" in read) {
      ctx.reject(file.relPath, row.line, "not a number", `${read.column}: ${read.reason}`);
      continue;
    }
    const measures = read.measures;
    ctx.kept();
    yield {
      kind: "indicator",
      niveau: "regional",
      zone: region.insee,
      code: parsed.value,
      filiere: voie === "apprentissage" ? "apprentissage" : "pro",
      millesime,
      measures,
      sourceVintage: "Orion flattened /region",
    };
  }
}

/** Flattened column → measure: counts as they are; the DEPP's rates among sortants under their names. */
const readFlattenedMeasures = measureReader<keyof typeof flattenedSpec.columns>({
  ...Object.fromEntries(COUNT_NAMES.map((n) => [n, n])),
  taux_emploi_6_mois: "taux_emploi_sortants_6_mois",
  taux_emploi_12_mois: "taux_emploi_sortants_12_mois",
  taux_emploi_18_mois: "taux_emploi_sortants_18_mois",
  taux_emploi_24_mois: "taux_emploi_sortants_24_mois",
  taux_poursuite_etudes: "taux_poursuite_etudes",
});

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<ApiRecord> {
  const refused = new Map<string, string[]>();
  for (const file of files) {
    if (/\.csv$/i.test(file.relPath)) {
      yield* parseFlattened(file, ctx);
      continue;
    }
    const context = requestContext(file.relPath);
    ctx.beginFile(file.relPath, { encoding: "json", vintage: "DEPP API body" });
    if ("error" in context) {
      ctx.reject(file.relPath, 0, "unplaced API body", context.error);
      continue;
    }
    const doc = await readJsonFile(file.path, file.relPath);
    const msg = refusal(doc);
    if (msg !== undefined) {
      refused.set(msg, [...(refused.get(msg) ?? []), file.relPath]);
      continue;
    }
    yield* parseApiBody(doc, context, file, ctx);
  }
  // A refused request is an answer (no data for it), not a malformed row: one report line per message.
  for (const [msg, list] of refused)
    ctx.warn(
      `${list.length} stored bod${list.length > 1 ? "ies" : "y"} answered "${msg}" (no data for that request): ${list.slice(0, 5).join(", ")}${list.length > 5 ? ", …" : ""}`,
    );
}

export const inserjeunesApi: Source = {
  id: "inserjeunes-api",
  title: "DEPP InserJeunes API (national, régional, établissement)",
  licence: "Licence Ouverte 2.0 (données), accès authentifié",
  homepage: "https://www.inserjeunes.education.gouv.fr/api/docs/",
  access: {
    kind: "api",
    description: "POST /login with username/password headers, then /france, /region and /UAI routes",
    baseUrl: "https://www.inserjeunes.education.gouv.fr/api/v1.0",
  },
  credentials: ["INSERJEUNES_API_USERNAME", "INSERJEUNES_API_PASSWORD"],
  parse,
};
