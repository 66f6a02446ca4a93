import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { InvalidPerceptualHashError } from "./errors.ts";
import { BAND_WIDTHS, BANDS, hexOf, indexedHash } from "./hash.ts";
import { bandProbes, bandRadii } from "./probes.ts";
import { MAX_THRESHOLD } from "./search.ts";

const popcount = (x: number) => [...x.toString(2)].filter((c) => c === "1").length;
const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n, k - 1) * (n - k + 1)) / k);
const keysWithin = (width: number, radius: number) =>
  Array.from({ length: radius + 1 }, (_, k) => choose(width, k)).reduce((a, b) => a + b, 0);

describe("the stored form of a hash", () => {
  test("words and bands are the hash's bits in order, and give the hash back", () => {
    expect(BAND_WIDTHS.reduce((a, b) => a + b, 0)).toBe(256);
    for (const hex of ["0".repeat(64), "f".repeat(64), "8000".repeat(16), randomBytes(32).toString("hex")]) {
      const { words, bands } = indexedHash(hex.toUpperCase());
      expect(hexOf(words)).toBe(hex);
      expect(words.every((w) => BigInt(w) >= -(2n ** 63n) && BigInt(w) < 2n ** 63n)).toBe(true);
      const bits = bands.map((b, i) => b.toString(2).padStart(BAND_WIDTHS[i]!, "0")).join("");
      expect(BigInt(`0b${bits}`).toString(16).padStart(64, "0")).toBe(hex);
      expect(bands.every((b, i) => b >= 0 && b < 2 ** BAND_WIDTHS[i]!)).toBe(true);
    }
    expect(indexedHash("f".repeat(64)).words).toEqual(["-1", "-1", "-1", "-1"]);
    expect(indexedHash("f".repeat(64)).bands).toEqual(BAND_WIDTHS.map((w) => 2 ** w - 1));
  });

  test("anything but 64 hex digits is refused", () => {
    for (const bad of ["", "0".repeat(63), "0".repeat(65), `${"0".repeat(63)}g`, ` ${"0".repeat(63)}`]) {
      expect(() => indexedHash(bad)).toThrow(InvalidPerceptualHashError);
    }
  });
});

describe("probes", () => {
  test("a band's probes are every value within the radius, each once", () => {
    for (const width of [23, 24]) {
      for (const band of [0, 2 ** width - 1, 2 ** (width - 1), 1234567]) {
        for (const radius of [-1, 0, 1, 2, 3]) {
          const probes = bandProbes(band, width, radius);
          expect(new Set(probes).size).toBe(radius < 0 ? 0 : keysWithin(width, radius));
          expect(probes.every((p) => p >= 0 && p < 2 ** width && popcount(p ^ band) <= radius)).toBe(true);
        }
      }
    }
  });

  test("the radii guarantee that a hash within the threshold shares a probed key (pigeonhole)", () => {
    expect(MAX_THRESHOLD).toBe(47);
    for (let threshold = 0; threshold <= MAX_THRESHOLD; threshold++) {
      const radii = bandRadii(threshold);
      expect(radii).toHaveLength(BANDS);
      // Were band i r_i + 1 bits apart or more, the hashes would be Σ (r_i + 1) > threshold apart.
      expect(radii.reduce((sum, r) => sum + r + 1, 0)).toBe(threshold + 1);
      expect(Math.max(...radii) - Math.min(...radii)).toBeLessThanOrEqual(1);
    }
    expect(bandRadii(31)).toEqual([1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(bandRadii(0)).toEqual([-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0]);
    const keys = bandRadii(31).reduce((sum, r, i) => sum + keysWithin(BAND_WIDTHS[i]!, r), 0);
    expect(keys).toBe(2_843);
  });
});
