import { randomBytes } from "node:crypto";
import type { PublicationRequest } from "@vergewis/sdk";
import { amsterdamDate } from "../../packages/server/src/identity/age.ts";

export const hex64 = () => randomBytes(32).toString("hex");

/**
 * Today in Amsterdam: the production date of the requests tests make, so that every adult test
 * identity (one who turns 18 today, a wallet that proves `age_over_18` alone) was an adult then.
 */
export const producedToday = () => amsterdamDate();

/**
 * A valid publication request; override any part. Unless given, `reviewItems` names a review URL
 * for each sha-256 fingerprint (at a host nobody answers: API tests never fetch it).
 */
export function publicationRequest(overrides: Partial<PublicationRequest> = {}): PublicationRequest {
  const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString();
  const contentFingerprints = overrides.contentFingerprints ?? [{ alg: "sha-256", value: hex64() }];
  return {
    externalId: `video-${randomBytes(6).toString("hex")}`,
    title: "Summer shoot, scene 3",
    contentFingerprints,
    reviewItems: reviewItemsFor(contentFingerprints),
    slots: [{ role: "uploader" }, { role: "co-performer", contact: coPerformerAddress() }],
    scope: { purposes: ["publish"], territories: ["NL", "BE"], validUntil },
    producedAt: producedToday(),
    ...overrides,
  };
}

/** A review URL for each sha-256 fingerprint, as a platform gives them. */
export const reviewItemsFor = (fingerprints: ReadonlyArray<{ alg: string; value?: string }>) =>
  fingerprints
    .flatMap((f) => (f.alg === "sha-256" && f.value ? [f.value] : []))
    .map((value) => ({ sha256: value, url: `https://review.platform.test/items/${value.toLowerCase()}?sig=x` }));

/** A mail address of its own for each co-performer: their invitation mail is told apart by it. */
export const coPerformerAddress = () => `co-${randomBytes(6).toString("hex")}@example.test`;

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
