import { randomBytes } from "node:crypto";
import type { PublicationRequest } from "@vergewis/sdk";

export const hex64 = () => randomBytes(32).toString("hex");

/** A valid publication request; override any part. */
export function publicationRequest(overrides: Partial<PublicationRequest> = {}): PublicationRequest {
  const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString();
  return {
    externalId: `video-${randomBytes(6).toString("hex")}`,
    title: "Summer shoot, scene 3",
    contentFingerprints: [{ alg: "sha-256", value: hex64() }],
    slots: [{ role: "uploader" }, { role: "co-performer", contact: coPerformerAddress() }],
    scope: { purposes: ["publish"], territories: ["NL", "BE"], validUntil },
    ...overrides,
  };
}

/** A mail address of its own for each co-performer: their invitation mail is told apart by it. */
export const coPerformerAddress = () => `co-${randomBytes(6).toString("hex")}@example.test`;

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
