import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { reportListSchema, reportReceiptSchema, reportSchema, verifyWebhook } from "@vergewis/sdk";
import { configurePlatform } from "../../packages/server/src/platform/configure.ts";
import { createFlagger, revokeFlagger } from "../../packages/server/src/report/flagger.ts";
import { bearer, hex64 } from "../support/fixtures.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { clearedPublication, expectNothingLost, revoke, subscribe } from "../support/takedown.ts";

let server: TestServer;
let rx: Receiver;

beforeAll(async () => {
  server = await startTestServer({
    worker: { pollInterval: "50ms" },
    takedowns: { overdueNoticeInterval: "1s" },
    reports: { rateLimit: 1_000, trustedFlaggerSla: "10m" },
  });
  rx = await startReceiver();
});
afterAll(async () => {
  await server?.close();
  await rx?.close();
});

const api = () => request(server.url);
const CONTACT = "reporter-7f3a@example.test";
const DESCRIPTION = "This video shows me; I never agreed to it being published.";

function report(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api()
    .post("/v1/reports")
    .set(headers)
    .send({ category: "no_consent", description: DESCRIPTION, ...body });
}

async function platform(name: string, withEndpoint = false) {
  const created = await server.createPlatform(name);
  const endpoint = withEndpoint ? await subscribe(server.url, created.apiKey, rx) : undefined;
  return { key: created.apiKey, id: created.id, secret: endpoint?.secret };
}

const reportsOf = async (key: string, query: Record<string, string> = {}) =>
  reportListSchema.parse((await api().get("/v1/reports").query(query).set(bearer(key)).expect(200)).body).items;
const check = async (key: string, fingerprint: { alg: string; value: string }) =>
  (await api().post("/v1/check").set(bearer(key)).send({ fingerprint }).expect(200)).body;
const resolve = (key: string, id: string, body: Record<string, unknown>) =>
  api().post(`/v1/reports/${id}/resolve`).set(bearer(key)).send(body);

const removal = {
  decision: "removed",
  facts: "The depicted person did not consent; we have no consent record.",
  automatedDetection: false,
  automatedDecision: false,
  contractualGround: "Terms of service §4.2: consent of every depicted person",
  redress: "Internal complaint via /appeals; out-of-court settlement body; court.",
};

