import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  AuthenticationError,
  ConflictError,
  InternalServerError,
  InvalidRequestError,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
  Vergewis,
  VergewisApiError,
  VergewisConnectionError,
  VergewisResponseError,
  VergewisTimeoutError,
  type Publication,
} from "@vergewis/sdk";
import { closedPort } from "../support/closed-port.ts";
import { movePublicationTo, revokePublication } from "../support/states.ts";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.ts";
import { hex64, publicationRequest } from "../support/fixtures.ts";
import { invitationIn } from "../support/mail.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let proxy: FaultProxy;
let apiKey: string;
let vergewis: Vergewis;
/** The same platform, through the fault proxy. */
let flaky: (options?: { retries?: number; timeoutMs?: number }) => Vergewis;

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.url, { prefix: "/vergewis" });
  apiKey = (await server.createPlatform("SDK")).apiKey;
  vergewis = new Vergewis({ apiKey, baseUrl: server.url });
  flaky = (options = {}) => new Vergewis({ apiKey, baseUrl: proxy.url, ...options });
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});
beforeEach(() => {
  proxy.plan();
  proxy.seen.length = 0;
});

const publicationsNamed = (externalId: string) => server.ctx.db.publication.count({ where: { externalId } });

describe("publications", () => {
  test("create returns the publication with the uploader's invitation alone, parsed; the co-performer's is mailed", async () => {
    const request = publicationRequest();
    const created = await vergewis.publications.create(request);
    expect(created).toMatchObject({ externalId: request.externalId, status: "pending" });
    expect(created.invitations.map((i) => i.position)).toEqual([0]);
    expect(invitationIn(await server.mail.waitForMail(request.slots[1]!.contact!)).url).toMatch(/\/portal\/i\//);
    expect(created.slots.every((s) => typeof s.expiresAt === "string")).toBe(true);
  });

  test("get reads one publication", async () => {
    const { invitations: _, ...created } = await vergewis.publications.create(publicationRequest());
    expect(await vergewis.publications.get(created.id)).toEqual(created);
  });

  test("list returns a page; iterate walks every page lazily", async () => {
    const { apiKey: key } = await server.createPlatform("Pages");
    const client = new Vergewis({ apiKey: key, baseUrl: server.url });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client.publications.create(publicationRequest())).id);
    const page = await client.publications.list({ limit: 2 });
    expect(page.items.map((p) => p.id)).toEqual(ids.slice(-2).reverse());
    expect(page.nextCursor).toEqual(expect.any(String));

    const seen: string[] = [];
    for await (const publication of client.publications.iterate({ limit: 2 })) seen.push(publication.id);
    expect(seen).toEqual([...ids].reverse());

    const throughProxy = new Vergewis({ apiKey: key, baseUrl: proxy.url });
    const first: Publication[] = [];
    for await (const publication of throughProxy.publications.iterate({ limit: 2 })) {
      first.push(publication);
      if (first.length === 3) break;
    }
    expect(proxy.seen.map((r) => new URL(r.path, "http://x").searchParams.get("cursor") === null)).toEqual([
      true,
      false,
    ]);
  });

  test("list filters by status and externalId", async () => {
    const request = publicationRequest();
    const { id } = await vergewis.publications.create(request);
    expect((await vergewis.publications.list({ externalId: request.externalId })).items.map((p) => p.id)).toEqual([id]);
    expect((await vergewis.publications.list({ externalId: request.externalId, status: "cleared" })).items).toEqual([]);
  });
});

