import request from "supertest";
import { expect } from "vitest";
import type { PublicationRequest } from "@vergewis/sdk";
import type { Db } from "../../packages/server/src/db/client.ts";
import { requestTakedown, type RequestedTakedown } from "../../packages/server/src/takedown/request.ts";
import { bearer, publicationRequest } from "./fixtures.ts";
import type { Receiver } from "./receiver.ts";
import { movePublicationTo } from "./states.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

export interface PublishedContent {
  id: string;
  externalId: string;
  fingerprint: { alg: "sha-256"; value: string };
}

/**
 * A cleared publication: requested through the API, then cleared through the domain's state
 * machine, standing in for the consents that the identity flow collects.
 */
export async function clearedPublication(
  baseUrl: string,
  db: Db,
  apiKey: string,
  overrides: Partial<PublicationRequest> = {},
): Promise<PublishedContent> {
  // The state machine stands in for the consents, so no co-performer is mailed an invitation.
  const body = publicationRequest({ slots: [{ role: "uploader" }], ...overrides });
  const res = await request(baseUrl).post("/v1/publications").set(bearer(apiKey)).send(body).expect(201);
  await movePublicationTo(db, res.body.id, ["cleared"]);
  return {
    id: res.body.id,
    externalId: body.externalId,
    fingerprint: body.contentFingerprints[0] as PublishedContent["fingerprint"],
  };
}

/** What a performer's revocation does to the publication: one transaction ordering the takedown. */
export const revoke = (db: Db, publicationId: string): Promise<RequestedTakedown> =>
  runTransaction(db, (tx, effects) => requestTakedown(tx, effects, { publicationId, reason: "revocation" }));

/** Registers a webhook endpoint for the receiver; returns its id and secret. */
export async function subscribe(
  baseUrl: string,
  apiKey: string,
  receiver: Receiver,
  body: Record<string, unknown> = {},
) {
  const res = await request(baseUrl)
    .post("/v1/webhook-endpoints")
    .set(bearer(apiKey))
    .send({ url: receiver.url, ...body })
    .expect(201);
  return { id: res.body.id as string, secret: res.body.secret as string };
}

/**
 * The outbox invariant: every delivery is settled (delivered or dead-lettered: none pending or
 * lost), and every delivered event reached the receiver under its own webhook-id.
 */
export async function expectNothingLost(db: Db, receivers: Receiver[], where: { platformId?: string } = {}) {
  const deliveries = await db.webhookDelivery.findMany({ where, select: { status: true, messageId: true } });
  const byStatus = (s: string) => deliveries.filter((d) => d.status === s).length;
  expect(byStatus("delivered") + byStatus("dead")).toBe(deliveries.length);
  const received = new Set(receivers.flatMap((r) => [...r.unique().keys()]));
  for (const d of deliveries.filter((d) => d.status === "delivered")) expect(received).toContain(d.messageId);
  return { delivered: byStatus("delivered"), dead: byStatus("dead"), total: deliveries.length };
}
