import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { Decoder, decodeBuffer, detectEncoding } from "../../src/io/decode.js";
import { writeWindows1252 } from "../../src/io/encode.js";

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

  it("says on which line the bad byte is, and the text before it", () => {
    // "café" written in cp1252 (é = 0xE9) on line 2, in a chunk after a first one of one line.
    const decoder = new Decoder("utf-8", "cat.csv");
    decoder.write(Buffer.from("id;cfd;lib\n", "utf8"));
    expect(() =>
      decoder.write(Buffer.concat([Buffer.from("1;32031408;caf"), Buffer.from([0xe9, 0x0a])])),
    ).toThrow('cat.csv: invalid UTF-8 at line 2: byte 0xE9 after "1;32031408;caf"');
  });

  it("reads every windows-1252 byte as the WHATWG table does, so that text written back is the same bytes", () => {
    // All 256 bytes, in chunks of 7 (a chunk boundary falls next to 0x81, 0x8D, 0x8F, 0x90 and 0x9D too).
    const all = Buffer.from(Array.from({ length: 256 }, (_, b) => b));
    const decoder = new Decoder("windows-1252", "cat.csv");
    let text = "";
    for (let i = 0; i < all.length; i += 7) text += decoder.write(all.subarray(i, i + 7));
    text += decoder.end();
    // The 251 bytes with a character: iconv-lite's table (é E9, ’ 92, € 80…). The five without one are the
    // C1 controls of the same number (WHATWG index-windows-1252), where iconv-lite gives U+FFFD.
    const c1 = [0x81, 0x8d, 0x8f, 0x90, 0x9d];
    const expected = [...iconv.decode(all, "win1252")].map((c, b) =>
      c1.includes(b) ? String.fromCharCode(b) : c,
    );
    expect(text).toBe(expected.join(""));
    expect(text).not.toContain("\uFFFD");
    const back = Buffer.alloc(256);
    expect(back.subarray(0, writeWindows1252(text, back, 0))).toEqual(all);
  });
});
