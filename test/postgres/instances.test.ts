import { randomBytes } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkResultSchema, type Fingerprint } from "@vergewis/sdk";
import { revokeApiKey } from "../../packages/server/src/platform/api-key.ts";
import { publicationSignal } from "../../packages/server/src/publication/signal.ts";
import { requestTakedown } from "../../packages/server/src/takedown/request.ts";
import { bearer, hex64, publicationRequest } from "../support/fixtures.ts";
import { spawnServer, type ServerProcess } from "../support/server-process.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { movePublicationTo } from "../support/states.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

// Several stateless instances share one PostgreSQL (PGlite has a single session, so this suite
// runs on PostgreSQL only). Each instance caches API keys and publish checks; a change committed
// through any instance must reach the others' caches. Instance b runs in a process of its own, so
// that only PostgreSQL's notifications can tell it about a's changes.
let a: TestServer;
let b: ServerProcess;
let key: string;

beforeAll(async () => {
  const secret = randomBytes(32).toString("base64url");
  a = await startTestServer({ secret });
  b = await spawnServer({ DATABASE_URL: a.databaseUrl, VERGEWIS_SECRET: secret, VERGEWIS_WORKER: "false" });
  key = (await a.createPlatform()).apiKey;
}, 90_000);
afterAll(async () => {
  await b?.stop();
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
    await runTransaction(a.ctx.db, (tx, effects) =>
      requestTakedown(tx, effects, { publicationId: id, reason: "revocation" }),
    );
    expect(await eventually(check, (r) => !r.allowed)).toMatchObject({ allowed: false, reason: "revoked" });
  });

  test("a key revoked through one instance stops working on the other", async () => {
    const { apiKey } = await a.createPlatform("Short-lived");
    await request(b.url).get("/v1/publications").set(bearer(apiKey)).expect(200);
    await revokeApiKey(a.ctx.db, apiKey.slice(0, 17));
    const status = async () => (await request(b.url).get("/v1/publications").set(bearer(apiKey))).status;
    expect(await eventually(status, (s) => s === 401)).toBe(401);
  });

  test("a change to other content leaves the other instance's cached decision in place", async () => {
    const cached: Fingerprint = { alg: "sha-256", value: hex64() };
    const body = publicationRequest({ contentFingerprints: [cached] });
    const { id } = (await request(a.url).post("/v1/publications").set(bearer(key)).send(body).expect(201)).body as {
      id: string;
    };
    await movePublicationTo(a.ctx.db, id, ["cleared"]);
    const check = async () =>
      checkResultSchema.parse(
        (await request(b.url).post("/v1/check").set(bearer(key)).send({ fingerprint: cached })).body,
      );
    expect(await eventually(check, (r) => r.allowed)).toMatchObject({ allowed: true });
    // Behind every cache's back (no change signalled): b keeps its cached decision...
    await a.ctx.db.$executeRaw`UPDATE "Publication" SET status = 'declined' WHERE id = ${id}::uuid`;
    expect(await check()).toMatchObject({ allowed: true });
    // ...through changes to other content, which reach b as notifications naming that content...
    const other = (
      await request(a.url).post("/v1/publications").set(bearer(key)).send(publicationRequest()).expect(201)
    ).body as { id: string };
    await movePublicationTo(a.ctx.db, other.id, ["cleared"]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await check()).toMatchObject({ allowed: true });
    // ...until a change names its content.
    await runTransaction(a.ctx.db, async (tx, effects) => effects.signal(await publicationSignal(tx, [id])));
    expect(await eventually(check, (r) => !r.allowed)).toMatchObject({ allowed: false, reason: "declined" });
  });
});