describe("takedowns", () => {
  test("list filters by one or several statuses, get reads one, ack acknowledges (and again is a conflict)", async () => {
    const created = await vergewis.publications.create(publicationRequest());
    await movePublicationTo(server.ctx.db, created.id, ["cleared"]);
    await revokePublication(server.ctx.db, created.id);
    const [open] = (await vergewis.takedowns.list({ status: ["open", "overdue"], publicationId: created.id })).items;
    expect(open).toMatchObject({ publicationId: created.id, status: "open", reason: "revocation" });
    expect((await vergewis.takedowns.list({ status: "acknowledged", publicationId: created.id })).items).toEqual([]);
    expect(await vergewis.takedowns.get(open!.id)).toEqual(open);
    const iterated = [];
    for await (const t of vergewis.takedowns.iterate({ status: ["open"], limit: 1 })) iterated.push(t.id);
    expect(iterated).toContain(open!.id);

    const removedAt = new Date().toISOString();
    const acked = await vergewis.takedowns.ack(open!.id, { removedAt, note: "deleted" });
    expect(acked).toMatchObject({ status: "acknowledged", removedAt, note: "deleted" });
    const again = await vergewis.takedowns.ack(open!.id, { removedAt }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as ConflictError).code).toBe("already_acknowledged");
    await expect(vergewis.takedowns.get("0b8a3f52-6d0e-4f0e-9a63-6a4f2f8d1c11")).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("webhook endpoints", () => {
  test("create shows the secret once; list, get, rotate, delete", async () => {
    const created = await vergewis.webhookEndpoints.create({ url: "http://127.0.0.1:9/sdk-hooks" });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await vergewis.webhookEndpoints.list()).items.map((e) => e.id)).toContain(created.id);
    const { secret: _, ...endpoint } = created;
    expect(await vergewis.webhookEndpoints.get(created.id)).toEqual(endpoint);
    const rotated = await vergewis.webhookEndpoints.rotateSecret(created.id, { overlapSeconds: 0 });
    expect(rotated.secret).not.toBe(created.secret);
    await vergewis.webhookEndpoints.delete(created.id);
    await expect(vergewis.webhookEndpoints.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
    const invalid = await vergewis.webhookEndpoints.create({ url: "ftp://example.org" }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidRequestError);
  });
});

describe("check", () => {
  test("answers for a fingerprint, in either case of hex", async () => {
    const value = hex64();
    const { id } = await vergewis.publications.create(
      publicationRequest({ contentFingerprints: [{ alg: "sha-256", value }] }),
    );
    expect(await vergewis.check({ alg: "sha-256", value: value.toUpperCase() })).toEqual({
      allowed: false,
      publicationId: id,
      status: "pending",
      reason: "pending",
    });
    expect(await vergewis.check({ alg: "sha-256", value: hex64() })).toEqual({
      allowed: false,
      status: "unknown",
      reason: "unknown",
    });
  });
});

describe("errors carry the problem details", () => {
  test("409 external_id_taken is a ConflictError with every problem field and the request id", async () => {
    const request = publicationRequest();
    await vergewis.publications.create(request);
    const error = await vergewis.publications.create(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toBeInstanceOf(VergewisApiError);
    expect(error).toMatchObject({
      name: "ConflictError",
      code: "external_id_taken",
      status: 409,
      title: "Conflict",
      type: expect.stringMatching(/\/problems\/external_id_taken$/),
      detail: expect.stringContaining(request.externalId),
      errors: [],
      requestId: expect.any(String),
    });
    expect(await publicationsNamed(request.externalId)).toBe(1);
  });

  test("400 invalid_request names each refused field", async () => {
    const request = publicationRequest({ slots: [{ role: "director" as "uploader" }] });
    const error = await vergewis.publications.create(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status: 400, code: "invalid_request", errors: [{ pointer: "/body/slots/0/role" }] });
    expect(await publicationsNamed(request.externalId)).toBe(0);
  });

  test("401 for a wrong key, 404 for an unknown or malformed id", async () => {
    const stranger = new Vergewis({ apiKey: `vgw_live_${"A".repeat(43)}`, baseUrl: server.url });
    await expect(stranger.publications.list()).rejects.toMatchObject({
      name: "AuthenticationError",
      status: 401,
      code: "unauthenticated",
    });
    await expect(stranger.publications.list()).rejects.toBeInstanceOf(AuthenticationError);
    await expect(vergewis.publications.get("01900000-0000-7000-8000-000000000000")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(vergewis.publications.get("../check")).rejects.toMatchObject({ status: 404, code: "not_found" });
  });

  test("a response without problem details still becomes an error of its status's class", async () => {
    proxy.plan({ respond: { status: 502, headers: { "content-type": "text/html" }, body: "<h1>Bad gateway</h1>" } });
    const error = await flaky({ retries: 0 })
      .publications.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 502, code: "http_502", type: "about:blank" });
  });

  test("a success the SDK cannot parse is an invalid_response, not data", async () => {
    proxy.plan(
      { respond: { status: 200, headers: { "content-type": "application/json" }, body: '{"items":"nope"}' } },
      { respond: { status: 200, headers: { "content-type": "text/html" }, body: "<html>" } },
      { respond: { status: 200, headers: { "content-type": "application/json" }, body: "{" } },
    );
    for (let i = 0; i < 3; i++) {
      const error = await flaky()
        .publications.list()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VergewisResponseError);
      expect(error).toMatchObject({ code: "invalid_response", status: 200 });
    }
    expect(proxy.seen).toHaveLength(3);
  });

  test("a redirect is not followed (the API key stays with Vergewis)", async () => {
    proxy.plan({ respond: { status: 307, headers: { location: "http://127.0.0.1:9/elsewhere" } } });
    await expect(flaky().publications.list()).rejects.toMatchObject({ status: 307, code: "http_307" });
    expect(proxy.seen).toHaveLength(1);
  });
});

