import type { FileFingerprints, MediaFingerprint } from "../schemas/fingerprint.ts";
import { fingerprintFile as sha256OfFile } from "./file.ts";
import { pdqFromImage } from "./image.ts";
import { mediaKindOfFile } from "./media-type.ts";
import { vpdqFromVideo, type VpdqOptions } from "./video.ts";

export type MediaFingerprintOptions = Omit<VpdqOptions, "signal"> & { signal?: AbortSignal };

/**
 * Every fingerprint of a file: its SHA-256, plus PDQ for an image or vPDQ for a video (told apart
 * by the file's first bytes, not its name). Other files get the SHA-256 alone. A file that looks
 * like an image or a video but cannot be decoded rejects with `MediaFingerprintError`
 * (`media_unreadable`); a video without ffmpeg installed with `ffmpeg_unavailable`.
 *
 * @example
 * ```ts
 * import { fingerprintFile } from "@vergewis/sdk/fingerprint";
 * const { fingerprints } = await fingerprintFile("./uploads/photo.jpg");
 * // [{ alg: "sha-256", value: "…" }, { alg: "pdq", value: "…", quality: 100 }]
 * ```
 */
export async function fingerprintFile(file: string, options: MediaFingerprintOptions = {}): Promise<FileFingerprints> {
  const [sha256, kind] = await Promise.all([
    sha256OfFile(file, options.signal ? { signal: options.signal } : {}),
    mediaKindOfFile(file),
  ]);
  const fingerprints: MediaFingerprint[] = [{ alg: "sha-256", value: sha256.value }];
  if (kind === "image") {
    const { hash, quality } = await pdqFromImage(file);
    fingerprints.push({ alg: "pdq", value: hash, quality });
  } else if (kind === "video") {
    fingerprints.push({ alg: "vpdq", frames: await vpdqFromVideo(file, options) });
  }
  return { file, fingerprints };
}

/** `fingerprintFile` as the one line of JSON that `vergewis fingerprint FILE` prints (without the newline). */
export async function fingerprintLine(file: string, options: MediaFingerprintOptions = {}): Promise<string> {
  return JSON.stringify(await fingerprintFile(file, options));
}
