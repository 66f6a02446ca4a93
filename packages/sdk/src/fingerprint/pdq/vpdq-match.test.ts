import { describe, expect, test } from "vitest";
import { VPDQ_DEFAULTS, vpdqMatch } from "./vpdq-match.ts";

/** A hash with the first `ones` bits set: distances between them are differences of `ones`. */
const hash = (ones: number) => {
  const bits = "1".repeat(ones).padEnd(256, "0");
  let hex = "";
  for (let i = 0; i < 256; i += 4) hex += Number.parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
};
const frame = (ones: number, quality = 100) => ({ value: hash(ones), quality });

describe("vpdqMatch (Meta's vPDQ comparison)", () => {
  test("Meta's defaults: distance 31, quality 50, query 80 %, compared 0 %", () => {
    expect(VPDQ_DEFAULTS).toEqual({
      distanceThreshold: 31,
      qualityThreshold: 50,
      queryMatchPercent: 80,
      comparedMatchPercent: 0,
    });
  });

  test("a frame matches at distance 31, not 32", () => {
    expect(vpdqMatch([frame(31)], [frame(0)]).match).toBe(true);
    expect(vpdqMatch([frame(32)], [frame(0)]).match).toBe(false);
  });

  test("percentages count distinct frames of sufficient quality, each way", () => {
    // Query: 5 distinct frames, 4 of which are near the compared video's only frame.
    const query = [frame(0), frame(10), frame(20), frame(30), frame(200)];
    const compared = [frame(5), frame(5), frame(250, 10)];
    expect(vpdqMatch(query, compared)).toEqual({ match: true, queryMatchPercent: 80, comparedMatchPercent: 100 });
    // One more unmatched frame puts the query below 80 %.
    expect(vpdqMatch([...query, frame(120)], compared)).toMatchObject({
      match: false,
      queryMatchPercent: (4 * 100) / 6,
    });
    // The compared side's threshold can be raised.
    expect(vpdqMatch(compared, query, { comparedMatchPercent: 90 })).toMatchObject({
      match: false,
      comparedMatchPercent: 80,
    });
  });

  test("duplicates count once and low-quality frames not at all", () => {
    const query = [frame(0), frame(0), frame(0), frame(100, 49), frame(200, 49)];
    expect(vpdqMatch(query, [frame(3)])).toEqual({ match: true, queryMatchPercent: 100, comparedMatchPercent: 100 });
  });

  test("no usable frame on either side is no match", () => {
    expect(vpdqMatch([frame(0, 10)], [frame(0)])).toEqual({
      match: false,
      queryMatchPercent: 0,
      comparedMatchPercent: 0,
    });
    expect(vpdqMatch([frame(0)], [])).toEqual({ match: false, queryMatchPercent: 0, comparedMatchPercent: 0 });
  });
});
