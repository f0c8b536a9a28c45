import { join, resolve } from "node:path";
import type Database from "better-sqlite3";
import type { DataDir } from "../data-dir.js";
import type { Effects } from "../effects.js";
import { usageError } from "../errors.js";
import { openIndex } from "../index-db/reader.js";
import { computeFigures, type FigureName, isUnderThreshold, withhold } from "../indicators/rates.js";
import { writeFileAtomic } from "../io/atomic.js";
import { formatCsvRow, makeFieldQuoter } from "../io/csv.js";

/**
 * Flat datasets for publication. `certifications`: national figures per certification, filière and
 * millésime, with the columns (and the `null` convention) of the Exposition InserJeunes CSV:
 * `null` = withheld (nb_annee_term < 20), empty = cannot be computed.
 */
export const DATASETS = ["certifications"] as const;
export type Dataset = (typeof DATASETS)[number];

const STAT_COLUMNS: readonly FigureName[] = [
  "nb_annee_term",
  "nb_en_emploi_12_mois",
  "nb_en_emploi_18_mois",
  "nb_en_emploi_24_mois",
  "nb_en_emploi_6_mois",
  "nb_poursuite_etudes",
  "nb_sortant",
  "salaire_12_mois_q1",
  "salaire_12_mois_q2",
  "salaire_12_mois_q3",
  "taux_autres_12_mois",
  "taux_autres_18_mois",
  "taux_autres_24_mois",
  "taux_autres_6_mois",
  "taux_en_emploi_12_mois",
  "taux_en_emploi_18_mois",
  "taux_en_emploi_24_mois",
  "taux_en_emploi_6_mois",
  "taux_en_formation",
  "taux_rupture_contrats",
];

export const CERTIFICATIONS_COLUMNS = [
  "code_certification",
  "code_formation_diplome",
  "filiere",
  "millesime",
  "donnee_source_type",
  "donnee_source_code_certification",
  ...STAT_COLUMNS,
] as const;

export interface ExportOptions {
  dataDir: DataDir;
  datasets: readonly Dataset[];
  /** Output directory. */
  out: string;
}

export interface ExportResult {
  out: string;
  files: { dataset: Dataset; path: string; rows: number }[];
}

export async function runExport(options: ExportOptions, _effects: Effects): Promise<ExportResult> {
  for (const d of options.datasets)
    if (!DATASETS.includes(d))
      throw usageError(`unknown dataset "${d}"`, { hint: `datasets: ${DATASETS.join(", ")}` });
  const index = openIndex(options.dataDir);
  const out = resolve(options.out);
  const files: ExportResult["files"] = [];
  try {
    for (const dataset of options.datasets) {
      const { text, rows } = certificationsCsv(index.db);
      const path = join(out, `${dataset}.csv`);
      await writeFileAtomic(path, text);
      files.push({ dataset, path, rows });
    }
  } finally {
    index.close();
  }
  return { out, files };
}

interface NationalRow {
  code: string;
  filiere: string;
  millesime: string;
  cfd: string | null;
  [measure: string]: unknown;
}

function certificationsCsv(db: Database.Database): { text: string; rows: number } {
  const quote = makeFieldQuoter(";");
  const rows = db
    .prepare(
      `SELECT i.*, CASE WHEN length(i.code) = 8 THEN i.code
                        ELSE (SELECT m.cfd FROM mef m WHERE m.mefstat11 = i.code ORDER BY m.mef10 LIMIT 1) END AS cfd
       FROM indicator i WHERE i.niveau = 'national'
       ORDER BY i.code, i.filiere, i.millesime`,
    )
    .all() as NationalRow[];
  let text = `${formatCsvRow(CERTIFICATIONS_COLUMNS, quote, ";")}\n`;
  for (const row of rows) {
    const measures = Object.fromEntries(
      Object.entries(row).filter(([, v]) => typeof v === "number"),
    ) as Parameters<typeof computeFigures>[0];
    const figures = computeFigures(measures, row.filiere === "superieur" ? "insersup" : "inserjeunes");
    const withheld = isUnderThreshold(measures);
    const shown = withheld ? withhold(figures) : figures;
    const stats = STAT_COLUMNS.map((name) => {
      const v = shown[name];
      if (v !== null) return String(v);
      return withheld && name !== "nb_annee_term" && !name.startsWith("salaire") ? "null" : "";
    });
    const cells = [row.code, row.cfd ?? "", row.filiere, row.millesime, "self", row.code, ...stats];
    text += `${formatCsvRow(cells, quote, ";")}\n`;
  }
  return { text, rows: rows.length };
}
