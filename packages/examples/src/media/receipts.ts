import type { Vergewis } from "@vergewis/sdk";
import type { Upload, UploadStore } from "../store.ts";

/**
 * Keeps the consent receipts of an upload whose publication Vergewis just called cleared, when
 * none are kept yet. They normally come with `publication.cleared`; if that webhook was missed
 * (the receiver was down longer than the retries), they are fetched here, so that the gate can
 * still decide offline from them.
 */
export async function keepMissingReceipts(
  vergewis: Pick<Vergewis, "publications">,
  store: UploadStore,
  upload: Upload,
): Promise<void> {
  if ((await store.receiptsBySha256(upload.sha256)).length > 0) return;
  const { items } = await vergewis.publications.consents(upload.publicationId);
  await store.addReceipts(
    upload.id,
    items.map((consent) => ({ consentId: consent.id, receipt: consent.receipt })),
  );
}