describe("POST /v1/reports (public)", () => {
  test("needs no account; reaches every platform that has the content; reveals nothing about matches", async () => {
    const a = await platform("Alpha", true);
    const b = await platform("Beta");
    const contentA = await clearedPublication(server.url, server.ctx.db, a.key);
    const contentB = await clearedPublication(server.url, server.ctx.db, b.key, {
      contentFingerprints: [contentA.fingerprint],
    });
    const res = await report({ fingerprint: contentA.fingerprint, contact: CONTACT }).expect(202);
    expect(reportReceiptSchema.parse(res.body)).toEqual({
      id: res.body.id,
      receivedAt: res.body.receivedAt,
      trustedFlagger: false,
      reporter: "anonymous",
      effect: "under_review",
    });
    expect(res.headers["cache-control"]).toBe("no-store");
    const unmatched = await report({ fingerprint: { alg: "sha-256", value: hex64() } }).expect(202);
    expect(Object.keys(unmatched.body).sort()).toEqual(Object.keys(res.body).sort());

    const [forA] = await reportsOf(a.key);
    const [forB] = await reportsOf(b.key);
    expect(reportSchema.parse(forA)).toMatchObject({
      publicationId: contentA.id,
      externalId: contentA.externalId,
      category: "no_consent",
      description: DESCRIPTION,
      matchedBy: "fingerprint",
      fingerprint: contentA.fingerprint,
      trustedFlagger: null,
      status: "open",
      overdue: false,
      resolution: null,
    });
    expect(forB!.publicationId).toBe(contentB.id);
    expect(Date.parse(forA!.dueAt) - Date.parse(forA!.receivedAt)).toBe(86_400_000);

    await rx.waitFor((r) => r.received.some((w) => JSON.parse(w.body).data.reportId === forA!.id));
    const webhook = rx.received.find((w) => JSON.parse(w.body).data.reportId === forA!.id)!;
    const event = await verifyWebhook({
      body: webhook.body,
      headers: webhook.headers as Record<string, string>,
      secret: a.secret!,
    });
    expect(event).toMatchObject({
      type: "report.received",
      data: {
        reportId: forA!.id,
        publicationId: contentA.id,
        category: "no_consent",
        trustedFlagger: null,
        dueAt: forA!.dueAt,
      },
    });
    // The reporter's contact stays with Vergewis; the description is read through the API only.
    for (const text of [webhook.body, JSON.stringify(forA), JSON.stringify(forB)]) expect(text).not.toContain(CONTACT);
    expect(webhook.body).not.toContain(DESCRIPTION);
    const audit = await server.ctx.db.auditEvent.findMany({
      where: { type: { in: ["notice.received", "report.received"] } },
    });
    for (const e of audit) {
      expect(e.entry).not.toContain(CONTACT);
      expect(e.entry).not.toContain("never agreed");
    }
    expect(await server.ctx.db.notice.count({ where: { id: res.body.id, contact: CONTACT } })).toBe(1);
    await expectNothingLost(server.ctx.db, [rx], { platformId: a.id });
  });

  test("content a trusted flagger reported is refused by the check until the report is rejected", async () => {
    const { key } = await platform("Checker");
    const content = await clearedPublication(server.url, server.ctx.db, key);
    expect(await check(key, content.fingerprint)).toMatchObject({ allowed: true });
    const flagger = await createFlagger(server.ctx.db, { name: "Checking hotline" });
    await report({ fingerprint: content.fingerprint }, bearer(flagger.token)).expect(202);
    expect(await check(key, content.fingerprint)).toMatchObject({
      allowed: false,
      reason: "reported",
      publicationId: content.id,
    });
    const [open] = await reportsOf(key);
    const res = await resolve(key, open!.id, {
      decision: "no_action",
      facts: "Every depicted person consented; consent receipts verified.",
      automatedDetection: false,
      automatedDecision: false,
      redress: "Internal complaint via /appeals.",
    }).expect(200);
    expect(res.body).toMatchObject({ status: "rejected", takedownId: null, resolution: { decision: "no_action" } });
    expect(await check(key, content.fingerprint)).toMatchObject({ allowed: true, reason: "cleared" });
  });

  test("an upheld report takes the publication down and keeps its content refused", async () => {
    const { key, id: platformId } = await platform("Remover");
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await report({ fingerprint: content.fingerprint }).expect(202);
    const [open] = await reportsOf(key);
    // Removed as the report came in: the earliest time a resolution may state.
    const removedAt = open!.receivedAt;
    const res = await resolve(key, open!.id, { ...removal, removedAt }).expect(200);
    expect(reportSchema.parse(res.body)).toMatchObject({
      status: "upheld",
      resolution: { decision: "removed", contractualGround: removal.contractualGround, redress: removal.redress },
    });
    expect(res.body.resolution.removedAt).toBeUndefined();
    const takedown = (await api().get(`/v1/takedowns/${res.body.takedownId}`).set(bearer(key)).expect(200)).body;
    expect(takedown).toMatchObject({ reason: "report", reportId: open!.id, status: "acknowledged", removedAt });
    expect((await api().get(`/v1/publications/${content.id}`).set(bearer(key)).expect(200)).body.status).toBe(
      "taken_down",
    );
    expect(await check(key, content.fingerprint)).toMatchObject({ allowed: false, reason: "reported" });
    // The platform itself reported the removal: no takedown.requested to answer.
    expect(await server.ctx.db.outboxMessage.count({ where: { platformId, type: "takedown.requested" } })).toBe(0);
    const again = await resolve(key, open!.id, removal).expect(409);
    expect(again.body.code).toBe("already_resolved");
    const audit = await server.ctx.db.auditEvent.findMany({
      where: { publicationId: content.id },
      orderBy: { index: "asc" },
    });
    expect(audit.map((e) => e.type)).toEqual([
      "publication.requested",
      "report.received",
      "content.blocked",
      "takedown.requested",
      "takedown.acknowledged",
      "report.resolved",
    ]);
  });

  test("a report upheld on revoked content acknowledges the open takedown", async () => {
    const { key } = await platform("Revoked");
    const content = await clearedPublication(server.url, server.ctx.db, key);
    const { takedownId } = await revoke(server.ctx.db, content.id);
    await report({ fingerprint: content.fingerprint, category: "consent_withdrawn" }).expect(202);
    const [open] = await reportsOf(key);
    const res = await resolve(key, open!.id, removal).expect(200);
    expect(res.body.takedownId).toBe(takedownId);
    expect((await api().get(`/v1/takedowns/${takedownId}`).set(bearer(key)).expect(200)).body.status).toBe(
      "acknowledged",
    );
  });

  test("matches a URL through the platform's content URL template, and a preview URL", async () => {
    const { key, id } = await platform("Tube");
    await configurePlatform(server.ctx.db, { id, contentUrlTemplate: "https://tube.example.test/watch/{externalId}" });
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await report({ url: `https://TUBE.example.test/watch/${content.externalId}?t=42#x` }).expect(202);
    const previewed = await clearedPublication(server.url, server.ctx.db, key, {
      previewUrl: "https://cdn.example.test/preview/123.jpg",
    });
    await report({ url: "https://cdn.example.test/preview/123.jpg" }).expect(202);
    await report({ url: `https://tube.example.test/other/${content.externalId}` }).expect(202);
    const items = await reportsOf(key);
    expect(items.map((r) => [r.publicationId, r.matchedBy]).sort()).toEqual(
      [
        [content.id, "url"],
        [previewed.id, "url"],
      ].sort(),
    );
  });

  test("a URL is normalised before it is matched and stored", async () => {
    const res = await report({ url: "HTTPS://X.test/a b%00c" }).expect(202);
    const notice = await server.ctx.db.notice.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(notice.url).toBe("https://x.test/a%20b%00c");
  });

  test("a URL with a raw NUL is refused, like any string with one", async () => {
    const res = await report({ url: "https://x.test/a\u0000c" }).expect(400);
    expect(res.body.errors).toEqual([{ pointer: "/body/url", reason: "must not contain NUL characters" }]);
  });

  test("matches a perceptual (pdq) fingerprint", async () => {
    const { key } = await platform("Perceptual");
    const pdq = { alg: "pdq", value: hex64() } as const;
    const content = await clearedPublication(server.url, server.ctx.db, key, {
      contentFingerprints: [{ alg: "sha-256", value: hex64() }, pdq],
    });
    await report({ fingerprint: pdq, category: "synthetic" }).expect(202);
    expect(await reportsOf(key)).toMatchObject([{ publicationId: content.id, algorithm: "pdq", distance: 0 }]);
    // Anonymous: under review, not refused.
    expect(await check(key, pdq)).toMatchObject({ allowed: true, reason: "cleared" });
  });

  test("a notice that matches nothing is kept and audited", async () => {
    const res = await report({ fingerprint: { alg: "sha-256", value: hex64() }, category: "underage" }).expect(202);
    const notice = await server.ctx.db.notice.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(notice.category).toBe("underage");
    const entry = (await server.ctx.db.auditEvent.findMany({ where: { type: "notice.received" } }))
      .map((e) => JSON.parse(e.entry))
      .find((e) => e.data.noticeId === res.body.id);
    expect(entry.data).toMatchObject({ category: "underage", matches: 0 });
  });

  test.each([
    [{ category: "no_consent", description: DESCRIPTION }, "/body/fingerprint"],
    [{ fingerprint: { alg: "md5", value: hex64() } }, "/body/fingerprint/alg"],
    [{ fingerprint: { alg: "sha-256", value: "abc" } }, "/body/fingerprint/value"],
    [{ url: "javascript:alert(1)" }, "/body/url"],
    [{ url: "https://x.test/", category: "spam" }, "/body/category"],
    [{ url: "https://x.test/", description: "short" }, "/body/description"],
    [{ url: "https://x.test/", description: "ten chars \u0000 and a NUL" }, "/body/description"],
    [{ url: "https://x.test/", contact: "x".repeat(321) }, "/body/contact"],
    [{ url: "https://x.test/", platformId: "x" }, "/body/platformId"],
  ])("refuses %j at %s and stores nothing", async (body, pointer) => {
    const before = await server.ctx.db.notice.count();
    const res = await api()
      .post("/v1/reports")
      .send({ category: "no_consent", description: DESCRIPTION, ...body })
      .expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect(await server.ctx.db.notice.count()).toBe(before);
  });

  test("refuses a body that is not JSON", async () => {
    const res = await api().post("/v1/reports").set("content-type", "text/plain").send("hello").expect(415);
    expect(res.body.code).toBe("unsupported_media_type");
  });
});

