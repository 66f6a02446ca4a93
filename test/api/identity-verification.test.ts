import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EIDAS_LOA } from "../../packages/server/src/config/schema.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startPortalServer();
});
afterAll(() => server?.close());

const performers = () => server.ctx.db.performer.count();
const refusal = (body: string) => /data-refusal="([a-z_0-9]+)"/.exec(body)?.[1];

describe("age verification through the local identity provider", () => {
  test("an adult is verified, gets an account and a logged-in session, and returns to the portal", async () => {
    const performer = newPerformer(server);
    const result = await performer.verifyAge(freshIdentity("adult"), "/portal/requests");
    expect(result.status).toBe(303);
    expect(result.headers.get("location")).toBe("/portal/requests");
    const session = (await performer.api("GET", "/session")).body;
    expect(session.performer).toMatchObject({
      pseudonym: expect.stringMatching(/^prf_/),
      ageVerification: { acr: EIDAS_LOA.high, fresh: true },
      passkeys: 0,
    });
  });

  test("someone who turns 18 today is accepted (birthdate only, Europe/Amsterdam)", async () => {
    const result = await newPerformer(server).verifyAge(freshIdentity("eighteen-today"));
    expect(result.status).toBe(303);
  });

  test("a wallet's age_over_18 alone is accepted", async () => {
    const result = await newPerformer(server).verifyAge(freshIdentity("wallet-over18"));
    expect(result.status).toBe(303);
  });

  test.each([
    ["minor", "under_18", 403],
    ["no-birthdate", "age_unknown", 403],
    ["low-assurance", "acr_not_accepted", 403],
  ])("%s is refused (%s) with a clear page and no account", async (base, reason, status) => {
    const before = await performers();
    const performer = newPerformer(server);
    const result = await performer.verifyAge(freshIdentity(base));
    expect(result.status).toBe(status);
    expect(result.headers.get("content-type")).toMatch(/^text\/html/);
    expect(refusal(result.body)).toBe(reason);
    expect(await performers()).toBe(before);
    expect((await performer.api("GET", "/session")).body.performer).toBeNull();
    const events = await server.ctx.db.auditEvent.findMany({
      where: { type: "identity.verification_refused" },
      orderBy: { index: "desc" },
      take: 1,
    });
    expect(JSON.parse(events[0]!.entry).data.reason).toBe(reason);
  });

  test("the refusal page speaks Dutch to a Dutch browser", async () => {
    const performer = newPerformer(server);
    const login = await performer.browser.navigate(`${server.url}/portal/verify/start`);
    const callback = await performer.loginAtProvider(login, freshIdentity("minor"));
    const page = await performer.browser.request(callback, {
      headers: { "accept-language": "nl-NL,nl;q=0.9,en;q=0.5" },
    });
    expect(page.status).toBe(403);
    expect(page.body).toContain("Je moet 18 jaar of ouder zijn");
  });

  test("one identity holds one performer: verifying again renews the attestation of the same account", async () => {
    const identity = freshIdentity("adult");
    const first = newPerformer(server);
    await first.verifyAge(identity);
    const second = newPerformer(server);
    await second.verifyAge(identity);
    const a = (await first.api("GET", "/session")).body.performer.pseudonym;
    const b = (await second.api("GET", "/session")).body.performer.pseudonym;
    expect(b).toBe(a);
    const performer = await server.ctx.db.performer.findUniqueOrThrow({
      where: { pseudonym: a },
      include: { attestations: true },
    });
    expect(performer.attestations).toHaveLength(2);
  });

  test("a logged-in performer cannot verify as a different identity", async () => {
    const performer = newPerformer(server);
    await performer.verifyAge(freshIdentity("adult"));
    const before = (await performer.api("GET", "/session")).body.performer.pseudonym;
    const result = await performer.verifyAge(freshIdentity("adult"));
    expect(refusal(result.body)).toBe("identity_mismatch");
    expect((await performer.api("GET", "/session")).body.performer.pseudonym).toBe(before);
  });

  test("the session is rotated at verification: the old cookie is worthless afterwards", async () => {
    const performer = newPerformer(server);
    await performer.session();
    const host = new URL(server.url).host;
    const before = performer.browser.cookies.get(host)!.get("vgw_session");
    await performer.verifyAge(freshIdentity("adult"));
    const after = performer.browser.cookies.get(host)!.get("vgw_session");
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const stale = await fetch(`${server.url}/portal/api/session`, { headers: { cookie: `vgw_session=${before}` } });
    expect((await stale.json()).performer).toBeNull();
  });

  test("only a portal path is accepted as returnTo", async () => {
    for (const returnTo of ["https://evil.example/", "//evil.example", "/portal/../admin", "/v1/publications"]) {
      const result = await newPerformer(server).verifyAge(freshIdentity("adult"), returnTo);
      expect(result.headers.get("location")).toBe("/portal");
    }
  });
});

