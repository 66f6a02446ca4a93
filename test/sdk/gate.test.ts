import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  AuthenticationError,
  ConflictError,
  createGate,
  denialStatus,
  StatusListCache,
  Vergewis,
  VergewisConnectionError,
  type FingerprintInput,
  type GateDecision,
  RECEIPT_TYPE,
} from "@vergewis/sdk";
import { decodeJwt, SignJWT } from "jose";
import { consentedPublication } from "../support/consented.ts";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.ts";
import { TestPlatform } from "../support/platform.ts";
import { hex64, publicationRequest } from "../support/fixtures.ts";
import { movePublicationTo, revokePublication } from "../support/states.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let proxy: FaultProxy;
let vergewis: Vergewis;
/** The same platform through the fault proxy, without retries so that one fault is one outage. */
let flaky: Vergewis;

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.url);
  const { apiKey } = await server.createPlatform("Gate");
  vergewis = new Vergewis({ apiKey, baseUrl: server.url });
  flaky = new Vergewis({ apiKey, baseUrl: proxy.url, retries: 0 });
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});
beforeEach(() => {
  proxy.plan();
  proxy.seen.length = 0;
});

async function publish(options: { cleared?: boolean } = {}) {
  const fingerprint: FingerprintInput = { alg: "sha-256", value: hex64() };
  const { id } = await vergewis.publications.create(publicationRequest({ contentFingerprints: [fingerprint] }));
  if (options.cleared) await movePublicationTo(server.ctx.db, id, ["cleared"]);
  return { id, fingerprint };
}

const outage = {
  respond: {
    status: 503,
    headers: { "content-type": "application/problem+json" },
    body: JSON.stringify({ type: "x", title: "Service Unavailable", status: 503, code: "database_unavailable" }),
  },
};

describe("online decisions", () => {
  test("follow the publication through its life, by fingerprint and by id", async () => {
    const gate = createGate({ client: vergewis });
    const { id, fingerprint } = await publish();
    const expectBoth = async (expected: Partial<GateDecision>) => {
      expect(await gate({ fingerprint })).toMatchObject({ ...expected, publicationId: id, source: "online" });
      expect(await gate({ publicationId: id })).toMatchObject({ ...expected, publicationId: id, source: "online" });
    };
    await expectBoth({ allowed: false, reason: "pending", status: "pending" });
    await movePublicationTo(server.ctx.db, id, ["cleared"]);
    await expectBoth({ allowed: true, reason: "cleared", status: "cleared" });
    await revokePublication(server.ctx.db, id);
    await expectBoth({ allowed: false, reason: "revoked", status: "takedown_required" });
  });

  test("content the platform never registered is unknown: denied, 404", async () => {
    const gate = createGate({ client: vergewis });
    const byFingerprint = await gate({ fingerprint: { alg: "sha-256", value: hex64() } });
    expect(byFingerprint).toMatchObject({ allowed: false, reason: "unknown", status: "unknown" });
    expect(denialStatus(byFingerprint)).toBe(404);
    for (const publicationId of ["01900000-0000-7000-8000-000000000000", "not-a-uuid"]) {
      expect(await gate({ publicationId })).toMatchObject({ allowed: false, reason: "unknown" });
    }
  });

  test("a cleared publication whose scope ended is expired: denied, 410", async () => {
    const gate = createGate({ client: vergewis });
    const { id, fingerprint } = await publish({ cleared: true });
    await server.ctx.db.publication.update({ where: { id }, data: { validUntil: new Date(Date.now() - 1000) } });
    for (const target of [{ fingerprint }, { publicationId: id }]) {
      const decision = await gate(target);
      expect(decision).toMatchObject({ allowed: false, reason: "expired" });
      expect(denialStatus(decision)).toBe(410);
    }
  });

  test("withdrawn content: refused, cannot be registered again, and allowed once its performer lifts the block", async () => {
    const platform = await TestPlatform.create(server, "Withdrawn content");
    const client = new Vergewis({ apiKey: platform.apiKey, baseUrl: server.url });
    const gate = createGate({ client });
    const fingerprint: FingerprintInput = { alg: "sha-256", value: hex64() };
    const { publication, performers, consentIds } = await consentedPublication(server, platform, {
      request: { contentFingerprints: [fingerprint], slots: [{ role: "uploader" }] },
    });
    expect(await gate({ fingerprint })).toMatchObject({ allowed: true, publicationId: publication.id });
    await performers[0]!.revoke(consentIds[0]!);
    const withdrawn = await gate({ fingerprint });
    expect(withdrawn).toMatchObject({ allowed: false, reason: "revoked", publicationId: publication.id });
    expect(denialStatus(withdrawn)).toBe(410);

    const request = publicationRequest({ contentFingerprints: [fingerprint], slots: [{ role: "uploader" }] });
    const refused = await client.publications.create(request).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({
      code: "content_withdrawn",
      status: 409,
      errors: [{ pointer: "/body/contentFingerprints/0" }],
    });

    expect((await performers[0]!.lift(consentIds[0]!)).status).toBe(200);
    const again = await client.publications.create(request);
    expect((await performers[0]!.acceptInvitation(again.invitations[0]!.url)).status).toBe(200);
    expect((await performers[0]!.consent(again.slots[0]!.id)).status).toBe(201);
    expect(await gate({ fingerprint })).toMatchObject({ allowed: true, reason: "cleared", publicationId: again.id });
    expect(await gate({ publicationId: again.id })).toMatchObject({ allowed: true, reason: "cleared" });
  });
});

