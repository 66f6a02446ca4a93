import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { reportReceiptSchema, reportSchema, verifyWebhook, type Fingerprint } from "@vergewis/sdk";
import { pdqDistance, pdqFromImage } from "@vergewis/sdk/fingerprint";
import { createFlagger } from "../../packages/server/src/report/flagger.ts";
import { consentedPublication } from "../support/consented.ts";
import { bearer, hex64 } from "../support/fixtures.ts";
import type { TestPerformer } from "../support/performer.ts";
import { TestPlatform } from "../support/platform.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import type { TestServer } from "../support/server.ts";
import { subscribe } from "../support/takedown.ts";

// Reports weigh who reports (issue 17), and a report or a withdrawal by hash reaches near
// duplicates on every platform of the instance (issue 18): with real pictures re-encoded by sharp.

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/pdq");
/** Every publication names its exact file too. */
const sha = () => ({ alg: "sha-256" as const, value: hex64() });
const DESCRIPTION = "This picture shows me; I never agreed to it being published.";

let server: TestServer;
let rx: Receiver;

beforeAll(async () => {
  server = await startPortalServer({ worker: { pollInterval: "50ms" }, reports: { rateLimit: 1_000 } });
  rx = await startReceiver();
});
afterAll(async () => {
  await server?.close();
  await rx?.close();
});

/** A photo and two copies as platforms publish them: re-encoded at other sizes and qualities. */
async function photoAndCopies(file: string) {
  const original = await sharp(path.join(FIXTURES, file)).resize(1000).jpeg({ quality: 90 }).toBuffer();
  const copies = [
    await sharp(original).resize(500).jpeg({ quality: 40 }).toBuffer(),
    await sharp(original).resize(720).modulate({ brightness: 1.1 }).webp({ quality: 60 }).toBuffer(),
  ];
  const pdq = async (bytes: Buffer): Promise<Fingerprint & { quality: number }> => {
    const { hash, quality } = await pdqFromImage(bytes);
    return { alg: "pdq", value: hash, quality };
  };
  return { original: await pdq(original), copies: await Promise.all(copies.map(pdq)) };
}

const check = async (platform: TestPlatform, fingerprint: Fingerprint) =>
  (await platform.request<{ allowed: boolean; reason: string }>("POST", "/v1/check", { fingerprint })).body;

const reportsOf = async (platform: TestPlatform) =>
  (await platform.request<{ items: unknown[] }>("GET", "/v1/reports")).body.items.map((r) => reportSchema.parse(r));

async function webhookFor(reportId: string, secret: string) {
  await rx.waitFor((r) => r.received.some((w) => JSON.parse(w.body).data.reportId === reportId));
  const webhook = rx.received.find((w) => JSON.parse(w.body).data.reportId === reportId)!;
  return verifyWebhook({ body: webhook.body, headers: webhook.headers as Record<string, string>, secret });
}

async function platformWithEndpoint(name: string) {
  const platform = await TestPlatform.create(server, name);
  const { secret } = await subscribe(server.url, platform.apiKey, rx);
  return { platform, secret };
}

const removal = {
  decision: "removed",
  facts: "The depicted person did not consent.",
  automatedDetection: false,
  automatedDecision: false,
  contractualGround: "Terms §4.2",
  redress: "Internal complaint via /appeals.",
};

