import { expect, it } from "vitest";
import { describeReal, real } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

/** Counts and values below were read off the files themselves (see SOURCES.md in each real-samples folder). */
describeReal("conformance: Onisep, Certif Info and kit apprentissage real files", () => {
  it("Onisep Idéo-Formations initiales 2022 (UTF-8 BOM, fputcsv quoting): 300 rows, 154 with an RNCP code", async () => {
    const { records, report } = await parseWith("onisep-formations-initiales", [
      { path: real("onisep", "ideo-formations_initiales_en_france_2022.head300.csv") },
    ]);
    expect(report).toMatchObject({ rowsRead: 300, rowsKept: 300, rowsRejected: 0, warnings: [] });
    expect(report.files[0]).toMatchObject({
      vintage: "2022 (lien site onisep.fr, no CFD)",
      encoding: "utf-8 (BOM)",
      dialect: "delimiter ';', RFC quoting, LF",
    });
    const formations = ofKind(records, "onisep-formation");
    expect(formations.filter((f) => f.rncp !== null)).toHaveLength(154);
    expect(formations.every((f) => f.cfd === null && f.duree !== null)).toBe(true);
    expect(formations.at(-1)).toMatchObject({ forId: "FOR.6492", duree: 2, rncp: "4863" });
  });

  it("Certif Info (RCO/Orion copy, 37 columns, never quoted): 300 rows, 215 CFDs, 283 FOR ids, 230 RNCP", async () => {
    const { records, report } = await parseWith("certifinfo", [
      { path: real("certifinfo", "rco_certif_info_tjp2024.head300.csv") },
    ]);
    expect(report).toMatchObject({ rowsRead: 300, rowsKept: 300, rowsRejected: 0, warnings: [] });
    const rows = ofKind(records, "certifinfo");
    expect(rows.filter((r) => r.cfd !== null)).toHaveLength(215);
    expect(rows.filter((r) => r.forId !== null)).toHaveLength(283);
    expect(rows.filter((r) => r.rncp !== null)).toHaveLength(230);
    // A CFD with a letter (engineering school) survives as a string.
    expect(rows.find((r) => r.certifinfo === "13021")).toMatchObject({
      cfd: "1702550H",
      rncp: "39028",
      forId: "FOR.1441",
      libelle: "Ingénieur diplômé de l'ESIGELEC",
    });
  });

  it("kit apprentissage 2023 (UTF-8 BOM, CRLF, RFC quoting): 300 rows, 299 RNCP → CFD links, 1 NR", async () => {
    const { records, report } = await parseWith("kit-apprentissage", [
      { path: real("kit-apprentissage", "Kit_apprentissage_20231218.head300.csv") },
    ]);
    expect(report).toMatchObject({ rowsRead: 300, rowsKept: 300, rowsRejected: 0 });
    expect(report.files[0]?.dialect).toBe("delimiter ';', RFC quoting, CRLF");
    const links = ofKind(records, "link");
    expect(links).toHaveLength(299);
    expect(links[0]).toEqual({
      kind: "link",
      fromType: "rncp",
      fromCode: "38381",
      toType: "cfd",
      toCode: "32031313",
    });
    // "TAILLEUR DE PIERRES ""MONUMENTS HISTORIQUES"" (BP DEPARTEMENTAL)": the quoting does not shift columns.
    expect(links).toContainEqual({
      kind: "link",
      fromType: "rncp",
      fromCode: "36849",
      toType: "cfd",
      toCode: "45023201",
    });
    expect(report.warnings).toEqual([
      "Kit_apprentissage_20231218.head300.csv: 1 row(s) without RNCP fiche (NR), nothing linked (first at line 8: 36022201)",
    ]);
  });
});
