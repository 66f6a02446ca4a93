import type { ConsentReceipt } from "../verification/receipt.ts";
import type { Fingerprint } from "../schemas/fingerprint.ts";
import type { Usage } from "../schemas/scope.ts";

/**
 * What the gate decides about (normalised): content by fingerprint, or one publication, and the
 * use asked about, when the caller passes it.
 */
export type OfflineTarget = ({ fingerprint: Fingerprint } | { publicationId: string }) & { usage?: Partial<Usage> };

/**
 * Why kept receipts could not decide offline, so that the gate's `failClosed` policy decided:
 *
 * - `no_receipts`: none kept for the target, or the `receipts` function failed.
 * - `invalid_receipt`: a receipt does not verify (signature, key, issuer, platform, claims).
 * - `other_content`: a receipt is for other content (another fingerprint or publication).
 * - `status_unavailable`: no status list within its `ttl` says whether a receipt was revoked.
 * - `no_slot_claims`: a receipt issued before receipts named their slot (`slotPosition`,
 *   `slotCount`): it cannot show that everyone depicted consented. The server still can.
 * - `mixed_publications`: receipts of more than one publication.
 * - `inconsistent`: receipts of one publication that disagree on its number of slots or content.
 * - `duplicate_slot`: more than one receipt for one slot.
 * - `incomplete`: a slot of the publication has no receipt.
 */
export type OfflineRefusal =
  | "no_receipts"
  | "invalid_receipt"
  | "other_content"
  | "status_unavailable"
  | "no_slot_claims"
  | "mixed_publications"
  | "inconsistent"
  | "duplicate_slot"
  | "incomplete";

/** Whether every receipt is about the target: it names the fingerprint, or is of the publication. */
export const coversTarget = (receipt: ConsentReceipt, target: OfflineTarget): boolean =>
  "fingerprint" in target
    ? receipt.contentFingerprints.some((f) => f.alg === target.fingerprint.alg && f.value === target.fingerprint.value)
    : receipt.publicationId === target.publicationId;

const contentKey = (receipt: ConsentReceipt) =>
  receipt.contentFingerprints
    .map((f) => `${f.alg}:${f.value}`)
    .sort()
    .join(",");

/**
 * What keeps verified receipts from proving that everyone depicted consented, or undefined when
 * they do: exactly one receipt for each slot `0 … slotCount-1` of one publication, all naming the
 * same slot count and the same content.
 */
export function receiptSetProblem(receipts: readonly ConsentReceipt[]): OfflineRefusal | undefined {
  const [first] = receipts;
  if (!first) return "no_receipts";
  if (receipts.some((r) => r.slotCount === undefined || r.slotPosition === undefined)) return "no_slot_claims";
  if (receipts.some((r) => r.publicationId !== first.publicationId)) return "mixed_publications";
  const content = contentKey(first);
  if (receipts.some((r) => r.slotCount !== first.slotCount || contentKey(r) !== content)) return "inconsistent";
  const positions = new Set(receipts.map((r) => r.slotPosition));
  if (positions.size !== receipts.length) return "duplicate_slot";
  // Distinct positions below slotCount (the schema ensures that), as many as slotCount: all of them.
  return receipts.length === first.slotCount ? undefined : "incomplete";
}
