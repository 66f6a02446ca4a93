import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  deliveryListSchema,
  eventListSchema,
  verifyWebhook,
  webhookDeliveryDetailSchema,
  type WebhookEvent,
} from "@vergewis/sdk";
import { randomBytes, randomUUID } from "node:crypto";
import { enqueueEvent } from "../../packages/server/src/webhook/outbox.ts";
import { sealSecret } from "../../packages/server/src/webhook/secret.ts";
import { databaseKind } from "../support/database.ts";
import { bearer } from "../support/fixtures.ts";
import { eventually, startReceiver, type Receiver } from "../support/receiver.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { clearedPublication, expectNothingLost, revoke, subscribe } from "../support/takedown.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

let server: TestServer;
const receivers: Receiver[] = [];

beforeAll(async () => {
  server = await startTestServer({
    worker: { pollInterval: "50ms" },
    webhooks: { timeout: "400ms", retryInitialDelay: "50ms", retryMaxDelay: "200ms", retryWindow: "2s" },
  });
});
afterAll(async () => {
  await server?.close();
  await Promise.all(receivers.map((r) => r.close()));
});

const api = () => request(server.url);
const receiver = async () => {
  const r = await startReceiver();
  receivers.push(r);
  return r;
};

/** A platform with an endpoint at a fresh receiver. */
async function setup(endpoint: Record<string, unknown> = {}) {
  const platform = await server.createPlatform();
  const rx = await receiver();
  const { id: endpointId, secret } = await subscribe(server.url, platform.apiKey, rx, endpoint);
  return { key: platform.apiKey, platformId: platform.id, rx, endpointId, secret };
}

const deliveriesOf = (key: string, query: Record<string, string> = {}) =>
  api()
    .get("/v1/webhook-deliveries")
    .query(query)
    .set(bearer(key))
    .expect(200)
    .then((r) => deliveryListSchema.parse(r.body).items);

async function settled(key: string, count: number) {
  return eventually(
    async () => {
      const items = await deliveriesOf(key);
      return items.length === count && items.every((d) => d.status === "delivered" || d.status === "dead")
        ? items
        : undefined;
    },
    15_000,
    `${count} settled deliveries`,
  );
}

const platformsTested: string[] = [];
afterEach(async () => {
  for (const platformId of platformsTested.splice(0)) await expectNothingLost(server.ctx.db, receivers, { platformId });
});

