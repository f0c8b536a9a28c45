import { expect, it } from "vitest";
import { describeReal, real } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const subset = (file: string) => ({ path: real("joinable-subset", file) });

/** Both BCN vintages of the joinable subset (real-samples/joinable-subset/SOURCES.md), 12 CFDs each. */
describeReal("conformance: joinable subset (BCN 2020 and 2025, Certif Info, Onisep 2022, kit)", () => {
  it("N_MEF 2025 and 2020: 46 rows each, 24 terminal years; 23830025214 is year 3 of 3 of 40025214", async () => {
    for (const file of ["bcn_nMef_tjp2025_utf8bom.subset.csv", "bcn_n_mef_tc2020_cp1252.subset.csv"]) {
      const { records, report } = await parseWith("bcn-n-mef", [subset(file)]);
      expect([file, report.rowsKept, report.rowsRejected]).toEqual([file, 46, 0]);
      const mefs = ofKind(records, "mef");
      expect(mefs.filter((m) => m.annee === m.duree)).toHaveLength(24);
      expect(mefs.filter((m) => m.cfd === "40025214" && m.annee === m.duree)).toEqual([
        expect.objectContaining({ mefstat11: "23830025214", duree: 3, annee: 3, dispositif: "247" }),
      ]);
      // CAP fleuriste: three dispositifs (1, 2 and 3 ans), hence three terminal MEFSTAT11s.
      expect(
        mefs
          .filter((m) => m.cfd === "50031223" && m.annee === m.duree)
          .map((m) => m.mefstat11)
          .sort(),
      ).toEqual(["23110031223", "23220031223", "23330031223"]);
    }
  });

  it("N_ and V_FORMATION_DIPLOME, both vintages: the same 12 CFDs", async () => {
    const cfds = [
      "01022105",
      "32022207",
      "32031212",
      "32031408",
      "32033107",
      "40023203",
      "40025214",
      "40025515",
      "40031106",
      "50031117",
      "50031223",
      "50033412",
    ];
    for (const [id, file] of [
      ["bcn-n-formation-diplome", "bcn_nFormationDiplome_tjp2025_cp1252.subset.csv"],
      ["bcn-n-formation-diplome", "bcn_n_formation_diplome_tc2020_cp1252.subset.csv"],
      ["bcn-v-formation-diplome", "bcn_vFormationDiplome_tjp2025_utf8bom.subset.csv"],
      ["bcn-v-formation-diplome", "bcn_v_formation_diplome_tc2020_cp1252.subset.csv"],
    ] as const) {
      const { records, report } = await parseWith(id, [subset(file)]);
      expect([
        file,
        report.rowsRejected,
        ofKind(records, "formation")
          .map((f) => f.cfd)
          .sort(),
      ]).toEqual([file, 0, cfds]);
    }
    const n = await parseWith("bcn-n-formation-diplome", [
      subset("bcn_nFormationDiplome_tjp2025_cp1252.subset.csv"),
    ]);
    expect(ofKind(n.records, "formation").find((f) => f.cfd === "01022105")?.nouveaux).toEqual(["56122105"]);
  });

  it("Certif Info, Onisep 2022 and the kit: the codes each one gives for the 12 CFDs", async () => {
    const ci = await parseWith("certifinfo", [subset("certifinfo_rco_tjp2024_utf8.subset.csv")]);
    expect(ofKind(ci.records, "certifinfo").find((r) => r.cfd === "40025214")).toMatchObject({
      certifinfo: "82775",
      rncp: "19117",
      forId: "FOR.5615",
    });
    expect(ofKind(ci.records, "certifinfo")).toHaveLength(12);
    const onisep = await parseWith("onisep-formations-initiales", [
      subset("onisep_ideo_formations_initiales_2022_utf8bom.subset.csv"),
    ]);
    expect(ofKind(onisep.records, "onisep-formation").map((f) => [f.forId, f.rncp, f.duree])).toContainEqual([
      "FOR.5615",
      "19117",
      3,
    ]);
    const kit = await parseWith("kit-apprentissage", [
      subset("kit_apprentissage_cfd_rncp_20231218_utf8bom.subset.csv"),
    ]);
    expect(ofKind(kit.records, "link")).toHaveLength(12);
    expect(ofKind(kit.records, "link")).toContainEqual({
      kind: "link",
      fromType: "rncp",
      fromCode: "31293",
      toType: "cfd",
      toCode: "50031223",
    });
  });
});