describe("trusted flaggers", () => {
  test("report with a token: marked, shorter deadline, listed first", async () => {
    const { key, secret } = await platform("Flagged", true);
    const flagger = await createFlagger(server.ctx.db, { name: "Offlimits hotline" });
    expect(flagger.token).toMatch(/^vgw_flag_/);
    const anonymous = await clearedPublication(server.url, server.ctx.db, key);
    const flagged = await clearedPublication(server.url, server.ctx.db, key);
    await report({ fingerprint: anonymous.fingerprint }).expect(202);
    const res = await report({ fingerprint: flagged.fingerprint, category: "underage" }, bearer(flagger.token)).expect(
      202,
    );
    expect(res.body.trustedFlagger).toBe(true);

    const items = await reportsOf(key, { status: "open" });
    expect(items.map((r) => r.publicationId)).toEqual([flagged.id, anonymous.id]);
    expect(items[0]!.trustedFlagger).toEqual({ id: flagger.id, name: "Offlimits hotline" });
    expect(Date.parse(items[0]!.dueAt) - Date.parse(items[0]!.receivedAt)).toBe(600_000);
    await rx.waitFor((r) => r.received.some((w) => JSON.parse(w.body).data.reportId === items[0]!.id));
    const webhook = rx.received.find((w) => JSON.parse(w.body).data.reportId === items[0]!.id)!;
    const event = await verifyWebhook({
      body: webhook.body,
      headers: webhook.headers as Record<string, string>,
      secret: secret!,
    });
    expect(event.data).toMatchObject({ trustedFlagger: { id: flagger.id, name: "Offlimits hotline" } });
    const stored = await server.ctx.db.trustedFlagger.findUniqueOrThrow({ where: { id: flagger.id } });
    expect(JSON.stringify(stored)).not.toContain(flagger.token.slice(17));
    const logs = JSON.stringify(server.logs);
    for (const secret of [flagger.token.slice(9), CONTACT, DESCRIPTION]) expect(logs).not.toContain(secret);
  });

  test("a wrong or revoked token is refused (401), not downgraded to anonymous", async () => {
    const flagger = await createFlagger(server.ctx.db, { name: "Former hotline" });
    const body = { url: "https://x.test/v/1" };
    const before = await server.ctx.db.notice.count();
    const wrong = await report(body, bearer(`vgw_flag_${"A".repeat(43)}`)).expect(401);
    expect(wrong.body.code).toBe("unauthenticated");
    await report(body, { Authorization: "Basic abc" }).expect(401);
    await revokeFlagger(server.ctx.db, { id: flagger.id });
    await report(body, bearer(flagger.token)).expect(401);
    expect(await server.ctx.db.notice.count()).toBe(before);
  });
});

