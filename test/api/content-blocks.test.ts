import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { blockContent } from "../../packages/server/src/content-block/store.ts";
import { checkResultSchema, verifyConsentSignature, type CheckResult, type Fingerprint } from "@vergewis/sdk";
import { consentedPublication } from "../support/consented.ts";
import { hex64, publicationRequest } from "../support/fixtures.ts";
import type { TestPerformer } from "../support/performer.ts";
import { TestPlatform } from "../support/platform.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

let server: TestServer;
let platform: TestPlatform;

beforeAll(async () => {
  server = await startPortalServer({ reports: { rateLimit: 1_000 } });
  platform = await TestPlatform.create(server, "Blocks platform");
});
afterAll(() => server?.close());

const fp = (): Fingerprint => ({ alg: "sha-256", value: hex64() });

async function check(fingerprint: Fingerprint, on = platform): Promise<CheckResult> {
  const res = await on.request("POST", "/v1/check", { fingerprint });
  expect(res.status).toBe(200);
  return checkResultSchema.parse(res.body);
}

/** A raw publication request; `key` sets an Idempotency-Key. */
async function requestPublication(contentFingerprints: Fingerprint[], key?: string) {
  const res = await fetch(`${server.url}/v1/publications`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${platform.apiKey}`,
      "content-type": "application/json",
      ...(key && { "idempotency-key": key }),
    },
    body: JSON.stringify(publicationRequest({ contentFingerprints, slots: [{ role: "uploader" }] })),
  });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

const publicationCount = () => server.ctx.db.publication.count({ where: { platformId: platform.id } });

/** Two performers consented to a publication of two files; the first then withdrew. */
async function withdrawnByFirst() {
  const fingerprints = [fp(), fp()];
  const consented = await consentedPublication(server, platform, {
    slots: 2,
    request: { contentFingerprints: fingerprints },
  });
  const revoked = await consented.performers[0]!.revoke(consented.consentIds[0]!);
  expect(revoked.status).toBe(200);
  return { ...consented, fingerprints };
}

/** Claims and signs every invitation of a publication, one new performer a slot, or `signers`. */
async function signAll(
  invitations: Array<{ url: string; slotId: string }>,
  signers: Array<TestPerformer | null> = invitations.map(() => null),
) {
  const results = [];
  for (const [i, invitation] of invitations.entries()) {
    const performer = signers[i] ?? (await newPerformer(server).onboard(freshIdentity("adult")));
    expect((await performer.acceptInvitation(invitation.url)).status).toBe(200);
    results.push(await performer.consent(invitation.slotId));
  }
  return results;
}

describe("withdrawn content cannot be requested again", () => {
  test("409 content_withdrawn naming the fingerprint, for every file of the publication; nothing stored", async () => {
    const { publication, fingerprints } = await withdrawnByFirst();
    const before = await publicationCount();
    for (const [i, fingerprint] of fingerprints.entries()) {
      const res = await requestPublication([fp(), fingerprint]);
      expect(res.status).toBe(409);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 409,
        code: "content_withdrawn",
        type: expect.stringMatching(/\/problems\/content_withdrawn$/),
        detail: expect.stringContaining(`sha-256:${fingerprint.value}`),
        errors: [{ pointer: "/body/contentFingerprints/1", reason: expect.stringContaining(publication.id) }],
      });
      expect(await check(fingerprints[i]!)).toMatchObject({
        allowed: false,
        reason: "revoked",
        publicationId: publication.id,
      });
    }
    expect(await publicationCount()).toBe(before);
  });

  test("a refused request leaves no Idempotency-Key behind: the retry is refused again, not replayed", async () => {
    const { fingerprints } = await withdrawnByFirst();
    const key = `blocked-${hex64().slice(0, 12)}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await requestPublication([fingerprints[0]!], key)).body.code).toBe("content_withdrawn");
    }
    expect(await server.ctx.db.idempotencyKey.count({ where: { platformId: platform.id, key } })).toBe(0);
  });

  test("a request made before the withdrawal can no longer be signed, and the check keeps refusing", async () => {
    const fingerprint = fp();
    const { publication, performers, consentIds } = await consentedPublication(server, platform, {
      request: { contentFingerprints: [fingerprint] },
    });
    const earlier = await platform.publish({ contentFingerprints: [fingerprint], slots: [{ role: "uploader" }] });
    expect((await performers[0]!.revoke(consentIds[0]!)).status).toBe(200);

    const [signed] = await signAll(earlier.invitations, [performers[0]!]);
    expect(signed!.status).toBe(409);
    expect(signed!.body).toMatchObject({
      code: "content_withdrawn",
      errors: [{ pointer: "/body/document/contentFingerprints/0" }],
    });
    const row = await server.ctx.db.publication.findUniqueOrThrow({ where: { id: earlier.id } });
    expect(row.status).toBe("pending");
    expect(await server.ctx.db.consent.count({ where: { publicationId: earlier.id } })).toBe(0);
    expect(await check(fingerprint)).toMatchObject({
      allowed: false,
      reason: "revoked",
      publicationId: publication.id,
    });
  });

  test("an upheld report blocks the content for good; a rejected one does not", async () => {
    const outcome = async (decision: "removed" | "no_action") => {
      const fingerprint = fp();
      const publication = await platform.publish({ contentFingerprints: [fingerprint] });
      const notice = await fetch(`${server.url}/v1/reports`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          category: "no_consent",
          description: "I never agreed to this being published.",
          fingerprint,
        }),
      });
      expect(notice.status).toBe(202);
      const reports = await platform.request<{ items: Array<{ id: string; publicationId: string }> }>(
        "GET",
        "/v1/reports",
      );
      const report = reports.body.items.find((r) => r.publicationId === publication.id)!;
      const resolved = await platform.request("POST", `/v1/reports/${report.id}/resolve`, {
        decision,
        facts: "Checked against the notice.",
        automatedDetection: false,
        automatedDecision: false,
        contractualGround: "Terms §4",
        redress: "Internal complaint; court.",
      });
      expect(resolved.status).toBe(200);
      return { fingerprint, publication, retry: await requestPublication([fingerprint]) };
    };
    const upheld = await outcome("removed");
    expect(upheld.retry.status).toBe(409);
    expect(upheld.retry.body).toMatchObject({
      code: "content_withdrawn",
      errors: [{ reason: expect.stringContaining("upheld report") }],
    });
    expect(await check(upheld.fingerprint)).toMatchObject({ reason: "reported", publicationId: upheld.publication.id });

    const rejected = await outcome("no_action");
    expect(rejected.retry.status).toBe(201);
  });
});

