import { cleanCell, parseUai } from "../match/identifiers.js";
import type { EtablissementRecord } from "./records.js";
import { regionFromDepartement, regionFromInsee } from "./regions.js";
import { readTable, type TableRow, type TableSpec } from "./table.js";
import type { ParseContext, SourceFile } from "./types.js";

/**
 * What the annuaire and ACCE say about a school, normalised the same way: département as INSEE writes
 * it (`094` → `94`, `02A` → `2A`, `971`), académie on 2 digits (`10.0` from re-saved files → `10`),
 * région = the INSEE code of one of the 18 regions (given, else from the département; COM → null).
 */
export interface SchoolFields {
  uai: string;
  nom: string;
  commune: string;
  communeLibelle: string;
  departement: string;
  academie: string;
  region: string;
  nature: string;
}

export function normalizeDepartement(raw: string): string | null {
  const v = cleanCell(raw).toUpperCase();
  if (v === "") return null;
  return v.length === 3 && v.startsWith("0") ? v.slice(1) : v;
}

export function normalizeAcademie(raw: string): string | null {
  const v = cleanCell(raw).replace(/\.0+$/, "");
  if (v === "") return null;
  return /^\d$/.test(v) ? `0${v}` : v;
}

/** A school record, or undefined when the UAI is unusable (the row is rejected with the reason). */
export function schoolRecord(
  fields: SchoolFields,
  file: string,
  line: number,
  ctx: ParseContext,
): EtablissementRecord | undefined {
  const uai = parseUai(fields.uai);
  if (!uai.ok) {
    ctx.reject(file, line, "invalid UAI", uai.reason);
    return undefined;
  }
  const departement = normalizeDepartement(fields.departement);
  const region =
    regionFromInsee(cleanCell(fields.region))?.insee ??
    (departement ? regionFromDepartement(departement)?.insee : undefined) ??
    null;
  const text = (v: string) => cleanCell(v) || null;
  return {
    kind: "etablissement",
    uai: uai.value,
    nom: cleanCell(fields.nom),
    commune: text(fields.commune),
    communeLibelle: text(fields.communeLibelle),
    departement,
    academie: normalizeAcademie(fields.academie),
    region,
    nature: text(fields.nature),
  };
}

/** Every file of a school directory, read with `spec`, one record per usable row. */
export async function* parseSchools<C extends string>(
  files: readonly SourceFile[],
  ctx: ParseContext,
  spec: TableSpec<C>,
  fieldsOf: (row: TableRow<C>) => SchoolFields,
): AsyncGenerator<EtablissementRecord> {
  for (const file of files) {
    for await (const row of readTable(file, spec, ctx)) {
      const record = schoolRecord(fieldsOf(row), file.relPath, row.line, ctx);
      if (!record) continue;
      ctx.kept();
      yield record;
    }
  }
}
