import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pairwisePseudonym } from "../../packages/server/src/identity/pairwise.ts";
import type { CreatedPublication } from "@vergewis/sdk";
import { SoftwareAuthenticator } from "../support/authenticator.ts";
import { hex64 } from "../support/fixtures.ts";
import type { TestPerformer } from "../support/performer.ts";
import { TestPlatform } from "../support/platform.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
let platform: TestPlatform;

beforeAll(async () => {
  server = await startPortalServer();
  platform = await TestPlatform.create(server, "Signing platform");
});
afterAll(() => server?.close());

/** A publication with one slot, claimed by a freshly onboarded performer. */
async function invited(
  slots = 1,
): Promise<{ publication: CreatedPublication; performer: TestPerformer; slotId: string }> {
  const publication = await platform.publish({
    slots: Array.from({ length: slots }, (_, i) => ({ role: i === 0 ? "uploader" : "co-performer" })),
  });
  const performer = await newPerformer(server).onboard(freshIdentity("adult"));
  expect((await performer.acceptInvitation(publication.invitations[0]!.url)).status).toBe(200);
  return { publication, performer, slotId: publication.slots[0]!.id };
}

/** Nothing was stored: no consent, the slot still open, the publication still pending. */
async function expectNothingStored(publicationId: string) {
  expect(await server.ctx.db.consent.count({ where: { publicationId } })).toBe(0);
  const publication = await server.ctx.db.publication.findUniqueOrThrow({
    where: { id: publicationId },
    include: { slots: true },
  });
  expect(publication.status).toBe("pending");
  expect(publication.slots.every((s) => s.status === "open")).toBe(true);
}

