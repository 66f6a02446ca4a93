import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SoftwareAuthenticator } from "../support/authenticator.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";
import type { TestPerformer } from "../support/performer.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startPortalServer();
});
afterAll(() => server?.close());

const verified = async () => {
  const performer = newPerformer(server);
  await performer.verifyAge(freshIdentity("adult"));
  return performer;
};
const passkeyCount = () => server.ctx.db.passkey.count();
const pseudonymOf = async (p: TestPerformer) => (await p.api("GET", "/session")).body.performer.pseudonym as string;

describe("registration", () => {
  test("a verified performer registers a passkey: user verification, backup state and counter are kept", async () => {
    const performer = await verified();
    const res = await performer.registerPasskey();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      deviceType: "multiDevice",
      backedUp: true,
      transports: ["internal", "hybrid"],
      lastUsedAt: null,
    });
    const row = await server.ctx.db.passkey.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row).toMatchObject({ counter: 0n, backedUp: true, deviceType: "multiDevice" });
    expect(row.credentialId).toBe([...performer.authenticator.credentials.keys()][0]);
    const events = await server.ctx.db.auditEvent.findMany({
      where: { type: "passkey.registered", performerPseudonym: await pseudonymOf(performer) },
    });
    expect(events).toHaveLength(1);
  });

  test("the options exclude the performer's passkeys, require user verification and a discoverable credential", async () => {
    const performer = await verified();
    await performer.registerPasskey();
    const options = await performer.api("POST", "/passkeys/options");
    expect(options.body).toMatchObject({
      rp: { id: "localhost", name: "Vergewis" },
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
      attestation: "none",
    });
    expect(options.body.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([
      ...performer.authenticator.credentials.keys(),
    ]);
    expect(options.body.user.name).toMatch(/^prf_/);
  });

  test("without user verification no passkey is registered", async () => {
    const performer = await verified();
    const before = await passkeyCount();
    const res = await performer.registerPasskey(
      new SoftwareAuthenticator({ origin: server.url, userVerification: false }),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("passkey_registration_failed");
    expect(await passkeyCount()).toBe(before);
  });

  test("a registration made on another origin is refused", async () => {
    const performer = await verified();
    const options = await performer.api("POST", "/passkeys/options");
    const response = performer.authenticator.register(options.body, { origin: "https://evil.example" });
    const res = await performer.api("POST", "/passkeys", { response });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("passkey_registration_failed");
  });

  test("a challenge works once", async () => {
    const performer = await verified();
    const options = await performer.api("POST", "/passkeys/options");
    const response = performer.authenticator.register(options.body);
    expect((await performer.api("POST", "/passkeys", { response })).status).toBe(201);
    const again = await performer.api("POST", "/passkeys", { response });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe("challenge_invalid");
  });

  test("a challenge expires after five minutes", async () => {
    const performer = await verified();
    const options = await performer.api("POST", "/passkeys/options");
    await server.ctx.db.webAuthnChallenge.updateMany({
      where: { challenge: options.body.challenge },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    const res = await performer.api("POST", "/passkeys", { response: performer.authenticator.register(options.body) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("challenge_invalid");
  });

  test("a challenge answered with another challenge is refused", async () => {
    const performer = await verified();
    const options = await performer.api("POST", "/passkeys/options");
    const response = performer.authenticator.register(options.body, {
      challenge: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    });
    expect((await performer.api("POST", "/passkeys", { response })).body.code).toBe("challenge_invalid");
  });

  test("registering needs a logged-in performer", async () => {
    const anonymous = newPerformer(server);
    await anonymous.session();
    const res = await anonymous.api("POST", "/passkeys/options");
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("login_required");
  });

  test("a malformed response is refused field by field", async () => {
    const performer = await verified();
    const res = await performer.api("POST", "/passkeys", { response: { id: "x", type: "password" } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_request");
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain("/body/response/type");
  });
});

describe("several passkeys, removal", () => {
  test("a performer holds several passkeys and may remove all but the last", async () => {
    const performer = await verified();
    const second = new SoftwareAuthenticator({ origin: server.url, backedUp: false });
    await performer.registerPasskey();
    await performer.registerPasskey(second);
    const list = await performer.api("GET", "/passkeys");
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items.map((p: { deviceType: string }) => p.deviceType)).toEqual(["multiDevice", "singleDevice"]);
    expect((await performer.api("DELETE", `/passkeys/${list.body.items[0].id}`)).status).toBe(204);
    const last = await performer.api("DELETE", `/passkeys/${list.body.items[1].id}`);
    expect(last.status).toBe(409);
    expect(last.body.code).toBe("last_passkey");
    expect((await performer.api("GET", "/passkeys")).body.items).toHaveLength(1);
  });

  test("another performer's passkey is not found", async () => {
    const owner = await verified();
    await owner.registerPasskey();
    await owner.registerPasskey(new SoftwareAuthenticator({ origin: server.url }));
    const [target] = (await owner.api("GET", "/passkeys")).body.items;
    const other = await verified();
    const res = await other.api("DELETE", `/passkeys/${target.id}`);
    expect(res.status).toBe(404);
    expect((await owner.api("GET", "/passkeys")).body.items).toHaveLength(2);
  });
});

describe("login", () => {
  const onboarded = async () => newPerformer(server).onboard(freshIdentity("adult"));

  test("a passkey logs in without a user name, in a new session with a new CSRF token", async () => {
    const performer = await onboarded();
    const pseudonym = await pseudonymOf(performer);
    // A new browser with the same authenticator (a synced passkey).
    const browser = newPerformer(server);
    Object.assign(browser, { authenticator: performer.authenticator });
    const anonymousToken = (await browser.session()).body.csrfToken;
    const res = await browser.login();
    expect(res.status).toBe(200);
    expect(res.body.performer.pseudonym).toBe(pseudonym);
    expect(res.body.csrfToken).not.toBe(anonymousToken);
    const stale = await browser.api("POST", "/logout", undefined, { "x-csrf-token": anonymousToken });
    expect(stale.status).toBe(403);
    const row = await server.ctx.db.passkey.findFirstOrThrow({ where: { performer: { pseudonym } } });
    expect(row.counter).toBe(1n);
    expect(row.lastUsedAt).not.toBeNull();
  });

  test("an unknown passkey, a bad signature and a cloned authenticator all fail alike", async () => {
    const performer = await onboarded();
    const stranger = newPerformer(server);
    const unknown = new SoftwareAuthenticator({ origin: server.url });
    unknown.register({ ...(await performer.api("POST", "/passkeys/options")).body });
    Object.assign(stranger, { authenticator: unknown });
    const a = await stranger.login();
    const b = await performer.login({ corruptSignature: true });
    expect((await performer.login()).status).toBe(200);
    // A counter that does not increase: a cloned authenticator (WebAuthn L3 §6.1.1).
    const c = await performer.login({ signCount: 1 });
    for (const res of [a, b, c]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: "login_failed", detail: "This passkey could not be verified." });
    }
  });

  test("a login response works once", async () => {
    const performer = await onboarded();
    await performer.session();
    const options = await performer.api("POST", "/login/options");
    const response = performer.authenticator.authenticate(options.body);
    expect((await performer.api("POST", "/login", { response })).status).toBe(200);
    await performer.session();
    const replay = await performer.api("POST", "/login", { response });
    expect(replay.status).toBe(400);
    expect(replay.body.code).toBe("challenge_invalid");
  });

  test("logging out ends the session", async () => {
    const performer = await onboarded();
    expect((await performer.api("POST", "/logout")).status).toBe(204);
    expect((await performer.api("GET", "/session")).body.performer).toBeNull();
  });

  test("a session idle for 30 minutes is over", async () => {
    const performer = await onboarded();
    const pseudonym = await pseudonymOf(performer);
    await server.ctx.db.portalSession.updateMany({
      where: { performer: { pseudonym } },
      data: { lastSeenAt: new Date(Date.now() - 30 * 60_000 - 1000) },
    });
    expect((await performer.api("GET", "/session")).body.performer).toBeNull();
  });
});

describe("session and CSRF defences", () => {
  test("the session cookie is HttpOnly and SameSite=Lax, and not Secure over plain http", async () => {
    const res = await fetch(`${server.url}/portal/api/session`);
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^vgw_session=[A-Za-z0-9_-]{43}; Path=\//);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  test("a state-changing request without the CSRF token, or from another origin, is refused", async () => {
    const performer = await verified();
    const noToken = await performer.api("POST", "/passkeys/options", undefined, { "x-csrf-token": "" });
    expect(noToken.status).toBe(403);
    expect(noToken.body.code).toBe("csrf_token_invalid");
    const crossSite = await performer.api("POST", "/passkeys/options", undefined, { origin: "https://evil.example" });
    expect(crossSite.body.code).toBe("cross_origin_request");
    const fetchMeta = await performer.api("POST", "/passkeys/options", undefined, { "sec-fetch-site": "cross-site" });
    expect(fetchMeta.body.code).toBe("cross_origin_request");
  });
});

describe("rate limits", () => {
  test("logins are limited per client address, with problem+json 429", async () => {
    const limited = await startPortalServer({ rateLimits: { login: 3 } });
    try {
      const performer = newPerformer(limited);
      await performer.session();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await performer.api("POST", "/login/options")).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const res = await performer.api("POST", "/login/options");
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe("rate_limited");
      expect(res.headers.get("ratelimit-policy")).toBeTruthy();
      const keys = await limited.ctx.db.rateLimit.findMany();
      expect(JSON.stringify(keys)).not.toContain("127.0.0.1");
    } finally {
      await limited.close();
    }
  });
});
