import { COUNT_NAMES, type MeasureName, type Measures } from "../indicators/rates.js";
import { parseCfd, parseMefstat11, parseUai } from "../match/identifiers.js";
import type { Filiere, IndicatorRecord, Niveau } from "./records.js";
import { regionFromAcademique, regionFromInsee } from "./regions.js";
import { isObject, readJsonFile, readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * DEPP InserJeunes API (research/source-formats.md §5.1). One stored file per request; the path says
 * what the body does not: `france/<YYYY>/<filiere>.json`, `region/<code académique>/<YYYY-1_YYYY>.json`,
 * `uai/<UAI>/<YYYY-1_YYYY>.json`. Bodies may be "JSON in a JSON string". Rows are one measure × one
 * dimension; they are grouped per (code, filière). `ensemble` rows (establishment totals) are skipped.
 */

/** DEPP id_mesure → our measure; null = known and deliberately not used. */
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
  // DEPP rates among sortants, and model outputs: the field recomputes shares of nb_annee_term instead.
  taux_emploi_6_mois: null,
  taux_emploi_12_mois: null,
  taux_emploi_18_mois: null,
  taux_emploi_24_mois: null,
  taux_poursuite_etudes: null,
  taux_emploi_6_mois_attendu: null,
  valeur_ajoutee_6_mois: null,
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

function toNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v.trim().replace(",", "."));
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function* parseApiBody(doc: unknown, context: RequestContext, file: SourceFile, ctx: ParseContext) {
  const data = isObject(doc) ? doc["data"] : undefined;
  if (!Array.isArray(data)) {
    ctx.reject(file.relPath, 1, "no data array", 'the body has no "data" list');
    return;
  }
  const groups = new Map<string, IndicatorRecord>();
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
    if ("ensemble" in dimension) continue; // establishment totals: not a formation
    const mesure = String(row["id_mesure"] ?? "");
    if (!(mesure in MEASURES)) {
      ctx.warn(`${file.relPath}: unknown id_mesure "${mesure}" ignored`);
      continue;
    }
    const target = MEASURES[mesure];
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
    const rowFiliere = typeof row["filiere"] === "string" ? FILIERES[row["filiere"]] : undefined;
    const filiere: Filiere =
      context.filiere ?? rowFiliere ?? (apprentissage !== undefined ? "apprentissage" : "pro");
    if (target === null || target === undefined) continue;
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
      };
      groups.set(key, record);
    }
    record.measures[target] = toNumber(row["valeur_mesure"]);
  }
  for (const record of groups.values()) {
    ctx.kept();
    yield record;
  }
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
  },
  known: [
    "id",
    "code_region_ij",
    "taux_emploi_6_mois",
    "taux_emploi_12_mois",
    "taux_emploi_18_mois",
    "taux_emploi_24_mois",
    "taux_poursuite_etudes",
  ],
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
    const measures: Measures = {};
    for (const name of COUNT_NAMES) measures[name] = toNumber(row.get(name));
    ctx.kept();
    yield {
      kind: "indicator",
      niveau: "regional",
      zone: region.insee,
      code: parsed.value,
      filiere: voie === "apprentissage" ? "apprentissage" : "pro",
      millesime,
      measures,
    };
  }
}

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<IndicatorRecord> {
  for (const file of files) {
    if (/\.csv$/i.test(file.relPath)) {
      yield* parseFlattened(file, ctx);
      continue;
    }
    const context = requestContext(file.relPath);
    ctx.beginFile(file.relPath, { encoding: "json" });
    if ("error" in context) {
      ctx.reject(file.relPath, 0, "unplaced API body", context.error);
      continue;
    }
    yield* parseApiBody(await readJsonFile(file.path, file.relPath), context, file, ctx);
  }
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
