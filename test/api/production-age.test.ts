import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { amsterdamDate } from "../../packages/server/src/identity/age.ts";
import { findTestIdentity } from "../../packages/server/src/identity/local-idp/identities.ts";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { TestPlatform } from "../support/platform.ts";
import { dumpDatabase, freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
let platform: TestPlatform;

beforeAll(async () => {
  server = await startPortalServer();
  platform = await TestPlatform.create(server, "Production dates");
});
afterAll(() => server?.close());

const daysAgo = (days: number) => amsterdamDate(new Date(Date.now() - days * 86_400_000));

/** A one-person publication made `days` ago, and its slot. */
async function madeDaysAgo(days: number) {
  const publication = await platform.publish({ slots: [{ role: "uploader" }], producedAt: daysAgo(days) });
  return { publication, slotId: publication.slots[0]!.id, url: publication.invitations[0]!.url };
}

async function requestPage(performer: ReturnType<typeof newPerformer>, slotId: string) {
  return (await performer.browser.request(`${server.url}/portal/requests/${slotId}`)).body;
}

describe("a publication request states when the content was made", () => {
  test("producedAt is required, a calendar date, and not in the future; a refusal stores nothing", async () => {
    const count = () => server.ctx.db.publication.count();
    const before = await count();
    const { producedAt: _, ...without } = publicationRequest();
    const tomorrowEverywhere = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    for (const body of [
      without,
      publicationRequest({ producedAt: tomorrowEverywhere }),
      publicationRequest({ producedAt: "2026-02-30" }),
      publicationRequest({ producedAt: "20-11-2026" }),
      { ...publicationRequest(), producedAt: 20261120 },
    ]) {
      const res = await request(server.url).post("/v1/publications").set(bearer(platform.apiKey)).send(body);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(["/body/producedAt"]);
    }
    expect(await count()).toBe(before);
  });

  test("the platform reads it back, and the signed consent document contains it", async () => {
    const { publication, slotId, url } = await madeDaysAgo(400);
    expect(publication.producedAt).toBe(daysAgo(400));
    const identity = freshIdentity("adult");
    const performer = await newPerformer(server).onboard(identity);
    expect((await performer.acceptInvitation(url)).status).toBe(200);
    // Verified before the invitation, on today only: not enough for content made 400 days ago.
    const unverified = await performer.consent(slotId);
    expect(unverified.status).toBe(403);
    expect(unverified.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(unverified.body.code).toBe("age_at_production_unverified");
    expect(await requestPage(performer, slotId)).toContain(`for=${slotId}`);
    // Verified again for this request: the birthdate (1990) is checked against its date.
    expect((await performer.verifyAge(identity, `/portal/requests/${slotId}`, slotId)).status).toBe(303);
    const signed = await performer.consent(slotId);
    expect(signed.status).toBe(201);
    expect(signed.options.document.publication.producedAt).toBe(daysAgo(400));
  });
});

describe("the performer must have been 18 or older on the day of production", () => {
  test("someone who turned 18 thirty days ago: refused for content made before, with a page; consents to content made after", async () => {
    const identity = freshIdentity("recent-adult");
    const performer = await newPerformer(server).onboard(identity);
    const before = await madeDaysAgo(60);
    const after = await madeDaysAgo(10);
    for (const { url } of [before, after]) expect((await performer.acceptInvitation(url)).status).toBe(200);

    expect((await performer.verifyAge(identity, undefined, before.slotId)).status).toBe(303);
    const refused = await performer.consent(before.slotId);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("under_18_at_production");
    const page = await requestPage(performer, before.slotId);
    expect(page).toContain('data-outcome="under-18"');
    expect(page).not.toContain('data-passkey="sign"');

    // The outcome is kept, not the age: dates the checks were about, and what they found.
    const birthdate = findTestIdentity(identity)!.claims.birthdate!;
    expect(await dumpDatabase(server)).not.toContain(birthdate);
    const attestations = await server.ctx.db.ageAttestation.findMany({
      where: { minorOn: new Date(before.publication.producedAt!) },
    });
    expect(attestations).toHaveLength(1);
    expect(attestations[0]).toMatchObject({
      adultOn: new Date(amsterdamDate()),
      minorOn: new Date(before.publication.producedAt!),
    });

    // Content made after the 18th birthday: verified for it, consented.
    expect((await performer.consent(after.slotId)).body.code).toBe("age_at_production_unverified");
    expect((await performer.verifyAge(identity, undefined, after.slotId)).status).toBe(303);
    expect((await performer.consent(after.slotId)).status).toBe(201);
    // And the earlier content is still refused: the latest verification did not find them adult then.
    expect((await performer.consent(before.slotId)).status).toBe(403);

    const verified = await server.ctx.db.auditEvent.findMany({ where: { type: "identity.verified" } });
    const outcomes = verified.map((e) => JSON.parse(e.entry).data.production).filter(Boolean);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { date: before.publication.producedAt, outcome: "minor" },
        { date: after.publication.producedAt, outcome: "adult" },
      ]),
    );
  });

  test("an invitation opened before verifying: its production date is checked at once", async () => {
    const before = await madeDaysAgo(60);
    const performer = newPerformer(server);
    expect((await performer.browser.request(before.url)).status).toBe(303);
    await performer.onboard(freshIdentity("recent-adult"));
    expect((await performer.api("POST", "/invitations/claim", {})).status).toBe(200);
    expect((await performer.consent(before.slotId)).body.code).toBe("under_18_at_production");
  });

  test("age_over_18 alone cannot prove a past date; age_over_21 proves three years back", async () => {
    for (const [base, expected] of [
      ["wallet-over18", 403],
      ["wallet-over21", 201],
    ] as const) {
      const { slotId, url } = await madeDaysAgo(60);
      const identity = freshIdentity(base);
      const performer = await newPerformer(server).onboard(identity);
      expect((await performer.acceptInvitation(url)).status).toBe(200);
      expect((await performer.verifyAge(identity, undefined, slotId)).status).toBe(303);
      const res = await performer.consent(slotId);
      expect(res.status, base).toBe(expected);
      if (expected === 403) expect(res.body.code).toBe("age_at_production_unverified");
    }
  });
});