describe("the authorization response is bound to its request", () => {
  test("a tampered state is refused, and the genuine callback still works once", async () => {
    const performer = newPerformer(server);
    const login = await performer.browser.navigate(`${server.url}/portal/verify/start`);
    const callback = new URL(await performer.loginAtProvider(login, freshIdentity("adult")));
    const tampered = new URL(callback);
    tampered.searchParams.set("state", `${callback.searchParams.get("state")}x`);
    const refused = await performer.browser.request(tampered.href);
    expect(refusal(refused.body)).toBe("flow_invalid");
    const accepted = await performer.browser.request(callback.href);
    expect(accepted.status).toBe(303);
  });

  test("an ID token whose nonce is not the one bound to the browser is refused", async () => {
    const performer = newPerformer(server);
    const login = await performer.browser.navigate(`${server.url}/portal/verify/start`);
    const callback = await performer.loginAtProvider(login, freshIdentity("adult"));
    await server.ctx.db.oidcTransaction.updateMany({ data: { nonce: "a-nonce-the-provider-never-saw" } });
    const before = await performers();
    const refused = await performer.browser.request(callback);
    expect(refusal(refused.body)).toBe("flow_invalid");
    expect(await performers()).toBe(before);
    // openid-client's error carries the ID token's claims: none of them may reach the log.
    const logged = JSON.stringify(server.logs.filter((l) => l.msg === "age verification flow failed"));
    expect(logged).toContain("OAUTH_");
    expect(logged).not.toMatch(/1990-05-01|Anna|Vries|"sub"/);
  });

  test("a replayed callback (same code, same state) is refused", async () => {
    const performer = newPerformer(server);
    const login = await performer.browser.navigate(`${server.url}/portal/verify/start`);
    const callback = await performer.loginAtProvider(login, freshIdentity("adult"));
    expect((await performer.browser.request(callback)).status).toBe(303);
    const replay = await performer.browser.request(callback);
    expect(refusal(replay.body)).toBe("flow_invalid");
  });

  test("a used authorization code is refused in a new flow of the same browser", async () => {
    const performer = newPerformer(server);
    const identity = freshIdentity("adult");
    const login = await performer.browser.navigate(`${server.url}/portal/verify/start`);
    const first = new URL(await performer.loginAtProvider(login, identity));
    expect((await performer.browser.request(first.href)).status).toBe(303);
    const secondLogin = await performer.browser.navigate(`${server.url}/portal/verify/start`);
    const second = new URL(await performer.loginAtProvider(secondLogin, identity));
    const replay = new URL(second);
    replay.searchParams.set("code", first.searchParams.get("code")!);
    expect(refusal((await performer.browser.request(replay.href)).body)).toBe("flow_invalid");
  });

  test("a callback opened in another browser is refused", async () => {
    const performer = newPerformer(server);
    const login = await performer.browser.navigate(`${server.url}/portal/verify/start`);
    const callback = await performer.loginAtProvider(login, freshIdentity("adult"));
    const other = newPerformer(server);
    expect(refusal((await other.browser.request(callback)).body)).toBe("flow_invalid");
  });

  test("stray callbacks are refused without filling the audit log", async () => {
    const before = await server.ctx.db.auditEvent.count();
    for (const query of ["", "?state=x&code=y", "?error=access_denied&state=z"]) {
      const res = await fetch(`${server.url}/portal/verify/callback${query}`);
      expect(res.status).toBe(400);
      expect(refusal(await res.text())).toBe("flow_invalid");
    }
    expect(await server.ctx.db.auditEvent.count()).toBe(before);
  });

  test("a cancelled sign-in comes back as cancelled, with nothing stored", async () => {
    const performer = newPerformer(server);
    const login = await performer.browser.navigate(`${server.url}/portal/verify/start`);
    const page = await performer.browser.navigate(
      login.url,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "action=cancel" },
      (url) => url.includes("/portal/verify/callback"),
    );
    const result = await performer.browser.request(page.url);
    expect(refusal(result.body)).toBe("cancelled");
  });
});

describe("what is kept", () => {
  test("the attestation holds the issuer, a subject HMAC, the level and the time; the audit entry no identity data", async () => {
    const performer = newPerformer(server);
    await performer.verifyAge(freshIdentity("adult"));
    const { pseudonym } = (await performer.api("GET", "/session")).body.performer;
    const row = await server.ctx.db.performer.findUniqueOrThrow({
      where: { pseudonym },
      include: { attestations: true },
    });
    expect(row.subjectHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row.attestations[0]).toMatchObject({
      issuer: server.ctx.identity.relyingParty.settings.issuer,
      subjectHash: row.subjectHash,
      over18: true,
      acr: EIDAS_LOA.high,
    });
    const events = await server.ctx.db.auditEvent.findMany({ where: { performerPseudonym: pseudonym } });
    expect(events.map((e) => e.type)).toEqual(["identity.verified"]);
    expect(events[0]!.entry).not.toMatch(/1990|Anna|Vries|adult\+/);
  });
});
