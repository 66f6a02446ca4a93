import request from "supertest";
import { afterAll, beforeAll, expect, test } from "vitest";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

// Logs are read by operators and shipped to log stores: no API key, secret, invitation code,
// contact detail or identity claim may ever appear in them, whatever the request did.

let server: TestServer;
let key: string;
const secrets: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ logLevel: "trace" });
  key = (await server.createPlatform()).apiKey;
  secrets.push(key, key.slice("vgw_live_".length), server.ctx.secret.toString("utf8"));
});
afterAll(() => server?.close());

test("no secret or personal data reaches the logs", async () => {
  const contact = "performer.private@example.org";
  const created = await request(server.url)
    .post("/v1/publications")
    .set(bearer(key))
    .set("Idempotency-Key", "log-scan")
    .send(publicationRequest({ slots: [{ role: "uploader", contact }] }))
    .expect(201);
  const { code, url } = created.body.invitations[0] as { code: string; url: string };
  secrets.push(contact, code, code.replaceAll("-", ""));

  await request(server.url).get(new URL(url).pathname).set(bearer(key));
  await request(server.url)
    .get(`/v1/publications?externalId=${encodeURIComponent(contact)}`)
    .set(bearer(key));
  await request(server.url)
    .post("/v1/publications")
    .set(bearer(key.slice(0, -2) + "xx"))
    .send({});
  await request(server.url)
    .post("/v1/publications")
    .set("Authorization", `Basic ${Buffer.from(`u:${key}`).toString("base64")}`);
  await request(server.url)
    .post("/v1/check")
    .set(bearer(key))
    .set("Content-Type", "application/json")
    .send(`{"x":"${contact}`);
  await request(server.url)
    .post("/v1/publications")
    .set(bearer(key))
    .send({ ...publicationRequest(), title: contact, extra: key });

  expect(server.logs.length).toBeGreaterThan(5);
  const text = JSON.stringify(server.logs);
  for (const secret of secrets) expect(text).not.toContain(secret);
  expect(text).not.toContain(Buffer.from(`u:${key}`).toString("base64"));
});
