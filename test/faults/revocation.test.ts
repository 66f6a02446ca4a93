import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isRevoked, StatusListCache, verifyWebhook, type WebhookEvent } from "@vergewis/sdk";
import { consentedPublication } from "../support/consented.ts";
import { TestPlatform } from "../support/platform.ts";
import { startPortalServer } from "../support/portal.ts";
import { eventually, startReceiver, type Receiver } from "../support/receiver.ts";
import type { TestServer } from "../support/server.ts";
import { expectNothingLost, subscribe } from "../support/takedown.ts";

// The whole path: a performer revokes with a passkey in the portal, and the platform's real
// receiver hears of it; also while the receiver is away. Ends with the outbox invariant.
let server: TestServer;
const receivers: Receiver[] = [];

beforeAll(async () => {
  server = await startPortalServer({
    worker: { pollInterval: "50ms" },
    webhooks: { timeout: "500ms", retryInitialDelay: "100ms", retryMaxDelay: "300ms" },
  });
});
afterAll(async () => {
  await server?.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function platformWithReceiver() {
  const platform = await TestPlatform.create(server, "Revocation receiver");
  const rx = await startReceiver();
  receivers.push(rx);
  const { secret } = await subscribe(server.url, platform.apiKey, rx);
  const events = async () =>
    Promise.all(
      [...rx.unique().values()].map((w) =>
        verifyWebhook({ body: w.body, headers: w.headers as Record<string, string>, secret }),
      ),
    );
  const settled = () =>
    eventually(async () => {
      const open = await server.ctx.db.webhookDelivery.count({
        where: { platformId: platform.id, status: { in: ["pending", "retrying"] } },
      });
      return open === 0 ? true : undefined;
    });
  return { platform, rx, secret, events, settled };
}

const ofType = <T extends WebhookEvent["type"]>(events: WebhookEvent[], type: T) =>
  events.filter((e): e is Extract<WebhookEvent, { type: T }> => e.type === type);

describe("revocation → takedown, end to end", () => {
  test("a passkey-confirmed revocation reaches the platform's receiver, signed and typed", async () => {
    const { platform, rx, events, settled } = await platformWithReceiver();
    const { publication, performers, consentIds, receipts } = await consentedPublication(server, platform, {
      slots: 2,
    });
    await rx.waitFor((r) => r.unique().size === 1, 10_000, "publication.cleared");
    const [cleared] = ofType(await events(), "publication.cleared");
    expect(cleared!.data).toMatchObject({ publicationId: publication.id, externalId: publication.externalId });
    expect(cleared!.data.consents.map((c) => c.consentId).sort()).toEqual([...consentIds].sort());

    const revoked = await performers[1]!.revoke(consentIds[1]!);
    expect(revoked.status).toBe(200);
    await rx.waitFor((r) => r.unique().size === 3, 10_000, "takedown.requested and consent.revoked");
    const all = await events();
    const [takedown] = ofType(all, "takedown.requested");
    const [revocation] = ofType(all, "consent.revoked");
    expect(takedown!.data).toMatchObject({
      publicationId: publication.id,
      reason: "revocation",
      consentId: consentIds[1],
      takedownId: revoked.body.takedownId,
    });
    expect(revocation!.data).toMatchObject({
      consentId: consentIds[1],
      publicationStatus: "takedown_required",
      takedownId: revoked.body.takedownId,
    });

    // Also without the webhook: the status list and the check say so.
    expect(await isRevoked(receipts[1]!, { cache: new StatusListCache() })).toBe(true);
    expect(await isRevoked(receipts[0]!, { cache: new StatusListCache() })).toBe(false);
    const check = await platform.request("POST", "/v1/check", { fingerprint: publication.contentFingerprints[0] });
    expect(check.body).toMatchObject({ allowed: false, reason: "revoked" });

    // The platform removes it and says so.
    const ack = await platform.request("POST", `/v1/takedowns/${revoked.body.takedownId}/ack`, {
      removedAt: new Date().toISOString(),
    });
    expect(ack.body).toMatchObject({ status: "acknowledged" });
    await settled();
    expect(await expectNothingLost(server.ctx.db, [rx], { platformId: platform.id })).toEqual({
      delivered: 3,
      dead: 0,
      total: 3,
    });
  });

  test("revoked while the receiver is down: delivered once it is back", async () => {
    const { platform, rx, events, settled } = await platformWithReceiver();
    const { performers, consentIds } = await consentedPublication(server, platform);
    await rx.waitFor((r) => r.unique().size === 1, 10_000, "publication.cleared");
    await rx.stop();
    expect((await performers[0]!.revoke(consentIds[0]!)).status).toBe(200);
    await eventually(async () => {
      const failed = await server.ctx.db.webhookAttempt.count({
        where: { delivery: { platformId: platform.id }, error: "connection refused" },
      });
      return failed >= 2 ? true : undefined;
    });
    await rx.start();
    await rx.waitFor((r) => r.unique().size === 3, 15_000, "the webhooks after the outage");
    expect(ofType(await events(), "takedown.requested")).toHaveLength(1);
    await settled();
    expect(await expectNothingLost(server.ctx.db, [rx], { platformId: platform.id })).toEqual({
      delivered: 3,
      dead: 0,
      total: 3,
    });
  });
});
