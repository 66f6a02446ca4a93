import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkResultSchema, type Fingerprint } from "@vergewis/sdk";
import { revokeApiKey } from "../../packages/server/src/platform/api-key.ts";
import { requestTakedown } from "../../packages/server/src/takedown/request.ts";
import { bearer, hex64, publicationRequest } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { movePublicationTo } from "../support/states.ts";

// Several stateless instances share one PostgreSQL (PGlite has a single session, so this suite
// runs on PostgreSQL only). Each instance caches API keys and publish checks; a change committed
// through any instance must reach the others' caches.
let a: TestServer;
let b: TestServer;
let key: string;

beforeAll(async () => {
  a = await startTestServer();
  b = await startTestServer({}, { shareDatabaseWith: a });
  key = (await a.createPlatform()).apiKey;
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 2_000;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await probe();
  }
  return value;
}

describe("several instances on one PostgreSQL", () => {
  test("a takedown through one instance reaches the other's check cache", async () => {
    const fingerprint: Fingerprint = { alg: "sha-256", value: hex64() };
    const { id } = (
      await request(a.url)
        .post("/v1/publications")
        .set(bearer(key))
        .send(publicationRequest({ contentFingerprints: [fingerprint] }))
        .expect(201)
    ).body as { id: string };
    await movePublicationTo(a.ctx.db, id, ["cleared"]);
    const check = async () =>
      checkResultSchema.parse((await request(b.url).post("/v1/check").set(bearer(key)).send({ fingerprint })).body);
    expect(await check()).toMatchObject({ allowed: true });
    await a.ctx.db.$transaction((tx) => requestTakedown(tx, { publicationId: id, reason: "revocation" }));
    expect(await eventually(check, (r) => !r.allowed)).toMatchObject({ allowed: false, reason: "revoked" });
  });

  test("a key revoked through one instance stops working on the other", async () => {
    const { apiKey } = await a.createPlatform("Short-lived");
    await request(b.url).get("/v1/publications").set(bearer(apiKey)).expect(200);
    await revokeApiKey(a.ctx.db, apiKey.slice(0, 17));
    const status = async () => (await request(b.url).get("/v1/publications").set(bearer(apiKey))).status;
    expect(await eventually(status, (s) => s === 401)).toBe(401);
  });
});
