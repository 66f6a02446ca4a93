import { generateKeyPairSync } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { webhookEndpointListSchema, webhookEndpointSchema, webhookEndpointWithSecretSchema } from "@vergewis/sdk";
import { openSecret } from "../../packages/server/src/webhook/secret.ts";
import { bearer } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let key: string;
let platformId: string;
let otherKey: string;

beforeAll(async () => {
  server = await startTestServer({ worker: { enabled: false } });
  ({ apiKey: key, id: platformId } = await server.createPlatform("Alpha"));
  otherKey = (await server.createPlatform("Beta")).apiKey;
});
afterAll(() => server?.close());

const api = () => request(server.url);
const create = (body: Record<string, unknown>, apiKey = key) =>
  api().post("/v1/webhook-endpoints").set(bearer(apiKey)).send(body);

describe("POST /v1/webhook-endpoints", () => {
  test("registers an endpoint and shows its whsec_ secret once", async () => {
    const res = await create({
      url: "https://hooks.example.test/vergewis",
      description: "Production",
      eventTypes: ["takedown.requested", "consent.revoked", "takedown.requested"],
    }).expect(201);
    const endpoint = webhookEndpointWithSecretSchema.parse(res.body);
    expect(endpoint).toMatchObject({
      url: "https://hooks.example.test/vergewis",
      description: "Production",
      eventTypes: ["consent.revoked", "takedown.requested"],
      status: "enabled",
      previousSecretExpiresAt: null,
    });
    expect(res.headers.location).toMatch(new RegExp(`/v1/webhook-endpoints/${endpoint.id}$`));
    const read = await api().get(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer(key)).expect(200);
    expect(read.body.secret).toBeUndefined();
    expect(webhookEndpointSchema.parse(read.body)).toEqual(webhookEndpointSchema.parse(endpoint));
  });

  test("stores the secret encrypted under the server secret, not in clear", async () => {
    const { body } = await create({ url: "https://hooks.example.test/a" }).expect(201);
    const row = await server.ctx.db.webhookEndpoint.findUniqueOrThrow({ where: { id: body.id } });
    const dump = JSON.stringify(row, (_k, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v,
    );
    expect(dump).not.toContain(body.secret.slice(6));
    expect(openSecret(server.ctx.secret, platformId, row.secret)).toBe(body.secret);
    const idempotency = await server.ctx.db.idempotencyKey.findMany();
    expect(JSON.stringify(idempotency)).not.toContain(body.secret);
    expect(JSON.stringify(server.logs)).not.toContain(body.secret.slice(6));
  });

  test("an Idempotency-Key replay creates nothing new and still answers with the secret", async () => {
    const headers = { ...bearer(key), "Idempotency-Key": `endpoint-${Date.now()}` };
    const first = await api()
      .post("/v1/webhook-endpoints")
      .set(headers)
      .send({ url: "https://hooks.example.test/i" })
      .expect(201);
    const again = await api()
      .post("/v1/webhook-endpoints")
      .set(headers)
      .send({ url: "https://hooks.example.test/i" })
      .expect(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(await server.ctx.db.webhookEndpoint.count({ where: { url: "https://hooks.example.test/i" } })).toBe(1);
  });

  test("accepts http only on the loopback address (development)", async () => {
    await create({ url: "http://127.0.0.1:9/hook" }).expect(201);
    await create({ url: "http://localhost:9/hook" }).expect(201);
    await create({ url: "http://[::1]:9/hook" }).expect(201);
  });

  test.each([
    [{ url: "http://hooks.example.test/x" }, "/body/url"],
    [{ url: "https://user:pass@hooks.example.test/x" }, "/body/url"],
    [{ url: "https://hooks.example.test/x#frag" }, "/body/url"],
    [{ url: "ftp://hooks.example.test/x" }, "/body/url"],
    [{ url: "not a url" }, "/body/url"],
    [{}, "/body/url"],
    [{ url: "https://hooks.example.test/x", eventTypes: ["takedown.maybe"] }, "/body/eventTypes/0"],
    [{ url: "https://hooks.example.test/x", secret: "whsec_mine" }, "/body/secret"],
    [{ url: "https://hooks.example.test/x", description: "" }, "/body/description"],
    [{ url: "https://hooks.example.test/x", description: "\u0000" }, "/body/description"],
  ])("refuses %j (400 at %s) and stores nothing", async (body, pointer) => {
    const before = await server.ctx.db.webhookEndpoint.count();
    const res = await create(body).expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: "invalid_request" });
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect(await server.ctx.db.webhookEndpoint.count()).toBe(before);
  });

  describe("in production (private networks off)", () => {
    let production: TestServer;
    let productionKey: string;
    beforeAll(async () => {
      production = await startTestServer({
        mode: "production",
        worker: { enabled: false },
        identity: { sealIdentity: false, localIdp: { allowInProduction: true } },
        keys: {
          receiptSigningKey: generateKeyPairSync("ec", { namedCurve: "P-256" })
            .privateKey.export({ type: "pkcs8", format: "pem" })
            .toString(),
        },
      });
      productionKey = (await production.createPlatform("Production")).apiKey;
    });
    afterAll(() => production?.close());
    const register = (url: string) =>
      request(production.url).post("/v1/webhook-endpoints").set(bearer(productionKey)).send({ url });

    test.each([
      "https://10.0.0.1/hook",
      "https://127.0.0.1:8443/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://0x7f.1/hook",
      "https://localhost/hook",
      "https://[::1]/hook",
      "https://[fd00::1]/hook",
      "https://[::ffff:10.0.0.1]/hook",
      "https://[::10.0.0.1]/hook",
      "https://[64:ff9b::169.254.169.254]/hook",
      "https://[64:ff9b:1::192.168.0.1]/hook",
      "https://[2002:a00:1::1]/hook",
      "https://[2001:0:4136:e378:8000:63bf:3f57:fefe]/hook",
    ])("refuses https to the private address %s: 422 naming the field, nothing stored", async (url) => {
      const before = await production.ctx.db.webhookEndpoint.count();
      const res = await register(url).expect(422);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 422, code: "private_address" });
      expect(res.body.errors).toEqual([{ pointer: "/body/url", reason: expect.stringMatching(/private/) }]);
      expect(await production.ctx.db.webhookEndpoint.count()).toBe(before);
    });

    test("accepts public addresses and names (a name is checked when delivering)", async () => {
      await register("https://93.184.216.34/hook").expect(201);
      await register("https://[64:ff9b::93.184.216.34]/hook").expect(201);
      await register("https://hooks.example.test/hook").expect(201);
    });
  });

  test("allows at most 10 endpoints per platform (409)", async () => {
    const { apiKey } = await server.createPlatform("Many");
    for (let i = 0; i < 10; i++) await create({ url: `https://hooks.example.test/${i}` }, apiKey).expect(201);
    const res = await create({ url: "https://hooks.example.test/11" }, apiKey).expect(409);
    expect(res.body.code).toBe("too_many_endpoints");
  });

  test("two creations at once cannot both take the last place", async () => {
    const { apiKey } = await server.createPlatform("Racing");
    for (let i = 0; i < 9; i++) await create({ url: `https://hooks.example.test/${i}` }, apiKey).expect(201);
    const statuses = await Promise.all(
      ["a", "b", "c"].map(async (n) => (await create({ url: `https://hooks.example.test/${n}` }, apiKey)).status),
    );
    expect(statuses.sort()).toEqual([201, 409, 409]);
  });

  test("needs an API key", async () => {
    await api().post("/v1/webhook-endpoints").send({ url: "https://hooks.example.test/x" }).expect(401);
  });
});

