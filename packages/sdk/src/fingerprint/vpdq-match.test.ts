import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { matchVpdq, type VpdqFrame } from "./vpdq-match.ts";

const hash = () => randomBytes(32).toString("hex");
/** `hex` with its first `bits` bits flipped. */
function flip(hex: string, bits: number): string {
  const bytes = Buffer.from(hex, "hex");
  for (let p = 0; p < bits; p++) bytes[p >> 3]! ^= 0x80 >> (p & 7);
  return bytes.toString("hex");
}
const video = (values: string[], quality = 80): VpdqFrame[] => values.map((value, t) => ({ t, value, quality }));

describe("matchVpdq (the reference's rule)", () => {
  test("a video matches itself and its re-encode, with both percentages", () => {
    const frames = video(Array.from({ length: 10 }, hash));
    expect(matchVpdq(frames, frames)).toEqual({
      match: true,
      queryMatchPercent: 100,
      comparedMatchPercent: 100,
      distance: 0,
    });
    const copy = frames.map((f) => ({ ...f, value: flip(f.value, 20) }));
    expect(matchVpdq(frames, copy)).toMatchObject({ match: true, distance: 20 });
  });

  test("frames match up to and including the distance", () => {
    const [a] = video([hash()]);
    expect(matchVpdq([a!], [{ ...a!, value: flip(a!.value, 31) }]).match).toBe(true);
    expect(matchVpdq([a!], [{ ...a!, value: flip(a!.value, 32) }])).toMatchObject({ match: false, distance: 32 });
    expect(matchVpdq([a!], [{ ...a!, value: flip(a!.value, 32) }], { distance: 32 }).match).toBe(true);
  });

  test("80 % of the query's frames must match; the compared video may be longer (0 %)", () => {
    const query = video(Array.from({ length: 10 }, hash));
    const eight = [...query.slice(0, 8), ...video([hash(), hash()])];
    const seven = [...query.slice(0, 7), ...video([hash(), hash(), hash()])];
    expect(matchVpdq(query, eight)).toMatchObject({ match: true, queryMatchPercent: 80, comparedMatchPercent: 80 });
    expect(matchVpdq(query, seven)).toMatchObject({ match: false, queryMatchPercent: 70 });
    const longer = [...query, ...video(Array.from({ length: 90 }, hash))];
    expect(matchVpdq(query, longer)).toMatchObject({ match: true, queryMatchPercent: 100, comparedMatchPercent: 10 });
    expect(matchVpdq(longer, query)).toMatchObject({ match: false, queryMatchPercent: 10 });
  });

  test("repeated hashes count once and frames below the quality floor not at all", () => {
    const [a, b] = [hash(), hash()];
    // A still picture for eight frames, then one other frame: two distinct hashes, not nine.
    const query = video([a, a, a, a, a, a, a, a, b]);
    expect(matchVpdq(query, video([a]))).toMatchObject({ match: false, queryMatchPercent: 50 });
    const dim = [...video([b], 49), ...video([a])];
    expect(matchVpdq(query, dim)).toMatchObject({ queryMatchPercent: 50, comparedMatchPercent: 100 });
    expect(matchVpdq(query, video([a, b], 10))).toEqual({
      match: false,
      queryMatchPercent: 0,
      comparedMatchPercent: 0,
      distance: null,
    });
    expect(matchVpdq(query, video([b], 10), { qualityFloor: 0 })).toMatchObject({
      match: false,
      queryMatchPercent: 50,
    });
  });
});
