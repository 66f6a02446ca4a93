import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer();
  key = (await server.createPlatform()).apiKey;
});
afterAll(() => server?.close());

const post = (body: object, idempotencyKey?: string, apiKey = key) => {
  const req = request(server.url).post("/v1/publications").set(bearer(apiKey));
  return idempotencyKey === undefined ? req.send(body) : req.set("Idempotency-Key", idempotencyKey).send(body);
};

describe("Idempotency-Key", () => {
  test("the same key and body replay the first response", async () => {
    const body = publicationRequest();
    const first = await post(body, "k-replay").expect(201);
    const second = await post(body, "k-replay").expect(201);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    // The first answer's uploader invitation is not kept (its code is stored as an HMAC only), so
    // the replay is that answer without it.
    expect(first.body.invitations).toHaveLength(1);
    expect(second.body).toEqual({ ...first.body, invitations: [] });
    expect(await server.ctx.db.publication.count({ where: { externalId: body.externalId } })).toBe(1);
  });

  test("the quoted structured-field form is the same key", async () => {
    const body = publicationRequest();
    const first = await post(body, "k-quoted").expect(201);
    const second = await post(body, '"k-quoted"').expect(201);
    expect(second.body.id).toBe(first.body.id);
  });

  test("the same key with another body is 422 and changes nothing", async () => {
    await post(publicationRequest(), "k-mismatch").expect(201);
    const before = await server.ctx.db.publication.count();
    const res = await post(publicationRequest(), "k-mismatch").expect(422);
    expect(res.body).toMatchObject({ status: 422, code: "idempotency_key_reused" });
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(await server.ctx.db.publication.count()).toBe(before);
  });

  test("keys are per platform", async () => {
    const other = (await server.createPlatform("Other")).apiKey;
    const body = publicationRequest();
    const mine = await post(body, "k-shared").expect(201);
    const theirs = await post(body, "k-shared", other).expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers["idempotent-replayed"]).toBeUndefined();
  });

  test("a failed request leaves the key unused", async () => {
    const body = publicationRequest();
    await post(body).expect(201);
    await post(body, "k-after-failure").expect(409); // externalId taken
    const retry = { ...body, externalId: `${body.externalId}-2` };
    await post(retry, "k-after-failure").expect(201);
  });

  test("an invalid key is 400", async () => {
    const res = await post(publicationRequest(), "x".repeat(256)).expect(400);
    expect(res.body.errors).toEqual([
      { pointer: "/headers/idempotency-key", reason: "must be 1 to 255 visible ASCII characters" },
    ]);
  });

  test("20 concurrent identical requests create exactly one publication", async () => {
    const body = publicationRequest();
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(body, "k-concurrent")));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers["idempotent-replayed"] === "true")).toHaveLength(19);
    expect(await server.ctx.db.publication.count({ where: { externalId: body.externalId } })).toBe(1);
    expect(await server.ctx.db.auditEvent.count({ where: { publicationId: responses[0]!.body.id } })).toBe(1);
  });

  test("20 concurrent requests without a key but with one externalId create exactly one", async () => {
    const body = publicationRequest();
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(body)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(await server.ctx.db.publication.count({ where: { externalId: body.externalId } })).toBe(1);
  });
});
