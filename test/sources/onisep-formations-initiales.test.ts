import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const parseCase = (name: string) =>
  parseWith("onisep-formations-initiales", [{ path: fixture("onisep-formations-initiales", "cases", name) }]);

describe("onisep-formations-initiales on its fixture (2024+ header with code scolarité)", () => {
  it("reads FOR id, CFD, RNCP and durée", async () => {
    const { records, report } = await parseWith("onisep-formations-initiales", [
      { path: fixture("onisep-formations-initiales", "ideo-formations_initiales_en_france.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      vintage: "2024+ (with code scolarité)",
      encoding: "utf-8 (BOM)",
      dialect: "delimiter ';', RFC quoting, LF",
    });
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

describe("onisep-formations-initiales: the three header generations and the JSON download", () => {
  it("2022: `lien site onisep.fr` (http URL), no CFD", async () => {
    const { records, report } = await parseCase("2022-lien-site-onisep.csv");
    expect(report.files[0]?.vintage).toBe("2022 (lien site onisep.fr, no CFD)");
    expect(report.warnings).toEqual([]);
    expect(ofKind(records, "onisep-formation").map((f) => [f.forId, f.cfd, f.rncp, f.duree])).toEqual([
      ["FOR.6913", null, "7426", 2],
      ["FOR.5615", null, "19117", 3],
    ]);
  });

  it("2023: `URL et ID Onisep`, `code NSF`, still no CFD", async () => {
    const { records, report } = await parseCase("2023-url-et-id-onisep.csv");
    expect(report.files[0]?.vintage).toBe("2023 (URL et ID Onisep, no CFD)");
    expect(ofKind(records, "onisep-formation")[0]).toMatchObject({
      forId: "FOR.3651",
      cfd: null,
      rncp: "19114",
    });
  });

  it("JSON download: snake_case keys, code_scolarite", async () => {
    const { records, report } = await parseCase("json-download.json");
    expect(report.files[0]?.vintage).toBe("2024+ JSON (code_scolarite)");
    expect(report.warnings).toEqual([]);
    expect(ofKind(records, "onisep-formation").map((f) => [f.forId, f.cfd, f.duree])).toEqual([
      ["FOR.5615", "40025214", 3],
      ["FOR.3651", "40034403", 3],
    ]);
  });

  it("a broken code scolarité or durée is counted and the row kept; a row without FOR id is rejected", async () => {
    const { records, report } = await parseCase("bad-values.csv");
    expect(ofKind(records, "onisep-formation").map((f) => [f.forId, f.cfd, f.duree])).toEqual([
      ["FOR.597", null, 1],
      ["FOR.584", "40031106", null],
    ]);
    expect(report.rejects).toEqual([
      {
        file: "bad-values.csv",
        line: 4,
        reason: expect.stringMatching(/^invalid Onisep id: ".*\/slug\/" holds no Onisep formation id/),
      },
    ]);
    expect(report.warnings).toEqual([
      'bad-values.csv: 1 row(s) with an unreadable code scolarité, ignored (first at line 2: CFD "1022105" has 7 digits: a leading zero was probably lost (01022105?))',
      'bad-values.csv: 1 row(s) with a durée that is not whole years, ignored (first at line 3: "18 mois")',
    ]);
  });
});
