import { spawn } from "node:child_process";
import { MediaFingerprintError } from "./errors.ts";
import { pdqFromPixels } from "./pdq/index.ts";
import type { VpdqFrame } from "./vpdq-match.ts";

export interface VpdqOptions {
  /** Seconds between hashed frames; 1 as in Meta's vPDQ tools. */
  secondsPerHash?: number;
  /**
   * Frames are scaled to this square by ffmpeg (area averaging, vPDQ's SWS_AREA) before hashing,
   * the size Meta's PDQ tool hashes photos at; PDQ squeezes to 64×64 anyway.
   */
  frameSize?: number;
  /** The ffmpeg program: `ffmpeg` on `PATH` unless given. */
  ffmpegPath?: string;
  signal?: AbortSignal;
}

const STDERR_KEEP = 64 * 1024;

/**
 * vPDQ of a video file, following Meta's vpdq (ThreatExchange vpdq/cpp/vpdq/cpp/hashing/
 * filehasher.cpp and pdqbufferhasher.cpp): the first frame and then one frame each
 * `secondsPerHash` seconds, each converted to RGB24 and hashed with PDQ, with its quality and time.
 * ffmpeg decodes and sends raw frames over a pipe; each frame is hashed as it arrives, so memory
 * holds one frame, whatever the video's length. Where the reference picks every
 * ⌊secondsPerHash × frame rate⌋-th frame, ffmpeg's `select` keeps the first frame at least
 * `secondsPerHash` after the previous kept one, which is the same for constant frame rates and
 * also right for variable ones.
 */
export async function vpdqFromVideo(file: string, options: VpdqOptions = {}): Promise<VpdqFrame[]> {
  const secondsPerHash = options.secondsPerHash ?? 1;
  const size = options.frameSize ?? 512;
  if (!(secondsPerHash > 0)) throw new RangeError("secondsPerHash must be positive");
  if (!Number.isInteger(size) || size < 5) throw new RangeError("frameSize must be an integer of at least 5");
  const frameBytes = size * size * 3;
  const filter =
    `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${secondsPerHash})',` +
    `showinfo,scale=${size}:${size}:flags=area,format=rgb24`;
  const child = spawn(
    options.ffmpegPath ?? "ffmpeg",
    [
      "-nostdin",
      "-hide_banner",
      "-loglevel",
      "info",
      "-i",
      file,
      "-map",
      "0:v:0",
      "-an",
      "-sn",
      "-dn",
      "-vf",
      filter,
      "-fps_mode",
      "passthrough",
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgb24",
      "pipe:1",
    ],
    { stdio: ["ignore", "pipe", "pipe"], ...(options.signal ? { signal: options.signal } : {}) },
  );

  const times: number[] = [];
  let stderr = "";
  let pending = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text: string) => {
    // showinfo logs one line per kept frame, in order: "… n:   0 pts: … pts_time:1.001 …".
    pending += text;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const match = /Parsed_showinfo.*\bpts_time:\s*(-?[\d.]+)/.exec(line);
      if (match) times.push(Number(match[1]));
      else stderr = (stderr + line + "\n").slice(-STDERR_KEEP);
    }
  });
  const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on("error", (error) => resolve({ code: null, error }));
    child.on("close", (code) => resolve({ code }));
  });

  const hashes: Array<{ value: string; quality: number }> = [];
  const frame = new Uint8Array(frameBytes);
  let filled = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === frameBytes) {
          const { hash, quality } = pdqFromPixels({ data: frame, width: size, height: size, channels: 3 });
          hashes.push({ value: hash, quality });
          filled = 0;
        }
      }
    }
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    throw error;
  }
  const { code, error } = await exited;
  options.signal?.throwIfAborted();
  if (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new MediaFingerprintError(
        "ffmpeg_unavailable",
        `Video fingerprints need ffmpeg, and "${options.ffmpegPath ?? "ffmpeg"}" was not found: install it (Debian: apt-get install ffmpeg).`,
        { cause: error, file },
      );
    throw error;
  }
  if (code !== 0 || hashes.length === 0) {
    const why = stderr.trim().split("\n").slice(-3).join(" ").trim();
    throw new MediaFingerprintError(
      "media_unreadable",
      `${file} could not be decoded as a video${why ? `: ${why}` : hashes.length === 0 ? ": it has no frames" : ""}`,
      { file },
    );
  }
  // Frames and showinfo lines come in the same order; a missing time (never seen) falls back to the spacing.
  return hashes.map((h, i) => ({ t: roundMillis(times[i] ?? i * secondsPerHash), ...h }));
}

const roundMillis = (seconds: number) => Math.round(seconds * 1000) / 1000;
