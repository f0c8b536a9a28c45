import { describe, expect, it } from "vitest";
import { InserJeunesError } from "../../src/errors.js";
import type { SourceId } from "../../src/sources/types.js";
import { fixture } from "../helpers/paths.js";
import { parseWith } from "../helpers/sources.js";

/**
 * The three edge cases every nomenclature source has a fixture for, under fixtures/<id>/cases/ (the
 * convention of every source): an empty file (0 bytes) indexes nothing and says so in a warning, a
 * header without rows indexes nothing (its file line in the report says 0 read), a missing key column is
 * an input error (exit 2) naming the file, the columns expected and the columns found.
 */
const SOURCES: Array<{ id: SourceId; ext: string; missing: string }> = [
  { id: "bcn-n-mef", ext: "csv", missing: '"MEF_STAT_11", "ANNEE_DISPOSITIF"' },
  { id: "bcn-n-formation-diplome", ext: "csv", missing: '"NIVEAU_FORMATION_DIPLOME", "LIBELLE_LONG_200"' },
  { id: "bcn-v-formation-diplome", ext: "csv", missing: '"FORMATION_DIPLOME"' },
  { id: "bcn-n-niveau-formation-diplome", ext: "csv", missing: '"LIBELLE_COURT"' },
  { id: "bcn-n-diplome-sise", ext: "csv", missing: '"TYPE_DIPLOME_SISE"' },
  { id: "bcn-n-groupe-formation", ext: "csv", missing: '"GROUPE_FORMATION"' },
  { id: "bcn-n-lien-formation-groupe", ext: "csv", missing: '"FORMATION_DIPLOME"' },
  { id: "onisep-formations-initiales", ext: "csv", missing: '"URL et ID Onisep"' },
  { id: "onisep-actions-lycee", ext: "csv", missing: '"ENS code UAI"' },
  { id: "onisep-actions-sup", ext: "json", missing: '"AF durée cycle standard"' },
  { id: "onisep-table-passage", ext: "csv", missing: '"CI Code Scolarité"' },
  { id: "certifinfo", ext: "csv", missing: '"Code_Scolarité"' },
  { id: "kit-apprentissage", ext: "csv", missing: '"Code_RNCP"' },
];

const caseFile = (id: SourceId, name: string) => ({ path: fixture(id, "cases", name) });

async function inputError(promise: Promise<unknown>): Promise<InserJeunesError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InserJeunesError);
  expect((error as InserJeunesError).exitCode).toBe(2);
  return error as InserJeunesError;
}

describe.each(SOURCES)("$id edge cases", ({ id, ext, missing }) => {
  it("empty file → no record, one warning naming the file", async () => {
    const { records, report } = await parseWith(id, [caseFile(id, `empty.${ext}`)]);
    expect(records).toEqual([]);
    expect(report.warnings).toEqual([`empty.${ext}: empty file, nothing read`]);
    expect(report.files).toEqual([{ file: `empty.${ext}`, rowsRead: 0, rowsKept: 0, rowsRejected: 0 }]);
  });

  it("header only → no record, nothing rejected, no warning", async () => {
    const { records, report } = await parseWith(id, [caseFile(id, `header-only.${ext}`)]);
    expect(records).toEqual([]);
    expect(report).toMatchObject({ rowsRead: 0, rowsKept: 0, rowsRejected: 0, warnings: [] });
    expect(report.files).toHaveLength(1);
  });

  it("missing key column → exit 2 with the columns expected and found", async () => {
    const error = await inputError(parseWith(id, [caseFile(id, `missing-key-column.${ext}`)]));
    expect(error.message).toContain(`missing-key-column.${ext}: `);
    expect(error.message).toContain(`is missing required column(s) ${missing}.`);
    expect(error.message).toMatch(/\n {2}expected \(any vintage\): .+\n {2}found: .+/);
  });
});
