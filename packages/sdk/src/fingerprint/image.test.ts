import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MediaFingerprintError } from "./errors.ts";
import { pdqDihedralFromImage, pdqFromImage } from "./image.ts";
import { pdqDistance } from "./pdq/index.ts";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../test/fixtures/pdq");
const BRIDGE = path.join(FIXTURES, "bridge-1-original.jpg");
/** Meta's suggested match threshold for PDQ. */
const MATCH = 31;

let dir: string;
let original: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-pdq-"));
  original = (await pdqFromImage(BRIDGE)).hash;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const watermark = Buffer.from(
  `<svg width="1600" height="1004"><text x="60" y="960" font-size="72" font-family="sans-serif" fill="white" fill-opacity="0.8">© re-uploader 2026</text></svg>`,
);

// Copies a platform or a re-uploader makes of the same photo: each must stay within the threshold.
const TRANSFORMS: Array<[string, () => Promise<Buffer>]> = [
  ["JPEG quality 30", () => sharp(BRIDGE).jpeg({ quality: 30 }).toBuffer()],
  ["resized to 50 %", () => sharp(BRIDGE).resize(800).jpeg().toBuffer()],
  ["thumbnail 200 px", () => sharp(BRIDGE).resize(200).jpeg({ quality: 60 }).toBuffer()],
  // PDQ is not robust to large crops (Meta says so): 5 % off the sides moves this photo by 48 bits.
  ["cropped 2 %", () => sharp(BRIDGE).extract({ left: 16, top: 10, width: 1568, height: 984 }).jpeg().toBuffer()],
  ["brightness +20 %", () => sharp(BRIDGE).modulate({ brightness: 1.2 }).jpeg().toBuffer()],
  [
    "text watermark",
    () =>
      sharp(BRIDGE)
        .composite([{ input: watermark }])
        .jpeg()
        .toBuffer(),
  ],
  ["slight blur", () => sharp(BRIDGE).blur(2).jpeg().toBuffer()],
  ["PNG", () => sharp(BRIDGE).png().toBuffer()],
  ["WebP", () => sharp(BRIDGE).webp({ quality: 50 }).toBuffer()],
  ["GIF", () => sharp(BRIDGE).resize(600).gif().toBuffer()],
  ["AVIF", () => sharp(BRIDGE).resize(800).avif({ quality: 40 }).toBuffer()],
  ["TIFF", () => sharp(BRIDGE).tiff().toBuffer()],
  ["CMYK JPEG", () => sharp(BRIDGE).toColourspace("cmyk").jpeg().toBuffer()],
  ["PNG with alpha", () => sharp(BRIDGE).ensureAlpha(0.6).png().toBuffer()],
  ["greyscale", () => sharp(BRIDGE).greyscale().jpeg().toBuffer()],
];

describe("pdqFromImage on copies of one photo", () => {
  test.each(TRANSFORMS)("%s stays within the match threshold", async (_name, make) => {
    const copy = await pdqFromImage(await make());
    expect(copy.quality).toBeGreaterThanOrEqual(50);
    expect(pdqDistance(copy.hash, original)).toBeLessThanOrEqual(MATCH);
  });

  test("EXIF orientation is applied: a photo stored sideways with orientation 6 hashes as the upright one", async () => {
    // Stored rotated by 270°; orientation 6 tells viewers to turn it 90° clockwise back.
    const sideways = await sharp(BRIDGE).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    expect(pdqDistance((await pdqFromImage(sideways)).hash, original)).toBeLessThanOrEqual(16);
    const ignoringExif = await sharp(BRIDGE).rotate(270).jpeg({ quality: 95 }).toBuffer();
    expect(pdqDistance((await pdqFromImage(ignoringExif)).hash, original)).toBeGreaterThan(MATCH);
  });

  test("rotated and mirrored copies are far from the original hash but match one of its dihedral hashes", async () => {
    const { hashes } = await pdqDihedralFromImage(BRIDGE);
    for (const [name, make] of [
      ["rotate 90°", () => sharp(BRIDGE).rotate(90).jpeg().toBuffer()],
      ["mirror", () => sharp(BRIDGE).flop().jpeg().toBuffer()],
    ] as const) {
      const copy = (await pdqFromImage(await make())).hash;
      expect(pdqDistance(copy, original), name).toBeGreaterThan(MATCH);
      const best = Math.min(...Object.values(hashes).map((h) => pdqDistance(h, copy)));
      expect(best, name).toBeLessThanOrEqual(MATCH);
    }
  });

  test("unrelated photos are far apart", async () => {
    const others = ["pen-and-coaster.png", "q0122.jpg", "q0291.jpg", "q0746.jpg", "q1050.jpg", "q2821.jpg"];
    const hashes = [
      original,
      ...(await Promise.all(others.map(async (f) => (await pdqFromImage(path.join(FIXTURES, f))).hash))),
    ];
    for (let i = 0; i < hashes.length; i++)
      for (let j = i + 1; j < hashes.length; j++)
        expect(pdqDistance(hashes[i]!, hashes[j]!)).toBeGreaterThan(MATCH * 2);
  });
});

describe("pdqFromImage on bad input", () => {
  test.each([
    ["truncated JPEG", () => fs.readFileSync(BRIDGE).subarray(0, 20_000)],
    ["PNG header and garbage", () => Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), Buffer.alloc(200, 7)])],
    ["empty", () => Buffer.alloc(0)],
    ["text", () => Buffer.from("not an image at all")],
  ])("%s rejects with media_unreadable", async (_name, bytes) => {
    const error = await pdqFromImage(bytes()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaFingerprintError);
    expect(error).toMatchObject({ code: "media_unreadable" });
  });

  test("a missing file rejects with media_unreadable naming it", async () => {
    const missing = path.join(dir, "missing.jpg");
    await expect(pdqFromImage(missing)).rejects.toMatchObject({ code: "media_unreadable", file: missing });
  });
});