describe("when the server cannot be asked", () => {
  test("fails closed by default, and says why", async () => {
    const { fingerprint } = await publish({ cleared: true });
    proxy.plan("reset");
    const decision = await createGate({ client: flaky })({ fingerprint });
    expect(decision).toMatchObject({ allowed: false, reason: "unavailable", source: "fallback" });
    expect(decision.error).toBeInstanceOf(VergewisConnectionError);
    expect(decision).not.toHaveProperty("status");
    expect(denialStatus(decision)).toBe(503);
  });

  test("fails open only when told to", async () => {
    const { id } = await publish();
    proxy.plan(outage);
    const decision = await createGate({ client: flaky, failClosed: false })({ publicationId: id });
    expect(decision).toMatchObject({
      allowed: true,
      reason: "unavailable",
      source: "fallback",
      error: { code: "database_unavailable" },
    });
  });

  test("treats throttling, server faults and garbled answers as unavailable", async () => {
    const { fingerprint } = await publish({ cleared: true });
    const gate = createGate({ client: flaky });
    proxy.plan(
      { respond: { status: 429, headers: { "retry-after": "3600" } } },
      { respond: { status: 500 } },
      { respond: { status: 200, headers: { "content-type": "text/html" }, body: "<html>" } },
    );
    for (const code of ["http_429", "http_500", "invalid_response"]) {
      expect(await gate({ fingerprint })).toMatchObject({ allowed: false, reason: "unavailable", error: { code } });
    }
  });

  test("throws for what retrying cannot fix: a wrong API key, a malformed target", async () => {
    const stranger = new Vergewis({ apiKey: `vgw_live_${"B".repeat(43)}`, baseUrl: server.url });
    const gate = createGate({ client: stranger, failClosed: false });
    await expect(gate({ fingerprint: { alg: "sha-256", value: hex64() } })).rejects.toBeInstanceOf(AuthenticationError);
    const ours = createGate({ client: vergewis });
    await expect(ours({ fingerprint: { alg: "sha-256", value: "abc" } })).rejects.toThrow(TypeError);
    await expect(ours({ publicationId: "" })).rejects.toThrow(TypeError);
    await expect(ours({} as never)).rejects.toThrow(TypeError);
  });
});

