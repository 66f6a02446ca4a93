import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { takedownListSchema, takedownSchema, verifyWebhook } from "@vergewis/sdk";
import { requestTakedown } from "../../packages/server/src/takedown/request.ts";
import { bearer, hex64, publicationRequest } from "../support/fixtures.ts";
import { eventually, startReceiver, type Receiver } from "../support/receiver.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { clearedPublication, expectNothingLost, revoke, subscribe } from "../support/takedown.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

let server: TestServer;
let key: string;
let otherKey: string;
let rx: Receiver;

beforeAll(async () => {
  server = await startTestServer({
    worker: { pollInterval: "50ms" },
    takedowns: { overdueNoticeInterval: "1s" },
  });
  key = (await server.createPlatform("Alpha")).apiKey;
  otherKey = (await server.createPlatform("Beta")).apiKey;
  rx = await startReceiver();
});
afterAll(async () => {
  await server?.close();
  await rx?.close();
});

const api = () => request(server.url);
const publish = (overrides = {}) => clearedPublication(server.url, server.ctx.db, key, overrides);
const check = async (fingerprint: { alg: string; value: string }, apiKey = key) =>
  (await api().post("/v1/check").set(bearer(apiKey)).send({ fingerprint }).expect(200)).body;
const ack = (id: string, body: unknown, apiKey = key) =>
  api()
    .post(`/v1/takedowns/${id}/ack`)
    .set(bearer(apiKey))
    .send(body as object);

describe("GET /v1/takedowns", () => {
  test("shows the takedown a revocation ordered, open until its deadline", async () => {
    const content = await publish();
    const { takedownId, dueAt } = await revoke(server.ctx.db, content.id);
    const res = await api().get(`/v1/takedowns/${takedownId}`).set(bearer(key)).expect(200);
    expect(takedownSchema.parse(res.body)).toMatchObject({
      id: takedownId,
      publicationId: content.id,
      externalId: content.externalId,
      reason: "revocation",
      status: "open",
      dueAt: dueAt.toISOString(),
      overdueNotices: 0,
      escalatedAt: null,
      acknowledgedAt: null,
    });
    expect(Date.parse(res.body.dueAt) - Date.parse(res.body.requestedAt)).toBe(86_400_000);
    const publication = await api().get(`/v1/publications/${content.id}`).set(bearer(key)).expect(200);
    expect(publication.body.status).toBe("takedown_required");
  });

  test("a second takedown request for the same publication returns the open one", async () => {
    const content = await publish();
    const first = await revoke(server.ctx.db, content.id);
    const second = await revoke(server.ctx.db, content.id);
    expect(second.takedownId).toBe(first.takedownId);
    expect(await server.ctx.db.takedown.count({ where: { publicationId: content.id } })).toBe(1);
  });

  test("a publication that is not published cannot be taken down", async () => {
    const res = await api().post("/v1/publications").set(bearer(key)).send(publicationRequest()).expect(201);
    await expect(
      runTransaction(server.ctx.db, (tx, effects) =>
        requestTakedown(tx, effects, { publicationId: res.body.id, reason: "revocation" }),
      ),
    ).rejects.toMatchObject({ code: "not_published" });
    expect(await server.ctx.db.takedown.count({ where: { publicationId: res.body.id } })).toBe(0);
  });

  test("filters by status (one or several) and publication, pages newest first", async () => {
    const { apiKey } = await server.createPlatform("Lister");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const content = await clearedPublication(server.url, server.ctx.db, apiKey);
      ids.push((await revoke(server.ctx.db, content.id)).takedownId);
    }
    await ack(ids[0]!, { removedAt: new Date().toISOString() }, apiKey).expect(200);
    const list = async (query: Record<string, string | number>) =>
      takedownListSchema.parse((await api().get("/v1/takedowns").query(query).set(bearer(apiKey)).expect(200)).body);
    expect((await list({ status: "open" })).items.map((t) => t.id)).toEqual([ids[2], ids[1]]);
    expect((await list({ status: "acknowledged" })).items.map((t) => t.id)).toEqual([ids[0]]);
    expect((await list({ status: "overdue" })).items).toEqual([]);
    expect((await list({ status: "open,acknowledged" })).items).toHaveLength(3);
    const page1 = await list({ limit: 2 });
    const page2 = await list({ limit: 2, cursor: page1.nextCursor! });
    expect([...page1.items, ...page2.items].map((t) => t.id)).toEqual([...ids].reverse());
    const one = await list({ publicationId: page2.items[0]!.publicationId });
    expect(one.items.map((t) => t.id)).toEqual([ids[0]]);
    expect((await api().get("/v1/takedowns").set(bearer(otherKey)).expect(200)).body.items).toEqual([]);
  });

  test.each([{ status: "done" }, { status: "open,," }, { status: "" }, { limit: "500" }, { cursor: "x" }, { q: "1" }])(
    "refuses the query %j",
    async (query) => {
      const res = await api().get("/v1/takedowns").query(query).set(bearer(key)).expect(400);
      expect(res.body.code).toBe("invalid_request");
    },
  );

  test("another platform's takedown is not found", async () => {
    const { takedownId } = await revoke(server.ctx.db, (await publish()).id);
    await api().get(`/v1/takedowns/${takedownId}`).set(bearer(otherKey)).expect(404);
    const res = await ack(takedownId, { removedAt: new Date().toISOString() }, otherKey).expect(404);
    expect(res.body.code).toBe("not_found");
    await api().get("/v1/takedowns/not-an-id").set(bearer(key)).expect(404);
  });
});

