import { describe, expect, it } from "vitest";
import { describeReal, fixture, real } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("bcn-n-formation-diplome on its fixture", () => {
  it("reads the continuum columns and keeps a literal quote of an unquoted value", async () => {
    const { records, report } = await parseWith("bcn-n-formation-diplome", [
      { path: fixture("bcn-n-formation-diplome", "N_FORMATION_DIPLOME.csv") },
    ]);
    const formations = ofKind(records, "formation");
    expect(formations).toHaveLength(8);
    expect(report.rowsRejected).toBe(0);
    const mv = formations.find((f) => f.cfd === "40025214")!;
    expect(mv).toMatchObject({
      niveau: "400",
      libelle: "MAINTENANCE DES VEHICULES OPTION A VOITURES PARTICULIERES (BAC PRO)",
      anciens: ["40025207"],
      nouveaux: ["40025224"],
      dateOuverture: "2014-09-01",
      datePremiereSession: "2017",
      niveauQualificationRncp: "04",
    });
    expect(formations.find((f) => f.cfd === "40025224")?.anciens).toEqual(["40025214"]);
  });
});

describeReal("bcn-n-formation-diplome on real exports", () => {
  it("2025 cp1252 export (52 columns) and 2020 export (56 columns)", async () => {
    const a = await parseWith("bcn-n-formation-diplome", [
      { path: real("bcn", "tjp2025_nFormationDiplome_cp1252.head300.csv") },
    ]);
    expect(a.records).toHaveLength(300);
    expect(a.report.files[0]?.vintage).toBe("BCN export 2024+");
    const b = await parseWith("bcn-n-formation-diplome", [
      { path: real("bcn", "tc2020_n_formation_diplome.head300.csv") },
    ]);
    expect(b.records).toHaveLength(300);
    expect(b.report.files[0]?.vintage).toBe("BCN export 2020");
  });

  it("joinable subset: 40025214 → ancien 40025207, nouveau 40025224", async () => {
    const { records } = await parseWith("bcn-n-formation-diplome", [
      { path: real("joinable-subset", "bcn_nFormationDiplome_tjp2025_cp1252.subset.csv") },
    ]);
    const mv = ofKind(records, "formation").find((f) => f.cfd === "40025214");
    expect(mv).toMatchObject({ anciens: ["40025207"], nouveaux: ["40025224"], niveau: "400" });
  });
});
