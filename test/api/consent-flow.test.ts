import { afterAll, beforeAll, expect, test } from "vitest";
import {
  isRevoked,
  NotFoundError,
  StatusListCache,
  Vergewis,
  VerificationError,
  VergewisSdkError,
  verifyConsentReceipt,
  verifyConsentSignature,
} from "@vergewis/sdk";
import { TestPlatform } from "../support/platform.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startPortalServer();
}, 60_000);
afterAll(() => server?.close());

test("age verification, passkeys, consent by every depicted person, cleared, receipts verified offline", async () => {
  const platform = await TestPlatform.create(server, "Flow platform");
  const publication = await platform.publish();
  expect(publication.status).toBe("pending");

  const uploader = await newPerformer(server).onboard(freshIdentity("adult"));
  const coPerformer = await newPerformer(server).onboard(freshIdentity("eighteen-today"));

  expect((await uploader.acceptInvitation(publication.invitations[0]!.url)).status).toBe(200);
  expect((await coPerformer.acceptInvitation(publication.invitations[1]!.url)).status).toBe(200);

  const first = await uploader.consent(publication.slots[0]!.id);
  expect(first.status).toBe(201);
  expect(first.body.publication.status).toBe("pending");
  const second = await coPerformer.consent(publication.slots[1]!.id);
  expect(second.status).toBe(201);
  expect(second.body.publication.status).toBe("cleared");

  // The platform, through the SDK client.
  const vergewis = new Vergewis({ apiKey: platform.apiKey, baseUrl: server.url });
  const read = await vergewis.publications.get(publication.id);
  expect(read.status).toBe("cleared");
  expect(read.slots.map((s) => s.status)).toEqual(["consented", "consented"]);
  const consents = await vergewis.publications.consents(publication.id);
  expect(consents.items).toHaveLength(2);
  expect(consents.items.map((c) => c.status)).toEqual(["active", "active"]);
  const other = new Vergewis({ apiKey: (await server.createPlatform("Other")).apiKey, baseUrl: server.url });
  await expect(other.publications.consents(publication.id)).rejects.toBeInstanceOf(NotFoundError);

  // Offline: the JWKS fetched once, then no server needed for the receipts and signatures.
  const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
  for (const [i, item] of consents.items.entries()) {
    const receipt = await verifyConsentReceipt(item.receipt, jwks, { issuer: server.url, platformId: platform.id });
    expect(receipt).toMatchObject({
      consentId: item.id,
      publicationId: publication.id,
      platformId: platform.id,
      slotId: publication.slots[i]!.id,
      contentFingerprints: publication.contentFingerprints,
      scope: publication.scope,
    });
    expect(await isRevoked(item.receipt, { jwks, cache: new StatusListCache() })).toBe(false);
  }
  const forged = `${consents.items[0]!.receipt.slice(0, -4)}AAAA`;
  const error = await verifyConsentReceipt(forged, jwks).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VerificationError);
  expect(error).toBeInstanceOf(VergewisSdkError);
  const record = await uploader.api("GET", `/consents/${first.body.consentId}`);
  const verified = await verifyConsentSignature(record.body.evidence, {
    expectedOrigin: server.url,
    expectedRpId: "localhost",
  });
  expect(verified.documentHash).toBe(first.body.documentHash);

  const outbox = await server.ctx.db.outboxMessage.findMany({
    where: { platformId: platform.id },
    orderBy: { id: "asc" },
  });
  expect(outbox.map((m) => m.type)).toEqual(["publication.cleared"]);
  expect((outbox[0]!.payload as { consents: unknown[] }).consents).toHaveLength(2);

  const types = (
    await server.ctx.db.auditEvent.findMany({ where: { publicationId: publication.id }, orderBy: { index: "asc" } })
  ).map((e) => e.type);
  // The co-performer's invitation mail, sent by the worker, comes in where it comes in.
  expect(types.filter((t) => t !== "invitation.mail_sent")).toEqual([
    "publication.requested",
    "invitation.accepted",
    "invitation.accepted",
    "consent.signed",
    "consent.signed",
    "publication.cleared",
  ]);
  expect(types.filter((t) => t === "invitation.mail_sent")).toHaveLength(1);
}, 60_000);
