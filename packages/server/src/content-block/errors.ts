import { VergewisError, type FieldIssue } from "../errors.ts";

export interface BlockedFingerprint {
  /** Position in the request's `contentFingerprints`. */
  index: number;
  alg: string;
  value: string;
  source: "withdrawal" | "report";
  publicationId: string;
  /** Set when the fingerprint is not itself blocked but is a near-duplicate of blocked content. */
  nearDuplicate?: { alg: "pdq" | "vpdq"; value: string; distance: number };
}

/**
 * Content that a performer withdrew, or that an upheld report took down, cannot be requested or
 * consented to again on this platform. `issues` names each blocked fingerprint by its JSON Pointer.
 */
export class ContentWithdrawnError extends VergewisError<"content_withdrawn"> {
  readonly issues: FieldIssue[];

  constructor(blocked: BlockedFingerprint[], pointer = "/body/contentFingerprints") {
    const first = blocked[0]!;
    super(
      "content_withdrawn",
      "conflict",
      `Content ${first.alg}:${first.value} ${because(first)}. It cannot be requested again on this platform` +
        (first.source === "withdrawal" ? " unless that performer allows it again." : "."),
    );
    this.issues = blocked.map((b) => ({ pointer: `${pointer}/${b.index}`, reason: because(b) }));
  }
}

const because = (b: BlockedFingerprint) => {
  const near = b.nearDuplicate;
  const what = near
    ? `is a near-duplicate (${near.alg}, distance ${near.distance}) of ${near.alg}:${near.value}, which `
    : "";
  return b.source === "withdrawal"
    ? `${what}was withdrawn by a performer (publication ${b.publicationId})`
    : `${what}was taken down after an upheld report (publication ${b.publicationId})`;
};
