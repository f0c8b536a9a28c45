import { parseSise } from "../match/identifiers.js";
import { BCN_BOOKKEEPING, bcnExport, bcnPage, bcnVintages } from "./bcn.js";
import type { SiseRecord, SiseTypeRecord } from "./records.js";
import {
  FileWarnings,
  invalidCodes,
  normalizeHeader,
  readHeader,
  readTable,
  type TableSpec,
} from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * BCN N_DIPLOME_SISE: higher-education diplomas, the key of InserSup (`diplome`). The same source folder
 * may also hold N_TYPE_DIPLOME_SISE (recognised by its header: TYPE_DIPLOME_SISE without DIPLOME_SISE),
 * which gives the type and level of each SISE diploma. Vintages: 2021 `;` export (25 columns), 2024 pipe
 * export (20 columns), BCN API JSON.
 */
export const diplomeSiseSpec = {
  table: "BCN N_DIPLOME_SISE",
  columns: {
    sise: { names: ["DIPLOME_SISE"], required: true },
    type: { names: ["TYPE_DIPLOME_SISE"], required: true },
    libelle: { names: ["LIBELLE_INTITULE_1"], required: true },
    libelle2: { names: ["LIBELLE_INTITULE_2"] },
    ouverture: { names: ["DATE_OUVERTURE"] },
    fermeture: { names: ["DATE_FERMETURE"] },
  },
  known: [
    "VOIE_LMD",
    "DOMAINE_FORMATION",
    "GROUPE_SPECIALITE",
    "LETTRE_SPECIALITE",
    "SECTEUR_DISCIPLINAIRE_SISE",
    "CITE_DOMAINE_FORMATION",
    "DUREE",
    "NATURE_DIPLOME_SISE",
    "DEFINITIF",
    "CATEGORIE_FORMATION_SISE",
    "CITE_DOMAINE_DETAILLE",
    "SECTEUR_DISCIPL_DETAIL_SISE",
    ...BCN_BOOKKEEPING,
  ],
  quote: "none",
  vintages: bcnVintages("BCN export 2021 (25 columns)", { name: "BCN export 2024+ (20 columns)" }),
} satisfies TableSpec<string>;

export const typeDiplomeSiseSpec = {
  table: "BCN N_TYPE_DIPLOME_SISE",
  columns: {
    type: { names: ["TYPE_DIPLOME_SISE"], required: true },
    libelleCourt: { names: ["LIBELLE_COURT"], required: true },
    libelle: { names: ["LIBELLE_LONG"] },
    interministeriel: { names: ["NIVEAU_INTERMINISTERIEL"] },
    cycle: { names: ["CYCLE_SISE"] },
    duree: { names: ["DUREE"] },
  },
  known: [
    "CURSUS",
    "NIVEAU_FORMATION",
    "NATURE_DIPLOME_SISE",
    "ECTS",
    "SEMESTRES",
    "DATE_OUVERTURE",
    "DATE_FERMETURE",
    "PEPSISE",
    "CATEGORIE_FORMATION_SISE",
    ...BCN_BOOKKEEPING,
  ],
  quote: "none",
  vintages: bcnVintages("BCN export 2020", { name: "BCN export 2021+ (17 columns)" }),
} satisfies TableSpec<string>;

/** A file of this source holds N_TYPE_DIPLOME_SISE when its header has TYPE_DIPLOME_SISE but no DIPLOME_SISE. */
async function isTypeTable(file: SourceFile): Promise<boolean> {
  const headers = new Set((await readHeader(file)).map(normalizeHeader));
  return headers.has("type_diplome_sise") && !headers.has("diplome_sise");
}

async function* parse(
  files: readonly SourceFile[],
  ctx: ParseContext,
): AsyncGenerator<SiseRecord | SiseTypeRecord> {
  for (const file of files) {
    if (await isTypeTable(file)) yield* parseTypes(file, ctx);
    else yield* parseDiplomes(file, ctx);
  }
}

async function* parseDiplomes(file: SourceFile, ctx: ParseContext): AsyncGenerator<SiseRecord> {
  const warnings = new FileWarnings(file.relPath);
  for await (const row of readTable(file, diplomeSiseSpec, ctx)) {
    const sise = parseSise(row.get("sise"));
    if (!sise.ok) {
      ctx.reject(file.relPath, row.line, "invalid code", invalidCodes({ DIPLOME_SISE: sise }));
      continue;
    }
    ctx.kept();
    yield {
      kind: "sise",
      sise: sise.value,
      typeDiplome: row.get("type").toUpperCase(),
      libelle: [row.get("libelle"), row.get("libelle2")].filter((l) => l !== "").join(" - "),
      dateOuverture: warnings.date(row.get("ouverture"), "DATE_OUVERTURE", row.line),
      dateFermeture: warnings.date(row.get("fermeture"), "DATE_FERMETURE", row.line),
    };
  }
  warnings.flush(ctx);
}

async function* parseTypes(file: SourceFile, ctx: ParseContext): AsyncGenerator<SiseTypeRecord> {
  const warnings = new FileWarnings(file.relPath);
  for await (const row of readTable(file, typeDiplomeSiseSpec, ctx)) {
    const type = row.get("type").toUpperCase();
    if (!/^[0-9A-Z]{2}$/.test(type)) {
      const detail = type === "" ? "TYPE_DIPLOME_SISE is empty" : `"${type}" is not 2 characters`;
      ctx.reject(file.relPath, row.line, "invalid code", detail);
      continue;
    }
    ctx.kept();
    yield {
      kind: "sise-type",
      typeDiplome: type,
      libelleCourt: row.get("libelleCourt"),
      libelle: row.get("libelle"),
      niveauInterministeriel: row.get("interministeriel") || null,
      cycle: row.get("cycle") || null,
      duree: warnings.int(row.get("duree"), "DUREE", row.line),
    };
  }
  warnings.flush(ctx);
}

export const bcnNDiplomeSise: Source = {
  id: "bcn-n-diplome-sise",
  title: "BCN N_DIPLOME_SISE (diplômes du supérieur) and N_TYPE_DIPLOME_SISE",
  licence: "Licence Ouverte 2.0",
  homepage: bcnPage("N_DIPLOME_SISE"),
  access: bcnExport("N_DIPLOME_SISE", "N_TYPE_DIPLOME_SISE"),
  parse,
};
