import { setTimeout } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKind } from "../support/database.ts";
import { TestPlatform } from "../support/platform.ts";
import type { TestPerformer } from "../support/performer.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

// Two real clients answer one invitation at the same moment. On PostgreSQL the requests run in
// parallel transactions; on PGlite they queue, and the rules must hold all the same.

const PAIRS = 40;

let server: TestServer;
let platform: TestPlatform;
let first: TestPerformer;
let second: TestPerformer;

beforeAll(async () => {
  server = await startPortalServer();
  platform = await TestPlatform.create(server, "Race platform");
  first = await newPerformer(server).onboard(freshIdentity("adult"));
  second = await newPerformer(server).onboard(freshIdentity("adult"));
}, 120_000);
afterAll(() => server?.close());

// Each publication of these races has one slot.
const acceptedEntries = (publicationId: string) =>
  server.ctx.db.auditEvent.count({ where: { type: "invitation.accepted", publicationId } });

const holder = async (slotId: string) =>
  (await server.ctx.db.slot.findUniqueOrThrow({ where: { id: slotId }, select: { performerId: true } })).performerId;

const performerIdOf = async (p: TestPerformer) =>
  (
    await server.ctx.db.performer.findUniqueOrThrow({
      where: { pseudonym: (await p.api("GET", "/session")).body.performer.pseudonym },
      select: { id: true },
    })
  ).id;

