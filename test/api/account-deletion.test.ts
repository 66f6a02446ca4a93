import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { canonicalJson, documentChallenge, verifyConsentSignature } from "@vergewis/sdk";
import type { TestPerformer } from "../support/performer.ts";
import { TestPlatform } from "../support/platform.ts";
import { dumpDatabase, freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

// Deleting an account (docs/portal.md §6): one passkey signature over a deletion document that
// names every active consent and open request; each consent is revoked with that evidence, each
// request declined; then personal data is erased and only pseudonymous records stay.

let server: TestServer;
let platform: TestPlatform;

beforeAll(async () => {
  server = await startPortalServer();
  platform = await TestPlatform.create(server, "Deletion platform");
});
afterAll(() => server?.close());

/** A performer with a consent to published content, a consent to pending content and an open request. */
async function performerWithHistory(identity = freshIdentity("adult")) {
  const performer = await newPerformer(server).onboard(identity);
  const solo = await platform.publish({ slots: [{ role: "uploader", contact: "me@example.test" }] });
  const duo = await platform.publish();
  const open = await platform.publish({ slots: [{ role: "co-performer", contact: "me+2@example.test" }] });
  const consents: string[] = [];
  for (const publication of [solo, duo]) {
    expect((await performer.acceptInvitation(publication.invitations[0]!.url)).status).toBe(200);
    const signed = await performer.consent(publication.slots[0]!.id);
    expect(signed.status).toBe(201);
    consents.push(signed.body.consentId);
  }
  expect((await performer.acceptInvitation(open.invitations[0]!.url)).status).toBe(200);
  const me = await server.ctx.db.performer.findFirstOrThrow({
    where: { pseudonym: (await performer.session()).body.performer.pseudonym },
  });
  return { performer, me, solo, duo, open, consents };
}

const state = async (performerId: string) => ({
  performer: await server.ctx.db.performer.findUniqueOrThrow({ where: { id: performerId } }),
  consents: await server.ctx.db.consent.findMany({ where: { performerId }, orderBy: { id: "asc" } }),
  passkeys: await server.ctx.db.passkey.count({ where: { performerId } }),
  sessions: await server.ctx.db.portalSession.count({ where: { performerId } }),
  attestations: await server.ctx.db.ageAttestation.findMany({ where: { performerId } }),
});

describe("deleting an account", () => {
  test("revokes every active consent and declines open requests with one signature, then erases personal data", async () => {
    const { performer, me, solo, duo, open, consents } = await performerWithHistory();
    const before = await state(me.id);
    expect(before.attestations[0]!.sealedIdentity).toEqual(expect.any(String));

    const res = await performer.deleteAccount();
    expect(res.status).toBe(200);
    const document = res.options.document;
    expect(document).toMatchObject({
      type: "vergewis.account-deletion.v1",
      performer: me.pseudonym,
      revokes: consents.map((id) => ({ id, documentHash: expect.any(String) })),
      declines: [{ slotId: open.slots[0]!.id }],
    });
    expect(res.body).toMatchObject({
      revoked: [
        { consentId: consents[0], publication: { id: solo.id, status: "takedown_required" } },
        { consentId: consents[1], publication: { id: duo.id, status: "declined" } },
      ],
      declined: [open.slots[0]!.id],
    });
    expect(res.headers.getSetCookie().join()).toMatch(/vgw_session=;/);

    const after = await state(me.id);
    expect(after.performer).toMatchObject({ pseudonym: me.pseudonym, subjectHash: null, deletedAt: expect.any(Date) });
    expect(Buffer.from(after.performer.webauthnUserId).equals(Buffer.from(me.webauthnUserId))).toBe(false);
    expect(after.passkeys).toBe(0);
    expect(after.sessions).toBe(0);
    // The proof that an adult consented stays; what identifies the person goes.
    expect(after.attestations[0]).toMatchObject({
      over18: true,
      acr: before.attestations[0]!.acr,
      subjectHash: null,
      sealedIdentity: null,
      escrowKid: null,
    });
    const slots = await server.ctx.db.slot.findMany({ where: { performerId: me.id } });
    expect(slots.map((s) => s.contact)).toEqual([null, null, null]);
    expect(slots.find((s) => s.id === open.slots[0]!.id)!.status).toBe("declined");
    const dump = await dumpDatabase(server);
    expect(dump).not.toContain(before.attestations[0]!.sealedIdentity!);
    expect(dump).not.toContain("me@example.test");
    expect(dump).not.toContain(before.attestations[0]!.subjectHash);

    // Each revocation keeps the signed deletion document as its evidence, checkable offline.
    const deletionHash = documentChallenge(canonicalJson(document));
    for (const consent of after.consents) {
      expect(consent.status).toBe("revoked");
      const revocation = consent.revocation as { document: string; documentHash: string; evidence: object };
      expect(revocation.documentHash).toBe(deletionHash);
      await expect(
        verifyConsentSignature({ ...(revocation.evidence as object), document: revocation.document } as never, {
          expectedOrigin: server.url,
          expectedRpId: "localhost",
        }),
      ).resolves.toMatchObject({ documentHash: deletionHash });
    }
    const takedown = await server.ctx.db.takedown.findFirstOrThrow({ where: { publicationId: solo.id } });
    expect(takedown).toMatchObject({ reason: "revocation", consentId: consents[0] });
    expect((await platform.request<{ status: string }>("GET", `/v1/publications/${open.id}`)).body.status).toBe(
      "declined",
    );

    // Under the performer's own pseudonym and the pairwise one the platform knows them by.
    const pairwise = (await server.ctx.db.platformPseudonym.findMany({ where: { performerId: me.id } })).map(
      (p) => p.pseudonym,
    );
    const events = await server.ctx.db.auditEvent.findMany({
      where: { performerPseudonym: { in: [me.pseudonym, ...pairwise] } },
      orderBy: { index: "asc" },
    });
    const deleted = events.at(-1)!;
    expect(deleted.type).toBe("account.deleted");
    expect(JSON.parse(deleted.entry).data).toEqual({
      deletionHash,
      passkeyId: expect.any(String),
      revokedConsents: consents,
      declinedSlots: [open.slots[0]!.id],
      erased: { attestations: 1, passkeys: 1, sessions: 1, contacts: 2 },
    });
    const revokedEvents = events.filter((e) => e.type === "consent.revoked").map((e) => JSON.parse(e.entry).data);
    expect(revokedEvents.map((d) => d.revocationHash)).toEqual([deletionHash, deletionHash]);

    // The account is gone: the session, the passkey; the identity makes a new account.
    expect((await performer.api("GET", "/consents")).status).toBe(401);
    await performer.session();
    const login = await performer.login();
    expect(login.body.code).toBe("login_failed");
  });

  test("the same identity afterwards starts a new account under a new pseudonym", async () => {
    const identity = freshIdentity("adult");
    const { performer, me } = await performerWithHistory(identity);
    expect((await performer.deleteAccount()).status).toBe(200);
    const again = await newPerformer(server).onboard(identity);
    const session = await again.session();
    expect(session.body.performer.pseudonym).not.toBe(me.pseudonym);
    expect((await again.api("GET", "/consents")).body.items).toEqual([]);
  });

  test("a document that no longer matches the account is refused, and nothing changes", async () => {
    const { performer, me } = await performerWithHistory();
    const options = await performer.api("POST", "/account/deletion/options");
    // Meanwhile another consent is given: the signed document would not revoke it.
    const extra = await platform.publish({ slots: [{ role: "uploader" }] });
    await performer.acceptInvitation(extra.invitations[0]!.url);
    expect((await performer.consent(extra.slots[0]!.id)).status).toBe(201);
    const stale = await performer.api("POST", "/account/deletion", {
      document: options.body.document,
      response: performer.authenticator.authenticate(options.body.options),
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "document_mismatch" });
    await expectUntouched(performer, me.id, 3);
  });

  test.each([
    [
      "a consent left out of the signed document",
      (d: any) => ({ ...d, revokes: d.revokes.slice(1) }),
      "signature_invalid",
      400,
    ],
    [
      "another performer named",
      (d: any) => ({ ...d, performer: "prf_AAAAAAAAAAAAAAAAAAAAAA" }),
      "signature_invalid",
      400,
    ],
  ])("%s: refused, nothing changes", async (_name, tamper, code, status) => {
    const { performer, me } = await performerWithHistory();
    const res = await performer.deleteAccount({ document: tamper });
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    await expectUntouched(performer, me.id, 2);
  });

  test("a signature without user verification, or one for a revocation, does not delete", async () => {
    const { performer, me, consents } = await performerWithHistory();
    const unverified = await performer.deleteAccount({ assertion: { userVerified: false } });
    expect(unverified.body.code).toBe("signature_invalid");
    // The challenge of another ceremony (a revocation) cannot be spent on a deletion.
    const revocation = await performer.api("POST", `/consents/${consents[0]}/revocation/options`);
    const deletion = await performer.api("POST", "/account/deletion/options");
    const crossed = await performer.api("POST", "/account/deletion", {
      document: deletion.body.document,
      response: performer.authenticator.authenticate(revocation.body.options),
    });
    expect(crossed.status).toBe(400);
    expect(crossed.body.code).toBe("challenge_invalid");
    await expectUntouched(performer, me.id, 2);
  });

  test("without the CSRF token, or from another origin, nothing happens", async () => {
    const { performer, me } = await performerWithHistory();
    const options = await performer.api("POST", "/account/deletion/options");
    const body = {
      document: options.body.document,
      response: performer.authenticator.authenticate(options.body.options),
    };
    const token = performer.csrfToken;
    performer.csrfToken = "";
    expect((await performer.api("POST", "/account/deletion", body)).body.code).toBe("csrf_token_invalid");
    performer.csrfToken = token;
    const foreign = await performer.api("POST", "/account/deletion", body, { origin: "https://evil.example" });
    expect(foreign.body.code).toBe("cross_origin_request");
    await expectUntouched(performer, me.id, 2);
  });
});

async function expectUntouched(performer: TestPerformer, performerId: string, activeConsents: number) {
  const now = await state(performerId);
  expect(now.performer.deletedAt).toBeNull();
  expect(now.performer.subjectHash).not.toBeNull();
  expect(now.passkeys).toBe(1);
  expect(now.consents.filter((c) => c.status === "active")).toHaveLength(activeConsents);
  expect(now.attestations[0]!.sealedIdentity).not.toBeNull();
  expect((await performer.api("GET", "/consents")).status).toBe(200);
  expect(
    await server.ctx.db.auditEvent.count({
      where: { type: "account.deleted", performerPseudonym: now.performer.pseudonym },
    }),
  ).toBe(0);
}
