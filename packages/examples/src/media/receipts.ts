import type { Vergewis } from "@vergewis/sdk";
import type { Upload, UploadStore } from "../store.ts";

/**
 * Keeps the consent receipts of an upload whose publication Vergewis just called cleared, when the
 * kept ones are not all of them. They normally come with `publication.cleared`; if that webhook was
 * missed (the receiver was down longer than the retries), or only part of them was kept, they are
 * fetched here: the gate decides offline only from one receipt for every person depicted.
 */
export async function keepMissingReceipts(
  vergewis: Pick<Vergewis, "publications">,
  store: UploadStore,
  upload: Upload,
): Promise<void> {
  const kept = await store.receiptsOfUpload(upload.id);
  if (kept.length > 0 && kept.length >= slotCountOf(kept[0]!)) return;
  const { items } = await vergewis.publications.consents(upload.publicationId);
  await store.addReceipts(
    upload.id,
    items.map((consent) => ({ consentId: consent.id, receipt: consent.receipt })),
  );
}

/**
 * The publication's number of slots as a receipt states it, read without verifying: it only decides
 * whether to fetch, and the gate verifies what it decides from. A receipt issued before receipts
 * carried the claim counts as complete: fetching again would bring the same receipts.
 */
function slotCountOf(jws: string): number {
  try {
    const claims = JSON.parse(Buffer.from(jws.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      slotCount?: unknown;
    };
    return typeof claims.slotCount === "number" ? claims.slotCount : 0;
  } catch {
    return Infinity;
  }
}