describe("reports weigh who reports", () => {
  test("an anonymous report puts content under review: the platform is told, the clock runs, the check still allows; upheld, it blocks", async () => {
    const { platform, secret } = await platformWithEndpoint("Review");
    const { publication } = await consentedPublication(server, platform);
    const fingerprint = publication.contentFingerprints[0]! as Fingerprint;
    expect(await check(platform, fingerprint)).toMatchObject({ allowed: true });

    const res = await fetch(`${server.url}/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fingerprint, category: "no_consent", description: DESCRIPTION }),
    });
    expect(res.status).toBe(202);
    expect(reportReceiptSchema.parse(await res.json())).toMatchObject({
      reporter: "anonymous",
      effect: "under_review",
    });

    const [report] = await reportsOf(platform);
    expect(report).toMatchObject({
      reporter: "anonymous",
      effect: "under_review",
      status: "open",
      matchedBy: "fingerprint",
      algorithm: "sha-256",
      distance: 0,
    });
    expect(Date.parse(report!.dueAt) - Date.parse(report!.receivedAt)).toBe(86_400_000);
    const event = await webhookFor(report!.id, secret);
    expect(event).toMatchObject({
      type: "report.received",
      data: { reporter: "anonymous", effect: "under_review", algorithm: "sha-256", distance: 0 },
    });
    // Under review, not blocked.
    expect(await check(platform, fingerprint)).toMatchObject({ allowed: true, reason: "cleared" });
    const audit = await server.ctx.db.auditEvent.findFirstOrThrow({
      where: { type: "report.received", publicationId: publication.id },
    });
    expect(JSON.parse(audit.entry).data).toMatchObject({ reporter: "anonymous", effect: "under_review" });

    const resolved = await platform.request("POST", `/v1/reports/${report!.id}/resolve`, removal);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: "upheld", effect: "blocked" });
    expect(await check(platform, fingerprint)).toMatchObject({ allowed: false, reason: "reported" });
  });

  test("a trusted flagger's report blocks at once", async () => {
    const platform = await TestPlatform.create(server, "Flagged");
    const { publication } = await consentedPublication(server, platform);
    const fingerprint = publication.contentFingerprints[0]! as Fingerprint;
    const flagger = await createFlagger(server.ctx.db, { name: "Hotline" });
    const res = await fetch(`${server.url}/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(flagger.token) },
      body: JSON.stringify({ fingerprint, category: "no_consent", description: DESCRIPTION }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ reporter: "trusted_flagger", effect: "blocked" });
    expect(await reportsOf(platform)).toMatchObject([{ reporter: "trusted_flagger", effect: "blocked" }]);
    expect(await check(platform, fingerprint)).toMatchObject({ allowed: false, reason: "reported" });
  });
});

describe("a report by hash matches near duplicates on every platform", () => {
  test("a PDQ report finds re-encoded copies on two platforms, with algorithm and distance in the report, audit log and webhook", async () => {
    const { original, copies } = await photoAndCopies("bridge-1-original.jpg");
    const unrelated = await photoAndCopies("q0746.jpg");
    const a = await platformWithEndpoint("Near A");
    const b = await platformWithEndpoint("Near B");
    const onA = await a.platform.publish({ contentFingerprints: [sha(), copies[0]!] });
    const onB = await b.platform.publish({ contentFingerprints: [sha(), copies[1]!] });
    const other = await b.platform.publish({
      contentFingerprints: [sha(), unrelated.copies[0]!],
    });
    for (const copy of copies) expect(pdqDistance(original.value, copy.value)).toBeGreaterThan(0);

    const res = await fetch(`${server.url}/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        fingerprint: original,
        category: "no_consent",
        description: DESCRIPTION,
      }),
    });
    expect(res.status).toBe(202);
    const notice = (await res.json()) as { id: string };

    const [forA] = await reportsOf(a.platform);
    const forB = (await reportsOf(b.platform)).filter((r) => r.publicationId !== other.id);
    expect((await reportsOf(b.platform)).map((r) => r.publicationId)).not.toContain(other.id);
    expect(forA).toMatchObject({
      publicationId: onA.id,
      matchedBy: "fingerprint",
      algorithm: "pdq",
      distance: pdqDistance(original.value, copies[0]!.value),
    });
    expect(forB).toMatchObject([
      { publicationId: onB.id, algorithm: "pdq", distance: pdqDistance(original.value, copies[1]!.value) },
    ]);
    const event = await webhookFor(forA!.id, a.secret);
    expect(event.data).toMatchObject({ matchedBy: "fingerprint", algorithm: "pdq", distance: forA!.distance });
    const entries = await server.ctx.db.auditEvent.findMany({ where: { type: "report.received" } });
    const mine = entries.map((e) => JSON.parse(e.entry).data).filter((d) => d.noticeId === notice.id);
    expect(mine.map((d) => [d.algorithm, d.distance]).sort()).toEqual(
      [forA!, forB[0]!].map((r) => [r.algorithm, r.distance]).sort(),
    );
  });

  test("below the quality floor a PDQ hash is matched exactly only", async () => {
    const { original, copies } = await photoAndCopies("bridge-1-original.jpg");
    const platform = await TestPlatform.create(server, "Floor");
    await platform.publish({ contentFingerprints: [sha(), copies[0]!] });
    const res = await fetch(`${server.url}/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        fingerprint: { ...original, quality: server.ctx.config.nearDuplicates.qualityFloor - 1 },
        category: "no_consent",
        description: DESCRIPTION,
      }),
    });
    expect(res.status).toBe(202);
    expect(await reportsOf(platform)).toEqual([]);
  });
});

