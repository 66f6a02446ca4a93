import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { revokeAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import { revokeApiKey } from "../../packages/server/src/platform/api-key.ts";
import { auditorToken } from "../support/audit.ts";
import { consentedPublication } from "../support/consented.ts";
import { bearer } from "../support/fixtures.ts";
import type { TestPerformer } from "../support/performer.ts";
import { TestPlatform } from "../support/platform.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

// Attacks on the performer portal and the identity flow that the feature suites do not already
// make: session fixation, CSRF tokens moved between sessions, open redirects through every
// redirect the server builds from input, and answers that would tell accounts, keys or
// resources apart. (Missing tokens, other origins and forged forms: test/api/passkeys.test.ts,
// test/api/portal-pages.test.ts, test/api/audit-console.test.ts.)

let server: TestServer;
let platform: TestPlatform;
let X: TestPerformer;
let Y: TestPerformer;
let consentId: string;

beforeAll(async () => {
  server = await startPortalServer();
  platform = await TestPlatform.create(server, "Attacked");
  const consented = await consentedPublication(server, platform);
  X = consented.performers[0]!;
  consentId = consented.consentIds[0]!;
  Y = await newPerformer(server).onboard(freshIdentity());
});
afterAll(() => server?.close());

const host = () => new URL(server.url).host;
const cookieOf = (performer: TestPerformer) => performer.browser.cookies.get(host())!.get("vgw_session")!;
const sessionWith = async (token: string) =>
  (await (await fetch(`${server.url}/portal/api/session`, { headers: { cookie: `vgw_session=${token}` } })).json()) as {
    performer: { pseudonym: string } | null;
  };

describe("session fixation", () => {
  test("a session id the attacker made up is never adopted: a fresh one is issued instead", async () => {
    const planted = randomBytes(32).toString("base64url");
    const res = await fetch(`${server.url}/portal/api/session`, { headers: { cookie: `vgw_session=${planted}` } });
    const issued = /^vgw_session=([^;]+)/.exec(res.headers.getSetCookie()[0]!)![1]!;
    expect(issued).not.toBe(planted);
    // Still nobody's session: asking again with it gets yet another one.
    const again = await fetch(`${server.url}/portal/api/session`, { headers: { cookie: `vgw_session=${planted}` } });
    expect(again.headers.getSetCookie()[0]).not.toContain(planted);
  });

  test("an anonymous session planted in the victim's browser is not logged in by the victim's passkey login", async () => {
    // The attacker gets a valid anonymous session and plants its cookie (e.g. from a sibling
    // domain); the victim then logs in with their passkey in that browser.
    const attacker = newPerformer(server);
    await attacker.session();
    const planted = cookieOf(attacker);
    const victim = newPerformer(server);
    Object.assign(victim, { authenticator: X.authenticator });
    victim.browser.cookies.set(host(), new Map([["vgw_session", planted]]));
    expect((await victim.login()).status).toBe(200);
    expect(cookieOf(victim)).not.toBe(planted);
    expect((await sessionWith(planted)).performer).toBeNull();
    expect((await attacker.api("GET", "/overview")).status).toBe(401);
    expect((await victim.api("GET", "/overview")).status).toBe(200);
  });

  test("the same holds for age verification at the identity provider", async () => {
    const attacker = newPerformer(server);
    await attacker.session();
    const planted = cookieOf(attacker);
    const victim = newPerformer(server);
    victim.browser.cookies.set(host(), new Map([["vgw_session", planted]]));
    expect((await victim.verifyAge(freshIdentity())).status).toBe(303);
    expect(cookieOf(victim)).not.toBe(planted);
    expect((await sessionWith(planted)).performer).toBeNull();
  });

  test("logging out ends the session on the server, not only in the browser", async () => {
    const performer = await newPerformer(server).onboard(freshIdentity());
    const before = cookieOf(performer);
    expect((await sessionWith(before)).performer).not.toBeNull();
    expect((await performer.api("POST", "/logout")).status).toBe(204);
    expect((await sessionWith(before)).performer).toBeNull();
  });
});

describe("CSRF", () => {
  test("a CSRF token is bound to its session: another performer's token is refused, API and forms", async () => {
    const api = await Y.api("POST", `/passkeys/options`, undefined, { "x-csrf-token": X.csrfToken });
    expect([api.status, api.body.code]).toEqual([403, "csrf_token_invalid"]);
    const form = await Y.submitForm("/portal/logout", { csrf: X.csrfToken });
    expect(form.status).toBe(403);
    expect((await sessionWith(cookieOf(Y))).performer).not.toBeNull();
  });

  test("a cross-site page cannot log a victim into the attacker's account (login CSRF)", async () => {
    const victim = newPerformer(server);
    await victim.session();
    const attempts: Array<Record<string, string>> = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of attempts) {
      const res = await victim.api("POST", "/login/options", undefined, headers);
      expect([res.status, res.body.code]).toEqual([403, "cross_origin_request"]);
    }
    const noToken = await victim.api("POST", "/login/options", undefined, { "x-csrf-token": "" });
    expect(noToken.status).toBe(403);
  });

  test("no CORS: a preflight from another origin is not granted, and responses name no other origin", async () => {
    const preflight = await fetch(`${server.url}/portal/api/consents/${consentId}/revocation/options`, {
      method: "OPTIONS",
      headers: {
        origin: "https://evil.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-csrf-token, content-type",
      },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    const read = await X.api("GET", "/consents", undefined, { origin: "https://evil.example" });
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("open redirects", () => {
  const storedReturnTo = async (returnTo: string | string[]) => {
    const performer = newPerformer(server);
    const query = [returnTo]
      .flat()
      .map((v) => `returnTo=${encodeURIComponent(v)}`)
      .join("&");
    const start = await performer.page(`/portal/verify/start?${query}`);
    expect(start.status).toBe(303);
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const stateHash = createHash("sha256").update(state).digest("base64url");
    return (await server.ctx.db.oidcTransaction.findUniqueOrThrow({ where: { stateHash } })).returnTo;
  };

  test("returnTo keeps to portal paths, whatever the encoding trick", async () => {
    const attacks = [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/portal/\\evil.example",
      "/portal//evil.example",
      "/portal/../v1/publications",
      "/portal/%2e%2e/v1",
      "/portal/..",
      "/portal/./login",
      "/portal\r\nLocation: https://evil.example",
      "\t//evil.example",
      "/portal/@evil.example",
      "javascript:alert(1)",
      "/PORTAL",
      "",
    ];
    for (const attack of attacks) expect(await storedReturnTo(attack), JSON.stringify(attack)).toBe("/portal");
    expect(await storedReturnTo(["/portal/data", "https://evil.example"]), "a repeated parameter").toBe("/portal");
    expect(await storedReturnTo("/portal/data"), "a genuine portal path").toBe("/portal/data");
  });

  test("the identity provider sends the browser back only to the registered callback", async () => {
    const performer = newPerformer(server);
    const start = await performer.page("/portal/verify/start");
    const authorize = new URL(start.headers.get("location")!);
    expect(new URL(authorize.searchParams.get("redirect_uri")!).origin).toBe(new URL(server.url).origin);
    authorize.searchParams.set("redirect_uri", "https://evil.example/portal/verify/callback");
    const tampered = await performer.browser.request(authorize.href);
    expect(tampered.status).toBeGreaterThanOrEqual(400);
    expect(tampered.headers.get("location") ?? "").not.toContain("evil.example");
  });

  test("a forged Host or X-Forwarded-Host does not move any URL the server builds", async () => {
    const start = await fetch(`${server.url}/portal/verify/start`, {
      redirect: "manual",
      headers: { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
    });
    expect(start.status).toBe(303);
    const redirectUri = new URL(start.headers.get("location")!).searchParams.get("redirect_uri")!;
    expect(new URL(redirectUri).origin).toBe(new URL(server.url).origin);
    const publication = await platform.publish();
    expect(new URL(publication.invitations[0]!.url).origin).toBe(new URL(server.url).origin);
    const problem = await fetch(`${server.url}/v1/nope`, { headers: { host: "evil.example" } });
    expect(((await problem.json()) as { type: string }).type).toMatch(new RegExp(`^${server.url}/problems/`));
  });
});

describe("no enumeration", () => {
  const problem = async (res: Response) => {
    const { status } = res;
    const body = (await res.json()) as Record<string, unknown>;
    return { status, body, challenge: res.headers.get("www-authenticate") };
  };

  test("an unknown, a revoked and a malformed API key get the same answer", async () => {
    const revoked = await server.createPlatform("Revoked");
    expect(await revokeApiKey(server.ctx.db, revoked.apiKey.slice(0, "vgw_live_".length + 8))).toBe(true);
    const unknown = `vgw_live_${randomBytes(32).toString("base64url")}`;
    const answers = await Promise.all(
      [revoked.apiKey, unknown, `${revoked.apiKey}x`].map(async (key) =>
        problem(await fetch(`${server.url}/v1/publications`, { headers: bearer(key) })),
      ),
    );
    expect(answers[0]!.status).toBe(401);
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  test("an unknown and a revoked auditor token get the same answer", async () => {
    const token = await auditorToken(server.ctx.db, null);
    expect(await revokeAuditorToken(server.ctx.db, token.slice(0, 18))).toBe(true);
    const unknown = `vgw_audit_${randomBytes(32).toString("base64url")}`;
    const [revoked, made] = await Promise.all(
      [token, unknown].map(async (t) => problem(await fetch(`${server.url}/v1/audit/events`, { headers: bearer(t) }))),
    );
    expect(revoked!.status).toBe(401);
    expect(made).toEqual(revoked);
  });

  test("another platform's resource and one that does not exist look the same", async () => {
    const other = await TestPlatform.create(server, "Curious");
    const mine = (await platform.request("GET", "/v1/publications?limit=1")) as {
      body: { items: Array<{ id: string }> };
    };
    const theirs = await other.request("GET", `/v1/publications/${mine.body.items[0]!.id}`);
    const nothing = await other.request("GET", `/v1/publications/${"01900000-0000-7000-8000-000000000000"}`);
    expect(theirs).toEqual(nothing);
    expect(theirs.status).toBe(404);
  });

  test("another performer's consent and one that does not exist look the same", async () => {
    const theirs = await Y.api("GET", `/consents/${consentId}`);
    const nothing = await Y.api("GET", `/consents/01900000-0000-7000-8000-000000000000`);
    expect([theirs.status, theirs.body]).toEqual([nothing.status, nothing.body]);
    expect(theirs.status).toBe(404);
  });
});