describe("idempotency keys", () => {
  test("every POST that creates carries a fresh Idempotency-Key; reads carry none", async () => {
    const client = flaky();
    await client.publications.create(publicationRequest());
    await client.publications.create(publicationRequest());
    await client.check({ alg: "sha-256", value: hex64() });
    await client.publications.list();
    const keys = proxy.seen.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys.slice(2)).toEqual([undefined, undefined]);
    expect(proxy.seen[0]!.headers["user-agent"]).toMatch(/^vergewis-sdk\/\d+\.\d+\.\d+ node\//);
  });

  test("a lost response is retried with the same key: the server replays, nothing is created twice", async () => {
    proxy.plan("lose-response");
    const request = publicationRequest();
    const created = await flaky().publications.create(request);
    expect(proxy.seen).toHaveLength(2);
    expect(proxy.seen[1]!.headers["idempotency-key"]).toBe(proxy.seen[0]!.headers["idempotency-key"]);
    expect(await publicationsNamed(request.externalId)).toBe(1);
    // The replay answers without the uploader's code, which is not kept: reissue it to get one.
    expect(created.invitations).toEqual([]);
    expect((await vergewis.publications.get(created.id)).id).toBe(created.id);
    const reissued = await vergewis.publications.reissueInvitation(created.id, created.slots[0]!.id);
    expect(reissued).toMatchObject({ mailed: false, invitation: { slotId: created.slots[0]!.id } });
  });

  test("a caller's own key makes a call idempotent across clients; reusing it for another request is refused", async () => {
    const request = publicationRequest();
    const idempotencyKey = `upload-${request.externalId}`;
    const first = await vergewis.publications.create(request, { idempotencyKey });
    const again = await new Vergewis({ apiKey, baseUrl: server.url }).publications.create(request, { idempotencyKey });
    expect(again.id).toBe(first.id);
    expect(first.invitations).toHaveLength(1);
    expect(again.invitations).toEqual([]);
    const other = publicationRequest();
    await expect(vergewis.publications.create(other, { idempotencyKey })).rejects.toMatchObject({
      name: "InvalidRequestError",
      status: 422,
      code: "idempotency_key_reused",
    });
    expect(await publicationsNamed(other.externalId)).toBe(0);
  });
});

