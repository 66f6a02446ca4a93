import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MediaFingerprintError } from "./errors.ts";
import { matchVpdq } from "./vpdq-match.ts";
import { vpdqFromVideo } from "./video.ts";
import { makeVideo } from "../../../../test/support/video.ts";

let dir: string;
const file = (name: string) => path.join(dir, name);
const ffmpeg = (...args: string[]) => execFileSync("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", ...args]);

// Real videos made by ffmpeg itself: a test pattern, two re-encodes of it (other size, bitrate,
// codec and container), and an unrelated source.
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-vpdq-"));
  makeVideo(file("original.mp4"), { size: "640x360", rate: 25, seconds: 5 });
  ffmpeg(
    "-i",
    file("original.mp4"),
    "-vf",
    "scale=320:180",
    "-c:v",
    "libx264",
    "-b:v",
    "100k",
    file("small-low-bitrate.mp4"),
  );
  ffmpeg("-i", file("original.mp4"), "-vf", "scale=854:480", "-c:v", "mpeg4", "-q:v", "8", file("480p.mkv"));
  makeVideo(file("other.mp4"), { source: "mandelbrot", rate: 25, seconds: 5 });
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("vpdqFromVideo", () => {
  test("hashes one frame a second, with time and quality", async () => {
    const frames = await vpdqFromVideo(file("original.mp4"));
    expect(frames.map((f) => f.t)).toEqual([0, 1, 2, 3, 4]);
    for (const frame of frames) {
      expect(frame.value).toMatch(/^[0-9a-f]{64}$/);
      expect(frame.quality).toBeGreaterThanOrEqual(50);
    }
    // The pattern moves: the frames differ from each other.
    expect(new Set(frames.map((f) => f.value)).size).toBe(5);
  });

  test("the interval is configurable", async () => {
    const frames = await vpdqFromVideo(file("original.mp4"), { secondsPerHash: 2 });
    expect(frames.map((f) => f.t)).toEqual([0, 2, 4]);
  });

  test("re-encodes at other sizes and bitrates match with the reference's rule; another video does not", async () => {
    const original = await vpdqFromVideo(file("original.mp4"));
    for (const copy of ["small-low-bitrate.mp4", "480p.mkv"]) {
      const result = matchVpdq(await vpdqFromVideo(file(copy)), original);
      expect(result, copy).toMatchObject({ match: true });
      expect(result.queryMatchPercent, copy).toBeGreaterThanOrEqual(80);
    }
    const other = await vpdqFromVideo(file("other.mp4"));
    expect(matchVpdq(other, original)).toMatchObject({ match: false, queryMatchPercent: 0, comparedMatchPercent: 0 });
    expect(matchVpdq(original, other).match).toBe(false);
  });

  test("a truncated or bogus video rejects with media_unreadable", async () => {
    const truncated = file("truncated.mp4");
    fs.writeFileSync(truncated, fs.readFileSync(file("original.mp4")).subarray(0, 4000));
    const error = await vpdqFromVideo(truncated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaFingerprintError);
    expect(error).toMatchObject({ code: "media_unreadable", file: truncated });
    const bogus = file("bogus.mkv");
    fs.writeFileSync(bogus, Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(5000, 3)]));
    await expect(vpdqFromVideo(bogus)).rejects.toMatchObject({ code: "media_unreadable" });
  });

  test("without ffmpeg it says so with ffmpeg_unavailable", async () => {
    await expect(
      vpdqFromVideo(file("original.mp4"), { ffmpegPath: path.join(dir, "no-ffmpeg") }),
    ).rejects.toMatchObject({
      code: "ffmpeg_unavailable",
    });
  });

  test("refuses a non-positive interval or a tiny frame size", async () => {
    await expect(vpdqFromVideo(file("original.mp4"), { secondsPerHash: 0 })).rejects.toThrow(RangeError);
    await expect(vpdqFromVideo(file("original.mp4"), { frameSize: 4 })).rejects.toThrow(RangeError);
  });

  test("stops ffmpeg when the signal aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(vpdqFromVideo(file("original.mp4"), { signal: controller.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});
