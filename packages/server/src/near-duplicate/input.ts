import type { ContentFingerprint, Fingerprint, VpdqFrame } from "@vergewis/sdk";
import type { FieldIssue } from "../errors.ts";
import { InvalidPerceptualHashError } from "./errors.ts";
import { hashIssues, qualityIssues } from "./hash.ts";

/** What the index stores for a file, and what it is searched with: one PDQ hash, or a video's frames. */
export type PerceptualHashes = { alg: "pdq"; value: string; quality: number } | { alg: "vpdq"; frames: VpdqFrame[] };

/** A day of video at one frame a second: more is not a video a platform publishes. */
export const MAX_FRAMES = 86_400;

/** Refuses anything but a well-formed PDQ hash or list of vPDQ frames, naming every bad field. */
export function checkPerceptualHashes(input: PerceptualHashes): void {
  const issues: FieldIssue[] = [];
  if (input?.alg === "pdq") {
    issues.push(...hashIssues(input.value, "/value"), ...qualityIssues(input.quality, "/quality"));
  } else if (input?.alg === "vpdq") {
    const frames: unknown = input.frames;
    if (!Array.isArray(frames) || frames.length === 0 || frames.length > MAX_FRAMES) {
      issues.push({ pointer: "/frames", reason: `must be a list of 1 to ${MAX_FRAMES} frames` });
    } else {
      frames.forEach((frame: Partial<VpdqFrame> | null, i) => {
        issues.push(...hashIssues(frame?.value, `/frames/${i}/value`));
        issues.push(...qualityIssues(frame?.quality, `/frames/${i}/quality`));
        if (typeof frame?.t !== "number" || !Number.isFinite(frame.t) || frame.t < 0) {
          issues.push({ pointer: `/frames/${i}/t`, reason: "must be a time in seconds, 0 or more" });
        }
      });
    }
  } else {
    issues.push({ pointer: "/alg", reason: 'must be "pdq" or "vpdq"' });
  }
  if (issues.length) throw new InvalidPerceptualHashError(issues);
}

/**
 * What the near-duplicate index can search with: a PDQ hash with its quality, or a video's vPDQ
 * frames. A SHA-256, or a PDQ hash sent without its quality (the floor cannot be applied), has
 * none: such content is matched by its exact fingerprint only.
 */
export function perceptualHashesOf(fingerprint: ContentFingerprint | Fingerprint): PerceptualHashes | undefined {
  if ("frames" in fingerprint) return { alg: "vpdq", frames: fingerprint.frames };
  if (fingerprint.alg === "pdq" && "quality" in fingerprint && fingerprint.quality !== undefined) {
    return { alg: "pdq", value: fingerprint.value, quality: fingerprint.quality };
  }
  return undefined;
}
