import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { describe, expect, test } from "vitest";
import { pdqDihedralFromImage, pdqFromImage } from "../image.ts";
import { PDQ_DIHEDRAL_VARIANTS } from "./dihedral.ts";
import { lumaFromPixels, pdqDistance, pdqFromLuma, pdqFromPixels, type PdqPixels } from "./index.ts";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../../test/fixtures/pdq");
const fixture = (name: string) => path.join(FIXTURES, name);

/** Full-resolution RGB as decoded by sharp, without any scaling. */
async function pixelsOf(input: string | Buffer): Promise<PdqPixels> {
  const { data, info } = await sharp(input).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3 };
}

/**
 * What Meta's C++ pdq-photo-hasher hashes (pdqio.cpp pdqHash256FromFile): an image larger than 512
 * in either direction is scaled to 512×512 by CImg's default resize, nearest neighbour, source
 * index ⌊x · width / 512⌋.
 */
function cimgNearest512(p: PdqPixels): PdqPixels {
  if (p.width <= 512 && p.height <= 512) return p;
  const out = new Uint8Array(512 * 512 * p.channels);
  for (let y = 0; y < 512; y++) {
    const sy = Math.floor((y * p.height) / 512);
    for (let x = 0; x < 512; x++) {
      const sx = Math.floor((x * p.width) / 512);
      for (let c = 0; c < p.channels; c++)
        out[(y * 512 + x) * p.channels + c] = p.data[(sy * p.width + sx) * p.channels + c]!;
    }
  }
  return { data: out, width: 512, height: 512, channels: p.channels };
}

// Expected hashes of Meta's reference (ThreatExchange commit baefb4ed, see test/fixtures/pdq/README.md).
// The C++ tool's output on its regression inputs (pdq/cpp/bin/README.md, the first command of reg_test/run).
// `referenceReader`: our distance to it when we read the pixels as that tool does (full decode,
// then CImg's nearest-neighbour 512×512); CImg decodes JPEG through ImageMagick, we through sharp
// (mozjpeg), so a few bits differ. `sdkReader`: with the SDK's own reader (`pdqFromImage`: sharp
// scales to 512×512 with a proper filter). Both are the measured distances, recorded per image.
const CPP_REG_TEST: Array<{ file: string; hash: string; referenceReader: number; sdkReader: number }> = [
  {
    file: "bridge-1-original.jpg",
    hash: "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22",
    referenceReader: 10,
    sdkReader: 12,
  },
  {
    file: "bridge-2-rotate-90.jpg",
    hash: "b0a10efd71cc3f429413d48d0ffffe12e34e0e17ada952a9d29684210aa9e5af",
    referenceReader: 12,
    sdkReader: 14,
  },
  {
    file: "bridge-3-rotate-180.jpg",
    hash: "adad5a64b5a142e55362a09057dacd5ae63b847fc23794b766b319361fc93188",
    referenceReader: 8,
    sdkReader: 16,
  },
  {
    file: "bridge-4-rotate-270.jpg",
    hash: "a5f4a457a48995e8c9065c275aaa5498b61ba4bdf8fcf80387c32f8b0bfc4f05",
    referenceReader: 4,
    sdkReader: 6,
  },
  {
    file: "bridge-5-flipx.jpg",
    hash: "f8f80f31e0f417b00e37f5cd028f980fb36ed02a9662c1e233e6cc634e9c64dd",
    referenceReader: 4,
    sdkReader: 6,
  },
  {
    file: "bridge-6-flipy.jpg",
    hash: "8dad2599b1a1bd1853625f6553da32a1e63b7280c2374b4866b366c91bc9ce77",
    referenceReader: 12,
    sdkReader: 14,
  },
  {
    file: "bridge-7-flip-plus-1.jpg",
    hash: "f0a1f102f1dcc0bd9c5309720fff018de34ef1e8ada9a956d2967ade0ea91a50",
    referenceReader: 10,
    sdkReader: 12,
  },
  {
    file: "bridge-8-flip-minus-1.jpg",
    hash: "a5f05ba8a4896a17c106a3da5aaaab07b61b5b42f8fc07fc83c3d0740bfcb0fa",
    referenceReader: 8,
    sdkReader: 16,
  },
];

// The Python port's test (pdq/python/pdqhashing/tests/pdq_test.py), whose reader decodes with PIL
// and scales to at most 512 with PIL's thumbnail; measured distance per image with `pdqFromImage`.
const PYTHON_TEST: Array<{ file: string; hash: string; distance: number }> = [
  { file: "q0003.jpg", hash: "54a977c221d14c1c43ba5e6e21d4a13989a3553f1462611cbb85fda7be83b677", distance: 10 },
  { file: "q0004.jpg", hash: "992d44af36d69e6ca6b812585928bac11def254ef5398c6d07466c9abcc65b92", distance: 0 },
  { file: "q0122.jpg", hash: "cfb2009ddd21c6dab0046a7745b5984757a8a4535b3377aea2591d32b33ff940", distance: 0 },
  { file: "q0291.jpg", hash: "a0fe94f1e5cc1cc8dd855948498dc9243f7ca27336f036d7f212b74bc103c9a7", distance: 0 },
  { file: "q0746.jpg", hash: "1049d96239e24d4dca2c55512b8bdb77425f4dbcf575a0a95555aaab5554aaaa", distance: 0 },
  { file: "q1050.jpg", hash: "489db672e9190276d452aeab41eba20f02375fe4092d88defdf491a5c55c5f70", distance: 0 },
  { file: "q2821.jpg", hash: "b150231ffae4710ffcf4f18bb574b109a576f14bb8543189f8743289f174b109", distance: 0 },
];