describe("retries", () => {
  const throttled = (retryAfter?: string) => ({
    respond: {
      status: 429,
      headers: {
        "content-type": "application/problem+json",
        ...(retryAfter !== undefined && { "retry-after": retryAfter }),
      },
      body: JSON.stringify({ type: "about:blank", title: "Too Many Requests", status: 429, code: "rate_limited" }),
    },
  });
  const outage = {
    respond: {
      status: 503,
      headers: { "content-type": "application/problem+json" },
      body: JSON.stringify({ type: "x", title: "Service Unavailable", status: 503, code: "database_unavailable" }),
    },
  };

  test("429 waits as long as Retry-After asks, then succeeds", async () => {
    proxy.plan(throttled("1"));
    await flaky().publications.list();
    expect(proxy.seen).toHaveLength(2);
    expect(proxy.seen[1]!.at - proxy.seen[0]!.at).toBeGreaterThanOrEqual(990);
  });

  test("503 is retried with backoff; the POST keeps its key and is created once", async () => {
    proxy.plan(outage, outage);
    const request = publicationRequest();
    await flaky().publications.create(request);
    expect(proxy.seen).toHaveLength(3);
    expect(new Set(proxy.seen.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    expect(await publicationsNamed(request.externalId)).toBe(1);
  });

  test("gives up after `retries` and throws the last error, with its fields", async () => {
    proxy.plan(outage, outage, outage);
    const error = await flaky({ retries: 2 })
      .publications.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ status: 503, code: "database_unavailable" });
    expect(proxy.seen).toHaveLength(3);
  });

  test("a Retry-After beyond a minute is handed to the caller instead of waited out", async () => {
    proxy.plan(throttled("3600"));
    const error = await flaky()
      .publications.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 3_600_000 });
    expect(proxy.seen).toHaveLength(1);
  });

  test("other errors are not retried", async () => {
    proxy.plan({
      respond: {
        status: 500,
        headers: { "content-type": "application/problem+json" },
        body: JSON.stringify({ type: "x", title: "Internal Server Error", status: 500, code: "internal_error" }),
      },
    });
    await expect(flaky().publications.list()).rejects.toMatchObject({ code: "internal_error" });
    await expect(flaky().publications.get("01900000-0000-7000-8000-000000000000")).rejects.toMatchObject({
      code: "not_found",
    });
    expect(proxy.seen).toHaveLength(2);
  });

  test("a reset connection is retried; without retries it is a connection_failed error", async () => {
    proxy.plan("reset");
    await flaky().check({ alg: "sha-256", value: hex64() });
    expect(proxy.seen).toHaveLength(2);

    proxy.plan("reset");
    const error = await flaky({ retries: 0 })
      .publications.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VergewisConnectionError);
    expect(error).toMatchObject({ code: "connection_failed" });
  });

  test("a server that does not answer in time is a timeout, per attempt", async () => {
    proxy.plan("hang", "hang");
    const error = await flaky({ retries: 1, timeoutMs: 200 })
      .publications.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VergewisTimeoutError);
    expect(error).toBeInstanceOf(VergewisConnectionError);
    expect(error).toMatchObject({ code: "timeout" });
    expect(proxy.seen).toHaveLength(2);
  });

  test("nothing listening is a connection_failed error", async () => {
    const port = await closedPort();
    const client = new Vergewis({ apiKey, baseUrl: `http://127.0.0.1:${port}`, retries: 0 });
    await expect(client.publications.list()).rejects.toMatchObject({
      name: "VergewisConnectionError",
      code: "connection_failed",
    });
  });

  test("the caller's signal cancels the call and its retries", async () => {
    proxy.plan(throttled("1"), throttled("1"));
    const controller = new AbortController();
    const call = flaky().publications.list({}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 100);
    await expect(call).rejects.toThrow("user cancelled");
    expect(proxy.seen).toHaveLength(1);
    await expect(vergewis.publications.list({}, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});

describe("options", () => {
  test("are validated when the client is made", () => {
    expect(() => new Vergewis({ apiKey: "", baseUrl: server.url })).toThrow(TypeError);
    expect(() => new Vergewis({ apiKey: "vgw_live_…", baseUrl: server.url })).toThrow(/apiKey: must be an API key/);
    expect(() => new Vergewis({ apiKey, baseUrl: "ftp://example.test" })).toThrow(/baseUrl/);
    expect(() => new Vergewis({ apiKey, baseUrl: server.url, retries: -1 })).toThrow(/retries/);
    expect(() => new Vergewis({ apiKey, baseUrl: server.url, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new Vergewis({ apiKey, baseUrl: server.url, unknown: 1 } as never)).toThrow(/unknown/i);
  });

  test("a custom fetch is used for every request", async () => {
    const urls: string[] = [];
    const client = new Vergewis({
      apiKey,
      baseUrl: `${server.url}/`,
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await client.publications.list({ limit: 1 });
    expect(urls).toEqual([`${server.url}/v1/publications?limit=1`]);
  });
});
