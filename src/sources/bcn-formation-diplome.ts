import { parseCfd } from "../match/identifiers.js";
import type { FormationRecord } from "./records.js";
import { parseDate, readTable, type TableSpec } from "./table.js";
import type { ParseContext, SourceFile } from "./types.js";

/**
 * N_FORMATION_DIPLOME and V_FORMATION_DIPLOME share their columns, except the continuum
 * (ANCIEN_DIPLOME_n / NOUVEAU_DIPLOME_n), which only N_ has.
 */
const continuumColumns = Object.fromEntries(
  [1, 2, 3, 4, 5, 6, 7].flatMap((i) => [
    [`ancien${i}`, { names: [`ANCIEN_DIPLOME_${i}`] }],
    [`nouveau${i}`, { names: [`NOUVEAU_DIPLOME_${i}`] }],
  ]),
) as Record<
  `ancien${1 | 2 | 3 | 4 | 5 | 6 | 7}` | `nouveau${1 | 2 | 3 | 4 | 5 | 6 | 7}`,
  { names: string[] }
>;

const KNOWN = [
  "GROUPE_SPECIALITE",
  "LETTRE_SPECIALITE",
  "ANCIEN_RECME",
  "UNITE_CAPITALISABLE",
  "DATE_ARRETE_CREATION",
  "DATE_ARRETE_ABROGATION",
  ...Array.from({ length: 10 }, (_, i) => `DATE_ARRETE_MODIFICATION_${i + 1}`),
  "COMMENTAIRE",
  "NATURE_FORMATION_DIPLOME",
  "GESTIONNAIRE_FORMATION_DIPLOME",
  "DATE_INTERVENTION",
  "NUMERO_COMPTE",
  "GESTION_DIFFUSION",
  "NB_MEF_OUVERT",
  "NB_MEF_FERME",
  "ID_DOCUMENT",
  "CITE_DOMAINE_FORMATION",
  "DATE_SESSION_RATTRAPAGE",
  "OBSERVATION",
  "ID",
  "CREATED_AT",
  "UPDATED_AT",
  "N_COMMENTAIRE",
  "CITE_DOMAINE_DETAILLE",
  "STATUT_ID",
  "DATE_STATUT",
];

export function formationDiplomeSpec(table: "N" | "V") {
  return {
    table: `BCN ${table}_FORMATION_DIPLOME`,
    columns: {
      cfd: { names: ["FORMATION_DIPLOME"], required: true },
      niveau: { names: ["NIVEAU_FORMATION_DIPLOME"], required: true },
      libelleCourt: { names: ["LIBELLE_COURT"] },
      libelleStat: { names: ["LIBELLE_STAT_33"] },
      libelleLong: { names: ["LIBELLE_LONG_200"], required: true },
      ouverture: { names: ["DATE_OUVERTURE"] },
      fermeture: { names: ["DATE_FERMETURE"] },
      premiereSession: { names: ["DATE_PREMIERE_SESSION"] },
      derniereSession: { names: ["DATE_DERNIERE_SESSION"] },
      niveauRncp: { names: ["NIVEAU_QUALIFICATION_RNCP"] },
      ...continuumColumns,
    },
    known: KNOWN,
    quote: "none" as const,
    vintages: [
      { name: "BCN API JSON", test: (h) => h.has("statut_id") },
      { name: "BCN export 2020", test: (h) => h.has("numero_compte") },
      { name: "BCN export 2024+", test: (h) => h.has("niveau_qualification_rncp") },
    ],
  } satisfies TableSpec<string>;
}

export async function* parseFormationDiplome(
  table: "N" | "V",
  files: readonly SourceFile[],
  ctx: ParseContext,
): AsyncGenerator<FormationRecord> {
  const spec = formationDiplomeSpec(table);
  for (const file of files) {
    for await (const row of readTable(file, spec, ctx)) {
      const cfd = parseCfd(row.get("cfd"));
      if (!cfd.ok) {
        ctx.reject(file.relPath, row.line, "invalid code", cfd.reason);
        continue;
      }
      const links = (prefix: "ancien" | "nouveau") =>
        [1, 2, 3, 4, 5, 6, 7]
          .map((i) => parseCfd(row.get(`${prefix}${i}` as `ancien1`)))
          .flatMap((p) => (p.ok && p.value !== cfd.value ? [p.value] : []));
      ctx.kept();
      yield {
        kind: "formation",
        table,
        cfd: cfd.value,
        niveau: row.get("niveau") || cfd.value.slice(0, 3),
        libelleCourt: row.get("libelleCourt"),
        libelle: row.get("libelleLong") || `${row.get("libelleCourt")} ${row.get("libelleStat")}`.trim(),
        dateOuverture: parseDate(row.get("ouverture")),
        dateFermeture: parseDate(row.get("fermeture")),
        datePremiereSession: parseDate(row.get("premiereSession")),
        dateDerniereSession: parseDate(row.get("derniereSession")),
        niveauQualificationRncp: row.get("niveauRncp") || null,
        anciens: links("ancien"),
        nouveaux: links("nouveau"),
      };
    }
  }
}
