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

const api = () => request(server.url);

/** RFC 9457: every error is problem+json with type, title, status, detail and our stable code. */
function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    code,
    type: `${server.url.replace("127.0.0.1", "localhost")}/problems/${code}`,
  });
  expect(typeof res.body.title).toBe("string");
  expect(typeof res.body.detail).toBe("string");
}

const count = () => server.ctx.db.publication.count();

describe("authentication", () => {
  test("a missing key is 401 with a Bearer challenge", async () => {
    const res = await api().get("/v1/publications");
    expectProblem(res, 401, "unauthenticated");
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="vergewis"');
  });

  test.each([
    ["an unknown key", "vgw_live_" + "A".repeat(43)],
    ["a malformed key", "not-a-key"],
    ["a key with a valid prefix and wrong secret", () => key.slice(0, -4) + "AAAA"],
  ])("%s is 401 invalid_token", async (_name, candidate) => {
    const value = typeof candidate === "function" ? candidate() : candidate;
    const res = await api().get("/v1/publications").set(bearer(value));
    expectProblem(res, 401, "unauthenticated");
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="vergewis", error="invalid_token"');
  });

  test("another scheme is refused", async () => {
    const res = await api()
      .get("/v1/publications")
      .set("Authorization", `Basic ${Buffer.from(key).toString("base64")}`);
    expectProblem(res, 401, "unauthenticated");
  });

  test("a revoked key stops working at once", async () => {
    const { apiKey } = await server.createPlatform("Revoked");
    await api().get("/v1/publications").set(bearer(apiKey)).expect(200);
    const { revokeApiKey } = await import("../../packages/server/src/platform/api-key.ts");
    expect(await revokeApiKey(server.ctx.db, apiKey.slice(0, 17))).toBe(true);
    expectProblem(await api().get("/v1/publications").set(bearer(apiKey)), 401, "unauthenticated");
  });

  test("the key is not logged", async () => {
    await api().get("/v1/publications").set(bearer(key)).expect(200);
    expect(JSON.stringify(server.logs)).not.toContain(key.slice(9));
  });
});

describe("bad requests", () => {
  test("an unknown route is 404 problem+json", async () => {
    expectProblem(await api().get("/v1/nope").set(bearer(key)), 404, "not_found");
    expectProblem(await api().get("/nope"), 404, "not_found");
  });

  test("an asset that does not exist is 404 problem+json, not a server error", async () => {
    for (const path of ["/assets/no-such.css", "/assets/vendor/no-such.js", "/assets/%2e%2e/package.json", "/assets/"])
      expectProblem(await api().get(path), 404, "not_found");
  });

  test("the favicon is served where pages link it and where browsers look for it by themselves", async () => {
    for (const path of ["/favicon.ico", "/assets/favicon.svg"]) {
      const res = await api().get(path).expect(200);
      expect(res.headers["content-type"]).toMatch(/^image\/svg\+xml/);
      expect(String(res.body)).toMatch(/^<svg /);
    }
    const page = await api().get("/portal/login").expect(200);
    expect(page.text).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
  });

  test("a body over 100 kB is 413 and stores nothing", async () => {
    const before = await count();
    const body = publicationRequest({ title: "x".repeat(200), externalId: "big" });
    const padded = JSON.stringify({ ...body, padding: "x".repeat(110_000) });
    const res = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .set("Content-Type", "application/json")
      .send(padded);
    expectProblem(res, 413, "body_too_large");
    expect(await count()).toBe(before);
  });

  test.each([
    ["text/plain", "hello"],
    ["application/x-www-form-urlencoded", "externalId=a"],
    ["application/xml", "<a/>"],
  ])("a %s body is 415", async (type, body) => {
    const res = await api().post("/v1/publications").set(bearer(key)).set("Content-Type", type).send(body);
    expectProblem(res, 415, "unsupported_media_type");
  });

  test("malformed JSON is 400", async () => {
    const res = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .set("Content-Type", "application/json")
      .send('{"externalId": ');
    expectProblem(res, 400, "malformed_json");
  });

  test("a JSON scalar or array body is 400", async () => {
    for (const body of ['"text"', "[]", "null", "42"]) {
      const res = await api()
        .post("/v1/publications")
        .set(bearer(key))
        .set("Content-Type", "application/json")
        .send(body);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    }
  });

  test("an empty POST is 400 with the missing body named", async () => {
    const res = await api().post("/v1/publications").set(bearer(key));
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors).toEqual([{ pointer: "/body", reason: "required" }]);
  });
});

