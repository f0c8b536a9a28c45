import { describe, expect, it } from "vitest";
import { CoverageTally, renderReport, reportFormatOf } from "../../src/match/coverage.js";

/** Ten rows counted by hand: 6 couvert (cfd), 2 code_inconnu (CFD 56122101 twice), 1 invalide, 1 ambiguous. */
function tally() {
  const t = new CoverageTally();
  t.add({ statut: "couvert", motif: "", methode: "cfd", voie: "scolaire" }, "BAC PRO", [], 4);
  t.add({ statut: "couvert", motif: "", methode: "cfd", voie: "apprentissage" }, "CAP", [], 2);
  t.add(
    { statut: "non_couvert", motif: "code_inconnu", methode: "cfd", voie: "apprentissage" },
    "(none)",
    ["CFD 56122101"],
    2,
  );
  t.add({ statut: "invalide", motif: "identifiant_invalide", methode: "", voie: undefined }, "", [
    "CFD 4002521",
  ]);
  t.add(
    { statut: "plusieurs_codes", motif: "plusieurs_annees_terminales", methode: "cfd", voie: "scolaire" },
    "CAP",
    ["CFD 50031223"],
  );
  return t.report({
    input: "offres.csv",
    mode: "match",
    mapping: "cfd=code",
    generatedAt: "2026-01-01T00:00:00.000Z",
  });
}

describe("coverage report", () => {
  it("counts and shares by statut (in the fixed order), motif, methode, voie and diploma type", () => {
    const r = tally();
    expect(r.rows).toBe(10);
    expect(r.byStatut).toEqual([
      { value: "couvert", count: 6, share: 60 },
      { value: "non_couvert", count: 2, share: 20 },
      { value: "plusieurs_codes", count: 1, share: 10 },
      { value: "invalide", count: 1, share: 10 },
    ]);
    expect(r.byMotif.map((s) => [s.value, s.count])).toEqual([
      ["identifiant_invalide", 1],
      ["code_inconnu", 2],
      ["plusieurs_annees_terminales", 1],
      ["(none)", 6],
    ]);
    expect(r.byDiplome.map((s) => [s.value, s.count])).toEqual([
      ["BAC PRO", 4],
      ["CAP", 3],
      ["(none)", 3],
    ]);
    expect(r.byVoie).toEqual([
      { value: "scolaire", count: 5, share: 50 },
      { value: "apprentissage", count: 4, share: 40 },
      { value: "(none)", count: 1, share: 10 },
    ]);
  });

  it("lists the codes most often unmatched with their motif", () => {
    expect(tally().topUnmatched).toEqual([
      { code: "CFD 56122101", count: 2, motif: "code_inconnu" },
      { code: "CFD 4002521", count: 1, motif: "identifiant_invalide" },
      { code: "CFD 50031223", count: 1, motif: "plusieurs_annees_terminales" },
    ]);
  });

  it("stays within its size on many distinct codes: the frequent ones kept, counts as lower bounds", () => {
    const unknown = {
      statut: "non_couvert",
      motif: "code_inconnu",
      methode: "cfd",
      voie: undefined,
    } as const;
    // Room for two codes. By hand (Space-Saving): X 2, Y 1; Z replaces the least counted (Y) and
    // inherits its count: Z 2, of which 1 may be Y's; Y replaces Z: Y 3, of which 2 may be others'.
    // Known for sure: X 2, Y 1 (Z is dropped).
    const small = new CoverageTally(2);
    for (const code of ["X", "X", "Y", "Z", "Y"]) small.add(unknown, "", [code]);
    const r = small.report({ input: "c.csv", mode: "match", mapping: "", generatedAt: "" });
    expect(r.topUnmatched).toEqual([
      { code: "X", count: 2, motif: "code_inconnu" },
      { code: "Y", count: 1, motif: "code_inconnu" },
    ]);
    expect(r.unmatchedApproximate).toBe(true);
    expect(renderReport(r, "markdown")).toContain(
      "approximate: rare codes were dropped, counts are lower bounds",
    );

    // A code on every other row among 3,000 distinct ones, with room for 16: kept, counted exactly.
    const many = new CoverageTally(16);
    for (let i = 0; i < 3000; i++) {
      many.add(unknown, "", [`CFD ${String(i).padStart(8, "0")}`]);
      if (i % 2 === 0) many.add(unknown, "", ["CFD 99999999"]);
    }
    const top = many.report({ input: "c.csv", mode: "match", mapping: "", generatedAt: "" }).topUnmatched;
    expect(top.length).toBeLessThanOrEqual(16);
    expect(top[0]).toEqual({ code: "CFD 99999999", count: 1500, motif: "code_inconnu" });
    expect(top.slice(1).every((u) => u.count === 1)).toBe(true);
  });

  it("renders by extension: JSON, Markdown, a self-contained HTML page with a chart", () => {
    expect([
      reportFormatOf("r.json"),
      reportFormatOf("r.md"),
      reportFormatOf("R.HTML"),
      reportFormatOf("r.txt"),
    ]).toEqual(["json", "markdown", "html", undefined]);
    const r = tally();
    expect(JSON.parse(renderReport(r, "json"))).toEqual(r);
    const md = renderReport(r, "markdown");
    expect(md).toContain("| couvert | 6 | 60.0 | ███████████████ |");
    expect(md).toContain("| CFD 56122101 | 2 | code_inconnu |");
    const html = renderReport(r, "html");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<(script|link)\b|src=|href=/); // nothing fetched: self-contained
    expect(html).toContain('<svg role="img" aria-label="rows by statut"');
    expect(html).toContain('<rect x="0.0" y="0" width="480.0" height="36" fill="#2e7d32">');
    expect(html).toContain("<td><code>CFD 56122101</code></td>");
  });

  it("escapes what comes from the catalogue", () => {
    const t = new CoverageTally();
    t.add({ statut: "invalide", motif: "identifiant_invalide", methode: "", voie: undefined }, "", [
      'CFD <b>"x"</b>|y',
    ]);
    const r = t.report({ input: "a<b>.csv", mode: "match", mapping: "", generatedAt: "" });
    expect(renderReport(r, "html")).toContain("CFD &lt;b&gt;&quot;x&quot;&lt;/b&gt;|y");
    expect(renderReport(r, "markdown")).toContain('| CFD <b>"x"</b>\\|y | 1 |');
  });
});
