import { StatusList } from "@sd-jwt/jwt-status-list";
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isRevoked, StatusListCache, StatusListError, STATUS_LIST_TYPE } from "@vergewis/sdk";
import { consentedPublication } from "../support/consented.ts";
import { TestPlatform } from "../support/platform.ts";
import { startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
let platform: TestPlatform;

beforeAll(async () => {
  server = await startPortalServer({ statusList: { ttlSeconds: 60 } });
  platform = await TestPlatform.create(server, "Status platform");
});
afterAll(() => server?.close());

const statusOf = (receipt: string) =>
  (decodeJwt(receipt) as { status: { status_list: { idx: number; uri: string } } }).status.status_list;

describe("GET /v1/status-lists/{id}", () => {
  test("is a status list token: typed JWT signed with the receipt key, sub = its URI, zlib bit string, ttl", async () => {
    const { receipts, performers, consentIds } = await consentedPublication(server, platform);
    await performers[0]!.revoke(consentIds[0]!);
    const { idx, uri } = statusOf(receipts[0]!);
    const res = await fetch(uri);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/statuslist\+jwt/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    const token = await res.text();
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
      typ: STATUS_LIST_TYPE,
      subject: uri,
    });
    expect(protectedHeader).toMatchObject({ alg: "ES256", typ: "statuslist+jwt", kid: jwks.keys[0]!.kid });
    expect(payload).toMatchObject({ iss: server.url, sub: uri, ttl: 60, status_list: { bits: 1 } });
    expect(payload.exp! - payload.iat!).toBe(86_400);
    // Decoded by an independent implementation of the draft.
    const list = StatusList.decompressStatusList(
      (payload as unknown as { status_list: { lst: string } }).status_list.lst,
      1,
    );
    expect(list.statusList).toHaveLength(65_536);
    expect(list.getStatus(idx)).toBe(1);
    expect(list.statusList.filter((s) => s === 1)).toHaveLength(1);
  });

  test("answers If-None-Match with 304 while the list is unchanged", async () => {
    const { receipts } = await consentedPublication(server, platform);
    const { uri } = statusOf(receipts[0]!);
    const first = await fetch(uri);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await fetch(uri, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  test("unknown or malformed ids are 404 problem+json", async () => {
    for (const id of ["999999", "0", "abc", "1.5", "-1"]) {
      const res = await fetch(`${server.url}/v1/status-lists/${id}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
  });

  test("needs no API key", async () => {
    const { receipts } = await consentedPublication(server, platform);
    expect((await fetch(statusOf(receipts[0]!).uri)).status).toBe(200);
  });
});

describe("isRevoked", () => {
  test("caches a list for its ttl, and sees a revocation with a fresh cache", async () => {
    const { receipts, performers, consentIds } = await consentedPublication(server, platform);
    const cache = new StatusListCache();
    let fetches = 0;
    const counting: typeof fetch = (input, init) => {
      fetches++;
      return fetch(input, init);
    };
    expect(await isRevoked(receipts[0]!, { cache, fetch: counting })).toBe(false);
    await performers[0]!.revoke(consentIds[0]!);
    expect(await isRevoked(receipts[0]!, { cache, fetch: counting })).toBe(false);
    expect(fetches).toBe(1);
    expect(await isRevoked(receipts[0]!, { cache: new StatusListCache(), fetch: counting })).toBe(true);
    expect(fetches).toBe(2);
  });

  test("refuses a receipt from another issuer than the one trusted", async () => {
    const { receipts } = await consentedPublication(server, platform);
    await expect(isRevoked(receipts[0]!, { issuer: "https://vergewis.example" })).rejects.toMatchObject({
      code: "claims_invalid",
    });
  });

  test("a list that cannot be fetched or trusted is an error, not 'not revoked'", async () => {
    const { receipts } = await consentedPublication(server, platform);
    const down: typeof fetch = async () => new Response("", { status: 503 });
    await expect(isRevoked(receipts[0]!, { cache: new StatusListCache(), fetch: down })).rejects.toBeInstanceOf(
      StatusListError,
    );
    const forged: typeof fetch = async () => new Response("eyJhbGciOiJub25lIn0.e30.", { status: 200 });
    await expect(isRevoked(receipts[0]!, { cache: new StatusListCache(), fetch: forged })).rejects.toMatchObject({
      code: "malformed",
    });
  });
});
