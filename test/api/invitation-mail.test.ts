import request from "supertest";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { createdPublicationSchema, reissuedInvitationSchema } from "@vergewis/sdk";
import { hashInvitation } from "../../packages/server/src/publication/invitation.ts";
import { closedPort } from "../support/closed-port.ts";
import { consentedPublication } from "../support/consented.ts";
import { bearer, coPerformerAddress, publicationRequest } from "../support/fixtures.ts";
import { invitationIn } from "../support/mail.ts";
import { TestPlatform } from "../support/platform.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer();
  key = (await server.createPlatform("Alpha")).apiKey;
});
afterAll(() => server?.close());

const api = () => request(server.url);
const stored = () =>
  Promise.all([server.ctx.db.publication.count(), server.ctx.db.slot.count(), server.ctx.db.invitationMail.count()]);

/** Every row of every table of the database, all columns, as text (bytea as hex). */
async function dumpEveryTable(target: TestServer): Promise<string> {
  const tables = await target.ctx.db.$queryRaw<Array<{ name: string }>>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`;
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["InvitationMail", "IdempotencyKey", "Slot"]));
  let dump = "";
  for (const { name } of tables) {
    const rows = await target.ctx.db.$queryRawUnsafe<Array<{ row: string }>>(
      `SELECT row_to_json(t)::text AS row FROM "${name.replaceAll('"', '""')}" t`,
    );
    dump += `${name}\n${rows.map((r) => r.row).join("\n")}\n`;
  }
  return dump;
}

/** A code in every spelling the portal accepts it in, and its link. */
const spellings = (invitation: { code: string; url: string }) => [
  invitation.code,
  invitation.code.replaceAll("-", ""),
  invitation.code.replaceAll("-", "").toLowerCase(),
  invitation.url,
];

