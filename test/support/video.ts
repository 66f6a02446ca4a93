import { execFileSync } from "node:child_process";

/**
 * Writes a real video made by ffmpeg from one of its synthetic sources (`testsrc2`, `mandelbrot`),
 * encoded with H.264: the tests' videos are made, not shipped.
 */
export function makeVideo(
  file: string,
  {
    source = "testsrc2",
    size = "320x180",
    rate = 10,
    seconds = 3,
  }: { source?: string; size?: string; rate?: number; seconds?: number } = {},
): string {
  execFileSync("ffmpeg", [
    "-nostdin",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `${source}=size=${size}:rate=${rate}`,
    "-t",
    String(seconds),
    "-c:v",
    "libx264",
    "-pix_fmt",
    "yuv420p",
    file,
  ]);
  return file;
}

/** Re-encodes a video the way a platform might: smaller (320×180) and at a lower bitrate (100 kbit/s). */
export function reencodeVideo(source: string, file: string): string {
  execFileSync("ffmpeg", [
    ...["-nostdin", "-loglevel", "error", "-y", "-i", source],
    ...["-vf", "scale=320:180", "-c:v", "libx264", "-b:v", "100k", file],
  ]);
  return file;
}
