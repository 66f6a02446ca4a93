import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fileFingerprintsSchema, fingerprintSchema } from "../schemas/fingerprint.ts";
import { fingerprintFile, fingerprintLine } from "./media.ts";
import { mediaKindOf } from "./media-type.ts";
import { pdqDistance } from "./pdq/index.ts";
import { makeVideo } from "../../../../test/support/video.ts";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../test/fixtures/pdq");
const sha256sum = (file: string) => execFileSync("sha256sum", ["--binary", file], { encoding: "utf8" }).split(" ")[0];

let dir: string;
const file = (name: string) => path.join(dir, name);
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-media-"));
  // A photo with a misleading name, a video, and a file that is neither.
  await sharp(path.join(FIXTURES, "bridge-1-original.jpg")).webp().toFile(file("photo.mp4"));
  makeVideo(file("clip.mov"));
  fs.writeFileSync(file("notes.txt"), "not a picture\n");
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("fingerprintFile (media)", () => {
  test("an image: SHA-256 of the bytes and PDQ with quality, whatever its name says", async () => {
    const result = await fingerprintFile(file("photo.mp4"));
    expect(result).toEqual({
      file: file("photo.mp4"),
      fingerprints: [
        { alg: "sha-256", value: sha256sum(file("photo.mp4")) },
        { alg: "pdq", value: expect.stringMatching(/^[0-9a-f]{64}$/), quality: 100 },
      ],
    });
    const pdq = result.fingerprints[1] as { value: string };
    expect(
      pdqDistance(pdq.value, "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"),
    ).toBeLessThanOrEqual(31);
    expect(fileFingerprintsSchema.parse(result)).toEqual(result);
    // The SHA-256 entry is what the API takes as a content fingerprint, unchanged.
    expect(fingerprintSchema.parse(result.fingerprints[0])).toEqual(result.fingerprints[0]);
  });

  test("a video: SHA-256 and vPDQ frames, one a second", async () => {
    const result = await fingerprintFile(file("clip.mov"));
    expect(result.fingerprints[0]).toEqual({ alg: "sha-256", value: sha256sum(file("clip.mov")) });
    expect(result.fingerprints[1]).toMatchObject({ alg: "vpdq", frames: [{ t: 0 }, { t: 1 }, { t: 2 }] });
    expect(fileFingerprintsSchema.parse(result)).toEqual(result);
  });

  test("anything else: the SHA-256 alone", async () => {
    expect(await fingerprintFile(file("notes.txt"))).toEqual({
      file: file("notes.txt"),
      fingerprints: [{ alg: "sha-256", value: sha256sum(file("notes.txt")) }],
    });
  });

  test("fingerprintLine is the JSON line of the CLI format", async () => {
    const line = await fingerprintLine(file("photo.mp4"));
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual(await fingerprintFile(file("photo.mp4")));
    expect(
      line.startsWith(`{"file":${JSON.stringify(file("photo.mp4"))},"fingerprints":[{"alg":"sha-256","value":"`),
    ).toBe(true);
  });

  test("a corrupt image is refused with media_unreadable; a missing file with ENOENT", async () => {
    fs.writeFileSync(file("broken.jpg"), fs.readFileSync(path.join(FIXTURES, "q0122.jpg")).subarray(0, 900));
    await expect(fingerprintFile(file("broken.jpg"))).rejects.toMatchObject({
      code: "media_unreadable",
      file: file("broken.jpg"),
    });
    await expect(fingerprintFile(file("missing"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  test("the format schema refuses a PDQ without quality or out of range", () => {
    const sha = { alg: "sha-256", value: "0".repeat(64) };
    expect(
      fileFingerprintsSchema.safeParse({ file: "x", fingerprints: [sha, { alg: "pdq", value: "0".repeat(64) }] })
        .success,
    ).toBe(false);
    expect(
      fileFingerprintsSchema.safeParse({
        file: "x",
        fingerprints: [sha, { alg: "pdq", value: "0".repeat(64), quality: 101 }],
      }).success,
    ).toBe(false);
    expect(fileFingerprintsSchema.safeParse({ file: "x", fingerprints: [] }).success).toBe(false);
  });
});

describe("mediaKindOf", () => {
  test.each([
    ["JPEG", [0xff, 0xd8, 0xff, 0xe0], "image"],
    ["PNG", [...Buffer.from("\x89PNG", "latin1")], "image"],
    ["AVIF", [0, 0, 0, 0x1c, ...Buffer.from("ftypavif")], "image"],
    ["MP4", [0, 0, 0, 0x20, ...Buffer.from("ftypisom")], "video"],
    ["WebM", [0x1a, 0x45, 0xdf, 0xa3], "video"],
    ["text", [...Buffer.from("hello")], "other"],
    ["nothing", [], "other"],
  ])("%s is %s", (_name, bytes, kind) => {
    expect(mediaKindOf(Uint8Array.from(bytes as number[]))).toBe(kind);
  });
});