describe("invitation mail", () => {
  test("the co-performer's invitation goes by mail, in their language, with a plain-text part; the API returns the uploader's alone", async () => {
    const english = coPerformerAddress();
    const dutch = coPerformerAddress();
    const body = publicationRequest({
      slots: [
        { role: "uploader" },
        { role: "co-performer", contact: english, language: "en" },
        { role: "co-performer", contact: dutch },
      ],
    });
    const res = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .set("accept-language", "nl-NL,nl;q=0.9")
      .send(body)
      .expect(201);
    const created = createdPublicationSchema.parse(res.body);
    expect(created.invitations.map((i) => i.slotId)).toEqual([created.slots[0]!.id]);
    expect(JSON.stringify(res.body).match(/\/portal\/i\//g)).toHaveLength(1);

    const [en, nl] = await Promise.all([server.mail.waitForMail(english), server.mail.waitForMail(dutch)]);
    expect(en.subject).toBe("Alpha asks for your consent through Vergewis");
    expect(nl.subject).toBe("Alpha vraagt via Vergewis je toestemming");
    for (const [mail, slot] of [
      [en, created.slots[1]!],
      [nl, created.slots[2]!],
    ] as const) {
      const invitation = invitationIn(mail);
      expect(mail.html).toContain(`href="${invitation.url}"`);
      expect(mail.html).toContain(invitation.code);
      // No tracking: no images, no links but the portal's own.
      expect(mail.html).not.toMatch(/<img/i);
      expect([...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1]!).origin)).toEqual(
        expect.arrayContaining([new URL(invitation.url).origin]),
      );
      expect(new Set([...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1]!).origin)).size).toBe(1);
      const row = await server.ctx.db.slot.findUniqueOrThrow({ where: { id: slot.id } });
      expect(Buffer.from(row.codeHash)).toEqual(Buffer.from(hashInvitation(server.ctx.secret, invitation.code)!));
    }
    expect(nl.text).toContain("Open het verzoek");
    expect(en.text).toContain("Open the request");

    // Sent: the sealed code is gone, and the log says so.
    await vi.waitFor(async () => {
      const mails = await server.ctx.db.invitationMail.findMany({ where: { slot: { publicationId: created.id } } });
      expect(mails.map((m) => [m.status, m.sealed])).toEqual([
        ["sent", null],
        ["sent", null],
      ]);
    });
    const events = await server.ctx.db.auditEvent.findMany({
      where: { publicationId: created.id, type: "invitation.mail_sent" },
    });
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.entry).join()).not.toContain("@example.test");
  });

  test("an idempotent replay answers without codes, and no table holds a code or a link at rest", async () => {
    const contact = coPerformerAddress();
    const body = publicationRequest({ slots: [{ role: "uploader" }, { role: "co-performer", contact }] });
    const first = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .set("idempotency-key", `replay-${contact}`)
      .send(body)
      .expect(201);
    const uploader = createdPublicationSchema.parse(first.body).invitations[0]!;
    const coPerformer = invitationIn(await server.mail.waitForMail(contact));
    const replay = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .set("idempotency-key", `replay-${contact}`)
      .send(body)
      .expect(201);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(createdPublicationSchema.parse(replay.body)).toMatchObject({ id: first.body.id, invitations: [] });
    const secrets = [...spellings(uploader), ...spellings(coPerformer)];
    for (const secret of secrets) expect(JSON.stringify(replay.body)).not.toContain(secret);
    await vi.waitFor(async () =>
      expect(
        await server.ctx.db.invitationMail.findFirst({ where: { slot: { publicationId: first.body.id } } }),
      ).toMatchObject({ status: "sent" }),
    );
    const dump = await dumpEveryTable(server);
    for (const secret of secrets) expect(dump).not.toContain(secret);
  });

  test("a mail still waiting holds its code sealed only", async () => {
    // No worker: the mail stays in the outbox.
    const waiting = await startTestServer({ worker: { enabled: false } });
    try {
      const platform = await TestPlatform.create(waiting);
      const contact = coPerformerAddress();
      const res = await platform.request<{ id: string; invitations: Array<{ code: string; url: string }> }>(
        "POST",
        "/v1/publications",
        publicationRequest({ slots: [{ role: "uploader" }, { role: "co-performer", contact }] }),
      );
      expect(res.status).toBe(201);
      const [mail] = await waiting.ctx.db.invitationMail.findMany();
      expect(mail).toMatchObject({
        status: "pending",
        sealed: expect.stringMatching(/^eyJ[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/),
      });
      const dump = await dumpEveryTable(waiting);
      for (const secret of spellings(res.body.invitations[0]!)) expect(dump).not.toContain(secret);
      expect(dump).not.toMatch(/\/portal\/i\//);
    } finally {
      await waiting.close();
    }
  });

  test("a mail server that cannot be reached is retried until the window ends, then the mail fails, in the log", async () => {
    const unreachable = await startTestServer({
      mail: { smtpUrl: `smtp://127.0.0.1:${await closedPort()}` },
      webhooks: { retryInitialDelay: 50, retryMaxDelay: 200, retryWindow: 5_000 },
      worker: { pollInterval: 20 },
    });
    try {
      const platform = await TestPlatform.create(unreachable);
      const res = await platform.request<{ id: string }>(
        "POST",
        "/v1/publications",
        publicationRequest({ slots: [{ role: "co-performer", contact: coPerformerAddress() }] }),
      );
      expect(res.status).toBe(201);
      await vi.waitFor(
        async () =>
          expect(await unreachable.ctx.db.invitationMail.findFirst()).toMatchObject({
            status: "retrying",
            sealed: expect.any(String),
          }),
        { timeout: 20_000, interval: 20 },
      );
      await vi.waitFor(
        async () =>
          expect(await unreachable.ctx.db.invitationMail.findFirst()).toMatchObject({ status: "failed", sealed: null }),
        { timeout: 20_000, interval: 100 },
      );
      const mail = await unreachable.ctx.db.invitationMail.findFirstOrThrow();
      expect(mail.attempts).toBeGreaterThan(1);
      const [event] = await unreachable.ctx.db.auditEvent.findMany({ where: { type: "invitation.mail_failed" } });
      expect(JSON.parse(event!.entry)).toMatchObject({
        data: { mailId: mail.id, reason: "retries_exhausted", attempts: mail.attempts },
      });
    } finally {
      await unreachable.close();
    }
  });
});

describe("bad invitation input", () => {
  test.each([
    ["a contact that is not an e-mail address", { role: "co-performer", contact: "@handle" }, "/body/slots/1/contact"],
    ["a co-performer without a contact", { role: "co-performer" }, "/body/slots/1/contact"],
    [
      "an unknown mail language",
      { role: "co-performer", contact: "a@example.test", language: "de" },
      "/body/slots/1/language",
    ],
  ])("%s: 400 problem+json, nothing stored", async (_name, slot, pointer) => {
    const before = await stored();
    const res = await api()
      .post("/v1/publications")
      .set(bearer(key))
      .send(publicationRequest({ slots: [{ role: "uploader" }, slot as never] }))
      .expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: "invalid_request" });
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([pointer]);
    expect(await stored()).toEqual(before);
  });
});

