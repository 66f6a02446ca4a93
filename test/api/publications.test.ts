import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createdPublicationSchema, publicationListSchema, publicationSchema } from "@vergewis/sdk";
import { bearer, hex64, publicationRequest } from "../support/fixtures.ts";
import { invitationIn } from "../support/mail.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let key: string;
let otherKey: string;

beforeAll(async () => {
  server = await startTestServer();
  key = (await server.createPlatform("Alpha")).apiKey;
  otherKey = (await server.createPlatform("Beta")).apiKey;
});
afterAll(() => server?.close());

const api = () => request(server.url);

describe("POST /v1/publications", () => {
  test("creates a pending publication; the uploader's invitation in the answer, the co-performer's by mail", async () => {
    const body = publicationRequest({ previewUrl: "https://cdn.example.test/p.jpg" });
    const res = await api().post("/v1/publications").set(bearer(key)).send(body).expect(201);
    const created = createdPublicationSchema.parse(res.body);
    expect(created).toMatchObject({
      externalId: body.externalId,
      status: "pending",
      previewUrl: "https://cdn.example.test/p.jpg",
      scope: { purposes: ["publish"], territories: ["BE", "NL"] },
    });
    expect(created.slots.map((s) => [s.position, s.role, s.status])).toEqual([
      [0, "uploader", "open"],
      [1, "co-performer", "open"],
    ]);
    expect(created.invitations.map((i) => i.slotId)).toEqual([created.slots[0]!.id]);
    const mailed = invitationIn(await server.mail.waitForMail(body.slots[1]!.contact!));
    for (const invitation of [...created.invitations, mailed]) {
      expect(invitation.code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}$/);
      expect(invitation.url).toBe(
        `${server.url.replace("127.0.0.1", "localhost")}/portal/i/${invitation.code.replaceAll("-", "")}`,
      );
    }
    expect(res.headers.location).toMatch(new RegExp(`/v1/publications/${created.id}$`));
  });

  test("stores no invitation secret, contact or code in a readable form", async () => {
    const res = await api().post("/v1/publications").set(bearer(key)).send(publicationRequest()).expect(201);
    const code: string = res.body.invitations[0].code;
    const slots = await server.ctx.db.slot.findMany({ where: { publicationId: res.body.id } });
    const dump = JSON.stringify(slots, (_k, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v,
    );
    expect(dump).not.toContain(code.replaceAll("-", ""));
    expect(slots.every((s) => s.codeHash.length === 32)).toBe(true);
  });

  test("refuses a second request with the same externalId (409) and stores nothing", async () => {
    const body = publicationRequest();
    await api().post("/v1/publications").set(bearer(key)).send(body).expect(201);
    const before = await server.ctx.db.publication.count();
    const res = await api().post("/v1/publications").set(bearer(key)).send(body).expect(409);
    expect(res.body).toMatchObject({ status: 409, code: "external_id_taken" });
    expect(await server.ctx.db.publication.count()).toBe(before);
  });

  test("another platform may use the same externalId", async () => {
    const body = publicationRequest();
    await api().post("/v1/publications").set(bearer(key)).send(body).expect(201);
    await api().post("/v1/publications").set(bearer(otherKey)).send(body).expect(201);
  });

  test("records the request in the audit log, without contacts", async () => {
    const body = publicationRequest();
    const res = await api().post("/v1/publications").set(bearer(key)).send(body).expect(201);
    await server.mail.waitForMail(body.slots[1]!.contact!);
    const events = await server.ctx.db.auditEvent.findMany({ where: { publicationId: res.body.id } });
    expect(events.map((e) => e.type)).toContain("publication.requested");
    for (const event of events) expect(event.entry).not.toContain(body.slots[1]!.contact!);
  });
});

describe("GET /v1/publications", () => {
  test("reads one publication", async () => {
    const created = (await api().post("/v1/publications").set(bearer(key)).send(publicationRequest()).expect(201)).body;
    const res = await api().get(`/v1/publications/${created.id}`).set(bearer(key)).expect(200);
    const { invitations: _, ...withoutInvitations } = created;
    expect(publicationSchema.parse(res.body)).toEqual(withoutInvitations);
  });

  test("pages through all publications newest first, with a stable cursor", async () => {
    const { apiKey } = await server.createPlatform("Pager");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(
        (await api().post("/v1/publications").set(bearer(apiKey)).send(publicationRequest()).expect(201)).body.id,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api()
        .get("/v1/publications")
        .query({ limit: 3, ...(cursor && { cursor }) })
        .set(bearer(apiKey))
        .expect(200);
      const page = publicationListSchema.parse(res.body);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  test("filters by externalId and status", async () => {
    const body = publicationRequest();
    const { id } = (await api().post("/v1/publications").set(bearer(key)).send(body).expect(201)).body;
    const byExternal = await api()
      .get("/v1/publications")
      .query({ externalId: body.externalId })
      .set(bearer(key))
      .expect(200);
    expect(byExternal.body.items.map((p: { id: string }) => p.id)).toEqual([id]);
    const cleared = await api().get("/v1/publications").query({ status: "cleared" }).set(bearer(key)).expect(200);
    expect(cleared.body.items).toEqual([]);
  });

  test("refuses bad query parameters with problem+json", async () => {
    for (const query of [
      { status: "bogus" },
      { limit: "0" },
      { limit: "101" },
      { cursor: "not-a-cursor" },
      { unknown: "1" },
    ]) {
      const res = await api().get("/v1/publications").query(query).set(bearer(key)).expect(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.body.errors[0].pointer).toMatch(/^\/query\//);
    }
  });
});

describe("tenant isolation", () => {
  test("another platform's publication is not found (404), not forbidden", async () => {
    const { id } = (await api().post("/v1/publications").set(bearer(key)).send(publicationRequest()).expect(201)).body;
    const res = await api().get(`/v1/publications/${id}`).set(bearer(otherKey)).expect(404);
    expect(res.body).toMatchObject({ status: 404, code: "not_found" });
    const missing = await api()
      .get(`/v1/publications/01900000-0000-7000-8000-000000000000`)
      .set(bearer(otherKey))
      .expect(404);
    expect(missing.body.detail).toBe(res.body.detail);
  });

  test("listing shows only the caller's publications", async () => {
    const body = publicationRequest();
    await api().post("/v1/publications").set(bearer(key)).send(body).expect(201);
    const res = await api()
      .get("/v1/publications")
      .query({ externalId: body.externalId })
      .set(bearer(otherKey))
      .expect(200);
    expect(res.body.items).toEqual([]);
  });

  test("the check sees only the caller's publications", async () => {
    const fingerprint = { alg: "sha-256", value: hex64() } as const;
    await api()
      .post("/v1/publications")
      .set(bearer(key))
      .send(publicationRequest({ contentFingerprints: [fingerprint] }))
      .expect(201);
    const mine = await api().post("/v1/check").set(bearer(key)).send({ fingerprint }).expect(200);
    expect(mine.body).toMatchObject({ allowed: false, status: "pending", reason: "pending" });
    const theirs = await api().post("/v1/check").set(bearer(otherKey)).send({ fingerprint }).expect(200);
    expect(theirs.body).toEqual({ allowed: false, status: "unknown", reason: "unknown" });
  });
});