describe("delivery", () => {
  test("a revocation reaches a real receiver as a signed takedown.requested webhook", async () => {
    const { key, platformId, rx, secret } = await setup();
    platformsTested.push(platformId);
    const content = await clearedPublication(server.url, server.ctx.db, key);
    const takedown = await revoke(server.ctx.db, content.id);
    await rx.waitFor((r) => r.received.length === 1, 10_000, "the webhook");

    const [webhook] = rx.received;
    expect(webhook!.headers["content-type"]).toBe("application/json");
    expect(Math.abs(Number(webhook!.timestamp) - Date.now() / 1000)).toBeLessThan(30);
    const [reference] = rx.verifyAll(secret) as WebhookEvent[];
    const event = await verifyWebhook({
      body: webhook!.body,
      headers: webhook!.headers as Record<string, string>,
      secret,
    });
    expect(event).toEqual(reference);
    expect(event).toMatchObject({
      id: webhook!.id,
      type: "takedown.requested",
      version: 1,
      data: {
        takedownId: takedown.takedownId,
        publicationId: content.id,
        externalId: content.externalId,
        reason: "revocation",
        dueAt: takedown.dueAt.toISOString(),
      },
    });

    const [delivery] = await settled(key, 1);
    expect(delivery).toMatchObject({
      eventId: webhook!.id,
      eventType: "takedown.requested",
      status: "delivered",
      attempts: 1,
      lastResponseStatus: 204,
    });
    const detail = webhookDeliveryDetailSchema.parse(
      (await api().get(`/v1/webhook-deliveries/${delivery!.id}`).set(bearer(key)).expect(200)).body,
    );
    expect(detail.attemptLog).toMatchObject([{ attempt: 1, responseStatus: 204, error: null }]);
  });

  test("every subscribed endpoint gets the event; one subscribed to other types does not", async () => {
    const { key, platformId, rx } = await setup();
    platformsTested.push(platformId);
    const second = await receiver();
    const filtered = await receiver();
    await subscribe(server.url, key, second, { eventTypes: ["takedown.requested"] });
    await subscribe(server.url, key, filtered, { eventTypes: ["report.received"] });
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await revoke(server.ctx.db, content.id);
    await rx.waitFor((r) => r.received.length === 1);
    await second.waitFor((r) => r.received.length === 1);
    expect(second.received[0]!.id).toBe(rx.received[0]!.id);
    await settled(key, 2);
    expect(filtered.received).toHaveLength(0);
  });

  test("500 then 200: retried, with the same webhook-id and a fresh signature", async () => {
    const { key, platformId, rx, secret } = await setup();
    platformsTested.push(platformId);
    rx.behave((_w, n) => ({ status: n === 1 ? 500 : 200 }));
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await revoke(server.ctx.db, content.id);
    const [delivery] = await settled(key, 1);
    expect(rx.received).toHaveLength(2);
    expect(rx.received[1]!.id).toBe(rx.received[0]!.id);
    expect(rx.received[1]!.body).toBe(rx.received[0]!.body);
    rx.verifyAll(secret);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2, lastResponseStatus: 200, lastError: null });
    const detail = (await api().get(`/v1/webhook-deliveries/${delivery!.id}`).set(bearer(key)).expect(200)).body;
    expect(detail.attemptLog.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([500, 200]);
  });

  test("a receiver slower than the timeout fails the attempt; the retry gets through", async () => {
    const { key, platformId, rx } = await setup();
    platformsTested.push(platformId);
    rx.behave((_w, n) => (n === 1 ? { status: 200, delayMs: 1_500 } : { status: 200 }));
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await revoke(server.ctx.db, content.id);
    const [delivery] = await settled(key, 1);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2 });
    const detail = (await api().get(`/v1/webhook-deliveries/${delivery!.id}`).set(bearer(key)).expect(200)).body;
    expect(detail.attemptLog[0]).toMatchObject({ responseStatus: null, error: "no response within 400 ms" });
  });

  test("a redirect is not followed: it is a failed attempt", async () => {
    const { key, platformId, rx } = await setup();
    platformsTested.push(platformId);
    rx.behave((_w, n) => ({ status: n === 1 ? 307 : 204 }));
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await revoke(server.ctx.db, content.id);
    const [delivery] = await settled(key, 1);
    const detail = (await api().get(`/v1/webhook-deliveries/${delivery!.id}`).set(bearer(key)).expect(200)).body;
    expect(detail.attemptLog.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([307, 204]);
  });

  test("a receiver that stays down: retried with backoff for the window, then dead-lettered and audited", async () => {
    const { key, platformId, rx } = await setup();
    platformsTested.push(platformId);
    rx.behave(() => ({ status: 503 }));
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await revoke(server.ctx.db, content.id);
    const [delivery] = await settled(key, 1);
    expect(delivery!.status).toBe("dead");
    expect(delivery!.attempts).toBeGreaterThan(3);
    expect(delivery!.nextAttemptAt).toBeNull();
    expect(delivery!.lastError).toBe("HTTP 503");
    const detail = (await api().get(`/v1/webhook-deliveries/${delivery!.id}`).set(bearer(key)).expect(200)).body;
    const starts = detail.attemptLog.map((a: { startedAt: string }) => Date.parse(a.startedAt));
    const gaps = starts.slice(1).map((t: number, i: number) => t - starts[i]);
    expect(gaps.every((g: number) => g >= 25)).toBe(true);
    // The last attempt started after the retry window (2 s) counted from the event.
    const queuedAt = Date.parse(JSON.parse(rx.received[0]!.body).timestamp);
    expect(starts.at(-1) - queuedAt).toBeGreaterThanOrEqual(2_000);
    expect((await deliveriesOf(key, { status: "dead" })).map((d) => d.id)).toEqual([delivery!.id]);
    const audit = await server.ctx.db.auditEvent.findFirstOrThrow({
      where: { platformId, type: "webhook.dead_lettered" },
    });
    expect(JSON.parse(audit.entry).data).toMatchObject({ deliveryId: delivery!.id, cause: "retries_exhausted" });

    rx.behave(() => ({ status: 204 }));
    const res = await api().post(`/v1/webhook-deliveries/${delivery!.id}/redeliver`).set(bearer(key)).expect(202);
    expect(res.body).toMatchObject({ id: delivery!.id, status: "pending", attempts: 0 });
    const before = rx.received.length;
    await rx.waitFor((r) => r.received.length === before + 1);
    expect(rx.received.at(-1)!.id).toBe(delivery!.eventId);
    const [again] = await settled(key, 1);
    expect(again).toMatchObject({ status: "delivered", attempts: 1 });
  });

  test("410 Gone disables the endpoint and dead-letters what is queued; enable + recover sends it", async () => {
    const { key, platformId, rx, endpointId } = await setup();
    platformsTested.push(platformId);
    rx.behave(() => ({ status: 410 }));
    const first = await clearedPublication(server.url, server.ctx.db, key);
    await revoke(server.ctx.db, first.id);
    await settled(key, 1);
    const endpoint = (await api().get(`/v1/webhook-endpoints/${endpointId}`).set(bearer(key)).expect(200)).body;
    expect(endpoint).toMatchObject({ status: "disabled", disabledReason: "gone" });
    expect(rx.received).toHaveLength(1);

    // While disabled, new events queue no delivery to it; redelivery is refused.
    const second = await clearedPublication(server.url, server.ctx.db, key);
    await revoke(server.ctx.db, second.id);
    const [dead] = await deliveriesOf(key);
    expect(dead!.status).toBe("dead");
    const refused = await api().post(`/v1/webhook-deliveries/${dead!.id}/redeliver`).set(bearer(key)).expect(409);
    expect(refused.body.code).toBe("endpoint_disabled");

    rx.behave(() => ({ status: 204 }));
    const enabled = await api().post(`/v1/webhook-endpoints/${endpointId}/enable`).set(bearer(key)).expect(200);
    expect(enabled.body.status).toBe("enabled");
    const recovered = await api()
      .post(`/v1/webhook-endpoints/${endpointId}/recover`)
      .set(bearer(key))
      .send({})
      .expect(202);
    expect(recovered.body).toEqual({ redelivered: 1 });
    await rx.waitFor((r) => r.received.length === 2);
    const [delivered] = await settled(key, 1);
    expect(delivered!.status).toBe("delivered");
    // The feed lists an event once no older transaction is still running anywhere on the cluster.
    const events = await eventually(async () => {
      const page = eventListSchema.parse((await api().get("/v1/events").set(bearer(key)).expect(200)).body);
      return page.items.length === 2 ? page : undefined;
    }, 30_000);
    expect(events.items.map((e) => e.type)).toEqual(["takedown.requested", "takedown.requested"]);
  });

  test("deleting an endpoint dead-letters what is still queued for it", async () => {
    const { key, platformId, rx, endpointId } = await setup();
    platformsTested.push(platformId);
    rx.behave(() => ({ status: 500 }));
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await revoke(server.ctx.db, content.id);
    await rx.waitFor((r) => r.received.length >= 1);
    await api().delete(`/v1/webhook-endpoints/${endpointId}`).set(bearer(key)).expect(204);
    const [delivery] = await settled(key, 1);
    expect(delivery).toMatchObject({ status: "dead", lastError: "endpoint deleted" });
    const count = rx.received.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rx.received).toHaveLength(count);
  });

  test("a signing secret that no longer opens (server secret changed) fails attempts instead of sticking", async () => {
    const { key, platformId, rx, endpointId } = await setup();
    platformsTested.push(platformId);
    const foreign = sealSecret(randomBytes(32), platformId, "whsec_" + randomBytes(32).toString("base64"));
    await server.ctx.db.webhookEndpoint.update({ where: { id: endpointId }, data: { secret: foreign } });
    await revoke(server.ctx.db, (await clearedPublication(server.url, server.ctx.db, key)).id);
    const [delivery] = await settled(key, 1);
    expect(delivery).toMatchObject({
      status: "dead",
      lastError: "could not sign or send the webhook; see the server log",
    });
    expect(rx.received).toHaveLength(0);
    expect(server.logs.some((l) => l.msg === "could not send a webhook" && l.deliveryId === delivery!.id)).toBe(true);
  });

  test("during a secret rotation each delivery carries both signatures", async () => {
    const { key, platformId, rx, endpointId, secret: oldSecret } = await setup();
    platformsTested.push(platformId);
    const rotated = await api()
      .post(`/v1/webhook-endpoints/${endpointId}/rotate-secret`)
      .set(bearer(key))
      .send({})
      .expect(200);
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await revoke(server.ctx.db, content.id);
    await rx.waitFor((r) => r.received.length === 1);
    expect(rx.received[0]!.signature.split(" ")).toHaveLength(2);
    rx.verifyAll(oldSecret);
    rx.verifyAll(rotated.body.secret);

    await api()
      .post(`/v1/webhook-endpoints/${endpointId}/rotate-secret`)
      .set(bearer(key))
      .send({ overlapSeconds: 0 })
      .expect(200);
    const newest = (await server.ctx.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } }))
      .previousSecret;
    expect(newest).toBeNull();
    const other = await clearedPublication(server.url, server.ctx.db, key);
    await revoke(server.ctx.db, other.id);
    await rx.waitFor((r) => r.received.length === 2);
    expect(rx.received[1]!.signature.split(" ")).toHaveLength(1);
    await settled(key, 2);
  });
});

