import { describe, expect, it } from "vitest";
import { describeReal, fixture, real } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("onisep-formations-initiales on its fixture (2024+ header with code scolarité)", () => {
  it("reads FOR id, CFD, RNCP and durée", async () => {
    const { records, report } = await parseWith("onisep-formations-initiales", [
      { path: fixture("onisep-formations-initiales", "ideo-formations_initiales_en_france.csv") },
    ]);
    expect(report.files[0]?.vintage).toBe("2024+ (with code scolarité)");
    const formations = ofKind(records, "onisep-formation");
    expect(formations).toHaveLength(8);
    expect(formations[0]).toEqual({
      kind: "onisep-formation",
      forId: "FOR.5615",
      cfd: "40025214",
      rncp: "19117",
      duree: 3,
      libelle: "bac pro Maintenance des véhicules option A voitures particulières",
      typeFormation: "baccalauréat professionnel",
    });
    expect(formations.find((f) => f.forId === "FOR.6913")?.cfd).toBeNull();
  });
});

describeReal("onisep-formations-initiales on the real 2022 file", () => {
  it("300 rows, no CFD in that generation, FOR id from the http URL", async () => {
    const { records, report } = await parseWith("onisep-formations-initiales", [
      { path: real("onisep", "ideo-formations_initiales_en_france_2022.head300.csv") },
    ]);
    expect(report.files[0]?.vintage).toBe("2022 (lien site onisep.fr, no CFD)");
    const formations = ofKind(records, "onisep-formation");
    expect(formations).toHaveLength(300);
    expect(formations.every((f) => f.cfd === null)).toBe(true);
    // Second data row of the file: FOR.6913, "2 ans", RNCP 7426.
    expect(formations[0]).toMatchObject({ forId: "FOR.6913", duree: 2, rncp: "7426" });
  });
});
