import { MAX_VPDQ_FRAMES, type ContentFingerprintInput, type FingerprintInput } from "@vergewis/sdk";
import {
  fingerprintFile,
  MediaFingerprintError,
  PDQ_MATCH_DEFAULTS,
  type FileFingerprints,
} from "@vergewis/sdk/fingerprint";

export interface UploadFingerprints {
  /** The exact file: what consent is given for, and what the platform files uploads under. */
  sha256: FingerprintInput & { alg: "sha-256" };
  /**
   * What the publication request and the checks carry: the SHA-256, and the PDQ (with its
   * quality) of an image that has enough detail to be matched, or the vPDQ frames of a video.
   */
  content: ContentFingerprintInput[];
  /** Everything `fingerprintFile` found, vPDQ frames of a video included. */
  all: FileFingerprints;
}

/**
 * Every upload is fingerprinted as `vergewis fingerprint` does it: SHA-256 plus PDQ (images) or
 * vPDQ (videos), all sent to Vergewis, which refuses near-duplicates of withdrawn content. A PDQ
 * below Meta's quality floor (a near-blank picture) would match unrelated near-blank pictures
 * exactly, so it is kept back; so are the frames of a video longer than the API takes
 * (`MAX_VPDQ_FRAMES` at one a second), which is then matched by its SHA-256 alone.
 */
export async function fingerprintUpload(file: string): Promise<UploadFingerprints> {
  const all = await fingerprintFile(file);
  let sha256: UploadFingerprints["sha256"] | undefined;
  const content: ContentFingerprintInput[] = [];
  for (const fingerprint of all.fingerprints) {
    if (fingerprint.alg === "sha-256") content.push((sha256 = { alg: "sha-256", value: fingerprint.value }));
    else if (fingerprint.alg === "pdq" && fingerprint.quality >= PDQ_MATCH_DEFAULTS.qualityThreshold)
      content.push(fingerprint);
    else if (fingerprint.alg === "vpdq" && fingerprint.frames.length <= MAX_VPDQ_FRAMES) content.push(fingerprint);
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
