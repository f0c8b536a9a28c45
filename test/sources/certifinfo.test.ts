import { describe, expect, it } from "vitest";
import { describeReal, fixture, real } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("certifinfo on its fixture (37 columns, UTF-8, no quoting)", () => {
  it("Certif Info 82775 → RNCP 19117, CFD 40025214, FOR.5615", async () => {
    const { records, report } = await parseWith("certifinfo", [
      { path: fixture("certifinfo", "certifinfo.csv") },
    ]);
    expect(report.rowsRejected).toBe(0);
    const rows = ofKind(records, "certifinfo");
    expect(rows).toHaveLength(9);
    expect(rows.find((r) => r.certifinfo === "82775")).toMatchObject({
      rncp: "19117",
      cfd: "40025214",
      forId: "FOR.5615",
      valideur: "Ministère de l'éducation nationale et de la jeunesse",
    });
    // A certification without CFD, validated outside the ministries InserJeunes covers.
    expect(rows.find((r) => r.certifinfo === "13386")).toMatchObject({
      rncp: "13207",
      cfd: null,
      valideur: expect.stringMatching(/^CESI/),
    });
  });
});

describeReal("certifinfo on real files", () => {
  it("the RCO 2024 file: 300 rows, backquoted `Options` header tolerated", async () => {
    const { records, report } = await parseWith("certifinfo", [
      { path: real("certifinfo", "rco_certif_info_tjp2024.head300.csv") },
    ]);
    expect(records).toHaveLength(300);
    expect(report.warnings).toEqual([]);
  });

  it("joinable subset: every row carries its CFD", async () => {
    const { records } = await parseWith("certifinfo", [
      { path: real("joinable-subset", "certifinfo_rco_tjp2024_utf8.subset.csv") },
    ]);
    const rows = ofKind(records, "certifinfo");
    expect(rows).toHaveLength(12);
    expect(rows.find((r) => r.cfd === "40025214")).toMatchObject({
      certifinfo: "82775",
      rncp: "19117",
      forId: "FOR.5615",
    });
  });
});
