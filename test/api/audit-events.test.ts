import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditEventListSchema, auditEventSchema, hashLeaf, type AuditEvent } from "@vergewis/sdk";
import { auditLog } from "../../packages/server/src/audit/append.ts";
import { revokeAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import { auditorToken, clearedPublication, parseCsv, publish, takedown } from "../support/audit.ts";
import { bearer } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

let server: TestServer;
let alpha: { id: string; apiKey: string };
let beta: { id: string; apiKey: string };
const tokens = { all: "", alpha: "", beta: "" };

beforeAll(async () => {
  server = await startTestServer();
  alpha = await server.createPlatform("Alpha");
  beta = await server.createPlatform("Beta");
  tokens.all = await auditorToken(server.ctx.db, null);
  tokens.alpha = await auditorToken(server.ctx.db, alpha.id);
  tokens.beta = await auditorToken(server.ctx.db, beta.id);
  for (let i = 0; i < 3; i++) {
    await publish(server.url, alpha.apiKey);
    await publish(server.url, beta.apiKey);
  }
  const cleared = await clearedPublication(server.ctx.db, server.url, alpha.apiKey, "prf_alice");
  await takedown(server.ctx.db, cleared.id);
});
afterAll(() => server?.close());

const api = () => request(server.url);
const get = (path: string, token: string) => api().get(path).set(bearer(token));

/** Every page of a query, followed through its cursors. */
async function allPages(path: string, token: string, from: string | null = null): Promise<AuditEvent[]> {
  const items: AuditEvent[] = [];
  let cursor = from;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await get(`${path}${cursor ? `${sep}cursor=${cursor}` : ""}`, token).expect(200);
    const page = auditEventListSchema.parse(res.body);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe("authentication", () => {
  test.each([
    ["no token", undefined],
    ["a malformed token", "vgw_audit_short"],
    ["an unknown token", `vgw_audit_${"A".repeat(43)}`],
  ])("refuses %s (401)", async (_what, token) => {
    const req = api().get("/v1/audit/events");
    const res = await (token ? req.set(bearer(token)) : req).expect(401);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: "unauthenticated" });
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
  });

  test("refuses a platform's API key", async () => {
    await get("/v1/audit/events", alpha.apiKey).expect(401);
  });

  test("refuses a revoked token at once, and logs the revocation", async () => {
    const token = await auditorToken(server.ctx.db, alpha.id);
    await get("/v1/audit/events", token).expect(200);
    expect(await revokeAuditorToken(server.ctx.db, token.slice(0, 18))).toBe(true);
    expect(await revokeAuditorToken(server.ctx.db, token.slice(0, 18))).toBe(false);
    await get("/v1/audit/events", token).expect(401);
    const events = await allPages("/v1/audit/events?type=auditor.token_created,auditor.token_revoked", tokens.alpha);
    expect(events.filter((e) => e.data.prefix === token.slice(0, 18)).map((e) => e.type)).toEqual([
      "auditor.token_created",
      "auditor.token_revoked",
    ]);
  });

  test("stores tokens only as hashes", async () => {
    const rows = await server.ctx.db.auditorToken.findMany();
    const dump = JSON.stringify(rows, (_k, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v,
    );
    for (const token of Object.values(tokens)) expect(dump).not.toContain(token.slice(18));
  });
});

describe("scope", () => {
  test("a platform's auditor reads that platform's events only", async () => {
    const events = await allPages("/v1/audit/events", tokens.alpha);
    expect(events.length).toBeGreaterThan(5);
    expect(new Set(events.map((e) => e.platformId))).toEqual(new Set([alpha.id]));
    const all = await allPages("/v1/audit/events", tokens.all);
    expect(new Set(all.map((e) => e.platformId))).toEqual(new Set([alpha.id, beta.id, null]));
    expect(all.filter((e) => e.platformId === alpha.id)).toEqual(events);
  });

  test("asking for another platform is refused (403) and returns nothing", async () => {
    for (const path of [
      `/v1/audit/events?platform=${beta.id}`,
      `/v1/audit/export?platform=${beta.id}`,
      `/v1/audit/metrics?platform=${beta.id}`,
      `/v1/audit/reports/monthly?platform=${beta.id}&month=2026-01&format=json`,
    ]) {
      const res = await get(path, tokens.alpha).expect(403);
      expect(res.body, path).toMatchObject({ status: 403, code: "out_of_scope" });
      expect(JSON.stringify(res.body)).not.toContain("publication.requested");
    }
  });

  test("another platform's entries are absent (404), by index and by leaf hash", async () => {
    const betaEvent = (await allPages("/v1/audit/events", tokens.beta))[0]!;
    await get(`/v1/audit/events/${betaEvent.index}`, tokens.alpha).expect(404);
    await get(`/v1/audit/events/${betaEvent.index}`, tokens.beta).expect(200);
    await get(`/v1/audit/proofs/inclusion?index=${betaEvent.index}`, tokens.alpha).expect(404);
    const byHash = await get(
      `/v1/audit/proofs/inclusion?leafHash=${encodeURIComponent(betaEvent.leafHash)}`,
      tokens.alpha,
    ).expect(404);
    expect(byHash.body).toMatchObject({ code: "not_found" });
  });

  test("the raw log shows another platform's entries as leaf hashes only", async () => {
    const res = await get("/v1/audit/log/entries?start=0&limit=10000", tokens.alpha).expect(200);
    const betaIndexes = new Set((await allPages("/v1/audit/events", tokens.beta)).map((e) => e.index));
    for (const item of res.body.entries as Array<{ index: number; entry?: string; leafHash?: string }>) {
      if (betaIndexes.has(item.index)) {
        expect(item.entry).toBeUndefined();
        expect(item.leafHash).toMatch(/=$/);
      }
    }
    expect(JSON.stringify(res.body)).not.toContain(beta.id);
  });
});

describe("GET /v1/audit/events", () => {
  test("serves entries as signed: every field read from the entry, the leaf hash of it", async () => {
    const [event] = (await get("/v1/audit/events?limit=1&type=publication.requested", tokens.all).expect(200)).body
      .items;
    const parsed = auditEventSchema.parse(event);
    expect(Buffer.from(hashLeaf(parsed.entry)).toString("base64")).toBe(parsed.leafHash);
    expect(JSON.parse(parsed.entry)).toMatchObject({ type: parsed.type, time: parsed.time, data: parsed.data });
  });

  test("filters by publication, performer, type and time, and combines them", async () => {
    const all = await allPages("/v1/audit/events", tokens.all);
    const publicationId = all.find((e) => e.type === "takedown.requested")!.publicationId!;
    const byPublication = await allPages(`/v1/audit/events?publication=${publicationId}`, tokens.all);
    expect(byPublication.map((e) => e.type)).toEqual([
      "publication.requested",
      "consent.signed",
      "publication.cleared",
      "consent.revoked",
      "takedown.requested",
    ]);
    expect((await allPages("/v1/audit/events?performer=prf_alice", tokens.all)).map((e) => e.type)).toEqual([
      "consent.signed",
    ]);
    const types = await allPages("/v1/audit/events?type=platform.created,takedown.requested", tokens.all);
    expect(new Set(types.map((e) => e.type))).toEqual(new Set(["platform.created", "takedown.requested"]));
    const middle = all[Math.floor(all.length / 2)]!;
    const from = await allPages(`/v1/audit/events?from=${middle.time}`, tokens.all);
    expect(from.every((e) => e.time >= middle.time)).toBe(true);
    expect(from.length).toBe(all.filter((e) => e.time >= middle.time).length);
    const to = await allPages(`/v1/audit/events?to=${middle.time}&platform=${alpha.id}`, tokens.all);
    expect(to).toEqual(all.filter((e) => e.time < middle.time && e.platformId === alpha.id));
  });

  test("pages follow log order; newest first on request; cursors are stable while the log grows", async () => {
    const whole = (await get("/v1/audit/events?limit=1000", tokens.all).expect(200)).body.items as AuditEvent[];
    expect(whole.map((e) => e.index)).toEqual([...whole.map((e) => e.index)].sort((a, b) => a - b));
    const first = (await get("/v1/audit/events?limit=4", tokens.all).expect(200)).body;
    await publish(server.url, beta.apiKey);
    const rest = await allPages("/v1/audit/events?limit=4", tokens.all, first.nextCursor);
    expect([...first.items, ...rest].slice(0, whole.length)).toEqual(whole);
    const desc = (await get("/v1/audit/events?order=desc&limit=3", tokens.all).expect(200)).body.items as AuditEvent[];
    expect(desc[0]!.index).toBeGreaterThan(desc[1]!.index);
  });

  test.each([
    ["platform=not-a-uuid", "/query/platform"],
    ["publication=1", "/query/publication"],
    ["type=Publication", "/query/type"],
    ["type=a.b,", "/query/type"],
    ["from=yesterday", "/query/from"],
    ["limit=0", "/query/limit"],
    ["limit=1001", "/query/limit"],
    ["order=random", "/query/order"],
    ["cursor=bm9wZQ", "/query/cursor"],
    ["colour=blue", "/query/colour"],
  ])("refuses %s (400, %s)", async (query, pointer) => {
    const res = await get(`/v1/audit/events?${query}`, tokens.all).expect(400);
    expect(res.body).toMatchObject({ status: 400, code: "invalid_request" });
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  test("an unknown event index is 404", async () => {
    await get("/v1/audit/events/999999", tokens.all).expect(404);
    await get("/v1/audit/events/-1", tokens.all).expect(404);
  });

  test("changes nothing: the log has no write route for auditors", async () => {
    for (const method of ["post", "put", "patch", "delete"] as const) {
      await api()[method]("/v1/audit/events").set(bearer(tokens.all)).expect(404);
    }
  });
});

describe("exports", () => {
  test.each([
    ["", tokens],
    [`?platform=PLATFORM&type=publication.requested,takedown.requested`, tokens],
  ])("JSONL and CSV hold exactly the query's results (%s)", async (filter) => {
    const query = filter.replace("PLATFORM", alpha.id);
    const items = await allPages(`/v1/audit/events${query}${query ? "&" : "?"}limit=3`, tokens.all);
    expect(items.length).toBeGreaterThan(3);

    const jsonl = await get(`/v1/audit/export${query}${query ? "&" : "?"}format=jsonl`, tokens.all)
      .buffer(true)
      .expect(200);
    expect(jsonl.headers["content-type"]).toMatch(/^application\/jsonl/);
    expect(jsonl.headers["content-disposition"]).toMatch(/^attachment; filename="vergewis-audit-.*\.jsonl"$/);
    const lines = jsonl.text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as AuditEvent);
    expect(lines).toEqual(items);

    const csv = await get(`/v1/audit/export${query}${query ? "&" : "?"}format=csv`, tokens.all)
      .buffer(true)
      .expect(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual([
      "index",
      "time",
      "type",
      "platform_id",
      "publication_id",
      "performer_pseudonym",
      "leaf_hash_hex",
      "entry",
    ]);
    expect(rows).toEqual(
      items.map((e) => [
        String(e.index),
        e.time,
        e.type,
        e.platformId ?? "",
        e.publicationId ?? "",
        e.performerPseudonym ?? "",
        Buffer.from(e.leafHash, "base64").toString("hex"),
        e.entry,
      ]),
    );
  });

  test("a platform's auditor exports that platform only", async () => {
    const res = await get("/v1/audit/export", tokens.beta).buffer(true).expect(200);
    const lines = res.text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as AuditEvent);
    expect(lines.length).toBeGreaterThan(3);
    expect(new Set(lines.map((e) => e.platformId))).toEqual(new Set([beta.id]));
  });

  test("refuses an unknown format (400) before writing anything", async () => {
    const res = await get("/v1/audit/export?format=xml", tokens.all).expect(400);
    expect(res.body.errors[0].pointer).toBe("/query/format");
  });
});

describe("the audit log itself", () => {
  test("entries hold no personal data: contacts of slots never reach the log", async () => {
    await publish(server.url, alpha.apiKey, { slots: [{ role: "uploader", contact: "secret-contact@example.test" }] });
    const res = await get("/v1/audit/export", tokens.all).buffer(true).expect(200);
    expect(res.text).not.toContain("secret-contact@example.test");
  });

  test("appends made while an auditor reads do not disturb the reader", async () => {
    const before = (await get("/v1/audit/events?limit=1000", tokens.all).expect(200)).body.items.length;
    await runTransaction(server.ctx.db, async (_tx, effects) =>
      effects.write(auditLog, { type: "publication.cleared", platformId: alpha.id, data: {} }),
    );
    const after = (await get("/v1/audit/events?limit=1000", tokens.all).expect(200)).body.items.length;
    expect(after).toBe(before + 1);
  });
});