describe("offline evidence, when the server cannot be asked", () => {
  test("kept receipts, a cached key set and a status list decide: cleared, then revoked; too little evidence falls back", async () => {
    const platform = await TestPlatform.create(server, "Offline gate");
    const { publication, receipts, performers, consentIds } = await consentedPublication(server, platform, {
      slots: 2,
    });
    const fingerprint = publication.contentFingerprints[0]!;
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const client = new Vergewis({ apiKey: platform.apiKey, baseUrl: proxy.url, retries: 0 });
    const kept = new Map([[fingerprint.value, receipts]]);
    const gateWith = (statusLists: StatusListCache, issuer = server.url) =>
      createGate({
        client,
        offline: {
          receipts: (target) => ("fingerprint" in target ? (kept.get(target.fingerprint.value) ?? []) : []),
          jwks,
          issuer,
          platformId: platform.id,
          statusLists,
        },
      });

    const online = await gateWith(new StatusListCache())({ fingerprint });
    expect(online).toMatchObject({ allowed: true, source: "online" });

    proxy.plan("reset", "reset", "reset", "reset", "reset", "reset");
    const lists = new StatusListCache();
    const offline = await gateWith(lists)({ fingerprint });
    expect(offline).toMatchObject({
      allowed: true,
      reason: "cleared",
      source: "offline",
      publicationId: publication.id,
    });
    expect(await gateWith(lists)({ publicationId: publication.id })).toMatchObject({
      source: "fallback",
      allowed: false,
    });
    expect(await gateWith(lists)({ fingerprint: { alg: "sha-256", value: hex64() } })).toMatchObject({
      source: "fallback",
      allowed: false,
    });
    expect(await gateWith(lists, "https://another-issuer.example")({ fingerprint })).toMatchObject({
      source: "fallback",
      allowed: false,
    });

    // A revocation reaches the offline gate through the status list, once its cached copy is renewed.
    await performers[1]!.revoke(consentIds[1]!);
    proxy.plan("reset", "reset", "reset");
    const revoked = await gateWith(new StatusListCache())({ fingerprint });
    expect(revoked).toMatchObject({ allowed: false, reason: "revoked", source: "offline" });
    expect(denialStatus(revoked)).toBe(410);
  });
});

describe("offline evidence must show that everyone depicted consented", () => {
  test("one receipt per slot of one publication clears; partial, mixed, duplicated and old sets fall back, with why", async () => {
    const platform = await TestPlatform.create(server, "Complete sets");
    const fingerprint = { alg: "sha-256" as const, value: hex64() };
    const request = { contentFingerprints: [fingerprint] };
    // Two publications of the same content: three persons in one, two in the other.
    const a = await consentedPublication(server, platform, { slots: 3, request });
    const b = await consentedPublication(server, platform, { slots: 2, request });
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    let kept: string[] = [];
    const gate = createGate({
      client: new Vergewis({ apiKey: platform.apiKey, baseUrl: proxy.url, retries: 0 }),
      offline: { receipts: () => kept, jwks, issuer: server.url, platformId: platform.id },
    });
    const offline = (receipts: string[]) => {
      kept = receipts;
      proxy.plan("reset");
      return gate({ fingerprint });
    };
    const [a0, a1, a2] = a.receipts as [string, string, string];
    const [b0, b1] = b.receipts as [string, string];

    expect(await offline([a2, a0, a1])).toMatchObject({
      allowed: true,
      reason: "cleared",
      source: "offline",
      publicationId: a.publication.id,
    });
    expect(await offline([b0, b1])).toMatchObject({
      allowed: true,
      source: "offline",
      publicationId: b.publication.id,
    });

    const refused = { allowed: false, reason: "unavailable", source: "fallback" };
    expect(await offline([a0, a1])).toMatchObject({ ...refused, offlineRefusal: "incomplete" });
    expect(await offline([a0])).toMatchObject({ ...refused, offlineRefusal: "incomplete" });
    expect(await offline([a0, a1, b1])).toMatchObject({ ...refused, offlineRefusal: "mixed_publications" });
    expect(await offline([a0, a1, a2, b0])).toMatchObject({ ...refused, offlineRefusal: "mixed_publications" });
    expect(await offline([a0, a1, a1])).toMatchObject({ ...refused, offlineRefusal: "duplicate_slot" });
    expect(await offline([])).toMatchObject({ ...refused, offlineRefusal: "no_receipts" });

    // Receipts issued before they named their slot: signed by the server's key, without the claims.
    const key = await server.ctx.keys.current("receipt");
    const old = await Promise.all(
      a.receipts.map((jws) => {
        const { slotPosition: _p, slotCount: _c, ...claims } = decodeJwt(jws);
        return new SignJWT(claims)
          .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: RECEIPT_TYPE })
          .sign(key.privateKey);
      }),
    );
    expect(await offline(old)).toMatchObject({ ...refused, offlineRefusal: "no_slot_claims" });
    // The server still answers for them.
    expect(await gate({ fingerprint })).toMatchObject({ allowed: true, source: "online" });
  });
});