describe("reports from the portal, by hash", () => {
  const body = ({ value, quality }: { value: string; quality: number }, sha256 = hex64()) => ({
    sha256,
    pdq: { value, quality },
    category: "no_consent",
    description: DESCRIPTION,
  });

  test("a signed-in performer whose age was verified reports as a depicted person: copies are blocked at once", async () => {
    const { original, copies } = await photoAndCopies("bridge-1-original.jpg");
    const platform = await TestPlatform.create(server, "Portal reported");
    const copy = copies[1]!;
    const { publication } = await consentedPublication(server, platform, {
      request: { contentFingerprints: [sha(), copy] },
    });
    expect(await check(platform, copy)).toMatchObject({ allowed: true });

    const person = await newPerformer(server).onboard(freshIdentity("adult"));
    await person.session();
    const res = await person.api("POST", "/reports", body(original));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ reporter: "depicted_person", effect: "blocked", trustedFlagger: false });
    expect(await check(platform, copy)).toMatchObject({ allowed: false, reason: "reported" });
    const [report] = await reportsOf(platform);
    expect(report).toMatchObject({ publicationId: publication.id, reporter: "depicted_person", algorithm: "pdq" });
    const entry = await server.ctx.db.auditEvent.findFirstOrThrow({
      where: { type: "notice.received", performerPseudonym: { not: null } },
      orderBy: { index: "desc" },
    });
    // Every platform of the instance: copies published by the tests before count as well.
    const data = JSON.parse(entry.entry).data;
    expect(data.reporter).toBe("depicted_person");
    expect(data.matches).toBe(await server.ctx.db.report.count({ where: { noticeId: data.noticeId } }));
    expect(data.matches).toBeGreaterThanOrEqual(1);
  });

  test("without signing in the report is anonymous: the copy is under review, still allowed", async () => {
    const { original, copies } = await photoAndCopies("bridge-1-original.jpg");
    const platform = await TestPlatform.create(server, "Portal anonymous");
    const copy = copies[0]!;
    await consentedPublication(server, platform, { request: { contentFingerprints: [sha(), copy] } });
    const visitor = newPerformer(server);
    await visitor.session();
    const res = await visitor.api("POST", "/reports", body(original));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ reporter: "anonymous", effect: "under_review" });
    expect(await reportsOf(platform)).toMatchObject([{ reporter: "anonymous", effect: "under_review" }]);
    expect(await check(platform, copy)).toMatchObject({ allowed: true });
  });

  test("every bad input is a problem, and nothing is stored", async () => {
    const visitor = newPerformer(server);
    await visitor.session();
    const before = await server.ctx.db.notice.count();
    const good = body({ value: hex64(), quality: 80 });
    for (const bad of [
      { ...good, sha256: "xyz" },
      { ...good, pdq: { value: hex64(), quality: 101 } },
      { ...good, description: "short" },
      { ...good, category: "spam" },
      { ...good, picture: "data:image/jpeg;base64,AAAA" },
    ]) {
      const res = await visitor.api("POST", "/reports", bad);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("invalid_request");
    }
    const noToken = await visitor.api("POST", "/reports", good, { "x-csrf-token": "" });
    expect(noToken.status).toBe(403);
    expect(await server.ctx.db.notice.count()).toBe(before);
  });
});

