import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  checkResultSchema,
  createGate,
  denialStatus,
  StatusListCache,
  Vergewis,
  type Fingerprint,
} from "@vergewis/sdk";
import { consentedPublication } from "../support/consented.ts";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.ts";
import { bearer, hex64, publicationRequest } from "../support/fixtures.ts";
import { TestPlatform } from "../support/platform.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { movePublicationTo } from "../support/states.ts";

let server: TestServer;
let proxy: FaultProxy;
let platform: TestPlatform;
let vergewis: Vergewis;

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.url);
  platform = await TestPlatform.create(server, "Scope");
  vergewis = new Vergewis({ apiKey: platform.apiKey, baseUrl: server.url });
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

/** A cleared publication consented for showing and promoting in NL and BE: not for download, not in DE. */
async function cleared() {
  const fingerprint: Fingerprint = { alg: "sha-256", value: hex64() };
  const { id } = await vergewis.publications.create(
    publicationRequest({
      contentFingerprints: [fingerprint],
      scope: { ...publicationRequest().scope, purposes: ["publish", "promote"], territories: ["NL", "BE"] },
    }),
  );
  await movePublicationTo(server.ctx.db, id, ["cleared"]);
  return { id, fingerprint };
}

async function check(body: object) {
  return request(server.url).post("/v1/check").set(bearer(platform.apiKey)).send(body);
}

describe("POST /v1/check judges the use against the signed scope", () => {
  test("a purpose or territory outside the scope is refused with its reason; inside it is allowed", async () => {
    const { id, fingerprint } = await cleared();
    const answer = async (usage: object) => checkResultSchema.parse((await check({ fingerprint, ...usage })).body);
    expect(await answer({})).toEqual({ allowed: true, publicationId: id, status: "cleared", reason: "cleared" });
    expect(await answer({ purpose: "promote", territory: "BE" })).toMatchObject({ allowed: true });
    expect(await answer({ purpose: "download", territory: "NL" })).toEqual({
      allowed: false,
      publicationId: id,
      status: "cleared",
      reason: "purpose_not_consented",
    });
    expect(await answer({ territory: "DE" })).toEqual({
      allowed: false,
      publicationId: id,
      status: "cleared",
      reason: "territory_not_consented",
    });
    // The decision about the content is cached; the use is judged on every call.
    expect(await answer({ purpose: "publish", territory: "NL" })).toMatchObject({ allowed: true });
  });

  test("content cleared twice with different scopes: allowed where either covers the use", async () => {
    const { fingerprint } = await cleared();
    const { id } = await vergewis.publications.create(
      publicationRequest({
        contentFingerprints: [fingerprint],
        scope: { ...publicationRequest().scope, purposes: ["download"], territories: ["DE"] },
      }),
    );
    await movePublicationTo(server.ctx.db, id, ["cleared"]);
    expect((await check({ fingerprint, purpose: "download", territory: "DE" })).body).toMatchObject({ allowed: true });
    // Download is consented (in DE), only not in NL: the territory is what is missing.
    expect((await check({ fingerprint, purpose: "download", territory: "NL" })).body).toMatchObject({
      allowed: false,
      reason: "territory_not_consented",
    });
    expect((await check({ fingerprint, purpose: "syndicate", territory: "NL" })).body).toMatchObject({
      allowed: false,
      reason: "purpose_not_consented",
    });
  });

  test("a bad purpose or territory is a problem+json naming the field", async () => {
    const fingerprint = { alg: "sha-256", value: hex64() };
    for (const [body, pointer] of [
      [{ fingerprint, purpose: "print" }, "/body/purpose"],
      [{ fingerprint, territory: "nl" }, "/body/territory"],
      [{ fingerprint, territory: "XX" }, "/body/territory"],
      [{ fingerprint, territory: 31 }, "/body/territory"],
    ] as const) {
      const res = await check(body);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([pointer]);
    }
  });
});

describe("the SDK gate judges the use, online and offline", () => {
  test("online: by fingerprint and by publication id, with the HTTP status for each refusal", async () => {
    const { id, fingerprint } = await cleared();
    const gate = createGate({ client: vergewis, cache: { maxAgeMs: 60_000 } });
    for (const content of [{ fingerprint }, { publicationId: id }]) {
      expect(await gate({ ...content, territory: "NL" })).toMatchObject({ allowed: true, reason: "cleared" });
      const download = await gate({ ...content, purpose: "download", territory: "NL" });
      expect(download).toMatchObject({ allowed: false, reason: "purpose_not_consented" });
      expect(denialStatus(download)).toBe(403);
      const abroad = await gate({ ...content, territory: "DE" });
      expect(abroad).toMatchObject({ allowed: false, reason: "territory_not_consented" });
      expect(denialStatus(abroad)).toBe(451);
    }
    // Cached per use: the allowed answer for NL does not serve DE (above), nor the other way round.
    expect(await gate({ fingerprint, territory: "NL" })).toMatchObject({ allowed: true, source: "cache" });
    await expect(gate({ fingerprint, territory: "Netherlands" })).rejects.toThrow(TypeError);
    await expect(gate({ fingerprint, purpose: "print" as "publish" })).rejects.toThrow(TypeError);
  });

  test("offline: kept receipts refuse a use outside the scope they sign", async () => {
    const offlinePlatform = await TestPlatform.create(server, "Offline scope");
    const { publication, receipts } = await consentedPublication(server, offlinePlatform, {
      request: { scope: { ...publicationRequest().scope, purposes: ["publish"], territories: ["NL"] } },
    });
    const fingerprint = publication.contentFingerprints[0]!;
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const gate = createGate({
      client: new Vergewis({ apiKey: offlinePlatform.apiKey, baseUrl: proxy.url, retries: 0 }),
      offline: { receipts: () => receipts, jwks, issuer: server.url, statusLists: new StatusListCache() },
    });
    proxy.plan("reset", "reset", "reset");
    expect(await gate({ fingerprint, territory: "NL" })).toMatchObject({ allowed: true, source: "offline" });
    proxy.plan("reset", "reset", "reset");
    expect(await gate({ fingerprint, purpose: "download", territory: "NL" })).toMatchObject({
      allowed: false,
      reason: "purpose_not_consented",
      source: "offline",
    });
    proxy.plan("reset", "reset", "reset");
    expect(await gate({ fingerprint, territory: "BE" })).toMatchObject({
      allowed: false,
      reason: "territory_not_consented",
      source: "offline",
    });
  });
});
