import { createHash } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { decodeJwt } from "jose";
import { verifyConsentReceipt, type AuditEvent } from "@vergewis/sdk";
import { auditorToken } from "../support/audit.ts";
import { TestPlatform } from "../support/platform.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startPortalServer();
});
afterAll(() => server?.close());

async function events(token: string, query: string): Promise<AuditEvent[]> {
  const res = await request(server.url)
    .get(`/v1/audit/events?${query}`)
    .set({ Authorization: `Bearer ${token}` });
  expect(res.status).toBe(200);
  return res.body.items as AuditEvent[];
}

describe("pairwise performer pseudonyms", () => {
  test("two platforms see one performer under different ids; an all-platform auditor links them", async () => {
    const platforms = [await TestPlatform.create(server, "Alpha"), await TestPlatform.create(server, "Beta")];
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    const receipts: string[] = [];
    for (const platform of platforms) {
      const publication = await platform.publish({ slots: [{ role: "uploader" }] });
      expect((await performer.acceptInvitation(publication.invitations[0]!.url)).status).toBe(200);
      const signed = await performer.consent(publication.slots[0]!.id);
      expect(signed.status).toBe(201);
      expect(signed.options.document.performer).toBe(decodeJwt(signed.body.receipt).sub);
      receipts.push(signed.body.receipt);
    }
    const jwks = (await request(server.url).get("/.well-known/jwks.json")).body;
    const subs = await Promise.all(
      receipts.map(async (jws, i) => {
        const receipt = await verifyConsentReceipt(jws, jwks, { issuer: server.url, platformId: platforms[i]!.id });
        return receipt.performer;
      }),
    );
    const own = (
      await server.ctx.db.performer.findFirstOrThrow({ where: { pairwise: { some: { pseudonym: subs[0] } } } })
    ).pseudonym;
    expect(subs[0]).toMatch(/^prf_[A-Za-z0-9_-]{22}$/);
    expect(subs[0]).not.toBe(subs[1]);
    expect(subs).not.toContain(own);

    // Each platform's auditor sees its own pseudonym in the platform's entries, never the other.
    for (const [i, platform] of platforms.entries()) {
      const token = await auditorToken(server.ctx.db, platform.id);
      const entries = await events(token, "type=invitation.accepted,consent.signed");
      expect(entries.map((e) => e.performerPseudonym)).toEqual([subs[i], subs[i]]);
      expect(entries.every((e) => e.linkedPerformer === undefined)).toBe(true);
      expect(await events(token, `performer=${own}`)).toEqual([]);
    }

    // The all-platform auditor links both to the performer and finds both by the performer's own id.
    const all = await auditorToken(server.ctx.db, null);
    const signed = await events(all, `type=consent.signed&performer=${own}`);
    expect(signed.map((e) => [e.platformId, e.performerPseudonym, e.linkedPerformer])).toEqual([
      [platforms[0]!.id, subs[0], own],
      [platforms[1]!.id, subs[1], own],
    ]);
    // The log is verifiable as written: the link is beside the entry, not in it.
    for (const event of signed) {
      expect(JSON.parse(event.entry).performer).toBe(event.performerPseudonym);
      const leaf = createHash("sha256")
        .update(Buffer.from([0]))
        .update(event.entry)
        .digest("base64");
      expect(leaf).toBe(event.leafHash);
      const single = await request(server.url)
        .get(`/v1/audit/events/${event.index}`)
        .set({ Authorization: `Bearer ${all}` });
      expect(single.body).toMatchObject({ linkedPerformer: own, entry: event.entry });
    }
  });
});
