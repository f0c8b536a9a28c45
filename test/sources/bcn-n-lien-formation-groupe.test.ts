import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

describe("bcn-n-lien-formation-groupe", () => {
  it("BCN API JSON: the CFDs of each famille, closing dates kept", async () => {
    const { records } = await parseWith("bcn-n-lien-formation-groupe", [
      { path: fixture("bcn-n-lien-formation-groupe", "N_LIEN_FORMATION_GROUPE.json") },
    ]);
    const liens = ofKind(records, "lien-groupe");
    expect(liens.filter((l) => l.groupe === "G0004").map((l) => l.cfd)).toEqual([
      "40030003",
      "40030004",
      "40031116",
      "40031114",
      "40031106",
    ]);
    expect(liens.find((l) => l.cfd === "40031106")).toEqual({
      kind: "lien-groupe",
      groupe: "G0004",
      cfd: "40031106",
      dateFermeture: "2027-08-31",
    });
  });

  it("rejects rows with a broken CFD or no groupe, with their lines", async () => {
    const { records, report } = await parseWith("bcn-n-lien-formation-groupe", [
      { path: fixture("bcn-n-lien-formation-groupe", "cases", "export-bad-rows.csv") },
    ]);
    expect(ofKind(records, "lien-groupe").map((l) => l.cfd)).toEqual(["40030003"]);
    expect(report.rejects).toEqual([
      {
        file: "export-bad-rows.csv",
        line: 3,
        reason: expect.stringMatching(/^invalid code: CFD "4003000" has 7 digits/),
      },
      { file: "export-bad-rows.csv", line: 4, reason: "invalid code: GROUPE_FORMATION is empty" },
    ]);
  });
});