describe("the consent document", () => {
  test("names the publication, content, platform, scope, performer, time and nonce; its hash is the challenge", async () => {
    const { publication, performer, slotId } = await invited();
    const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
    expect(options.status).toBe(200);
    const { document, documentHash } = options.body;
    const own = (await performer.api("GET", "/session")).body.performer.pseudonym;
    const me = await server.ctx.db.performer.findUniqueOrThrow({ where: { pseudonym: own } });
    expect(document).toMatchObject({
      type: "vergewis.consent.v1",
      issuer: server.url,
      publication: {
        id: publication.id,
        externalId: publication.externalId,
        title: publication.title,
        producedAt: publication.producedAt,
      },
      platform: { id: platform.id, name: "Signing platform" },
      slot: { id: slotId, role: "uploader" },
      contentFingerprints: publication.contentFingerprints,
      scope: publication.scope,
      // The pseudonym this platform knows the performer by (identity/pairwise.ts), not their own.
      performer: pairwisePseudonym(server.ctx.secret, platform.id, me.id),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    expect(options.body.options.challenge).toBe(documentHash);
    expect(options.body.options.userVerification).toBe("required");
    expect(options.body.options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([
      ...performer.authenticator.credentials.keys(),
    ]);
  });

  test("the stored evidence is the document, credential, COSE key, authenticator data, client data, signature and flags", async () => {
    const { performer, slotId } = await invited();
    const res = await performer.consent(slotId);
    expect(res.status).toBe(201);
    const consent = await server.ctx.db.consent.findUniqueOrThrow({ where: { id: res.body.consentId } });
    expect(JSON.parse(consent.document)).toEqual(res.options.document);
    expect(consent.documentHash).toBe(res.options.documentHash);
    expect(consent.evidence).toMatchObject({
      credentialId: [...performer.authenticator.credentials.keys()][0],
      publicKey: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      authenticatorData: expect.any(String),
      clientDataJSON: expect.any(String),
      signature: expect.any(String),
      rpId: "localhost",
      origin: server.url,
      flags: { userPresent: true, userVerified: true, backupEligible: true, backedUp: true },
    });
  });
});

describe("refused signatures leave nothing behind", () => {
  test("a tampered document (wider scope) is refused", async () => {
    const { publication, performer, slotId } = await invited();
    const res = await performer.consent(slotId, {
      document: (d) => ({ ...d, scope: { ...d.scope, purposes: ["promote", "publish", "syndicate"] } }),
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("signature_invalid");
    await expectNothingStored(publication.id);
  });

  test("a tampered signature is refused", async () => {
    const { publication, performer, slotId } = await invited();
    const res = await performer.consent(slotId, { assertion: { corruptSignature: true } });
    expect(res.body.code).toBe("signature_invalid");
    await expectNothingStored(publication.id);
  });

  test("a signature over another challenge is refused", async () => {
    const { publication, performer, slotId } = await invited();
    const res = await performer.consent(slotId, {
      assertion: { challenge: "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg" },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("challenge_invalid");
    await expectNothingStored(publication.id);
  });

  test("a valid signature in a non-canonical DER encoding is refused: stored evidence must verify offline", async () => {
    const { publication, performer, slotId } = await invited();
    const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
    const response = performer.authenticator.authenticate(options.body.options);
    const der = Buffer.from(response.response.signature, "base64url");
    response.response.signature = Buffer.concat([Uint8Array.of(0x30, 0x81, der[1]!), der.subarray(2)]).toString(
      "base64url",
    );
    const res = await performer.api("POST", `/requests/${slotId}/consent`, {
      document: options.body.document,
      response,
    });
    expect(res.body.code).toBe("signature_invalid");
    await expectNothingStored(publication.id);
  });

  test("an assertion without user verification is refused", async () => {
    const { publication, performer, slotId } = await invited();
    const res = await performer.consent(slotId, { assertion: { userVerified: false } });
    expect(res.body.code).toBe("signature_invalid");
    await expectNothingStored(publication.id);
  });

  test("an assertion from another origin is refused", async () => {
    const { publication, performer, slotId } = await invited();
    const res = await performer.consent(slotId, { assertion: { origin: "https://evil.example" } });
    expect(res.body.code).toBe("signature_invalid");
    await expectNothingStored(publication.id);
  });

  test("an expired challenge is refused", async () => {
    const { publication, performer, slotId } = await invited();
    const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
    await server.ctx.db.webAuthnChallenge.updateMany({
      where: { challenge: options.body.documentHash },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    const response = performer.authenticator.authenticate(options.body.options);
    const res = await performer.api("POST", `/requests/${slotId}/consent`, {
      document: options.body.document,
      response,
    });
    expect(res.body.code).toBe("challenge_invalid");
    await expectNothingStored(publication.id);
  });

  test("a challenge is used once, even when the first attempt failed", async () => {
    const { publication, performer, slotId } = await invited();
    const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
    const bad = performer.authenticator.authenticate(options.body.options, { corruptSignature: true });
    expect(
      (await performer.api("POST", `/requests/${slotId}/consent`, { document: options.body.document, response: bad }))
        .body.code,
    ).toBe("signature_invalid");
    const good = performer.authenticator.authenticate(options.body.options);
    const retry = await performer.api("POST", `/requests/${slotId}/consent`, {
      document: options.body.document,
      response: good,
    });
    expect(retry.body.code).toBe("challenge_invalid");
    await expectNothingStored(publication.id);
  });

  test("a signature from another passkey of another performer is refused", async () => {
    const { publication, performer, slotId } = await invited();
    const mallory = new SoftwareAuthenticator({ origin: server.url });
    const other = await newPerformer(server).onboard(freshIdentity("adult"));
    mallory.credentials.set(...[...other.authenticator.credentials.entries()][0]!);
    const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
    const response = mallory.authenticate(options.body.options, { credentialId: [...mallory.credentials.keys()][0]! });
    const res = await performer.api("POST", `/requests/${slotId}/consent`, {
      document: options.body.document,
      response,
    });
    expect(res.body.code).toBe("signature_invalid");
    await expectNothingStored(publication.id);
  });

  test("a request not addressed to the performer is not found", async () => {
    const { publication, slotId } = await invited();
    const stranger = await newPerformer(server).onboard(freshIdentity("adult"));
    const res = await stranger.api("POST", `/requests/${slotId}/consent/options`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("request_not_found");
    const unclaimed = await stranger.api("POST", `/requests/${publication.slots[0]!.id}/decline`);
    expect(unclaimed.status).toBe(404);
    await expectNothingStored(publication.id);
  });

  test("a document signed for one request is refused at another (409)", async () => {
    const a = await invited();
    const b = await platform.publish();
    expect((await a.performer.acceptInvitation(b.invitations[0]!.url)).status).toBe(200);
    const res = await a.performer.consent(a.slotId, { path: `/requests/${b.slots[0]!.id}/consent` });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("document_mismatch");
    await expectNothingStored(a.publication.id);
    await expectNothingStored(b.id);
  });

  test("a document that no longer matches the publication (content changed meanwhile) is refused (409)", async () => {
    const { publication, performer, slotId } = await invited();
    const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
    await server.ctx.db.contentFingerprint.updateMany({
      where: { publicationId: publication.id },
      data: { value: hex64() },
    });
    const response = performer.authenticator.authenticate(options.body.options);
    const res = await performer.api("POST", `/requests/${slotId}/consent`, {
      document: options.body.document,
      response,
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: "document_mismatch",
      detail: expect.stringContaining("contentFingerprints"),
    });
    await expectNothingStored(publication.id);
  });

  test("names every content item as viewed and verified; a signed document that leaves one out is refused (422) and nothing is stored", async () => {
    const contentFingerprints = [
      { alg: "sha-256" as const, value: hex64() },
      { alg: "sha-256" as const, value: hex64() },
    ];
    const publication = await platform.publish({ contentFingerprints, slots: [{ role: "uploader" }] });
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    expect((await performer.acceptInvitation(publication.invitations[0]!.url)).status).toBe(200);
    const slotId = publication.slots[0]!.id;
    const [first, second] = contentFingerprints.map((f) => f.value) as [string, string];

    const all = await performer.api("POST", `/requests/${slotId}/consent/options`, { verified: [first, second] });
    expect(all.body.document.reviewedItems).toEqual([
      { sha256: first, verified: true },
      { sha256: second, verified: true },
    ]);

    // The browser checked only the first item; the passkey signs exactly that.
    const partial = await performer.api("POST", `/requests/${slotId}/consent/options`, { verified: [first] });
    expect(partial.body.document.reviewedItems).toEqual([{ sha256: first, verified: true }]);
    const res = await performer.api("POST", `/requests/${slotId}/consent`, {
      document: partial.body.document,
      response: performer.authenticator.authenticate(partial.body.options),
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "item_not_verified", detail: expect.stringContaining(second) });
    await expectNothingStored(publication.id);
  });

  test("an options body that names no sha-256 is refused", async () => {
    const { performer, slotId } = await invited();
    const res = await performer.api("POST", `/requests/${slotId}/consent/options`, { verified: ["not-a-hash"] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ pointer: "/body/verified/0", reason: "must be a lower-case sha-256 in hex" }]);
  });

  test("a document that is not a consent document is refused", async () => {
    const { performer, slotId } = await invited();
    const res = await performer.api("POST", `/requests/${slotId}/consent`, {
      document: { type: "x" },
      response: { id: "a" },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_request");
  });

  test("without the CSRF token nothing is signed", async () => {
    const { performer, slotId } = await invited();
    const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
    const response = performer.authenticator.authenticate(options.body.options);
    const res = await performer.api(
      "POST",
      `/requests/${slotId}/consent`,
      { document: options.body.document, response },
      { "x-csrf-token": "forged" },
    );
    expect(res.body.code).toBe("csrf_token_invalid");
  });
});

describe("who may sign, and when", () => {
  test("an attestation older than the configured age must be renewed first", async () => {
    const { publication, performer, slotId } = await invited();
    const { pseudonym } = (await performer.api("GET", "/session")).body.performer;
    await server.ctx.db.ageAttestation.updateMany({
      where: { performer: { pseudonym } },
      data: { verifiedAt: new Date(Date.now() - 366 * 86_400_000) },
    });
    expect((await performer.api("GET", "/session")).body.performer.ageVerification.fresh).toBe(false);
    const res = await performer.api("POST", `/requests/${slotId}/consent/options`);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("age_verification_expired");
    await expectNothingStored(publication.id);
  });

  test("an attestation that expires between options and signature is caught at signing", async () => {
    const { publication, performer, slotId } = await invited();
    const { pseudonym } = (await performer.api("GET", "/session")).body.performer;
    const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
    await server.ctx.db.ageAttestation.updateMany({
      where: { performer: { pseudonym } },
      data: { verifiedAt: new Date(0) },
    });
    const response = performer.authenticator.authenticate(options.body.options);
    const res = await performer.api("POST", `/requests/${slotId}/consent`, {
      document: options.body.document,
      response,
    });
    expect(res.body.code).toBe("age_verification_expired");
    await expectNothingStored(publication.id);
  });

  test("a declined publication takes no consent", async () => {
    const { publication, performer, slotId } = await invited(2);
    const other = await newPerformer(server).onboard(freshIdentity("adult"));
    await other.acceptInvitation(publication.invitations[1]!.url);
    const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
    expect((await other.api("POST", `/requests/${publication.slots[1]!.id}/decline`)).status).toBe(200);
    const response = performer.authenticator.authenticate(options.body.options);
    const res = await performer.api("POST", `/requests/${slotId}/consent`, {
      document: options.body.document,
      response,
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("publication_not_pending");
  });

  test("a slot is answered once", async () => {
    const { performer, slotId } = await invited(2);
    expect((await performer.consent(slotId)).status).toBe(201);
    const again = await performer.api("POST", `/requests/${slotId}/consent/options`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("slot_not_open");
  });

  test("the last consents, signed at once, clear the publication once, with every receipt", async () => {
    const { publication, performer, slotId } = await invited(3);
    const others = await Promise.all(
      [1, 2].map(async (i) => {
        const other = await newPerformer(server).onboard(freshIdentity("adult"));
        await other.acceptInvitation(publication.invitations[i]!.url);
        return { performer: other, slotId: publication.slots[i]!.id };
      }),
    );
    expect((await performer.consent(slotId)).status).toBe(201);
    // Both documents are prepared first, so that the two signatures race for the publication.
    const prepared = await Promise.all(
      others.map(async ({ performer: other, slotId: id }) => {
        const options = await other.api("POST", `/requests/${id}/consent/options`);
        const response = other.authenticator.authenticate(options.body.options);
        return () => other.api("POST", `/requests/${id}/consent`, { document: options.body.document, response });
      }),
    );
    const results = await Promise.all(prepared.map((sign) => sign()));
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.body.publication.status).sort()).toEqual(["cleared", "pending"]);
    const db = server.ctx.db;
    expect((await db.publication.findUniqueOrThrow({ where: { id: publication.id } })).status).toBe("cleared");
    const events = await db.auditEvent.findMany({
      where: { publicationId: publication.id },
      orderBy: { index: "asc" },
    });
    expect(events.map((e) => e.type).filter((t) => t !== "invitation.accepted")).toEqual([
      "publication.requested",
      "invitation.mail_sent",
      "invitation.mail_sent",
      "consent.signed",
      "consent.signed",
      "consent.signed",
      "publication.cleared",
    ]);
    const cleared = await db.outboxMessage.findMany({
      where: { platformId: platform.id, type: "publication.cleared" },
      select: { payload: true },
    });
    const mine = cleared.filter((m) => (m.payload as { publicationId: string }).publicationId === publication.id);
    expect(mine).toHaveLength(1);
    const receipts = (await db.consent.findMany({ where: { publicationId: publication.id } })).map((c) => c.receipt);
    expect(
      (mine[0]!.payload as { consents: Array<{ receipt: string }> }).consents.map((c) => c.receipt).sort(),
    ).toEqual(receipts.sort());
  });

  test("one request signed at once with two passkeys gets one consent; the other is refused (409)", async () => {
    const { publication, performer, slotId } = await invited(2);
    expect((await performer.registerPasskey()).status).toBe(201);
    const prepared = [];
    for (const credentialId of performer.authenticator.credentials.keys()) {
      const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
      const response = performer.authenticator.authenticate(options.body.options, { credentialId });
      const body = { document: options.body.document, response };
      prepared.push(() => performer.api("POST", `/requests/${slotId}/consent`, body));
    }
    const results = await Promise.all(prepared.map((sign) => sign()));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe("slot_not_open");
    expect(await server.ctx.db.consent.count({ where: { publicationId: publication.id } })).toBe(1);
  });

  test("an expired invitation takes no consent", async () => {
    const { performer, slotId } = await invited();
    await server.ctx.db.slot.update({ where: { id: slotId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await performer.api("POST", `/requests/${slotId}/consent/options`);
    expect(res.status).toBe(410);
    expect(res.body.code).toBe("invitation_expired");
  });
});

describe("declining", () => {
  test("a decline is recorded and declines the publication; the platform is told", async () => {
    const { publication, performer, slotId } = await invited(2);
    const res = await performer.api("POST", `/requests/${slotId}/decline`);
    expect(res.body).toEqual({ publication: { id: publication.id, status: "declined" } });
    const read = await platform.request<{ status: string; slots: Array<{ status: string }> }>(
      "GET",
      `/v1/publications/${publication.id}`,
    );
    expect(read.body.status).toBe("declined");
    expect(read.body.slots[0]!.status).toBe("declined");
    const events = await server.ctx.db.auditEvent.findMany({
      where: { publicationId: publication.id, type: "publication.declined" },
    });
    expect(events).toHaveLength(1);
    const outbox = await server.ctx.db.outboxMessage.findMany({ where: { type: "publication.declined" } });
    expect(outbox.some((m) => (m.payload as { publicationId: string }).publicationId === publication.id)).toBe(true);
    const again = await performer.api("POST", `/requests/${slotId}/decline`);
    expect(again.status).toBe(409);
  });
});

describe("invitations", () => {
  test("unknown, malformed, expired and taken codes all give the same answer", async () => {
    const taken = await invited();
    const expired = await platform.publish();
    await server.ctx.db.slot.updateMany({
      where: { publicationId: expired.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    const answers = [];
    for (const code of [
      "0000-0000-0000-0000-0000-0000-00",
      "not a code",
      expired.invitations[0]!.code,
      taken.publication.invitations[0]!.code,
    ]) {
      const res = await performer.api("POST", "/invitations/claim", { code });
      answers.push([res.status, res.body.code, res.body.detail]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual([404, "invitation_invalid", expect.any(String)]);
    const link = await performer.browser.request(taken.publication.invitations[0]!.url);
    expect(link.status).toBe(404);
    expect(link.headers.get("content-type")).toMatch(/^text\/html/);
  });

  test("a typed code works as well as the link, in any case and grouping", async () => {
    const publication = await platform.publish();
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    const code = publication.invitations[0]!.code.toLowerCase().replaceAll("-", " ");
    const res = await performer.api("POST", "/invitations/claim", { code });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      slotId: publication.slots[0]!.id,
      status: "open",
      platform: { name: "Signing platform" },
    });
  });

  test("the link remembers the invitation across age verification, and nothing is bound until accepted", async () => {
    const publication = await platform.publish();
    const performer = newPerformer(server);
    const link = await performer.browser.request(publication.invitations[0]!.url);
    expect(link.status).toBe(303);
    expect(link.headers.get("location")).toBe("/portal/invitation");
    await performer.session();
    expect((await performer.api("GET", "/invitation")).body).toMatchObject({
      role: "uploader",
      platform: { name: "Signing platform" },
    });
    await performer.verifyAge(freshIdentity("adult"));
    expect(
      (await server.ctx.db.slot.findUniqueOrThrow({ where: { id: publication.slots[0]!.id } })).performerId,
    ).toBeNull();
    const claim = await performer.api("POST", "/invitations/claim", {});
    expect(claim.status).toBe(200);
    expect((await performer.api("GET", "/requests")).body.items.map((r: { slotId: string }) => r.slotId)).toEqual([
      publication.slots[0]!.id,
    ]);
  });

  test("one person takes one slot of a publication", async () => {
    const publication = await platform.publish();
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    expect((await performer.acceptInvitation(publication.invitations[0]!.url)).status).toBe(200);
    const second = await performer.acceptInvitation(publication.invitations[1]!.url);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("already_in_publication");
  });

  test("the invitation code never reaches the logs", async () => {
    const publication = await platform.publish();
    await newPerformer(server).browser.request(publication.invitations[0]!.url);
    const code = publication.invitations[0]!.url.split("/").at(-1)!;
    expect(JSON.stringify(server.logs)).not.toContain(code);
  });
});