describe("PDQ against Meta's reference", () => {
  test("bit-exact with the reference's own test on the same full-resolution pixels (Java PDQHasherTest)", async () => {
    // pdq/java/src/test/java/hasher/pdqhashing/PDQHasherTest.java hashes these at full size,
    // decoded by Java's ImageIO, whose pixels equal sharp's for these baseline JPEGs.
    const original = pdqFromPixels(await pixelsOf(fixture("bridge-1-original.jpg")));
    expect(original).toEqual({
      hash: "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22",
      quality: 100,
    });
    const rotated = pdqFromPixels(await pixelsOf(fixture("bridge-2-rotate-90.jpg")));
    expect(rotated.hash).toBe("30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af");
    expect(pdqDistance(original.hash, rotated.hash)).toBe(120);
    const pen = pdqFromPixels(await pixelsOf(fixture("pen-and-coaster.png")));
    // The reference says 138 for this RGBA PNG with an ICC profile; its decoder and sharp differ on
    // a few of its pixels (measured: 136), so within 2 of it.
    expect(Math.abs(pdqDistance(original.hash, pen.hash) - 138)).toBeLessThanOrEqual(2);
    // The grey version hashes the same: luma of grey equals the grey value.
    const grey = await sharp(fixture("bridge-1-original.jpg")).greyscale().raw().toBuffer({ resolveWithObject: true });
    const greyHash = pdqFromPixels({ data: grey.data, width: grey.info.width, height: grey.info.height, channels: 1 });
    expect(pdqDistance(original.hash, greyHash.hash)).toBeLessThanOrEqual(2);
  });

  test.each(CPP_REG_TEST)(
    "C++ reg_test $file: within the recorded distance",
    async ({ file, hash, referenceReader, sdkReader }) => {
      const ours = pdqFromPixels(cimgNearest512(await pixelsOf(fixture(file))));
      const distance = pdqDistance(ours.hash, hash);
      expect(distance).toBeLessThanOrEqual(referenceReader);
      expect(ours.quality).toBe(100);
      // The SDK's reader (sharp scaling to 512×512 with a proper filter) stays as close.
      expect(pdqDistance((await pdqFromImage(fixture(file))).hash, hash)).toBeLessThanOrEqual(sdkReader);
    },
  );

  test.each(PYTHON_TEST)("Python port $file: within the recorded distance", async ({ file, hash, distance }) => {
    // Small images (at most 512) are hashed unscaled by every reader: bit-exact unless nearly flat
    // (q0003 has quality 3, where a rounding flips bits).
    expect(pdqDistance((await pdqFromImage(fixture(file))).hash, hash)).toBeLessThanOrEqual(distance);
  });

  test("images smaller than 5 pixels get the zero hash and quality 0, as in the reference", () => {
    const tiny = pdqFromPixels({ data: new Uint8Array(4 * 4 * 3).fill(200), width: 4, height: 4, channels: 3 });
    expect(tiny).toEqual({ hash: "0".repeat(64), quality: 0 });
  });

  test("a flat image has quality 0; a 64×64 luma is used as the downsample itself", () => {
    expect(
      pdqFromPixels({ data: new Uint8Array(100 * 80).fill(128), width: 100, height: 80, channels: 1 }).quality,
    ).toBe(0);
    const luma = new Float32Array(64 * 64).map((_, i) => ((i * 7919) % 256) as number);
    expect(pdqFromLuma(luma.slice(), 64, 64).quality).toBe(100);
  });

  test("lumaFromPixels refuses a buffer of the wrong size", () => {
    expect(() => lumaFromPixels({ data: new Uint8Array(10), width: 4, height: 4, channels: 3 })).toThrow(RangeError);
  });

  test("the eight dihedral hashes of the original match the rotated and mirrored files", async () => {
    const { hashes, quality } = await pdqDihedralFromImage(fixture("bridge-1-original.jpg"));
    expect(quality).toBe(100);
    const files = CPP_REG_TEST.map((r) => r.file);
    for (const [i, variant] of PDQ_DIHEDRAL_VARIANTS.entries()) {
      const actual = (await pdqFromImage(fixture(files[i]!))).hash;
      // The files are re-encoded JPEGs of the turned picture: a match at the default threshold.
      expect(pdqDistance(hashes[variant], actual), variant).toBeLessThanOrEqual(31);
      // …and not the other variants.
      for (const other of PDQ_DIHEDRAL_VARIANTS)
        if (other !== variant) expect(pdqDistance(hashes[other], actual), `${variant} vs ${other}`).toBeGreaterThan(60);
    }
  });

  test("pdqDistance counts bits and refuses what is not a hash", () => {
    expect(pdqDistance("0".repeat(64), "f".repeat(64))).toBe(256);
    expect(pdqDistance("0".repeat(63) + "1", "0".repeat(64))).toBe(1);
    expect(() => pdqDistance("xyz", "0".repeat(64))).toThrow(TypeError);
  });
});
