import { describe, expect, it } from "vitest";
import {
  cleanCell,
  parseCertifInfo,
  parseCfd,
  parseDuree,
  parseMefstat11,
  parseOnisepFor,
  parseRncp,
  parseUai,
  parseVoie,
  splitList,
  uaiCheckLetter,
} from "../../src/match/identifiers.js";

const value = (p: { ok: boolean; value?: string }) => (p.ok ? p.value : undefined);

describe("UAI", () => {
  it.each([
    // 10001 % 23 = 19 → W (a–z without i, o, q): Lycée professionnel Alexandre Bérard, Ambérieu.
    ["0010001W", "0010001W"],
    ["0010001w", "0010001W"],
    [" 0010006B ", "0010006B"], // 10006 % 23 = 1 → B
    ['="0010001W"', "0010001W"],
  ])("%s is valid", (raw, expected) => expect(value(parseUai(raw))).toBe(expected));

  it.each([
    ["0010001X", /checksum \(expected letter W\)/],
    ["010001W", /leading zero was probably lost/],
    ["ABCDEFGH", /not 7 digits/],
  ])("%s is invalid", (raw, reason) => {
    const p = parseUai(raw);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reason).toMatch(reason);
  });

  it("check letters follow the 23-letter alphabet", () => {
    expect(uaiCheckLetter("0000000")).toBe("A");
    expect(uaiCheckLetter("0000008")).toBe("J"); // i is skipped
    expect(uaiCheckLetter("0000013")).toBe("P"); // o is skipped
    expect(uaiCheckLetter("0000014")).toBe("R"); // q is skipped
  });
});

describe("Onisep FOR id", () => {
  it.each([
    ["FOR.5615", "FOR.5615"],
    ["for.5615", "FOR.5615"],
    ["http://www.onisep.fr/http/redirection/formation/slug/FOR.5615", "FOR.5615"],
    ["https://www.onisep.fr/http/redirection/formation/slug/FOR.5615", "FOR.5615"],
    ["https://www.onisep.fr/http/redirection/formation/slug/FOR.5615?utm=x", "FOR.5615"],
  ])("%s → %s", (raw, expected) => expect(value(parseOnisepFor(raw))).toBe(expected));

  it("refuses a school (ENS) URL and a number alone", () => {
    expect(parseOnisepFor("https://www.onisep.fr/http/redirection/etablissement/slug/ENS.7717").ok).toBe(
      false,
    );
    expect(parseOnisepFor("5615").ok).toBe(false);
    expect(parseOnisepFor("FOR.56x").ok).toBe(false);
  });
});

describe("RNCP, Certif Info, CFD, MEFSTAT11", () => {
  it("strips the RNCP prefix in every spelling", () => {
    for (const raw of ["19117", "RNCP19117", "rncp19117", "RNCP 19117", "RNCP-19117", "RNCP019117"])
      expect(value(parseRncp(raw))).toBe("19117");
    expect(parseRncp("RS5012").ok).toBe(false);
  });

  it("reads Certif Info ids as integers", () => {
    expect(value(parseCertifInfo("082775"))).toBe("82775");
    expect(parseCertifInfo("82775A").ok).toBe(false);
  });

  it("keeps letters and leading zeros of CFDs, flags a zero-stripped one", () => {
    expect(value(parseCfd("46X25201"))).toBe("46X25201");
    expect(value(parseCfd("CFD:01022105"))).toBe("01022105");
    const stripped = parseCfd("1022105");
    expect(stripped.ok).toBe(false);
    if (!stripped.ok) expect(stripped.reason).toMatch(/01022105/);
  });

  it("accepts MEFSTAT11 with letters and the field's prefix", () => {
    expect(value(parseMefstat11("24731211A11"))).toBe("24731211A11");
    expect(value(parseMefstat11("MEFSTAT11:23830025214"))).toBe("23830025214");
    expect(parseMefstat11("2472521433").ok).toBe(false);
  });
});

describe("cells", () => {
  it("unwraps Excel guards and splits lists", () => {
    expect(cleanCell('="01022105"')).toBe("01022105");
    expect(splitList("RNCP19117; RNCP38302|FOR.5615, FOR.584")).toEqual([
      "RNCP19117",
      "RNCP38302",
      "FOR.5615",
      "FOR.584",
    ]);
    expect(splitList("  ")).toEqual([]);
  });

  it("keeps a prefix written apart from its value with it", () => {
    // As catalogues write them: "RNCP 19117" was two values before, the prefix one reported "vide".
    expect(splitList("RNCP 19117; RNCP : 38302")).toEqual(["RNCP19117", "RNCP38302"]);
    expect(splitList("CFD: 40025214 | cfd : 50031117")).toEqual(["CFD:40025214", "cfd:50031117"]);
    expect(splitList("RNCP 19117").map(parseRncp)).toEqual([{ ok: true, value: "19117" }]);
    expect(splitList("CFD: 40025214").map(parseCfd)).toEqual([{ ok: true, value: "40025214" }]);
  });

  it.each([
    ["3 ans", 3],
    ["1 an", 1],
    ["2", 2],
    ["24 mois", 2],
    ["6 mois", undefined],
    ["", undefined],
  ])("durée %s → %s", (raw, expected) => expect(parseDuree(raw)).toBe(expected));

  it.each([
    ["Scolaire", "scolaire"],
    ["ST", "scolaire"],
    ["Apprentissage", "apprentissage"],
    ["AP", "apprentissage"],
    ["supérieur", "superieur"],
    ["mixte", undefined],
  ])("voie %s → %s", (raw, expected) => expect(parseVoie(raw)).toBe(expected));
});