describe("the decision cache", () => {
  test("is off by default: every call asks the server", async () => {
    const { fingerprint } = await publish({ cleared: true });
    const gate = createGate({ client: flaky });
    await gate({ fingerprint });
    await gate({ fingerprint });
    expect(proxy.seen).toHaveLength(2);
  });

  test("reuses an answer within maxAgeMs, shares a request in flight, and forgets on demand", async () => {
    const { fingerprint } = await publish({ cleared: true });
    const gate = createGate({ client: flaky, cache: { maxAgeMs: 60_000 } });
    const together = await Promise.all(Array.from({ length: 10 }, () => gate({ fingerprint })));
    expect(proxy.seen).toHaveLength(1);
    expect(together.every((d) => d.allowed)).toBe(true);
    expect(together.filter((d) => d.source === "online")).toHaveLength(1);
    expect(await gate({ fingerprint: { ...fingerprint, value: fingerprint.value.toUpperCase() } })).toMatchObject({
      allowed: true,
      source: "cache",
    });
    expect(proxy.seen).toHaveLength(1);
    gate.forget({ fingerprint });
    expect(await gate({ fingerprint })).toMatchObject({ source: "online" });
    expect(proxy.seen).toHaveLength(2);
  });

  test("never shows a revoked item longer than maxAgeMs after the answer was asked for", async () => {
    const maxAgeMs = 1000;
    const { id, fingerprint } = await publish({ cleared: true });
    const gate = createGate({ client: vergewis, cache: { maxAgeMs } });
    const allowed = await gate({ fingerprint });
    expect(allowed).toMatchObject({ allowed: true, source: "online" });
    await revokePublication(server.ctx.db, id);
    // The trade-off of a cache: the answer from before the revocation is still used…
    expect(await gate({ fingerprint })).toMatchObject({ allowed: true, source: "cache", checkedAt: allowed.checkedAt });
    // …but not once maxAgeMs have passed since it was asked for.
    await sleep(allowed.checkedAt.getTime() + maxAgeMs - Date.now() + 1);
    expect(await gate({ fingerprint })).toMatchObject({ allowed: false, reason: "revoked", source: "online" });
  });

  test("never keeps a fallback: the next call asks again", async () => {
    const { fingerprint } = await publish({ cleared: true });
    const gate = createGate({ client: flaky, cache: { maxAgeMs: 60_000 } });
    proxy.plan(outage);
    expect(await gate({ fingerprint })).toMatchObject({ allowed: false, reason: "unavailable" });
    expect(await gate({ fingerprint })).toMatchObject({ allowed: true, source: "online" });
    expect(proxy.seen).toHaveLength(2);
  });

  test("holds at most maxEntries, dropping the oldest", async () => {
    const first = await publish({ cleared: true });
    const second = await publish({ cleared: true });
    const gate = createGate({ client: flaky, cache: { maxAgeMs: 60_000, maxEntries: 1 } });
    await gate({ fingerprint: first.fingerprint });
    await gate({ fingerprint: second.fingerprint });
    await gate({ fingerprint: second.fingerprint });
    await gate({ fingerprint: first.fingerprint });
    expect(proxy.seen).toHaveLength(3);
  });
});

test("options are validated", () => {
  expect(() => createGate({} as never)).toThrow(/client/);
  expect(() => createGate({ client: {} as never })).toThrow(TypeError);
  expect(() => createGate({ client: vergewis, cache: { maxAgeMs: 10 * 60_000 } })).toThrow(/maxAgeMs/);
  expect(() => createGate({ client: vergewis, failOpen: true } as never)).toThrow(/failOpen/);
});
