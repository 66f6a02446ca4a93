import { randomBytes } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";

// Two instances of one deployment on one PostgreSQL: a rate limit counts the requests of both,
// as one would with a single instance (a per-instance counter would allow the limit on each).
const LIMIT = 2;
const config = { secret: randomBytes(32).toString("base64url"), worker: { enabled: false } };
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  a = await startTestServer({ ...config, reports: { rateLimit: LIMIT, rateLimitWindow: "1h" } });
  b = await startTestServer(
    { ...config, reports: { rateLimit: LIMIT, rateLimitWindow: "1h" } },
    { shareDatabaseWith: a },
  );
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe("rate limits across instances", () => {
  test("public reports: the limit holds for the deployment, not per instance", async () => {
    const send = (server: TestServer) =>
      request(server.url).post("/v1/reports").send({
        url: "https://x.test/v/instances",
        category: "other",
        description: "This video shows me; I never agreed to it being published.",
      });
    await send(a).expect(202);
    await send(b).expect(202);
    const res = await send(a).expect(429);
    expect(res.body).toMatchObject({ status: 429, code: "rate_limited" });
    expect(await a.ctx.db.notice.count()).toBe(LIMIT);
  });

  test("console sign-in attempts: the 31st within a minute is refused, whichever instance counted", async () => {
    const attempt = (server: TestServer) =>
      request(server.url).post("/audit/login").type("form").send({ token: "wrong" });
    for (let i = 0; i < 30; i++) await attempt(i % 2 === 0 ? a : b).expect(401);
    const res = await attempt(a).expect(429);
    expect(res.text).toContain("Too many sign-in attempts");
  });
});