describe("POST /v1/reports/{id}/resolve", () => {
  test.each([
    [{ ...removal, contractualGround: undefined }, "/body/legalGround"],
    [{ ...removal, territorialScope: ["NL"] }, "/body/territorialScope"],
    [{ ...removal, decision: "access_disabled", territorialScope: ["XX"] }, "/body/territorialScope/0"],
    [{ ...removal, decision: "no_action", removedAt: new Date().toISOString() }, "/body/removedAt"],
    [{ ...removal, facts: "" }, "/body/facts"],
    [{ ...removal, redress: "nul\u0000" }, "/body/redress"],
    [{ ...removal, redress: undefined }, "/body/redress"],
    [{ ...removal, automatedDecision: "no" }, "/body/automatedDecision"],
    [{ ...removal, decision: "deleted" }, "/body/decision"],
  ])("refuses %j at %s and changes nothing", async (body, pointer) => {
    const { key } = await platform("Validator");
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await report({ fingerprint: content.fingerprint }).expect(202);
    const [open] = await reportsOf(key);
    const res = await resolve(key, open!.id, body).expect(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect((await reportsOf(key))[0]).toMatchObject({ status: "open", resolution: null });
    expect((await server.ctx.db.publication.findUniqueOrThrow({ where: { id: content.id } })).status).toBe("cleared");
  });

  test.each([
    ["before the report was received", (receivedAt: Date) => new Date(receivedAt.getTime() - 1), "must not be before"],
    ["long before", () => new Date("2001-01-01T00:00:00Z"), "must not be before the report was received"],
    ["beyond the clock skew", () => new Date(Date.now() + 6 * 60_000), "must not be in the future"],
  ])("refuses a removedAt %s (422 at /body/removedAt) and changes nothing", async (_what, removedAt, reason) => {
    const { key } = await platform("Backdater");
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await report({ fingerprint: content.fingerprint }).expect(202);
    const [open] = await reportsOf(key);
    const at = removedAt(new Date(open!.receivedAt)).toISOString();
    const res = await resolve(key, open!.id, { ...removal, removedAt: at }).expect(422);
    expect(res.body).toMatchObject({ status: 422, code: "removed_at_out_of_range" });
    expect(res.body.errors).toEqual([{ pointer: "/body/removedAt", reason: expect.stringContaining(reason) }]);
    expect((await reportsOf(key))[0]).toMatchObject({ status: "open", resolution: null, takedownId: null });
    expect((await server.ctx.db.publication.findUniqueOrThrow({ where: { id: content.id } })).status).toBe("cleared");
    expect(await server.ctx.db.takedown.count({ where: { publicationId: content.id } })).toBe(0);
  });

  test("access disabled in some territories is upheld with its scope", async () => {
    const { key } = await platform("Geo");
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await report({ fingerprint: content.fingerprint }).expect(202);
    const [open] = await reportsOf(key);
    const res = await resolve(key, open!.id, {
      ...removal,
      decision: "access_disabled",
      territorialScope: ["NL", "BE", "NL"],
      legalGround: "Art. 139h Sr",
    }).expect(200);
    expect(res.body).toMatchObject({ status: "upheld", resolution: { territorialScope: ["BE", "NL"] } });
  });

  test("another platform's report is not found", async () => {
    const { key } = await platform("Owner");
    const stranger = await platform("Stranger");
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await report({ fingerprint: content.fingerprint }).expect(202);
    const [open] = await reportsOf(key);
    await api().get(`/v1/reports/${open!.id}`).set(bearer(stranger.key)).expect(404);
    await resolve(stranger.key, open!.id, removal).expect(404);
    expect(await reportsOf(stranger.key)).toEqual([]);
    await api().get(`/v1/reports/${open!.id}`).set(bearer(key)).expect(200);
  });

  test("an unresolved report goes overdue with repeated report.overdue notices", async () => {
    const { key, id } = await platform("Late reviewer", true);
    await server.ctx.db.platform.update({ where: { id }, data: { slaSeconds: 1 } });
    const content = await clearedPublication(server.url, server.ctx.db, key);
    await report({ fingerprint: content.fingerprint }).expect(202);
    const [open] = await reportsOf(key);
    const overdue = (w: { body: string }) => {
      const event = JSON.parse(w.body);
      return event.type === "report.overdue" && event.data.reportId === open!.id;
    };
    await rx.waitFor((r) => r.received.filter(overdue).length >= 2, 15_000, "two report.overdue notices");
    expect(
      rx.received
        .filter(overdue)
        .map((w) => JSON.parse(w.body).data.notice)
        .slice(0, 2),
    ).toEqual([1, 2]);
    expect((await reportsOf(key))[0]).toMatchObject({ overdue: true });
    await resolve(key, open!.id, removal).expect(200);
    const { overdueNotices, nextNoticeAt } = await server.ctx.db.report.findUniqueOrThrow({ where: { id: open!.id } });
    expect(nextNoticeAt).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await server.ctx.db.report.findUniqueOrThrow({ where: { id: open!.id } })).overdueNotices).toBe(
      overdueNotices,
    );
  });
});

describe("rate limit", () => {
  const RATE_LIMIT = 3;
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({
      worker: { enabled: false },
      reports: { rateLimit: RATE_LIMIT, rateLimitWindow: "1h" },
    });
  });
  afterAll(() => limited?.close());

  test("anonymous reports are limited per address; the limit answers 429 with rate-limit headers", async () => {
    const send = (headers: Record<string, string> = {}) =>
      request(limited.url)
        .post("/v1/reports")
        .set(headers)
        .send({ url: "https://x.test/v/limit", category: "other", description: DESCRIPTION });
    for (let i = 0; i < RATE_LIMIT; i++) await send().expect(202);
    const res = await send().expect(429);
    expect(res.body).toMatchObject({ status: 429, code: "rate_limited" });
    expect(res.headers["ratelimit-policy"]).toMatch(new RegExp(`q=${RATE_LIMIT}`));
    expect(await limited.ctx.db.notice.count()).toBe(RATE_LIMIT);
    // A trusted flagger has a budget of its own.
    const flagger = await createFlagger(limited.ctx.db, { name: "Busy hotline" });
    await send(bearer(flagger.token)).expect(202);
  });
});
