import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("certifinfo on its fixture (37 columns, UTF-8, no quoting)", () => {
  it("Certif Info 82775 → RNCP 19117, CFD 40025214, FOR.5615", async () => {
    const { records, report } = await parseWith("certifinfo", [
      { path: fixture("certifinfo", "certifinfo.csv") },
    ]);
    expect(report.rowsRejected).toBe(0);
    expect(report.files[0]?.vintage).toBe("Certif Info open data / Orion export (37 columns)");
    const rows = ofKind(records, "certifinfo");
    expect(rows).toHaveLength(9);
    expect(rows.find((r) => r.certifinfo === "82775")).toMatchObject({
      rncp: "19117",
      cfd: "40025214",
      forId: "FOR.5615",
      sise: null,
      valideur: "Ministère de l'éducation nationale et de la jeunesse",
    });
    // The certification each row replaced keeps its own codes: Certif Info 20230, RNCP 510, CFD 40025207.
    expect(
      ofKind(records, "link")
        .filter((l) => l.fromCode === "20230" || l.fromCode === "510")
        .map((l) => `${l.fromType}:${l.fromCode} → ${l.toType}:${l.toCode}`),
    ).toEqual([
      "certifinfo:20230 → cfd:40025207",
      "certifinfo:20230 → rncp:510",
      "rncp:510 → cfd:40025207",
      "rncp:510 → certifinfo:20230",
    ]);
    // A certification without CFD, validated outside the ministries InserJeunes covers.
    expect(rows.find((r) => r.certifinfo === "13386")).toMatchObject({
      rncp: "13207",
      cfd: null,
      valideur: expect.stringMatching(/^CESI/),
    });
  });

  it("the data.gouv copy in cp1252: ’ decoded, a literal quote kept, TYPDISP ids are not FOR links", async () => {
    const { records, report } = await parseWith("certifinfo", [
      { path: fixture("certifinfo", "cases", "open-data-cp1252-literal-quote.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      encoding: "windows-1252",
      dialect: "delimiter ';', no quoting, LF",
    });
    expect(report.warnings).toEqual([]);
    const [mv, anglais] = ofKind(records, "certifinfo");
    expect(mv?.valideur).toBe("Ministère de l’éducation nationale et de la jeunesse");
    expect(anglais).toMatchObject({
      certifinfo: "108297",
      libelle: 'Test Bright Anglais "level A"',
      forId: null,
    });
  });

  it("the RCO bucket copy: its first line is skipped and reported, RFC quotes, SISE code kept", async () => {
    const { records, report } = await parseWith("certifinfo", [
      { path: fixture("certifinfo", "cases", "rco-bucket-inserJeune-certifinfo.csv") },
    ]);
    expect(report.files[0]).toMatchObject({
      vintage: "RCO bucket inserJeune-certifinfo",
      dialect: "delimiter ';', RFC quoting, LF",
    });
    expect(report.warnings).toEqual([
      'rco-bucket-inserJeune-certifinfo.csv: 1 line(s) before the header skipped ("\\"Fichier inserJeune-certifinfo genere le 01/01/2025\\"")',
    ]);
    const rows = ofKind(records, "certifinfo");
    expect(rows.map((r) => [r.certifinfo, r.rncp, r.cfd, r.forId, r.sise])).toEqual([
      ["82775", "19117", "40025214", "FOR.5615", null],
      ["20230", "510", "40025207", null, null],
      ["107553", "34537", null, null, "2500249"],
    ]);
    // Physical line numbers: the first data row is line 3 of the file.
    expect(report.files[0]?.rowsRead).toBe(3);
  });

  it("the RCO inserJeune-sise-rncp file in the same folder: RNCP → SISE links", async () => {
    const { records, report } = await parseWith("certifinfo", [
      { path: fixture("certifinfo", "cases", "rco-bucket-inserJeune-sise-rncp.csv") },
    ]);
    expect(report.files[0]?.vintage).toBe("RCO bucket inserJeune-sise-rncp");
    expect(ofKind(records, "link")).toEqual([
      { kind: "link", fromType: "rncp", fromCode: "34537", toType: "sise", toCode: "2500249" },
      { kind: "link", fromType: "rncp", fromCode: "34537", toType: "sise", toCode: "2500250" },
    ]);
    expect(report.rejects).toEqual([
      { file: "rco-bucket-inserJeune-sise-rncp.csv", line: 5, reason: "invalid code: Code RNCP is empty" },
    ]);
  });
});
