import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TestPlatform } from "../support/platform.ts";
import type { TestPerformer } from "../support/performer.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

// A performer who has a passkey comes back on a device without it: verifying again at the identity
// provider (docs/identity.md, account recovery) lets them add a passkey there, right afterwards only.

let server: TestServer;
let platform: TestPlatform;

beforeAll(async () => {
  server = await startPortalServer();
  platform = await TestPlatform.create(server, "Device platform");
}, 60_000);
afterAll(() => server?.close());

const pseudonymOf = async (p: TestPerformer) => (await p.api("GET", "/session")).body.performer.pseudonym as string;
const passkeysOf = (pseudonym: string) => server.ctx.db.passkey.count({ where: { performer: { pseudonym } } });
const registrations = (pseudonym: string) =>
  server.ctx.db.auditEvent.count({ where: { type: "passkey.registered", performerPseudonym: pseudonym } });

/** Every session of the performer now logged in that long ago. */
const loggedInAgo = (pseudonym: string, ms: number) =>
  server.ctx.db.portalSession.updateMany({
    where: { performer: { pseudonym } },
    data: { authenticatedAt: new Date(Date.now() - ms) },
  });

/** A performer with a passkey on their first device, and the same person on a new one. */
async function returning(): Promise<{ identity: string; first: TestPerformer; device: TestPerformer }> {
  const identity = freshIdentity("adult");
  const first = await newPerformer(server).onboard(identity);
  return { identity, first, device: newPerformer(server) };
}

describe("a returning performer on a new device", () => {
  test("verifying again offers a passkey on this device or one they have, then the invitation; they sign", async () => {
    const publication = await platform.publish({ slots: [{ role: "uploader" }] });
    const { identity, first, device } = await returning();
    expect((await device.browser.request(publication.invitations[0]!.url)).status).toBe(303);

    const back = await device.verifyAge(identity, "/portal/onboarding");
    expect(back.url).toBe(`${server.url}/portal/onboarding`);
    const page = await device.browser.request(back.url, { headers: { "accept-language": "nl" } });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Welkom terug");
    expect(page.body).toContain('data-passkey="register" data-next="/portal/invitation"');
    expect(page.body).toMatch(/<a class="button secondary" id="use-existing" href="\/portal\/invitation">/);

    const pseudonym = await pseudonymOf(device);
    expect(pseudonym).toBe(await pseudonymOf(first));
    const added = await device.registerPasskey();
    expect(added.status).toBe(201);
    expect(await passkeysOf(pseudonym)).toBe(2);
    expect(await registrations(pseudonym)).toBe(2);
    // Offered once: with a passkey added since the check, the page goes on.
    const again = await device.browser.request(back.url);
    expect([again.status, again.headers.get("location")]).toEqual([303, "/portal/invitation"]);

    expect((await device.api("POST", "/invitations/claim", {})).status).toBe(200);
    const signed = await device.consent(publication.slots[0]!.id);
    expect(signed.status).toBe(201);
    expect(signed.body.publication.status).toBe("cleared");
  });

  test("a session that verified more than ten minutes ago cannot add a passkey; verifying again can", async () => {
    const { identity, device } = await returning();
    await device.verifyAge(identity);
    const pseudonym = await pseudonymOf(device);
    await loggedInAgo(pseudonym, 11 * 60_000);

    const refused = await device.api("POST", "/passkeys/options");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe("reverification_required");
    // No choice is offered any more: the page goes on to where the performer was going.
    const page = await device.browser.request(`${server.url}/portal/onboarding`);
    expect([page.status, page.headers.get("location")]).toEqual([303, "/portal"]);

    await device.verifyAge(identity);
    expect((await device.registerPasskey()).status).toBe(201);
    expect(await passkeysOf(pseudonym)).toBe(2);
  });

  test("options asked for in time but answered after the window add nothing", async () => {
    const { identity, device } = await returning();
    await device.verifyAge(identity);
    const pseudonym = await pseudonymOf(device);
    const options = await device.api("POST", "/passkeys/options");
    expect(options.status).toBe(200);
    await loggedInAgo(pseudonym, 11 * 60_000);
    const res = await device.api("POST", "/passkeys", { response: device.authenticator.register(options.body) });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("reverification_required");
    expect(await passkeysOf(pseudonym)).toBe(1);
    expect(await registrations(pseudonym)).toBe(1);
  });

  test("a passkey login still adds a passkey, and a new account its first one, at any time", async () => {
    const { first } = await returning();
    const pseudonym = await pseudonymOf(first);
    // The first passkey was made in the session of the identity check that made the account.
    expect(await passkeysOf(pseudonym)).toBe(1);
    // A new browser with the same authenticator (a synced passkey).
    const synced = newPerformer(server);
    Object.assign(synced, { authenticator: first.authenticator });
    expect((await synced.login()).status).toBe(200);
    await loggedInAgo(pseudonym, 2 * 60 * 60_000);
    expect((await synced.registerPasskey(newPerformer(server).authenticator)).status).toBe(201);

    const newcomer = newPerformer(server);
    await newcomer.verifyAge(freshIdentity("adult"));
    await loggedInAgo(await pseudonymOf(newcomer), 2 * 60 * 60_000);
    expect((await newcomer.registerPasskey()).status).toBe(201);
  });

  test("a performer who logged in with their passkey is not offered another", async () => {
    const { first } = await returning();
    // A new browser with the same authenticator (a synced passkey).
    const synced = newPerformer(server);
    Object.assign(synced, { authenticator: first.authenticator });
    expect((await synced.login()).status).toBe(200);
    const page = await synced.browser.request(`${server.url}/portal/onboarding`);
    expect([page.status, page.headers.get("location")]).toEqual([303, "/portal"]);
  });
});
