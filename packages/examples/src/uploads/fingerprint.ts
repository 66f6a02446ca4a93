import type { FingerprintInput } from "@vergewis/sdk";
import {
  fingerprintFile,
  MediaFingerprintError,
  PDQ_MATCH_DEFAULTS,
  type FileFingerprints,
} from "@vergewis/sdk/fingerprint";

export interface UploadFingerprints {
  /** The exact file: what consent is given for, and what the platform files uploads under. */
  sha256: FingerprintInput & { alg: "sha-256" };
  /** What the publication request carries: the SHA-256, and the PDQ of an image that has enough detail to be matched. */
  content: FingerprintInput[];
  /** Everything `fingerprintFile` found, vPDQ frames of a video included. */
  all: FileFingerprints;
}

/**
 * Every upload is fingerprinted as `vergewis fingerprint` does it: SHA-256 plus PDQ (images) or
 * vPDQ (videos). The API takes `sha-256` and `pdq` fingerprints; a PDQ below Meta's quality floor
 * (a near-blank picture) would match unrelated near-blank pictures, so it is kept back.
 */
export async function fingerprintUpload(file: string): Promise<UploadFingerprints> {
  const all = await fingerprintFile(file);
  let sha256: UploadFingerprints["sha256"] | undefined;
  const content: FingerprintInput[] = [];
  for (const fingerprint of all.fingerprints) {
    if (fingerprint.alg === "sha-256") content.push((sha256 = { alg: "sha-256", value: fingerprint.value }));
    else if (fingerprint.alg === "pdq" && fingerprint.quality >= PDQ_MATCH_DEFAULTS.qualityThreshold)
      content.push({ alg: "pdq", value: fingerprint.value });
  }
  if (!sha256) throw new Error("fingerprintFile always gives the SHA-256");
  return { sha256, content, all };
}

/** The uploader's message when a file cannot be fingerprinted, or undefined when the error is another. */
export function unreadableMessage(error: unknown): { status: 422 | 503; text: string } | undefined {
  if (!(error instanceof MediaFingerprintError)) return undefined;
  return error.code === "ffmpeg_unavailable"
    ? {
        status: 503,
        text: "Videos cannot be checked on this server right now (ffmpeg is missing), so nothing was uploaded.",
      }
    : {
        status: 422,
        text: "This file looks like an image or a video but cannot be read; it may be damaged or cut short.",
      };
}
