import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("bcn-n-groupe-formation", () => {
  it("BCN API JSON: familles de métiers (TG01) and other groupes", async () => {
    const { records, report } = await parseWith("bcn-n-groupe-formation", [
      { path: fixture("bcn-n-groupe-formation", "N_GROUPE_FORMATION.json") },
    ]);
    expect(report.files[0]?.vintage).toBe("BCN API JSON");
    expect(report.warnings).toEqual([]);
    const groupes = ofKind(records, "groupe");
    expect(groupes.map((g) => [g.groupe, g.type])).toEqual([
      ["G0003", "TG01"],
      ["G0004", "TG01"],
      ["G0013", "TG01"],
      ["G0021", "TG03"],
    ]);
    expect(groupes[1]).toEqual({
      kind: "groupe",
      groupe: "G0004",
      type: "TG01",
      libelle: "Gestion administrative, du transport et de la logistique",
      dateOuverture: "2019-09-01",
      dateFermeture: null,
    });
  });

  it("the CSV export (upper-case names, cp1252) and an empty API answer", async () => {
    const csv = await parseWith("bcn-n-groupe-formation", [
      { path: fixture("bcn-n-groupe-formation", "cases", "export-cp1252.csv") },
    ]);
    expect(csv.report.files[0]).toMatchObject({ encoding: "windows-1252", vintage: "BCN export" });
    expect(ofKind(csv.records, "groupe")[0]).toMatchObject({ groupe: "G0004", dateOuverture: "2019-09-01" });
    const empty = await parseWith("bcn-n-groupe-formation", [
      { path: fixture("bcn-n-groupe-formation", "cases", "bcn-api-empty.json") },
    ]);
    expect(empty.records).toEqual([]);
    expect(empty.report.files).toEqual([
      { file: "bcn-api-empty.json", encoding: "json", rowsRead: 0, rowsKept: 0, rowsRejected: 0 },
    ]);
  });
});