describe("GET and DELETE /v1/webhook-endpoints", () => {
  test("lists the caller's endpoints only, without secrets", async () => {
    const { apiKey } = await server.createPlatform("Lister");
    const a = (await create({ url: "https://hooks.example.test/list-a" }, apiKey).expect(201)).body;
    const b = (await create({ url: "https://hooks.example.test/list-b" }, apiKey).expect(201)).body;
    const res = await api().get("/v1/webhook-endpoints").set(bearer(apiKey)).expect(200);
    const list = webhookEndpointListSchema.parse(res.body);
    expect(list.items.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(JSON.stringify(res.body)).not.toContain("whsec_");
    const other = await api().get("/v1/webhook-endpoints").set(bearer(otherKey)).expect(200);
    expect(other.body.items.map((e: { id: string }) => e.id)).not.toContain(a.id);
  });

  test("another platform's endpoint is not found, for every operation", async () => {
    const { id } = (await create({ url: "https://hooks.example.test/mine" }).expect(201)).body;
    await api().get(`/v1/webhook-endpoints/${id}`).set(bearer(otherKey)).expect(404);
    await api().delete(`/v1/webhook-endpoints/${id}`).set(bearer(otherKey)).expect(404);
    await api().post(`/v1/webhook-endpoints/${id}/rotate-secret`).set(bearer(otherKey)).expect(404);
    await api().post(`/v1/webhook-endpoints/${id}/enable`).set(bearer(otherKey)).expect(404);
    await api().get(`/v1/webhook-endpoints/${id}`).set(bearer(key)).expect(200);
  });

  test("deletes an endpoint: gone from reads and lists, recorded in the audit log", async () => {
    const { id } = (await create({ url: "https://hooks.example.test/del" }).expect(201)).body;
    await api().delete(`/v1/webhook-endpoints/${id}`).set(bearer(key)).expect(204);
    await api().get(`/v1/webhook-endpoints/${id}`).set(bearer(key)).expect(404);
    await api().delete(`/v1/webhook-endpoints/${id}`).set(bearer(key)).expect(404);
    const list = await api().get("/v1/webhook-endpoints").set(bearer(key)).expect(200);
    expect(list.body.items.map((e: { id: string }) => e.id)).not.toContain(id);
    const types = (await server.ctx.db.auditEvent.findMany({ where: { platformId }, orderBy: { index: "asc" } })).map(
      (e) => e.type,
    );
    expect(types).toContain("webhook_endpoint.deleted");
  });

  test("a malformed id is not found", async () => {
    await api().get("/v1/webhook-endpoints/nope").set(bearer(key)).expect(404);
    await api().delete("/v1/webhook-endpoints/nope").set(bearer(key)).expect(404);
  });
});

describe("POST /v1/webhook-endpoints/{id}/rotate-secret", () => {
  // A platform of its own: each test adds endpoints, and a platform may have ten.
  let key: string;
  let platformId: string;
  beforeAll(async () => {
    ({ apiKey: key, id: platformId } = await server.createPlatform("Rotator"));
  });
  const create = (body: Record<string, unknown>) => api().post("/v1/webhook-endpoints").set(bearer(key)).send(body);

  test("returns a new secret and keeps the old one signing during the overlap", async () => {
    const created = (await create({ url: "https://hooks.example.test/rot" }).expect(201)).body;
    const res = await api()
      .post(`/v1/webhook-endpoints/${created.id}/rotate-secret`)
      .set(bearer(key))
      .send({ overlapSeconds: 3600 })
      .expect(200);
    expect(res.body.secret).toMatch(/^whsec_/);
    expect(res.body.secret).not.toBe(created.secret);
    expect(Date.parse(res.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3_500_000);
    const row = await server.ctx.db.webhookEndpoint.findUniqueOrThrow({ where: { id: created.id } });
    expect(openSecret(server.ctx.secret, platformId, row.previousSecret!)).toBe(created.secret);
    expect(openSecret(server.ctx.secret, platformId, row.secret)).toBe(res.body.secret);
  });

  test("with overlapSeconds 0 retires the old secret at once", async () => {
    const created = (await create({ url: "https://hooks.example.test/rot0" }).expect(201)).body;
    const res = await api()
      .post(`/v1/webhook-endpoints/${created.id}/rotate-secret`)
      .set(bearer(key))
      .send({ overlapSeconds: 0 })
      .expect(200);
    expect(res.body.previousSecretExpiresAt).toBeNull();
    const row = await server.ctx.db.webhookEndpoint.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.previousSecret).toBeNull();
  });

  test.each([[{ overlapSeconds: -1 }], [{ overlapSeconds: 604_801 }], [{ overlapSeconds: "1h" }], [{ other: 1 }]])(
    "refuses %j",
    async (body) => {
      const created = (await create({ url: "https://hooks.example.test/rotbad" }).expect(201)).body;
      const res = await api()
        .post(`/v1/webhook-endpoints/${created.id}/rotate-secret`)
        .set(bearer(key))
        .send(body)
        .expect(400);
      expect(res.body.code).toBe("invalid_request");
      const row = await server.ctx.db.webhookEndpoint.findUniqueOrThrow({ where: { id: created.id } });
      expect(openSecret(server.ctx.secret, platformId, row.secret)).toBe(created.secret);
    },
  );
});
