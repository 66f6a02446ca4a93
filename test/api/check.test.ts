import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkResultSchema, type Fingerprint } from "@vergewis/sdk";
import { PublishCheck } from "../../packages/server/src/publication/check.ts";
import { requestTakedown } from "../../packages/server/src/takedown/request.ts";
import { bearer, hex64, publicationRequest } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { movePublicationTo } from "../support/states.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

let server: TestServer;
let key: string;
let platformId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ apiKey: key, id: platformId } = await server.createPlatform());
});
afterAll(() => server?.close());

const fp = (): Fingerprint => ({ alg: "sha-256", value: hex64() });

async function publish(fingerprint: Fingerprint, extra: Partial<ReturnType<typeof publicationRequest>> = {}) {
  const body = publicationRequest({ contentFingerprints: [fingerprint], ...extra });
  return (await request(server.url).post("/v1/publications").set(bearer(key)).send(body).expect(201)).body as {
    id: string;
  };
}

async function check(fingerprint: Fingerprint, url = server.url, apiKey = key) {
  const res = await request(url).post("/v1/check").set(bearer(apiKey)).send({ fingerprint }).expect(200);
  return checkResultSchema.parse(res.body);
}

describe("POST /v1/check", () => {
  test("unknown content is not allowed", async () => {
    expect(await check(fp())).toEqual({ allowed: false, status: "unknown", reason: "unknown" });
  });

  test("an unknown fingerprint is remembered for a short time only", async () => {
    const checker = new PublishCheck(server.ctx.db, { unknownTtlMs: 300 });
    const fingerprint = fp();
    const { id } = await publish(fp());
    expect(await checker.check(platformId, fingerprint)).toMatchObject({ status: "unknown" });
    // Changed behind the server's back (no change signalled): the cached decision stands for a while…
    await server.ctx.db.$executeRaw`
      UPDATE "ContentFingerprint" SET value = ${fingerprint.value} WHERE "publicationId" = ${id}::uuid`;
    expect(await checker.check(platformId, fingerprint)).toMatchObject({ status: "unknown" });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // …and is then looked up again.
    expect(await checker.check(platformId, fingerprint)).toEqual({
      allowed: false,
      publicationId: id,
      status: "pending",
      reason: "pending",
    });
  });

  test("pending, then cleared, then revoked: the decision follows at once", async () => {
    const fingerprint = fp();
    const { id } = await publish(fingerprint);
    expect(await check(fingerprint)).toEqual({
      allowed: false,
      publicationId: id,
      status: "pending",
      reason: "pending",
    });

    await movePublicationTo(server.ctx.db, id, ["cleared"]);
    expect(await check(fingerprint)).toEqual({
      allowed: true,
      publicationId: id,
      status: "cleared",
      reason: "cleared",
    });
    expect(await check(fingerprint)).toMatchObject({ allowed: true }); // served from the cache

    await runTransaction(server.ctx.db, (tx, effects) =>
      requestTakedown(tx, effects, { publicationId: id, reason: "revocation" }),
    );
    expect(await check(fingerprint)).toEqual({
      allowed: false,
      publicationId: id,
      status: "takedown_required",
      reason: "revoked",
    });
  });

  test("declined and expired publications are refused with their reason", async () => {
    const declined = fp();
    const a = await publish(declined);
    await movePublicationTo(server.ctx.db, a.id, ["declined"]);
    expect(await check(declined)).toMatchObject({ allowed: false, status: "declined", reason: "declined" });

    const expired = fp();
    const b = await publish(expired);
    await movePublicationTo(server.ctx.db, b.id, ["cleared", "expired"]);
    expect(await check(expired)).toMatchObject({ allowed: false, status: "expired", reason: "expired" });
  });

  test("a cleared publication past its scope's end is refused, even from the cache", async () => {
    const fingerprint = fp();
    const { id } = await publish(fingerprint, {
      scope: { purposes: ["publish"], territories: ["NL"], validUntil: new Date(Date.now() + 1500).toISOString() },
    });
    await movePublicationTo(server.ctx.db, id, ["cleared"]);
    expect(await check(fingerprint)).toMatchObject({ allowed: true });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await check(fingerprint)).toMatchObject({ allowed: false, status: "cleared", reason: "expired" });
  });

  test("a takedown can be requested only for published content, once", async () => {
    const { id } = await publish(fp());
    await expect(
      runTransaction(server.ctx.db, (tx, effects) =>
        requestTakedown(tx, effects, { publicationId: id, reason: "revocation" }),
      ),
    ).rejects.toMatchObject({ code: "not_published" });
    await movePublicationTo(server.ctx.db, id, ["cleared"]);
    const first = await runTransaction(server.ctx.db, (tx, effects) =>
      requestTakedown(tx, effects, { publicationId: id, reason: "revocation" }),
    );
    const second = await runTransaction(server.ctx.db, (tx, effects) =>
      requestTakedown(tx, effects, { publicationId: id, reason: "revocation" }),
    );
    expect(second.takedownId).toBe(first.takedownId);
    expect(await server.ctx.db.takedown.count({ where: { publicationId: id } })).toBe(1);
    const outbox = await server.ctx.db.outboxMessage.findMany({ where: { type: "takedown.requested" } });
    expect(outbox.filter((m) => (m.payload as { publicationId: string }).publicationId === id)).toHaveLength(1);
  });
});