describe("POST /v1/publications/{id}/slots/{slotId}/invitation", () => {
  const reissue = (id: string, slotId: string, apiKey = key) =>
    api().post(`/v1/publications/${id}/slots/${slotId}/invitation`).set(bearer(apiKey));

  test("mails a new invitation to a co-performer: the old code is dead, the new one works, the log says so", async () => {
    const platform = new TestPlatform(
      server,
      (await server.ctx.db.platform.findFirstOrThrow({ where: { name: "Alpha" } })).id,
      key,
    );
    const contact = coPerformerAddress();
    const created = await platform.publish({
      slots: [{ role: "uploader" }, { role: "co-performer", contact, language: "en" }],
    });
    const old = created.invitations[1]!;
    const slotId = created.slots[1]!.id;
    const res = await reissue(created.id, slotId).expect(200);
    expect(reissuedInvitationSchema.parse(res.body)).toMatchObject({
      mailed: true,
      invitation: null,
      slot: { id: slotId },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/\/portal\/i\//);
    const mail = await server.mail.waitForMail(contact);
    expect(mail.subject).toBe("Alpha asks for your consent through Vergewis");
    const fresh = invitationIn(mail);
    expect(fresh.code).not.toBe(old.code);
    const row = await server.ctx.db.slot.findUniqueOrThrow({ where: { id: slotId } });
    expect(Buffer.from(row.codeHash)).toEqual(Buffer.from(hashInvitation(server.ctx.secret, fresh.code)!));
    expect(await server.ctx.db.slot.count({ where: { codeHash: hashInvitation(server.ctx.secret, old.code)! } })).toBe(
      0,
    );
    const [event] = await server.ctx.db.auditEvent.findMany({
      where: { publicationId: created.id, type: "invitation.reissued" },
    });
    expect(JSON.parse(event!.entry)).toMatchObject({ data: { slotId, mailed: true } });
  });

  test("the uploader slot's new invitation is in the answer, not in a replay", async () => {
    const res = await api().post("/v1/publications").set(bearer(key)).send(publicationRequest()).expect(201);
    const slotId = res.body.slots[0].id;
    const first = await reissue(res.body.id, slotId).set("idempotency-key", `uploader-${slotId}`).expect(200);
    const reissued = reissuedInvitationSchema.parse(first.body);
    expect(reissued).toMatchObject({ mailed: false, invitation: { slotId } });
    expect(reissued.invitation!.code).not.toBe(res.body.invitations[0].code);
    const replay = await reissue(res.body.id, slotId).set("idempotency-key", `uploader-${slotId}`).expect(200);
    expect(replay.body).toMatchObject({ mailed: false, invitation: null });
  });

  test("unknown publication or slot: 404; an answered slot: 409; nothing changes", async () => {
    const platform = new TestPlatform(
      server,
      (await server.ctx.db.platform.findFirstOrThrow({ where: { name: "Alpha" } })).id,
      key,
    );
    const { publication } = await consentedPublication(server, platform, { slots: 2, signed: 1 });
    const [uploaderSlot, openSlot] = publication.slots;
    const before = await server.ctx.db.slot.findMany({
      where: { publicationId: publication.id },
      orderBy: { position: "asc" },
    });
    const other = await server.createPlatform("Beta");

    for (const res of [
      await reissue(publication.id, "00000000-0000-7000-8000-000000000000").expect(404),
      await reissue("not-a-uuid", openSlot!.id).expect(404),
      await reissue(publication.id, "not-a-uuid").expect(404),
      await reissue(publication.id, openSlot!.id, other.apiKey).expect(404),
    ]) {
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe("not_found");
    }
    const answered = await reissue(publication.id, uploaderSlot!.id).expect(409);
    expect(answered.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(answered.body).toMatchObject({ status: 409, code: "slot_not_open" });
    const bad = await reissue(publication.id, openSlot!.id).send({ unexpected: true }).expect(400);
    expect(bad.body.code).toBe("invalid_request");

    expect(
      await server.ctx.db.slot.findMany({ where: { publicationId: publication.id }, orderBy: { position: "asc" } }),
    ).toEqual(before);
    expect(
      await server.ctx.db.auditEvent.count({ where: { publicationId: publication.id, type: "invitation.reissued" } }),
    ).toBe(0);
  });

  test("at most 5 reissues per slot and hour (429)", async () => {
    const res = await api().post("/v1/publications").set(bearer(key)).send(publicationRequest()).expect(201);
    const slotId = res.body.slots[1].id;
    for (let i = 0; i < 5; i++) await reissue(res.body.id, slotId).expect(200);
    const refused = await reissue(res.body.id, slotId).expect(429);
    expect(refused.body).toMatchObject({ code: "rate_limited" });
    expect(
      await server.ctx.db.auditEvent.count({ where: { publicationId: res.body.id, type: "invitation.reissued" } }),
    ).toBe(5);
  });
});
