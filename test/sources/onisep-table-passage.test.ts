import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const links = (records: Awaited<ReturnType<typeof parseWith>>["records"]) =>
  ofKind(records, "link").map((l) => `${l.fromType}:${l.fromCode} → ${l.toType}:${l.toCode}`);

/** Written from the documented header and example row (research/source-formats.md §2.4). */
describe("onisep-table-passage", () => {
  it("CSV: Certif Info ↔ RNCP ↔ CFD ↔ FOR id, every link of a row", async () => {
    const { records, report } = await parseWith("onisep-table-passage", [
      { path: fixture("onisep-table-passage", "6152ccdf850ef.csv") },
    ]);
    expect(report).toMatchObject({ rowsRead: 4, rowsKept: 4, rowsRejected: 0 });
    const all = links(records);
    expect(all.filter((l) => l.includes("82781"))).toEqual([
      "certifinfo:82781 → cfd:40034403",
      "certifinfo:82781 → rncp:19114",
      "rncp:19114 → certifinfo:82781",
      "certifinfo:82781 → onisep:FOR.3651",
    ]);
    expect(all).toContain("rncp:19114 → cfd:40034403");
    expect(all).toContain("onisep:FOR.3651 → cfd:40034403");
    expect(all).toContain("onisep:FOR.3651 → rncp:19114");
    // A titre without code scolarité nor Idéo formation only links Certif Info and RNCP.
    expect(all.filter((l) => l.includes("13386") || l.includes("13207"))).toEqual([
      "certifinfo:13386 → rncp:13207",
      "rncp:13207 → certifinfo:13386",
    ]);
  });

  it("JSON download keys give the same links", async () => {
    const { records } = await parseWith("onisep-table-passage", [
      { path: fixture("onisep-table-passage", "cases", "json-download.json") },
    ]);
    expect(links(records)).toEqual([
      "certifinfo:82775 → cfd:40025214",
      "certifinfo:82775 → rncp:19117",
      "rncp:19117 → certifinfo:82775",
      "rncp:19117 → cfd:40025214",
      "certifinfo:82775 → onisep:FOR.5615",
      "onisep:FOR.5615 → cfd:40025214",
      "onisep:FOR.5615 → rncp:19117",
    ]);
  });

  it("a bad Certif Info id rejects the row; a bad CFD is counted, the other links kept", async () => {
    const { records, report } = await parseWith("onisep-table-passage", [
      { path: fixture("onisep-table-passage", "cases", "bad-codes.csv") },
    ]);
    expect(report.rejects).toEqual([
      {
        file: "bad-codes.csv",
        line: 2,
        reason: 'invalid Certif Info id: Certif Info id "abc" is not a number',
      },
    ]);
    expect(links(records)).toEqual([
      "certifinfo:82776 → rncp:19114",
      "rncp:19114 → certifinfo:82776",
      "certifinfo:82776 → onisep:FOR.3651",
      "onisep:FOR.3651 → rncp:19114",
    ]);
    expect(report.warnings).toEqual([
      'bad-codes.csv: 1 row(s) with an unreadable CI Code Scolarité, ignored (first at line 3: CFD "4003440" has 7 digits: a leading zero was probably lost (04003440?))',
    ]);
  });
});
