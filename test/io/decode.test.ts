import { describe, expect, it } from "vitest";
import { Decoder, decodeBuffer, detectEncoding } from "../../src/io/decode.js";

describe("encoding detection", () => {
  it("BOM → UTF-8 and the BOM is dropped", () => {
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from("MEF;CFD")]);
    expect(detectEncoding(bytes, true)).toEqual({ encoding: "utf-8", bom: true });
    expect(decodeBuffer(bytes, "x").text).toBe("MEF;CFD");
  });

  it("cp1252 bytes (0x92 ’, 0x85 …, 0x8C Œ) are Windows-1252, not latin-1", () => {
    const bytes = Buffer.from([0x4c, 0x92, 0x85, 0x8c, 0xe9]);
    expect(detectEncoding(bytes, true).encoding).toBe("windows-1252");
    expect(decodeBuffer(bytes, "x").text).toBe("L’…Œé");
  });

  it("does not hold a multi-byte character cut at the end of a sample against UTF-8", () => {
    const bytes = Buffer.from("durée", "utf8");
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), false).encoding).toBe("utf-8");
  });

  it("reports invalid UTF-8 after the sample with a hint instead of inventing characters", () => {
    const decoder = new Decoder("utf-8", "cat.csv");
    decoder.write(Buffer.from("ok;", "utf8"));
    expect(() => decoder.write(Buffer.from([0xe9, 0x3b]))).toThrow(/cat\.csv: invalid UTF-8/);
  });
});