describe("the performer who withdrew can allow the content again", () => {
  test("a passkey-signed, logged lift; then a new request and new consents clear it and the check agrees", async () => {
    const { publication, performers, consentIds, fingerprints } = await withdrawnByFirst();
    const [first, second] = performers;
    const lifted = await first!.lift(consentIds[0]!);
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({ consentId: consentIds[0], stillBlocked: false });
    expect(lifted.body.contentFingerprints).toEqual(fingerprints);
    expect(lifted.options.document).toMatchObject({
      type: "vergewis.block-lift.v1",
      consent: { id: consentIds[0] },
      publication: { id: publication.id },
      platform: { id: platform.id },
      contentFingerprints: fingerprints,
    });

    const blocks = await server.ctx.db.contentBlock.findMany({ where: { consentId: consentIds[0]! } });
    expect(blocks).toHaveLength(2);
    const lift = blocks[0]!.lift as { document: string; documentHash: string; evidence: any };
    expect(blocks.every((b) => b.liftedAt !== null)).toBe(true);
    const verified = await verifyConsentSignature(
      { ...lift.evidence, document: lift.document },
      { expectedOrigin: server.url },
    );
    expect(verified.documentHash).toBe(lift.documentHash);
    const events = await server.ctx.db.auditEvent.findMany({
      where: { publicationId: publication.id, type: { in: ["content.blocked", "content.block_lifted"] } },
      orderBy: { index: "asc" },
    });
    expect(events.map((e) => e.type)).toEqual(["content.blocked", "content.block_lifted"]);
    expect(JSON.parse(events[1]!.entry).data).toMatchObject({
      consentId: consentIds[0],
      liftHash: lift.documentHash,
      contentFingerprints: fingerprints,
    });

    // The withdrawal itself stands: the old publication stays refused until something replaces it.
    expect(await check(fingerprints[0]!)).toMatchObject({ allowed: false, reason: "revoked" });
    const res = await requestPublication(fingerprints);
    expect(res.status).toBe(201);
    expect(await check(fingerprints[1]!)).toMatchObject({ reason: "pending", publicationId: res.body.id });
    const [signed] = await signAll(res.body.invitations, [first!]);
    expect(signed!.status).toBe(201);
    expect(signed!.body.publication).toEqual({ id: res.body.id, status: "cleared" });
    for (const fingerprint of fingerprints) {
      expect(await check(fingerprint)).toEqual({
        allowed: true,
        publicationId: res.body.id,
        status: "cleared",
        reason: "cleared",
      });
    }
    // The other performer never withdrew: there is nothing for them to lift.
    expect((await second!.lift(consentIds[1]!)).body.code).toBe("block_not_active");
  });

  test("a lift drops the cached decision at once", async () => {
    const fingerprint = fp();
    const { publication, performers, consentIds } = await consentedPublication(server, platform, {
      slots: 2,
      signed: 1,
      request: { contentFingerprints: [fingerprint] },
    });
    // Withdrawn while pending: the publication is declined, and the block is what the check names.
    expect((await performers[0]!.revoke(consentIds[0]!)).body.publication.status).toBe("declined");
    expect(await check(fingerprint)).toMatchObject({ reason: "revoked", publicationId: publication.id });
    expect(await check(fingerprint)).toMatchObject({ reason: "revoked" });
    expect((await performers[0]!.lift(consentIds[0]!)).status).toBe(200);
    expect(await check(fingerprint)).toMatchObject({ reason: "declined", publicationId: publication.id });
  });

  test("a performer lifts only their own withdrawal: while the other's stands, the content stays blocked", async () => {
    const { publication, performers, consentIds, fingerprints } = await withdrawnByFirst();
    expect((await performers[1]!.revoke(consentIds[1]!)).status).toBe(200);
    const first = await performers[0]!.lift(consentIds[0]!);
    expect(first.body.stillBlocked).toBe(true);
    const page = await performers[0]!.page(`/portal/consents/${consentIds[0]}`);
    expect(page.body).toContain('data-block="lifted"');
    expect(page.body).toContain("still blocked");
    expect((await requestPublication([fingerprints[0]!])).body.code).toBe("content_withdrawn");
    expect(await check(fingerprints[0]!)).toMatchObject({ reason: "revoked", publicationId: publication.id });

    expect((await performers[1]!.lift(consentIds[1]!)).body.stillBlocked).toBe(false);
    expect((await requestPublication([fingerprints[0]!])).status).toBe(201);
  });

  test("refused lifts change nothing: a stranger, a tampered document, a bad signature, twice", async () => {
    const { performers, consentIds, fingerprints } = await withdrawnByFirst();
    const [performer] = performers;
    const stranger = await newPerformer(server).onboard(freshIdentity("adult"));
    expect((await stranger.lift(consentIds[0]!)).status).toBe(404);
    const tampered = await performer!.lift(consentIds[0]!, {
      document: (d) => ({ ...d, contentFingerprints: [d.contentFingerprints[0]] }),
    });
    expect(tampered.body.code).toBe("signature_invalid");
    const forged = await performer!.lift(consentIds[0]!, { assertion: { corruptSignature: true } });
    expect(forged.body.code).toBe("signature_invalid");
    const active = await server.ctx.db.contentBlock.count({ where: { consentId: consentIds[0]!, liftedAt: null } });
    expect(active).toBe(2);
    expect((await requestPublication([fingerprints[1]!])).status).toBe(409);

    expect((await performer!.lift(consentIds[0]!)).status).toBe(200);
    const again = await performer!.lift(consentIds[0]!);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("block_not_active");
  });

  test("the consent's page offers it in the reader's language, and explains what it means", async () => {
    const { performers, consentIds } = await withdrawnByFirst();
    const [performer] = performers;
    const page = await performer!.page(`/portal/consents/${consentIds[0]}`);
    expect(page.body).toContain('data-block="blocked"');
    expect(page.body).toContain(`href="/portal/consents/${consentIds[0]}/allow"`);
    expect(page.body).toContain("Allow this content again");
    const allow = await performer!.page(`/portal/consents/${consentIds[0]}/allow`, {
      headers: { "accept-language": "nl" },
    });
    expect(allow.status).toBe(200);
    expect(allow.body).toContain("Deze inhoud weer toestaan");
    expect(allow.body).toContain(`data-passkey="lift" data-consent="${consentIds[0]}"`);
    expect(allow.body).toContain("Je intrekking blijft staan");

    expect((await performer!.lift(consentIds[0]!)).status).toBe(200);
    const after = await performer!.page(`/portal/consents/${consentIds[0]}/allow`);
    expect(after.body).toContain("nothing to allow");
    expect(after.body).not.toContain('data-passkey="lift"');
  });
});

describe("a publication request racing a withdrawal", () => {
  test("waits for the withdrawal's transaction and then sees its block: it never slips through", async () => {
    const fingerprint = fp();
    const { publication, consentIds } = await consentedPublication(server, platform, {
      request: { contentFingerprints: [fingerprint] },
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let blocked!: () => void;
    const inFlight = new Promise<void>((resolve) => (blocked = resolve));
    // A withdrawal that has written its block and not yet committed.
    const withdrawal = runTransaction(
      server.ctx.db,
      async (tx, effects) => {
        await blockContent(tx, effects, publication.id, { source: "withdrawal", consentId: consentIds[0]! });
        blocked();
        await released;
      },
      { timeout: 20_000 },
    );
    await inFlight;
    const request = requestPublication([fingerprint]);
    // Time for a request that does not wait to commit before the withdrawal does.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    release();
    await withdrawal;
    const res = await request;
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("content_withdrawn");
  });
});