describe("POST /v1/takedowns/{id}/ack", () => {
  test("confirms removal: takedown acknowledged, publication taken_down, audit event", async () => {
    const content = await publish();
    const { takedownId } = await revoke(server.ctx.db, content.id);
    const removedAt = new Date().toISOString();
    const res = await ack(takedownId, { removedAt, note: "Removed from CDN and search index" }).expect(200);
    expect(takedownSchema.parse(res.body)).toMatchObject({
      status: "acknowledged",
      removedAt,
      note: "Removed from CDN and search index",
    });
    expect(Date.parse(res.body.acknowledgedAt)).toBeGreaterThan(Date.now() - 10_000);
    const publication = await api().get(`/v1/publications/${content.id}`).set(bearer(key)).expect(200);
    expect(publication.body.status).toBe("taken_down");
    const events = await server.ctx.db.auditEvent.findMany({
      where: { publicationId: content.id },
      orderBy: { index: "asc" },
    });
    expect(events.map((e) => e.type)).toEqual(["publication.requested", "takedown.requested", "takedown.acknowledged"]);
    expect(events.at(-1)!.entry).not.toContain("CDN");
  });

  test("a second acknowledgement is refused (409); an Idempotency-Key retry replays the first", async () => {
    const { takedownId } = await revoke(server.ctx.db, (await publish()).id);
    const body = { removedAt: new Date().toISOString() };
    const headers = { ...bearer(key), "Idempotency-Key": `ack-${takedownId}` };
    const first = await api().post(`/v1/takedowns/${takedownId}/ack`).set(headers).send(body).expect(200);
    const replay = await api().post(`/v1/takedowns/${takedownId}/ack`).set(headers).send(body).expect(200);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(replay.body).toEqual(first.body);
    const again = await ack(takedownId, body).expect(409);
    expect(again.body.code).toBe("already_acknowledged");
  });

  test.each([
    [{}, "/body/removedAt"],
    [{ removedAt: "yesterday" }, "/body/removedAt"],
    [{ removedAt: new Date().toISOString(), note: "" }, "/body/note"],
    [{ removedAt: new Date().toISOString(), note: "a\u0000b" }, "/body/note"],
    [{ removedAt: new Date().toISOString(), note: "x".repeat(2001) }, "/body/note"],
    [{ removedAt: new Date().toISOString(), extra: true }, "/body/extra"],
  ])("refuses %j at %s and changes nothing", async (body, pointer) => {
    const content = await publish();
    const { takedownId } = await revoke(server.ctx.db, content.id);
    const res = await ack(takedownId, body).expect(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    const row = await server.ctx.db.takedown.findUniqueOrThrow({ where: { id: takedownId } });
    expect(row.acknowledgedAt).toBeNull();
    expect((await server.ctx.db.publication.findUniqueOrThrow({ where: { id: content.id } })).status).toBe(
      "takedown_required",
    );
  });
});

describe("POST /v1/takedowns/{id}/ack: when the content was removed", () => {
  const minutes = (n: number) => n * 60_000;
  test.each([
    [
      "long before the request",
      () => new Date("2001-01-01T00:00:00Z"),
      "must not be before the takedown was requested",
    ],
    [
      "a millisecond before the request",
      (requestedAt: Date) => new Date(requestedAt.getTime() - 1),
      "must not be before",
    ],
    ["beyond the clock skew", () => new Date(Date.now() + minutes(6)), "must not be in the future"],
  ])("refuses a removedAt %s (422 at /body/removedAt) and stores nothing", async (_what, removedAt, reason) => {
    const content = await publish();
    const { takedownId } = await revoke(server.ctx.db, content.id);
    const { requestedAt } = await server.ctx.db.takedown.findUniqueOrThrow({ where: { id: takedownId } });
    const res = await ack(takedownId, { removedAt: removedAt(requestedAt).toISOString() }).expect(422);
    expect(res.type).toBe("application/problem+json");
    expect(res.body).toMatchObject({ status: 422, code: "removed_at_out_of_range" });
    expect(res.body.errors).toEqual([{ pointer: "/body/removedAt", reason: expect.stringContaining(reason) }]);
    const row = await server.ctx.db.takedown.findUniqueOrThrow({ where: { id: takedownId } });
    expect(row).toMatchObject({ acknowledgedAt: null, removedAt: null });
    expect((await server.ctx.db.publication.findUniqueOrThrow({ where: { id: content.id } })).status).toBe(
      "takedown_required",
    );
    expect(
      await server.ctx.db.auditEvent.count({ where: { publicationId: content.id, type: "takedown.acknowledged" } }),
    ).toBe(0);
  });

  test.each([
    ["at the moment of the request", (requestedAt: Date) => requestedAt],
    ["a little ahead, within the clock skew", () => new Date(Date.now() + minutes(4))],
  ])("accepts a removedAt %s", async (_what, removedAt) => {
    const content = await publish();
    const { takedownId } = await revoke(server.ctx.db, content.id);
    const { requestedAt } = await server.ctx.db.takedown.findUniqueOrThrow({ where: { id: takedownId } });
    const at = removedAt(requestedAt).toISOString();
    expect((await ack(takedownId, { removedAt: at }).expect(200)).body).toMatchObject({ removedAt: at });
  });
});

describe("SLA clock", () => {
  test("an unacknowledged takedown goes overdue: repeated notices, escalated, audited, until acknowledged", async () => {
    const { apiKey, id } = await server.createPlatform("Slow platform");
    // One second instead of the minutes an operator can set: the clock is the same.
    await server.ctx.db.platform.update({ where: { id }, data: { slaSeconds: 1 } });
    const { secret } = await subscribe(server.url, apiKey, rx, { eventTypes: ["takedown.overdue"] });
    const content = await clearedPublication(server.url, server.ctx.db, apiKey);
    const { takedownId, dueAt } = await revoke(server.ctx.db, content.id);

    const notices = () =>
      rx.received.filter(
        (w) => JSON.parse(w.body).data.takedownId === takedownId && JSON.parse(w.body).type === "takedown.overdue",
      );
    await rx.waitFor(() => notices().length >= 2, 15_000, "two overdue notices");
    const [first, second] = await Promise.all(
      notices()
        .slice(0, 2)
        .map((w) => verifyWebhook({ body: w.body, headers: w.headers as Record<string, string>, secret })),
    );
    expect(first).toMatchObject({
      type: "takedown.overdue",
      data: { takedownId, dueAt: dueAt.toISOString(), notice: 1 },
    });
    expect(second).toMatchObject({ data: { notice: 2 } });
    expect(Date.parse(first!.timestamp)).toBeGreaterThanOrEqual(dueAt.getTime());
    // One interval apart (1 s), not one poll (50 ms): up to the time a tick takes to write.
    expect(Date.parse(second!.timestamp) - Date.parse(first!.timestamp)).toBeGreaterThan(800);

    const overdue = (await api().get(`/v1/takedowns/${takedownId}`).set(bearer(apiKey)).expect(200)).body;
    expect(overdue).toMatchObject({ status: "overdue" });
    expect(overdue.overdueNotices).toBeGreaterThanOrEqual(2);
    expect(Date.parse(overdue.escalatedAt)).toBeGreaterThanOrEqual(dueAt.getTime());
    const listed = await api().get("/v1/takedowns").query({ status: "overdue" }).set(bearer(apiKey)).expect(200);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([takedownId]);
    const audit = await server.ctx.db.auditEvent.findMany({ where: { platformId: id, type: "takedown.overdue" } });
    expect(audit.length).toBeGreaterThanOrEqual(2);

    await ack(takedownId, { removedAt: new Date().toISOString() }, apiKey).expect(200);
    const settledCount = (await server.ctx.db.takedown.findUniqueOrThrow({ where: { id: takedownId } })).overdueNotices;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await server.ctx.db.takedown.findUniqueOrThrow({ where: { id: takedownId } });
    expect(after.overdueNotices).toBe(settledCount);
    expect(after.nextNoticeAt).toBeNull();
    await eventually(async () => {
      const pending = await server.ctx.db.webhookDelivery.count({
        where: { platformId: id, status: { in: ["pending", "retrying"] } },
      });
      return pending === 0 ? true : undefined;
    });
    await expectNothingLost(server.ctx.db, [rx], { platformId: id });
  });
});

describe("re-upload blocking in POST /v1/check", () => {
  // Under another externalId the withdrawal's content block refuses it: test/api/content-blocks.test.ts
  // (a real withdrawal; the takedown alone, as `revoke` orders it here, blocks nothing new).
  test("revoked content is refused, also after removal", async () => {
    const content = await publish();
    expect(await check(content.fingerprint)).toMatchObject({ allowed: true, reason: "cleared" });
    const { takedownId } = await revoke(server.ctx.db, content.id);
    expect(await check(content.fingerprint)).toMatchObject({
      allowed: false,
      reason: "revoked",
      publicationId: content.id,
    });
    await ack(takedownId, { removedAt: new Date().toISOString() }).expect(200);
    expect(await check(content.fingerprint)).toMatchObject({ allowed: false, reason: "revoked", status: "taken_down" });
  });

  test("a revoked pdq (perceptual) fingerprint is refused like a sha-256 one", async () => {
    const pdq = { alg: "pdq", value: hex64() } as const;
    const content = await publish({ contentFingerprints: [{ alg: "sha-256", value: hex64() }, pdq] });
    expect(await check(pdq)).toMatchObject({ allowed: true });
    await revoke(server.ctx.db, content.id);
    expect(await check(pdq)).toMatchObject({ allowed: false, reason: "revoked" });
    expect(await check({ alg: "pdq", value: pdq.value.toUpperCase() })).toMatchObject({
      allowed: false,
      reason: "revoked",
    });
  });
});
