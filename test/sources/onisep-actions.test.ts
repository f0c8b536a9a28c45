import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

/** Written from the documented headers (research/source-formats.md §2.3): no real file was available. */
describe("onisep-actions-lycee (CSV labels)", () => {
  it("AF id → FOR id, UAI (upper-cased, may be empty), durée of the last cycle", async () => {
    const { records, report } = await parseWith("onisep-actions-lycee", [
      { path: fixture("onisep-actions-lycee", "ideo-actions_de_formation_initiale-univers_lycee.csv") },
    ]);
    expect(report.files[0]).toMatchObject({ vintage: "CSV (labels)", encoding: "utf-8 (BOM)" });
    const actions = ofKind(records, "onisep-action");
    expect(actions[0]).toEqual({
      kind: "onisep-action",
      afId: "AF.69395",
      forId: "FOR.5615",
      uai: "0010001W",
      duree: 2,
      libelle: "bac pro Maintenance des véhicules option A voitures particulières",
      typeFormation: "baccalauréat professionnel",
    });
    expect(actions.map((a) => [a.afId, a.uai])).toEqual([
      ["AF.69395", "0010001W"],
      ["AF.71230", "0010001W"], // written 0010001w
      ["AF.80022", null], // empty
      ["AF.80023", null], // 0010006A fails its checksum (B expected)
    ]);
    expect(report.warnings).toEqual([
      'ideo-actions_de_formation_initiale-univers_lycee.csv: 1 row(s) with an unreadable ENS code UAI, kept without UAI (first at line 5: UAI "0010006A" fails its checksum (expected letter B))',
    ]);
  });

  it("strict on the key columns: no AF id or no FOR id → rejected with the column named", async () => {
    const { records, report } = await parseWith("onisep-actions-lycee", [
      { path: fixture("onisep-actions-lycee", "cases", "bad-key-values.csv") },
    ]);
    expect(ofKind(records, "onisep-action").map((a) => [a.afId, a.duree])).toEqual([["AF.71232", null]]);
    expect(report.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, "invalid Onisep id: Action de Formation (AF) identifiant Onisep is empty"],
      [3, "invalid Onisep id: FOR URL et ID Onisep is empty"],
    ]);
  });
});

describe("onisep-actions-sup (JSON download, snake_case keys)", () => {
  it("reads the same fields under their JSON keys, http and https URLs", async () => {
    const { records, report } = await parseWith("onisep-actions-sup", [
      { path: fixture("onisep-actions-sup", "605344579a7d7.json") },
    ]);
    expect(report.files[0]?.vintage).toBe("JSON (snake_case keys)");
    expect(report.warnings).toEqual([]);
    expect(ofKind(records, "onisep-action").map((a) => [a.afId, a.forId, a.uai, a.duree])).toEqual([
      ["AF.12044", "FOR.578", "0690128P", 2],
      ["AF.12045", "FOR.1054", "0010001W", 2],
    ]);
  });
});
