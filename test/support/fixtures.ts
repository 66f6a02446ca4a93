import { randomBytes } from "node:crypto";
import type { PublicationRequest } from "@vergewis/sdk";
import { amsterdamDate } from "../../packages/server/src/identity/age.ts";

export const hex64 = () => randomBytes(32).toString("hex");

/**
 * Today in Amsterdam: the production date of the requests tests make, so that every adult test
 * identity (one who turns 18 today, a wallet that proves `age_over_18` alone) was an adult then.
 */
export const producedToday = () => amsterdamDate();

/** A valid publication request; override any part. */
export function publicationRequest(overrides: Partial<PublicationRequest> = {}): PublicationRequest {
  const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString();
  return {
    externalId: `video-${randomBytes(6).toString("hex")}`,
    title: "Summer shoot, scene 3",
    contentFingerprints: [{ alg: "sha-256", value: hex64() }],
    slots: [{ role: "uploader" }, { role: "co-performer", contact: "co@example.test" }],
    scope: { purposes: ["publish"], territories: ["NL", "BE"], validUntil },
    producedAt: producedToday(),
    ...overrides,
  };
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
