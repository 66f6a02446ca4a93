import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { InvalidPerceptualHashError } from "./errors.ts";
import { hexOf, indexedHash } from "./hash.ts";
import { bandProbes } from "./probes.ts";
import { MAX_THRESHOLD, probeRadius } from "./search.ts";

const bitsApart = (a: number, b: number) => [...((a ^ b) & 0xffff).toString(2)].filter((c) => c === "1").length;

describe("the stored form of a hash", () => {
  test("words and bands are the hash's bits in order, as signed integers, and give the hash back", () => {
    for (const hex of ["0".repeat(64), "f".repeat(64), "8000".repeat(16), randomBytes(32).toString("hex")]) {
      const { words, bands } = indexedHash(hex.toUpperCase());
      expect(hexOf(words)).toBe(hex);
      expect(words.every((w) => BigInt(w) >= -(2n ** 63n) && BigInt(w) < 2n ** 63n)).toBe(true);
      expect(bands.map((b) => (b & 0xffff).toString(16).padStart(4, "0")).join("")).toBe(hex);
      expect(bands.every((b) => b >= -32768 && b <= 32767)).toBe(true);
    }
    expect(indexedHash("f".repeat(64)).words).toEqual(["-1", "-1", "-1", "-1"]);
    expect(indexedHash("8000".repeat(16)).bands).toEqual(Array(16).fill(-32768));
  });

  test("anything but 64 hex digits is refused", () => {
    for (const bad of ["", "0".repeat(63), "0".repeat(65), `${"0".repeat(63)}g`, ` ${"0".repeat(63)}`]) {
      expect(() => indexedHash(bad)).toThrow(InvalidPerceptualHashError);
    }
  });
});

describe("probes", () => {
  test("a band's probes are every value within the radius, each once", () => {
    for (const band of [0, -1, -32768, 32767, 12345]) {
      for (const [radius, count] of [
        [0, 1],
        [1, 17],
        [2, 137],
      ] as const) {
        const probes = bandProbes(band, radius);
        expect(new Set(probes).size).toBe(count);
        expect(probes.every((p) => p >= -32768 && p <= 32767 && bitsApart(p, band) <= radius)).toBe(true);
      }
    }
  });

  test("the radius guarantees that a hash within the threshold shares a probed band (pigeonhole)", () => {
    expect([0, 15, 16, 31, 32, 47].map(probeRadius)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(MAX_THRESHOLD).toBe(47);
    // Spread the threshold's bits as evenly as possible over the 16 bands: the nearest band is
    // then exactly probeRadius(threshold) bits away.
    for (const threshold of [15, 31, 47]) {
      const perBand = Array.from({ length: 16 }, (_, i) => Math.floor(threshold / 16) + (i < threshold % 16 ? 1 : 0));
      expect(Math.min(...perBand)).toBe(probeRadius(threshold));
    }
  });
});
