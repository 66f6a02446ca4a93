import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isRevoked, StatusListCache, verifyConsentSignature } from "@vergewis/sdk";
import { consentedPublication } from "../support/consented.ts";
import { TestPlatform } from "../support/platform.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
let platform: TestPlatform;

beforeAll(async () => {
  server = await startPortalServer();
  platform = await TestPlatform.create(server, "Revocation platform");
});
afterAll(() => server?.close());

const publicationOf = (id: string) =>
  server.ctx.db.publication.findUniqueOrThrow({ where: { id }, include: { takedowns: true } });

describe("revoking a consent to published content", () => {
  test("one transaction: consent revoked, publication takedown_required, takedown with SLA, status bit, audit, webhooks", async () => {
    const { publication, performers, consentIds, receipts } = await consentedPublication(server, platform, {
      slots: 2,
    });
    const [consentId] = consentIds;
    expect(await isRevoked(receipts[0]!, { cache: new StatusListCache() })).toBe(false);

    const res = await performers[0]!.revoke(consentId!);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      consentId,
      status: "revoked",
      publication: { id: publication.id, status: "takedown_required" },
      takedownId: expect.any(String),
    });

    const row = await publicationOf(publication.id);
    expect(row.status).toBe("takedown_required");
    expect(row.takedowns).toHaveLength(1);
    expect(row.takedowns[0]).toMatchObject({ reason: "revocation", consentId, acknowledgedAt: null });
    expect(row.takedowns[0]!.dueAt.getTime() - row.takedowns[0]!.requestedAt.getTime()).toBe(86_400_000);

    const consent = await server.ctx.db.consent.findUniqueOrThrow({ where: { id: consentId! } });
    expect(consent.status).toBe("revoked");
    expect(consent.revokedAt).not.toBeNull();
    // The status list says so, to anyone: a platform that missed the webhook still learns it.
    expect(await isRevoked(receipts[0]!, { cache: new StatusListCache() })).toBe(true);
    expect(await isRevoked(receipts[1]!, { cache: new StatusListCache() })).toBe(false);

    const events = await server.ctx.db.auditEvent.findMany({
      where: { publicationId: publication.id },
      orderBy: { index: "asc" },
    });
    expect(events.map((e) => e.type).slice(-2)).toEqual(["takedown.requested", "consent.revoked"]);
    const outbox = await server.ctx.db.outboxMessage.findMany({
      where: { platformId: platform.id },
      orderBy: { id: "asc" },
    });
    const mine = outbox.filter((m) => (m.payload as { publicationId: string }).publicationId === publication.id);
    expect(mine.map((m) => m.type)).toEqual(["publication.cleared", "takedown.requested", "consent.revoked"]);
    expect(mine[2]!.payload).toMatchObject({
      consentId,
      publicationStatus: "takedown_required",
      takedownId: res.body.takedownId,
    });

    const check = await platform.request<{ allowed: boolean; reason: string }>("POST", "/v1/check", {
      fingerprint: publication.contentFingerprints[0],
    });
    expect(check.body).toMatchObject({ allowed: false, reason: "revoked" });
  });

  test("the signed revocation is kept as evidence and verifies offline", async () => {
    const { performers, consentIds } = await consentedPublication(server, platform);
    await performers[0]!.revoke(consentIds[0]!);
    const record = await performers[0]!.api("GET", `/consents/${consentIds[0]}`);
    expect(record.body.status).toBe("revoked");
    expect(record.body.revocation.document).toMatchObject({
      type: "vergewis.revocation.v1",
      consent: { id: consentIds[0], documentHash: record.body.documentHash },
    });
    const verified = await verifyConsentSignature(record.body.revocation.evidence, { expectedOrigin: server.url });
    expect(verified.documentHash).toBe(record.body.revocation.documentHash);
  });

  test("revocation is final: a second revocation is refused", async () => {
    const { performers, consentIds } = await consentedPublication(server, platform);
    expect((await performers[0]!.revoke(consentIds[0]!)).status).toBe(200);
    const again = await performers[0]!.revoke(consentIds[0]!);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("consent_not_active");
  });

  test("a second revocation on a publication already being taken down joins the open takedown", async () => {
    const { publication, performers, consentIds } = await consentedPublication(server, platform, { slots: 2 });
    const first = await performers[0]!.revoke(consentIds[0]!);
    const second = await performers[1]!.revoke(consentIds[1]!);
    expect(second.body.takedownId).toBe(first.body.takedownId);
    expect((await publicationOf(publication.id)).takedowns).toHaveLength(1);
  });
});

describe("refused revocations change nothing", () => {
  test("a tampered revocation document, a bad signature, another performer", async () => {
    const { publication, performers, consentIds } = await consentedPublication(server, platform);
    const [performer] = performers;
    const tampered = await performer!.revoke(consentIds[0]!, {
      document: (d) => ({ ...d, consent: { ...d.consent, id: publication.id } }),
    });
    expect(tampered.status).toBe(400);
    expect(tampered.body.code).toBe("signature_invalid");
    const forged = await performer!.revoke(consentIds[0]!, { assertion: { corruptSignature: true } });
    expect(forged.body.code).toBe("signature_invalid");
    const stranger = await newPerformer(server).onboard(freshIdentity("adult"));
    const foreign = await stranger.revoke(consentIds[0]!);
    expect(foreign.status).toBe(404);
    const row = await publicationOf(publication.id);
    expect(row.status).toBe("cleared");
    expect(row.takedowns).toHaveLength(0);
    expect((await server.ctx.db.consent.findUniqueOrThrow({ where: { id: consentIds[0]! } })).status).toBe("active");
  });
});

describe("revoking before publication", () => {
  test("a consent to a still pending publication: nothing to take down, the publication is declined for good", async () => {
    const { publication, performers, consentIds, receipts } = await consentedPublication(server, platform, {
      slots: 2,
      signed: 1,
    });
    expect((await publicationOf(publication.id)).status).toBe("pending");
    const res = await performers[0]!.revoke(consentIds[0]!);
    expect(res.body).toMatchObject({ status: "revoked", publication: { status: "declined" }, takedownId: null });
    const row = await publicationOf(publication.id);
    expect(row.status).toBe("declined");
    expect(row.takedowns).toHaveLength(0);
    expect(await isRevoked(receipts[0]!, { cache: new StatusListCache() })).toBe(true);
    const outbox = (await server.ctx.db.outboxMessage.findMany({ where: { platformId: platform.id } })).filter(
      (m) => (m.payload as { publicationId: string }).publicationId === publication.id,
    );
    expect(outbox.map((m) => m.type).sort()).toEqual(["consent.revoked", "publication.declined"]);
    // The other performer can no longer consent: the publication will never clear.
    const other = await newPerformer(server).onboard(freshIdentity("adult"));
    expect((await other.acceptInvitation(publication.invitations[1]!.url)).status).toBe(404);
  });
});