describe("two identities claim one invitation at once", () => {
  test(`through the API: exactly one wins each of ${PAIRS} races, the other gets 409`, async () => {
    const ids = new Map([
      [await performerIdOf(first), first],
      [await performerIdOf(second), second],
    ]);
    for (let i = 0; i < PAIRS; i++) {
      const publication = await platform.publish({ slots: [{ role: "uploader" }] });
      const slotId = publication.slots[0]!.id;
      // Both opened the link while the invitation was free; both press Continue.
      for (const p of [first, second])
        expect((await p.browser.request(publication.invitations[0]!.url)).status).toBe(303);
      const answers = await Promise.all([first, second].map((p) => p.api("POST", "/invitations/claim", {})));
      expect(answers.map((a) => a.status).sort(), `slot ${slotId}`).toEqual([200, 409]);
      const loser = answers.find((a) => a.status === 409)!;
      expect(loser.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(loser.body).toMatchObject({ status: 409, code: "invitation_taken" });
      const winner = answers.findIndex((a) => a.status === 200);
      expect(ids.get((await holder(slotId))!)).toBe([first, second][winner]);
      expect(await acceptedEntries(publication.id)).toBe(1);
    }
  }, 180_000);

  test("by typed code: one wins; the other is refused, as taken or (arriving after) as any used code", async () => {
    for (let i = 0; i < 10; i++) {
      const publication = await platform.publish({ slots: [{ role: "uploader" }] });
      const code = publication.invitations[0]!.code;
      const answers = await Promise.all([first, second].map((p) => p.api("POST", "/invitations/claim", { code })));
      const refused = answers.filter((a) => a.status !== 200);
      expect(refused).toHaveLength(1);
      expect([
        [409, "invitation_taken"],
        [404, "invitation_invalid"],
      ]).toContainEqual([refused[0]!.status, refused[0]!.body.code]);
      expect(await acceptedEntries(publication.id)).toBe(1);
    }
  });

  test("through the pages: the loser gets the page in their language, with 409", async () => {
    for (let i = 0; i < 10; i++) {
      const publication = await platform.publish({ slots: [{ role: "uploader" }] });
      for (const p of [first, second])
        expect((await p.browser.request(publication.invitations[0]!.url)).status).toBe(303);
      const answers = await Promise.all(
        [first, second].map((p) =>
          p.browser.request(`${server.url}/portal/invitation/accept`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "nl" },
            body: new URLSearchParams({ csrf: p.csrfToken }).toString(),
          }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([303, 409]);
      const loser = answers.find((a) => a.status === 409)!;
      expect(loser.headers.get("content-type")).toMatch(/^text\/html/);
      expect(loser.body).toContain('lang="nl"');
      expect(loser.body).toContain("iemand anders deze uitnodiging");
      expect(await acceptedEntries(publication.id)).toBe(1);
    }
  });

  test("the same person twice at once: both answers are the request, one log entry", async () => {
    for (let i = 0; i < 10; i++) {
      const publication = await platform.publish({ slots: [{ role: "uploader" }] });
      const code = publication.invitations[0]!.code;
      const answers = await Promise.all([0, 1].map(() => first.api("POST", "/invitations/claim", { code })));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(await acceptedEntries(publication.id)).toBe(1);
    }
  });
});

describe("a decline races the same person's consent", () => {
  /** A new publication whose invitation `first` has claimed, with a signed consent not yet sent. */
  async function readyToSign() {
    const publication = await platform.publish();
    const slotId = publication.slots[0]!.id;
    expect((await first.api("POST", "/invitations/claim", { code: publication.invitations[0]!.code })).status).toBe(
      200,
    );
    const options = await first.api("POST", `/requests/${slotId}/consent/options`);
    const response = first.authenticator.authenticate(options.body.options);
    return { publication, slotId, options, response };
  }

  // The race made certain on PostgreSQL: a transaction of the test holds the publication's lock
  // while the consent and then the decline queue for it, each having read the slot as open.
  test.runIf(databaseKind() === "postgres")("the consent that came first wins; the decline gets 409", async () => {
    const { publication, slotId, options, response } = await readyToSign();

    const holder = new pg.Client({ connectionString: server.databaseUrl });
    await holder.connect();
    try {
      const waiting = async (n: number) => {
        for (;;) {
          const { rows } = await holder.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (rows[0]!.n >= n) return;
          await setTimeout(20);
        }
      };
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "Publication" WHERE id = $1 FOR UPDATE`, [publication.id]);
      const consent = first.api("POST", `/requests/${slotId}/consent`, { document: options.body.document, response });
      await waiting(1);
      const decline = first.api("POST", `/requests/${slotId}/decline`);
      await waiting(2);
      await holder.query("COMMIT");
      expect((await consent).status).toBe(201);
      const declined = await decline;
      expect(declined.status).toBe(409);
      expect(declined.body.code).toBe("slot_not_open");
    } finally {
      await holder.end();
    }
    const slot = await server.ctx.db.slot.findUniqueOrThrow({ where: { id: slotId }, select: { status: true } });
    expect(slot.status).toBe("consented");
    expect(await server.ctx.db.consent.count({ where: { slotId, status: "active" } })).toBe(1);
    const read = await platform.request<{ status: string }>("GET", `/v1/publications/${publication.id}`);
    expect(read.body.status).toBe("pending");
    expect(
      await server.ctx.db.auditEvent.count({ where: { type: "publication.declined", publicationId: publication.id } }),
    ).toBe(0);
  });

  test("on either database, exactly one of a consent and several declines counts", async () => {
    for (let i = 0; i < 5; i++) {
      const { publication, slotId, options, response } = await readyToSign();
      const answers = await Promise.all([
        first.api("POST", `/requests/${slotId}/consent`, { document: options.body.document, response }),
        ...[0, 1].map(() => first.api("POST", `/requests/${slotId}/decline`)),
      ]);
      const statuses = answers.map((a) => a.status);
      expect(
        statuses.filter((s) => s < 300),
        JSON.stringify(statuses),
      ).toHaveLength(1);
      expect(
        statuses.filter((s) => s >= 300).every((s) => s === 409),
        JSON.stringify(statuses),
      ).toBe(true);
      const slot = await server.ctx.db.slot.findUniqueOrThrow({ where: { id: slotId }, select: { status: true } });
      const consents = await server.ctx.db.consent.count({ where: { slotId } });
      expect(answers[0]!.status === 201 ? ["consented", 1] : ["declined", 0], JSON.stringify(statuses)).toEqual([
        slot.status,
        consents,
      ]);
    }
  });
});