describe("GET /v1/webhook-deliveries", () => {
  test("filters by status, event type, event and endpoint; pages newest first; sees only the caller's", async () => {
    const { key, platformId, rx, endpointId } = await setup();
    platformsTested.push(platformId);
    for (let i = 0; i < 3; i++)
      await revoke(server.ctx.db, (await clearedPublication(server.url, server.ctx.db, key)).id);
    const all = await settled(key, 3);
    const page1 = await api().get("/v1/webhook-deliveries").query({ limit: 2 }).set(bearer(key)).expect(200);
    const page2 = await api()
      .get("/v1/webhook-deliveries")
      .query({ limit: 2, cursor: page1.body.nextCursor })
      .set(bearer(key))
      .expect(200);
    expect([...page1.body.items, ...page2.body.items].map((d: { id: string }) => d.id)).toEqual(all.map((d) => d.id));
    expect(page2.body.nextCursor).toBeNull();
    expect(await deliveriesOf(key, { status: "delivered", eventType: "takedown.requested", endpointId })).toHaveLength(
      3,
    );
    expect(await deliveriesOf(key, { eventId: rx.received[0]!.id })).toHaveLength(1);
    expect(await deliveriesOf(key, { status: "dead" })).toHaveLength(0);
    const stranger = (await server.createPlatform()).apiKey;
    expect(await deliveriesOf(stranger)).toHaveLength(0);
    await api().get(`/v1/webhook-deliveries/${all[0]!.id}`).set(bearer(stranger)).expect(404);
    await api().post(`/v1/webhook-deliveries/${all[0]!.id}/redeliver`).set(bearer(stranger)).expect(404);
  });

  test.each([
    { status: "lost" },
    { eventType: "x.y" },
    { endpointId: "nope" },
    { limit: "0" },
    { cursor: "bad" },
    { other: "1" },
  ])("refuses the query %j", async (query) => {
    const { key } = await setup();
    const res = await api().get("/v1/webhook-deliveries").query(query).set(bearer(key)).expect(400);
    expect(res.body.errors[0].pointer).toMatch(/^\/query\//);
  });

  test("a delivery still being attempted cannot be redelivered (409)", async () => {
    const { key, platformId, rx } = await setup();
    platformsTested.push(platformId);
    rx.behave((_w, n) => (n === 1 ? { hang: true } : { status: 204 }));
    await revoke(server.ctx.db, (await clearedPublication(server.url, server.ctx.db, key)).id);
    await rx.waitFor((r) => r.received.length === 1);
    const [delivery] = await deliveriesOf(key);
    const res = await api().post(`/v1/webhook-deliveries/${delivery!.id}/redeliver`).set(bearer(key)).expect(409);
    expect(res.body.code).toBe("delivery_in_progress");
    await settled(key, 1);
  });
});

describe("GET /v1/events", () => {
  // An event is listed once every transaction that was running when it committed has ended: on the
  // shared test cluster, other suites' transactions can hold it back a moment, so poll.
  const pollUntilListed = (key: string, cursor?: string | null) =>
    eventually(async () => {
      const res = await api()
        .get("/v1/events")
        .query(cursor ? { cursor } : {})
        .set(bearer(key))
        .expect(200);
      const page = eventListSchema.parse(res.body);
      return page.items.length > 0 ? page : undefined;
    }, 30_000);

  test("lists every event, also without an endpoint, oldest first, and polls on from a cursor", async () => {
    const { apiKey: key } = await server.createPlatform();
    const empty = eventListSchema.parse((await api().get("/v1/events").set(bearer(key)).expect(200)).body);
    expect(empty).toEqual({ items: [], nextCursor: null });
    const first = await clearedPublication(server.url, server.ctx.db, key);
    const t1 = await revoke(server.ctx.db, first.id);
    const page = await pollUntilListed(key);
    expect(page.items).toMatchObject([{ type: "takedown.requested", data: { takedownId: t1.takedownId } }]);

    const idle = eventListSchema.parse(
      (await api().get("/v1/events").query({ cursor: page.nextCursor }).set(bearer(key)).expect(200)).body,
    );
    expect(idle).toEqual({ items: [], nextCursor: page.nextCursor });

    const second = await clearedPublication(server.url, server.ctx.db, key);
    const t2 = await revoke(server.ctx.db, second.id);
    const next = await pollUntilListed(key, page.nextCursor);
    expect(next.items).toMatchObject([{ type: "takedown.requested", data: { takedownId: t2.takedownId } }]);
    const filtered = await api().get("/v1/events").query({ type: "report.received" }).set(bearer(key)).expect(200);
    expect(filtered.body.items).toEqual([]);
    expect(await server.ctx.db.webhookDelivery.count({ where: { message: { id: next.items[0]!.id } } })).toBe(0);
  });

  // PGlite runs one transaction at a time, so only PostgreSQL can commit events out of id order.
  test.runIf(databaseKind() === "postgres")(
    "an event whose transaction commits late is not skipped by a poller",
    async () => {
      const { apiKey: key, id: platformId } = await server.createPlatform();
      const early = await clearedPublication(server.url, server.ctx.db, key);
      const late = await clearedPublication(server.url, server.ctx.db, key);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let written!: (eventId: string) => void;
      const wrote = new Promise<string>((resolve) => (written = resolve));
      // Writes the event with the smaller id, then holds its transaction open…
      const slow = runTransaction(server.ctx.db, async (tx, effects) => {
        const payload = {
          publicationId: early.id,
          externalId: early.externalId,
          consentId: randomUUID(),
          slotId: randomUUID(),
          revokedAt: new Date().toISOString(),
          publicationStatus: "takedown_required" as const,
          takedownId: null,
        };
        written(await enqueueEvent(tx, effects, { platformId, type: "consent.revoked", payload }));
        await held;
      });
      const earlyEvent = await wrote;
      // …while an event with a larger id commits.
      await revoke(server.ctx.db, late.id);
      const poll = async (cursor?: string | null) =>
        eventListSchema.parse(
          (
            await api()
              .get("/v1/events")
              .query(cursor ? { cursor } : {})
              .set(bearer(key))
              .expect(200)
          ).body,
        );
      const during = await poll();
      expect(during.items).toEqual([]);
      release();
      await slow;
      // Listed once no older transaction runs anywhere on the cluster (other suites share it).
      const after = await eventually(async () => {
        const page = await poll(during.nextCursor);
        return page.items.length === 2 ? page : undefined;
      }, 30_000);
      expect(after.items.map((e) => e.type)).toEqual(["consent.revoked", "takedown.requested"]);
      expect(after.items[0]!.id).toBe(earlyEvent);
      expect(after.items[0]!.id < after.items[1]!.id).toBe(true);
    },
  );

  test.each([{ type: "nope" }, { cursor: "bad" }, { limit: "101" }, { extra: "1" }])(
    "refuses the query %j",
    async (query) => {
      const { apiKey } = await server.createPlatform();
      const res = await api().get("/v1/events").query(query).set(bearer(apiKey)).expect(400);
      expect(res.body.code).toBe("invalid_request");
    },
  );
});
