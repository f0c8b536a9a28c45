import { parseCfd } from "../match/identifiers.js";
import { BCN_BOOKKEEPING, bcnVintages } from "./bcn.js";
import type { FormationRecord } from "./records.js";
import { FileWarnings, invalidCodes, readTable, type TableSpec } from "./table.js";
import type { ParseContext, SourceFile } from "./types.js";

/**
 * N_FORMATION_DIPLOME and V_FORMATION_DIPLOME share their columns, except the continuum
 * (ANCIEN_DIPLOME_n / NOUVEAU_DIPLOME_n), which only N_ has.
 */
const LINK_NUMBERS = [1, 2, 3, 4, 5, 6, 7] as const;
type LinkColumn = `ancien${(typeof LINK_NUMBERS)[number]}` | `nouveau${(typeof LINK_NUMBERS)[number]}`;
const continuumColumns = Object.fromEntries(
  LINK_NUMBERS.flatMap((i) => [
    [`ancien${i}`, { names: [`ANCIEN_DIPLOME_${i}`] }],
    [`nouveau${i}`, { names: [`NOUVEAU_DIPLOME_${i}`] }],
  ]),
) as Record<LinkColumn, { names: string[] }>;

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
  "NB_MEF_OUVERT",
  "NB_MEF_FERME",
  "ID_DOCUMENT",
  "CITE_DOMAINE_FORMATION",
  "DATE_SESSION_RATTRAPAGE",
  "OBSERVATION",
  "CITE_DOMAINE_DETAILLE",
  ...BCN_BOOKKEEPING,
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
    vintages:
      table === "N"
        ? bcnVintages(
            "BCN export 2020 (56 columns)",
            { name: "BCN export 2024+ (52 columns)", has: "niveau_qualification_rncp" },
            { name: "BCN export 2021–2023" },
          )
        : bcnVintages(
            "BCN export 2020 (35 columns)",
            { name: "BCN export 2024+ (32 columns)", has: "niveau_qualification_rncp" },
            { name: "BCN export 2021–2023" },
          ),
  } satisfies TableSpec<string>;
}

export async function* parseFormationDiplome(
  table: "N" | "V",
  files: readonly SourceFile[],
  ctx: ParseContext,
): AsyncGenerator<FormationRecord> {
  const spec = formationDiplomeSpec(table);
  for (const file of files) {
    const warnings = new FileWarnings(file.relPath);
    for await (const row of readTable(file, spec, ctx)) {
      const cfd = parseCfd(row.get("cfd"));
      if (!cfd.ok) {
        ctx.reject(file.relPath, row.line, "invalid code", invalidCodes({ FORMATION_DIPLOME: cfd }));
        continue;
      }
      const links = (prefix: "ancien" | "nouveau") => {
        const out: string[] = [];
        const unreadable: string[] = [];
        for (const i of LINK_NUMBERS) {
          const raw = row.get(`${prefix}${i}`);
          if (raw === "") continue;
          const other = parseCfd(raw);
          if (!other.ok) unreadable.push(other.reason);
          else if (other.value !== cfd.value && !out.includes(other.value)) out.push(other.value);
        }
        if (unreadable.length > 0)
          warnings.add(
            `with an unreadable ${prefix.toUpperCase()}_DIPLOME_n, link ignored`,
            row.line,
            unreadable.join("; "),
          );
        return out;
      };
      ctx.kept();
      yield {
        kind: "formation",
        table,
        cfd: cfd.value,
        niveau: row.get("niveau") || cfd.value.slice(0, 3),
        libelleCourt: row.get("libelleCourt"),
        libelle: row.get("libelleLong") || `${row.get("libelleCourt")} ${row.get("libelleStat")}`.trim(),
        dateOuverture: warnings.date(row.get("ouverture"), "DATE_OUVERTURE", row.line),
        dateFermeture: warnings.date(row.get("fermeture"), "DATE_FERMETURE", row.line),
        datePremiereSession: warnings.date(row.get("premiereSession"), "DATE_PREMIERE_SESSION", row.line),
        dateDerniereSession: warnings.date(row.get("derniereSession"), "DATE_DERNIERE_SESSION", row.line),
        niveauQualificationRncp: row.get("niveauRncp") || null,
        anciens: links("ancien"),
        nouveaux: links("nouveau"),
      };
    }
    warnings.flush(ctx);
  }
}
