import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { verifyConsentReceipt, verifyConsentSignature } from "@vergewis/sdk";
import { consentedPublication } from "../support/consented.ts";
import { TestPlatform } from "../support/platform.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

// The portal's pages over HTTP: who may see what, the forms' CSRF defence, answers that reveal
// nothing about codes or accounts, and the JSON behind the dashboard and the data export.

let server: TestServer;
let platform: TestPlatform;

beforeAll(async () => {
  server = await startPortalServer();
  platform = await TestPlatform.create(server, "Pages platform");
});
afterAll(() => server?.close());

const mainOf = (body: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(body)![1]!;

describe("portal pages", () => {
  test("pages for performers send visitors without a session to log in", async () => {
    const visitor = newPerformer(server);
    for (const path of [
      "/portal",
      "/portal/data",
      "/portal/data/export",
      "/portal/account",
      "/portal/account/delete",
    ]) {
      const page = await visitor.page(path);
      expect([path, page.status, page.headers.get("location")]).toEqual([path, 303, "/portal/login"]);
    }
    const consent = await visitor.page(`/portal/consents/${randomUUID()}`);
    expect(consent.headers.get("location")).toBe("/portal/login");
    const login = await visitor.page("/portal/login");
    expect(login.status).toBe(200);
    expect(login.headers.get("content-type")).toMatch(/^text\/html/);
  });

  test("a verified performer without a passkey is led to create one", async () => {
    const performer = newPerformer(server);
    await performer.verifyAge(freshIdentity("adult"));
    expect((await performer.page("/portal")).headers.get("location")).toBe("/portal/onboarding");
    const onboarding = await performer.page("/portal/onboarding");
    expect(mainOf(onboarding.body)).toContain('data-passkey="register"');
    await performer.registerPasskey();
    expect((await performer.page("/portal/onboarding")).headers.get("location")).toBe("/portal");
  });

  test("every page: strict CSP, no inline script, no caching, labelled controls", async () => {
    const { performers, consentIds } = await consentedPublication(server, platform);
    const performer = performers[0]!;
    for (const path of [
      "/portal",
      `/portal/consents/${consentIds[0]}`,
      `/portal/consents/${consentIds[0]}/revoke`,
      "/portal/data",
      "/portal/account",
      "/portal/account/delete",
      "/portal/invitation",
    ]) {
      const page = await performer.page(path);
      expect([path, page.status]).toEqual([path, 200]);
      const csp = page.headers.get("content-security-policy")!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(page.headers.get("cache-control")).toBe("no-store");
      // Script elements load files; the only inline ones are JSON data, which is never executed.
      for (const [tag] of page.body.matchAll(/<script\b[^>]*>/g)) {
        expect(tag).toMatch(/ src="\/assets\/|type="application\/json"/);
      }
      for (const [, id] of page.body.matchAll(/<input [^>]*id="([^"]+)"/g)) {
        expect(page.body).toContain(`<label for="${id}">`);
      }
    }
  });

  test("a typed invitation code opens the invitation; every code that does not work gets the same page", async () => {
    const publication = await platform.publish({ slots: [{ role: "uploader" }] });
    const taken = await platform.publish({ slots: [{ role: "uploader" }] });
    const holder = await newPerformer(server).onboard(freshIdentity("adult"));
    await holder.acceptInvitation(taken.invitations[0]!.url);

    const visitor = newPerformer(server);
    await visitor.session();
    const answers = [];
    for (const code of ["ABCD-EFGH", "0".repeat(26), taken.invitations[0]!.code, "<script>"]) {
      const page = await visitor.submitForm("/portal/invitation", { code });
      answers.push({ status: page.status, main: mainOf(page.body) });
    }
    expect(answers[0]!.status).toBe(404);
    expect(answers[0]!.main).toContain("This code does not work.");
    for (const answer of answers) expect(answer).toEqual(answers[0]);

    const opened = await visitor.submitForm("/portal/invitation", {
      code: publication.invitations[0]!.code.toLowerCase(),
    });
    expect([opened.status, opened.headers.get("location")]).toEqual([303, "/portal/invitation"]);
    const invitation = await visitor.page("/portal/invitation");
    expect(mainOf(invitation.body)).toContain("Pages platform asks for your consent");
    // Nothing of the content before the person has shown who they are.
    expect(invitation.body).not.toContain(publication.contentFingerprints[0]!.value);
  });

  test("forms refuse a missing or wrong token and other sites; nothing changes", async () => {
    const publication = await platform.publish({ slots: [{ role: "uploader" }] });
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    await performer.acceptInvitation(publication.invitations[0]!.url);
    const path = `/portal/requests/${publication.slots[0]!.id}/decline`;
    const attempts = [
      await performer.submitForm(path, { csrf: "" }),
      await performer.submitForm(path, { csrf: `${performer.csrfToken.slice(0, -2)}AA` }),
      await performer.submitForm(path, {}, { "sec-fetch-site": "cross-site" }),
      await performer.submitForm(path, {}, { origin: "https://evil.example", "sec-fetch-site": "same-origin" }),
      // A form posted with Origin: null is only ours when the browser vouches for it.
      await performer.submitForm(path, {}, { "sec-fetch-site": "cross-site", origin: "null" }),
    ];
    for (const page of attempts) {
      expect(page.status).toBe(403);
      expect(mainOf(page.body)).toContain("This page was open too long. Reload it and try again.");
    }
    expect((await server.ctx.db.slot.findUniqueOrThrow({ where: { id: publication.slots[0]!.id } })).status).toBe(
      "open",
    );
    const declined = await performer.submitForm(path);
    expect([declined.status, declined.headers.get("location")]).toEqual([
      303,
      `/portal/requests/${publication.slots[0]!.id}`,
    ]);
    expect((await server.ctx.db.slot.findUniqueOrThrow({ where: { id: publication.slots[0]!.id } })).status).toBe(
      "declined",
    );
  });

  test("someone else's consent or request looks exactly like one that does not exist", async () => {
    const { consentIds, publication } = await consentedPublication(server, platform);
    const other = await newPerformer(server).onboard(freshIdentity("adult"));
    const pages = [
      await other.page(`/portal/consents/${consentIds[0]}`),
      await other.page(`/portal/consents/${randomUUID()}`),
      await other.page(`/portal/consents/${consentIds[0]}/revoke`),
      await other.page(`/portal/requests/${publication.slots[0]!.id}`),
      await other.page(`/portal/requests/${randomUUID()}`),
      await other.page("/portal/consents/not-a-uuid"),
    ];
    for (const page of pages) {
      expect(page.status).toBe(404);
      expect(mainOf(page.body)).toBe(mainOf(pages[0]!.body));
    }
  });

  test("logging out ends the session", async () => {
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    expect((await performer.page("/portal")).status).toBe(200);
    const out = await performer.submitForm("/portal/logout");
    expect([out.status, out.headers.get("location")]).toEqual([303, "/portal/login"]);
    expect((await performer.page("/portal")).headers.get("location")).toBe("/portal/login");
  });
});

describe("the dashboard's data", () => {
  test("groups every request and consent by platform, with status and the takedown after a withdrawal", async () => {
    const other = await TestPlatform.create(server, "Another platform");
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    const answer = async (p: TestPlatform, sign: boolean) => {
      const publication = await p.publish({ slots: [{ role: "uploader" }] });
      await performer.acceptInvitation(publication.invitations[0]!.url);
      if (!sign) return { publication, consentId: null };
      return { publication, consentId: (await performer.consent(publication.slots[0]!.id)).body.consentId as string };
    };
    const active = await answer(platform, true);
    const withdrawn = await answer(platform, true);
    const pending = await answer(other, false);
    const declined = await answer(other, false);
    await performer.api("POST", `/requests/${declined.publication.slots[0]!.id}/decline`);
    await performer.revoke(withdrawn.consentId!);

    const overview = (await performer.api("GET", "/overview")).body;
    expect(overview.groups.map((g: any) => g.platform.name)).toEqual(["Another platform", "Pages platform"]);
    const items = overview.groups.flatMap((g: any) => g.items);
    const item = (slotId: string) => items.find((i: any) => i.slotId === slotId);
    expect(item(active.publication.slots[0]!.id)).toMatchObject({ status: "active", takedown: null });
    expect(item(pending.publication.slots[0]!.id)).toMatchObject({ status: "pending", consentId: null });
    expect(item(declined.publication.slots[0]!.id)).toMatchObject({ status: "declined" });
    const takedown = await server.ctx.db.takedown.findFirstOrThrow({
      where: { publicationId: withdrawn.publication.id },
    });
    expect(item(withdrawn.publication.slots[0]!.id)).toMatchObject({
      status: "revoked",
      revokedAt: expect.any(String),
      takedown: { state: "requested", takedownId: takedown.id, overdue: false },
    });
    expect(overview.counts).toMatchObject({ active: 1, revoked: 1, pending: 1, declined: 1 });

    // Removed at the moment it was requested: the earliest the platform may say (422 before it).
    const removedAt = takedown.requestedAt;
    const ack = await platform.request("POST", `/v1/takedowns/${takedown.id}/ack`, {
      removedAt: removedAt.toISOString(),
    });
    expect(ack.status).toBe(200);
    const after = (await performer.api("GET", `/consents/${withdrawn.consentId}`)).body;
    expect(after.takedown).toMatchObject({ state: "removed", removedAt: removedAt.toISOString(), onTime: true });
    const dashboard = await performer.page("/portal");
    expect(mainOf(dashboard.body)).toContain("Removed: Pages platform confirmed on");
  });

  test("a consent withdrawn before its publication was complete: nothing was published", async () => {
    const { performers, consentIds } = await consentedPublication(server, platform, { slots: 2, signed: 1 });
    await performers[0]!.revoke(consentIds[0]!);
    const detail = (await performers[0]!.api("GET", `/consents/${consentIds[0]}`)).body;
    expect(detail.takedown).toEqual({ state: "not_published" });
  });
});

describe("my data", () => {
  test("the export holds the performer's consents with evidence and receipts, and their log entries, and nobody else's", async () => {
    const { performers, consentIds } = await consentedPublication(server, platform, { slots: 2 });
    const [me, other] = performers;
    const download = await me!.page("/portal/data/export");
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(
      /^attachment; filename="vergewis-prf_[\w-]+-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const data = JSON.parse(download.body);
    const pseudonym = (await me!.session()).body.performer.pseudonym;
    expect(data).toMatchObject({
      format: "vergewis.performer-export.v1",
      issuer: server.url,
      performer: { pseudonym },
      ageVerifications: [{ over18: true, sealedIdentity: { jwe: expect.stringMatching(/^ey/) } }],
      passkeys: [{ credentialId: expect.any(String), publicKey: expect.any(String) }],
    });
    expect(data.consents.map((c: any) => c.id)).toEqual([consentIds[0]]);
    expect(data.requests).toHaveLength(1);
    const jwks = await (await fetch(data.verification.jwks)).json();
    const receipt = await verifyConsentReceipt(data.consents[0].receipt, jwks, {
      issuer: server.url,
      platformId: platform.id,
    });
    expect(receipt.consentId).toBe(consentIds[0]);
    await expect(
      verifyConsentSignature(data.consents[0].evidence, { expectedOrigin: server.url, expectedRpId: "localhost" }),
    ).resolves.toMatchObject({ documentHash: data.consents[0].documentHash });
    expect(data.auditEvents.map((e: any) => e.type)).toEqual(
      expect.arrayContaining(["identity.verified", "passkey.registered", "invitation.accepted", "consent.signed"]),
    );
    // Entries of no platform name the performer by their own pseudonym; the platform's name them by
    // the pairwise one the platform knows them by (the receipt's): the export holds both.
    const named = (type: string) =>
      data.auditEvents.filter((e: any) => e.type === type).map((e: any) => JSON.parse(e.entry).performer);
    expect(named("identity.verified")).toEqual([pseudonym]);
    expect(named("consent.signed")).toEqual([receipt.performer]);
    expect(receipt.performer).not.toBe(pseudonym);
    for (const event of data.auditEvents)
      expect([pseudonym, receipt.performer]).toContain(JSON.parse(event.entry).performer);
    const otherPseudonym = (await other!.session()).body.performer.pseudonym;
    const otherPairwise = await server.ctx.db.platformPseudonym.findMany({
      where: { performer: { pseudonym: otherPseudonym } },
    });
    expect(otherPairwise).toHaveLength(1);
    for (const name of [otherPseudonym, ...otherPairwise.map((p) => p.pseudonym)])
      expect(download.body).not.toContain(name);
    expect(download.body).not.toContain(consentIds[1]);
  });
});

describe("rate limits", () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ rateLimits: { invitations: 3 } });
  });
  afterAll(() => limited?.close());

  test("typed codes are limited per client like invitation links, with a page in the reader's language", async () => {
    const visitor = newPerformer(limited);
    await visitor.session();
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await visitor.submitForm("/portal/invitation", { code: "WRONG" })).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const dutch = await visitor.submitForm("/portal/invitation", { code: "WRONG" }, { "accept-language": "nl" });
    expect(dutch.status).toBe(429);
    expect(mainOf(dutch.body)).toContain("Te veel pogingen. Wacht een minuut en probeer het opnieuw.");
  });
});