describe("withdraw everywhere", () => {
  /** The performer consents to a further publication (their own invitation, their own passkey). */
  async function alsoConsent(performer: TestPerformer, platform: TestPlatform, pdq: Fingerprint & { quality: number }) {
    const publication = await platform.publish({
      contentFingerprints: [sha(), pdq],
      slots: [{ role: "uploader" }],
    });
    expect((await performer.acceptInvitation(publication.invitations[0]!.url)).status).toBe(200);
    const signed = await performer.consent(publication.slots[0]!.id);
    expect(signed.status).toBe(201);
    return { publication, consentId: signed.body.consentId as string };
  }

  async function withdrawEverywhere(performer: TestPerformer, consentId: string, tamper?: (d: any) => any) {
    const options = await performer.api("POST", `/consents/${consentId}/revocation/options`, { everywhere: true });
    expect(options.status).toBe(200);
    const response = performer.authenticator.authenticate(options.body.options);
    const document = tamper ? tamper(structuredClone(options.body.document)) : options.body.document;
    return {
      options: options.body,
      res: await performer.api("POST", `/consents/${consentId}/revocation`, { document, response }),
    };
  }

  test("every matching consent of theirs is withdrawn, matches where they never consented are reported by them and blocked", async () => {
    const { original, copies } = await photoAndCopies("bridge-1-original.jpg");
    const unrelated = await photoAndCopies("q0746.jpg");
    const a = await TestPlatform.create(server, "Everywhere A");
    const b = await TestPlatform.create(server, "Everywhere B");
    const c = await TestPlatform.create(server, "Everywhere C");
    const first = await consentedPublication(server, a, {
      request: { contentFingerprints: [sha(), original], slots: [{ role: "uploader" }] },
    });
    const performer = first.performers[0]!;
    const onB = await alsoConsent(performer, b, copies[0]!);
    const elsewhere = await alsoConsent(performer, b, unrelated.original);
    const onC = await consentedPublication(server, c, {
      request: { contentFingerprints: [sha(), copies[1]!] },
    });

    const { options, res } = await withdrawEverywhere(performer, first.consentIds[0]!);
    // The choice and the consents it reaches are in the document the passkey signs.
    expect(options.document.everywhere).toEqual({
      revokes: [{ id: onB.consentId, documentHash: expect.any(String) }],
    });
    expect(res.status).toBe(200);

    const status = async (id: string) => (await server.ctx.db.consent.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(first.consentIds[0]!)).toBe("revoked");
    expect(await status(onB.consentId)).toBe("revoked");
    expect(await status(elsewhere.consentId)).toBe("active");
    expect(await status(onC.consentIds[0]!)).toBe("active");

    const revoked = await server.ctx.db.auditEvent.findFirstOrThrow({
      where: { type: "consent.revoked", publicationId: onB.publication.id },
    });
    expect(JSON.parse(revoked.entry).data.everywhere).toEqual({
      of: first.consentIds[0],
      algorithm: "pdq",
      distance: pdqDistance(original.value, copies[0]!.value),
    });
    const onBRow = await server.ctx.db.consent.findUniqueOrThrow({ where: { id: onB.consentId } });
    expect(onBRow.revocation).toMatchObject({ documentHash: JSON.parse(revoked.entry).data.revocationHash });

    // Platform C: never consented there, so reported by the depicted person, and blocked at once.
    const [report] = await reportsOf(c);
    expect(report).toMatchObject({
      publicationId: onC.publication.id,
      reporter: "depicted_person",
      effect: "blocked",
      category: "consent_withdrawn",
      algorithm: "pdq",
      distance: pdqDistance(original.value, copies[1]!.value),
    });
    expect(await check(c, copies[1]!)).toMatchObject({
      allowed: false,
      reason: "reported",
    });
    expect(await check(b, copies[0]!)).toMatchObject({ allowed: false });
  });

  test("the choice is signed: a document stripped of it, or naming other consents, is refused and nothing changes", async () => {
    const { original, copies } = await photoAndCopies("bridge-1-original.jpg");
    const a = await TestPlatform.create(server, "Signed A");
    const b = await TestPlatform.create(server, "Signed B");
    const first = await consentedPublication(server, a, {
      request: { contentFingerprints: [sha(), original], slots: [{ role: "uploader" }] },
    });
    const performer = first.performers[0]!;
    const onB = await alsoConsent(performer, b, copies[0]!);
    const events = await server.ctx.db.auditEvent.count();

    const stripped = await withdrawEverywhere(performer, first.consentIds[0]!, (d) => {
      delete d.everywhere;
      return d;
    });
    expect(stripped.res.status).toBe(400);
    expect(stripped.res.body.code).toBe("signature_invalid");
    const unsigned = await withdrawEverywhere(performer, first.consentIds[0]!, (d) => ({
      ...d,
      everywhere: { revokes: [] },
    }));
    expect(unsigned.res.status).toBe(400);
    for (const id of [first.consentIds[0]!, onB.consentId]) {
      expect((await server.ctx.db.consent.findUniqueOrThrow({ where: { id } })).status).toBe("active");
    }
    expect(await server.ctx.db.auditEvent.count()).toBe(events);
  });

  test("an unknown option is a problem", async () => {
    const { performers, consentIds } = await consentedPublication(server, await TestPlatform.create(server, "Opt"));
    await performers[0]!.session();
    const res = await performers[0]!.api("POST", `/consents/${consentIds[0]}/revocation/options`, {
      everywhere: "yes",
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_request");
  });
});

describe("reports stay rate-limited", () => {
  test("the portal's reports and the API's count against one limit per address; beyond it a 429 problem, nothing stored", async () => {
    const limited = await startPortalServer({ reports: { rateLimit: 2 } });
    try {
      const notice = {
        fingerprint: { alg: "sha-256", value: hex64() },
        category: "no_consent",
        description: DESCRIPTION,
      };
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${limited.url}/v1/reports`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(notice),
        });
        expect(res.status).toBe(202);
      }
      const before = await limited.ctx.db.notice.count();
      const visitor = newPerformer(limited);
      await visitor.session();
      const res = await visitor.api("POST", "/reports", {
        sha256: hex64(),
        category: "no_consent",
        description: DESCRIPTION,
      });
      expect(res.status).toBe(429);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe("rate_limited");
      expect(await limited.ctx.db.notice.count()).toBe(before);
    } finally {
      await limited.close();
    }
  });
});