describe("publication request validation", () => {
  const cases: Array<[string, (b: ReturnType<typeof publicationRequest>) => unknown, string]> = [
    ["unknown top-level field", (b) => ({ ...b, extra: 1 }), "/body/extra"],
    ["unknown slot field", (b) => ({ ...b, slots: [{ role: "uploader", age: 30 }] }), "/body/slots/0/age"],
    ["missing externalId", ({ externalId: _, ...b }) => b, "/body/externalId"],
    ["externalId with spaces", (b) => ({ ...b, externalId: "a b" }), "/body/externalId"],
    ["externalId over 200", (b) => ({ ...b, externalId: "x".repeat(201) }), "/body/externalId"],
    ["empty title", (b) => ({ ...b, title: "   " }), "/body/title"],
    ["title over 300", (b) => ({ ...b, title: "x".repeat(301) }), "/body/title"],
    ["http preview", (b) => ({ ...b, previewUrl: "http://cdn.example.test/p.jpg" }), "/body/previewUrl"],
    ["javascript preview", (b) => ({ ...b, previewUrl: "javascript:alert(1)" }), "/body/previewUrl"],
    ["no fingerprints", (b) => ({ ...b, contentFingerprints: [] }), "/body/contentFingerprints"],
    [
      "51 fingerprints",
      (b) => ({
        ...b,
        contentFingerprints: Array.from({ length: 51 }, (_, i) => ({
          alg: "sha-256",
          value: i.toString(16).padStart(64, "0"),
        })),
      }),
      "/body/contentFingerprints",
    ],
    [
      "short hash",
      (b) => ({ ...b, contentFingerprints: [{ alg: "sha-256", value: "abc" }] }),
      "/body/contentFingerprints/0/value",
    ],
    [
      "non-hex hash",
      (b) => ({ ...b, contentFingerprints: [{ alg: "sha-256", value: "g".repeat(64) }] }),
      "/body/contentFingerprints/0/value",
    ],
    [
      "unknown algorithm",
      (b) => ({ ...b, contentFingerprints: [{ alg: "md5", value: "a".repeat(64) }] }),
      "/body/contentFingerprints/0/alg",
    ],
    [
      "only a pdq hash",
      (b) => ({ ...b, contentFingerprints: [{ alg: "pdq", value: "a".repeat(64) }] }),
      "/body/contentFingerprints",
    ],
    [
      "repeated fingerprint",
      (b) => ({ ...b, contentFingerprints: [b.contentFingerprints[0], b.contentFingerprints[0]] }),
      "/body/contentFingerprints",
    ],
    ["no slots", (b) => ({ ...b, slots: [] }), "/body/slots"],
    ["21 slots", (b) => ({ ...b, slots: Array.from({ length: 21 }, () => ({ role: "co-performer" })) }), "/body/slots"],
    ["two uploaders", (b) => ({ ...b, slots: [{ role: "uploader" }, { role: "uploader" }] }), "/body/slots"],
    ["unknown role", (b) => ({ ...b, slots: [{ role: "director" }] }), "/body/slots/0/role"],
    ["no purpose", (b) => ({ ...b, scope: { ...b.scope, purposes: [] } }), "/body/scope/purposes"],
    ["unknown purpose", (b) => ({ ...b, scope: { ...b.scope, purposes: ["resell"] } }), "/body/scope/purposes/0"],
    ["unknown territory", (b) => ({ ...b, scope: { ...b.scope, territories: ["XX"] } }), "/body/scope/territories/0"],
    [
      "lower-case territory",
      (b) => ({ ...b, scope: { ...b.scope, territories: ["nl"] } }),
      "/body/scope/territories/0",
    ],
    [
      "past end date",
      (b) => ({ ...b, scope: { ...b.scope, validUntil: "2020-01-01T00:00:00Z" } }),
      "/body/scope/validUntil",
    ],
    [
      "end date beyond 10 years",
      (b) => ({
        ...b,
        scope: { ...b.scope, validUntil: new Date(Date.now() + 10.1 * 365 * 86_400_000).toISOString() },
      }),
      "/body/scope/validUntil",
    ],
    [
      "end date without offset",
      (b) => ({ ...b, scope: { ...b.scope, validUntil: "2030-01-01T00:00:00" } }),
      "/body/scope/validUntil",
    ],
    ["wrong type", (b) => ({ ...b, title: 42 }), "/body/title"],
  ];

  test.each(cases)("%s is 400 naming %s and stores nothing", async (_name, mutate, pointer) => {
    const before = await count();
    const res = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .send(mutate(publicationRequest()) as object);
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect(await count()).toBe(before);
  });

  test("a pdq fingerprint beside a sha-256 one is accepted", async () => {
    const body = publicationRequest();
    body.contentFingerprints.push({ alg: "pdq", value: "F".repeat(64) });
    const res = await api().post("/v1/publications").set(bearer(key)).send(body).expect(201);
    expect(res.body.contentFingerprints[1]).toEqual({ alg: "pdq", value: "f".repeat(64) });
  });
});

describe("check", () => {
  test.each([
    [{}, "/body/fingerprint"],
    [{ fingerprint: { alg: "sha-256" } }, "/body/fingerprint/value"],
    [{ fingerprint: { alg: "sha-256", value: "a".repeat(64) }, more: true }, "/body/more"],
  ])("bad body %j is 400 naming %s", async (body, pointer) => {
    const res = await api().post("/v1/check").set(bearer(key)).send(body);
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });
});

describe("problem types", () => {
  test("a problem's type URI resolves to a page about it", async () => {
    const problem = (await api().get("/v1/publications")).body as { type: string };
    const res = await request(problem.type.replace(/^http:\/\/localhost/, "http://127.0.0.1"))
      .get("")
      .expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.text).toContain("<code>unauthenticated</code>");
  });

  test("anything else under /problems is 404", async () => {
    expectProblem(await api().get("/problems/%3Cscript%3E"), 404, "not_found");
  });
});
