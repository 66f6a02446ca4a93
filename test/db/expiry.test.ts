import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expireIdempotencyKeys } from "../../packages/server/src/http/idempotency.ts";
import { expireDuePublications } from "../../packages/server/src/publication/expiry.ts";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { movePublicationTo } from "../support/states.ts";

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer();
  key = (await server.createPlatform()).apiKey;
});
afterAll(() => server?.close());

const DAY = 86_400_000;

async function create(body = publicationRequest()) {
  return (await request(server.url).post("/v1/publications").set(bearer(key)).send(body).expect(201)).body as {
    id: string;
    contentFingerprints: Array<{ alg: "sha-256"; value: string }>;
    slots: Array<{ expiresAt: string }>;
  };
}

const statusOf = async (id: string) =>
  (await server.ctx.db.publication.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

describe("expiry", () => {
  test("a pending publication whose invitation expired unanswered expires", async () => {
    const { id, slots, contentFingerprints } = await create();
    const expiresAt = new Date(slots[0]!.expiresAt);
    expect(await expireDuePublications(server.ctx.db, new Date(expiresAt.getTime() - 1000))).toBe(0);
    expect(await statusOf(id)).toBe("pending");

    await expireDuePublications(server.ctx.db, new Date(expiresAt.getTime() + 1000));
    expect(await statusOf(id)).toBe("expired");
    const slotStatuses = (await server.ctx.db.slot.findMany({ where: { publicationId: id } })).map((s) => s.status);
    expect(slotStatuses).toEqual(["expired", "expired"]);
    const events = await server.ctx.db.auditEvent.findMany({ where: { publicationId: id }, orderBy: { index: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["publication.requested", "publication.expired"]);
    expect(JSON.parse(events[1]!.entry).data).toEqual({ reason: "invitations_expired" });
    const check = await request(server.url)
      .post("/v1/check")
      .set(bearer(key))
      .send({ fingerprint: contentFingerprints[0] })
      .expect(200);
    expect(check.body).toMatchObject({ allowed: false, status: "expired", reason: "expired" });
  });

  test("a cleared publication past its scope's end expires", async () => {
    const body = publicationRequest();
    const { id } = await create(body);
    await movePublicationTo(server.ctx.db, id, ["cleared"]);
    const end = new Date(body.scope.validUntil);
    await expireDuePublications(server.ctx.db, new Date(end.getTime() + 1000));
    expect(await statusOf(id)).toBe("expired");
    const event = await server.ctx.db.auditEvent.findFirstOrThrow({
      where: { publicationId: id, type: "publication.expired" },
    });
    expect(JSON.parse(event.entry).data).toEqual({ reason: "scope_ended" });
  });

  test("concurrent sweeps expire each publication once", async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, async () => (await create()).id));
    const later = new Date(Date.now() + 20 * DAY);
    const counts = await Promise.all([1, 2, 3].map(() => expireDuePublications(server.ctx.db, later, 2)));
    let total = counts.reduce((a, b) => a + b, 0);
    while (total < ids.length) {
      const more = await expireDuePublications(server.ctx.db, later, 2);
      if (!more) break;
      total += more;
    }
    for (const id of ids) {
      expect(await statusOf(id)).toBe("expired");
      expect(await server.ctx.db.auditEvent.count({ where: { publicationId: id, type: "publication.expired" } })).toBe(
        1,
      );
    }
  });
});

describe("idempotency keys", () => {
  test("an expired key is free again, and the sweep forgets it", async () => {
    await request(server.url)
      .post("/v1/publications")
      .set(bearer(key))
      .set("Idempotency-Key", "old")
      .send(publicationRequest())
      .expect(201);
    await server.ctx.db.idempotencyKey.updateMany({
      where: { key: "old" },
      data: { createdAt: new Date(Date.now() - 2 * DAY) },
    });
    const fresh = await request(server.url)
      .post("/v1/publications")
      .set(bearer(key))
      .set("Idempotency-Key", "old")
      .send(publicationRequest())
      .expect(201);
    expect(fresh.headers["idempotent-replayed"]).toBeUndefined();

    await server.ctx.db.idempotencyKey.updateMany({
      where: { key: "old" },
      data: { createdAt: new Date(Date.now() - 2 * DAY) },
    });
    expect(await expireIdempotencyKeys(server.ctx.db)).toBeGreaterThanOrEqual(1);
    expect(await server.ctx.db.idempotencyKey.count({ where: { key: "old" } })).toBe(0);
  });
});
