import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import {
  firstUnencodable,
  UnencodableError,
  windows1252Byte,
  writeWindows1252,
} from "../../src/io/encode.js";

const encode = (text: string) => {
  const buffer = Buffer.alloc(text.length);
  return buffer.subarray(0, writeWindows1252(text, buffer, 0));
};

/** The five bytes the WHATWG index maps to the C1 control of the same number (iconv-lite: U+FFFD). */
const C1_PASSTHROUGH = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

describe("windows-1252 output encoding", () => {
  it("is the exact inverse of iconv-lite's win1252 decoding (but for the C1 bytes), byte by byte", () => {
    for (let b = 0; b < 256; b++) {
      const char = C1_PASSTHROUGH.includes(b)
        ? String.fromCharCode(b)
        : iconv.decode(Buffer.from([b]), "win1252");
      expect([b, [...encode(char)]]).toEqual([b, [b]]);
    }
  });

  it("has a byte for exactly 256 code points of the BMP; every other one is reported", () => {
    let representable = 0;
    for (let code = 0; code < 0x10000; code++) if (windows1252Byte(code) >= 0) representable++;
    expect(representable).toBe(256);
  });

  it("writes French text with the bytes of the windows-1252 table (é E9, œ 9C, ’ 92, – 96, € 80)", () => {
    expect([...encode("Métiers de l’accueil – Cœur 5 €")]).toEqual([
      ...Buffer.from("M", "latin1"),
      0xe9,
      ...Buffer.from("tiers de l", "latin1"),
      0x92,
      ...Buffer.from("accueil ", "latin1"),
      0x96,
      ...Buffer.from(" C", "latin1"),
      0x9c,
      ...Buffer.from("ur 5 ", "latin1"),
      0x80,
    ]);
    expect(encode("CAP Pâtissier").toString("latin1")).toBe("CAP Pâtissier");
  });

  it("refuses what it cannot write, before writing anything: subscript, narrow no-break space, Cyrillic, emoji", () => {
    for (const [text, index, message] of [
      ["CO₂", 2, '"₂" (U+2082) cannot be written in windows-1252'],
      ["Bac pro\u202F: vente", 7, '"\u202F" (U+202F) cannot be written in windows-1252'],
      ["Жилье", 0, '"Ж" (U+0416) cannot be written in windows-1252'],
      ["Cuisine 🍰", 8, '"🍰" (U+1F370) cannot be written in windows-1252'],
      // U+0080 is a C1 control whose byte means €: not representable.
      ["\u0080", 0, '"\u0080" (U+0080) cannot be written in windows-1252'],
    ] as const) {
      expect(firstUnencodable(text)).toBe(index);
      const buffer = Buffer.alloc(text.length, 0xaa);
      let thrown: unknown;
      try {
        writeWindows1252(text, buffer, 0);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UnencodableError);
      expect((thrown as Error).message).toBe(message);
      expect([...buffer].every((b) => b === 0xaa)).toBe(true);
    }
    expect(firstUnencodable("Pâtissier œ")).toBe(-1);
  });
});
