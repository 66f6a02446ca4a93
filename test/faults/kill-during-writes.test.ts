import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { CreatedPublication } from "@vergewis/sdk";
import { issueAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import { verifyRemoteLog } from "../../packages/server/src/verifier/remote-log.ts";
import { createDb, type Db } from "../../packages/server/src/db/client.ts";
import { startEmbeddedDatabase } from "../../packages/server/src/db/embedded/start.ts";
import { sendOperatorCommand } from "../../packages/server/src/operator/channel.ts";
import { createPlatform, type CreatedPlatform } from "../../packages/server/src/platform/create.ts";
import { closedPort } from "../support/closed-port.ts";
import { createTestDatabase, databaseKind, seedEmbeddedDataDir } from "../support/database.ts";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { TestPerformer } from "../support/performer.ts";
import { invitationIn, startMailCatcher, type MailCatcher } from "../support/mail.ts";
import { freshIdentity } from "../support/portal.ts";
import { spawnServer, type ServerProcess } from "../support/server-process.ts";

// kill -9 of `vergewis start` in the middle of bursts of writes (publication requests, consent
// signatures, revocations, takedown acknowledgements), restarted on the same data each time:
// every write a client saw acknowledged is there, nothing is half-written, retried requests are
// not duplicated, and the audit log verifies. On the embedded database (the default: PGlite in
// the server's own process, dying with it) and on PostgreSQL.

const embedded = databaseKind() === "pglite";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-kill-"));
let databaseUrl = "";
let closeDatabase = async () => {};
let port = 0;
let server: ServerProcess | undefined;
let base = "";
let platform: CreatedPlatform;
let auditorToken = "";
/** Where the server mails co-performers' invitations until the bursts begin. */
let mail: MailCatcher;
let mailing = true;

const env = () => ({
  VERGEWIS_DATA_DIR: dataDir,
  VERGEWIS_PORT: String(port),
  VERGEWIS_SECRET: SECRET,
  VERGEWIS_WORKER_POLL_INTERVAL: "200ms",
  VERGEWIS_RATE_LIMIT_LOGIN: "10000",
  VERGEWIS_RATE_LIMIT_INVITATIONS: "10000",
  VERGEWIS_RATE_LIMIT_VERIFICATION: "10000",
  ...(mailing && { VERGEWIS_SMTP_URL: mail.smtpUrl }),
  ...(databaseUrl && { DATABASE_URL: databaseUrl, VERGEWIS_DATABASE_POOL_SIZE: "5" }),
});
const SECRET = randomBytes(32).toString("base64url");

async function start() {
  server = await spawnServer(env());
  base = `http://localhost:${port}`;
}

/** Acknowledged writes, and requests whose outcome the client never learnt. */
const acked = {
  publications: new Map<string, CreatedPublication>(),
  consents: new Set<string>(),
  revocations: new Set<string>(),
  acknowledgements: new Set<string>(),
};
const unanswered = new Map<string, ReturnType<typeof publicationRequest>>();
/** The co-performer's address of each acknowledged publication (its invitation comes by mail). */
const coPerformerContacts = new Map<string, string>();

beforeAll(async () => {
  port = await closedPort();
  mail = await startMailCatcher();
  if (embedded) {
    await seedEmbeddedDataDir(dataDir);
    await start();
    platform = (await sendOperatorCommand(dataDir, "platform.create", { name: "Crash platform" })) as CreatedPlatform;
    auditorToken = ((await sendOperatorCommand(dataDir, "auditor.create", { platformId: null })) as { token: string })
      .token;
  } else {
    const database = await createTestDatabase();
    databaseUrl = database.url;
    closeDatabase = database.close;
    const db = createDb(databaseUrl, 1);
    platform = await createPlatform(db, { name: "Crash platform" });
    auditorToken = (await issueAuditorToken(db, { platformId: null })).token;
    await db.$disconnect();
    await start();
  }
}, 120_000);
afterAll(async () => {
  await server?.kill();
  await closeDatabase();
  await mail?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...bearer(platform.apiKey), "content-type": "application/json", ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as T };
}

async function requestPublication(key = randomBytes(8).toString("hex"), body = publicationRequest()) {
  unanswered.set(key, body);
  const res = await api<CreatedPublication>("POST", "/v1/publications", body, { "Idempotency-Key": key });
  if (res.status !== 201) throw new Error(`publication request: ${res.status} ${JSON.stringify(res.body)}`);
  unanswered.delete(key);
  acked.publications.set(res.body.id, res.body);
  coPerformerContacts.set(res.body.id, body.slots.find((s) => s.role === "co-performer")!.contact!);
  return res.body;
}

const counts = () => ({
  publications: acked.publications.size,
  consents: acked.consents.size,
  revocations: acked.revocations.size,
});

/**
 * Runs each lane in a loop until the server dies (a lane stops at its first failure: that
 * request's outcome is unknown). The kill comes once every kind of write has been acknowledged
 * at least `atLeast` times in this burst, while the lanes keep writing.
 */
async function burst(lanes: Array<() => Promise<boolean>>, atLeast: number) {
  const before = counts();
  let stopped = false;
  const loops = lanes.map(async (step) => {
    while (!stopped) {
      try {
        if (!(await step())) return;
      } catch {
        return; // the server is gone: this request's outcome is unknown
      }
    }
  });
  const deadline = Date.now() + 30_000;
  const progressed = () => {
    const now = counts();
    return (Object.keys(now) as Array<keyof typeof now>).every((k) => now[k] - before[k] >= atLeast);
  };
  while (!progressed() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(progressed(), "every kind of write went through before the kill").toBe(true);
  await server!.kill();
  stopped = true;
  await Promise.all(loops);
}

test("killed mid-burst twice: acknowledged writes are all there, none half-written, the log verifies", async () => {
  const performers: TestPerformer[] = [];
  for (let i = 0; i < 4; i++) {
    const performer = new TestPerformer(base);
    performers.push(await performer.onboard(freshIdentity()));
  }
  // Publications to sign during the bursts; some signed (and some revoked) beforehand so that
  // revocations and acknowledgements have something to work on. Each lane has a performer of its
  // own: one authenticator's signature counter only goes up if its assertions arrive in order.
  const pool: CreatedPublication[] = [];
  // Enough work that no lane runs dry in two bursts, however fast one kind of write is
  // compared with the slowest (a burst lasts until every kind has gone through).
  for (let i = 0; i < 12; i++) pool.push(await requestPublication());
  // Each slot's invitation link: the uploader's from the API's answer, the co-performer's from the
  // mail Vergewis sent to their address (all caught before the bursts, so that signing does not
  // wait for the mail worker).
  const links = new Map<string, string>();
  for (const publication of pool)
    for (const slot of publication.slots)
      links.set(
        slot.id,
        slot.role === "uploader"
          ? publication.invitations.find((i) => i.slotId === slot.id)!.url
          : invitationIn(await mail.waitForMail(coPerformerContacts.get(publication.id)!)).url,
      );
  // The bursts run without mail (a graceful restart): the invitations of publications requested
  // during them wait in the database, so that every audit entry is written by the writes under
  // test, none by a mail sent after the checkpoint.
  await server!.stop();
  mailing = false;
  await start();
  const sign = async (performer: TestPerformer, publication: CreatedPublication, slot: number) => {
    const claim = await performer.acceptInvitation(links.get(publication.slots[slot]!.id)!);
    if (claim.status !== 200) throw new Error(`claim: ${claim.status}`);
    const res = await performer.consent(publication.slots[slot]!.id);
    if (res.status !== 201) throw new Error(`consent: ${res.status} ${JSON.stringify(res.body)}`);
    acked.consents.add(res.body.consentId as string);
    return res.body.consentId as string;
  };
  const revoke = async (performer: TestPerformer, consentId: string) => {
    const res = await performer.revoke(consentId);
    if (res.status !== 200) throw new Error(`revocation: ${res.status} ${JSON.stringify(res.body)}`);
    acked.revocations.add(consentId);
  };
  const signedBefore: Array<{ performer: TestPerformer; consentId: string }> = [];
  for (const publication of pool.slice(0, 6))
    for (const slot of [0, 1])
      signedBefore.push({
        performer: performers[2 + slot]!,
        consentId: await sign(performers[2 + slot]!, publication, slot),
      });
  for (const { performer, consentId } of signedBefore.splice(0, 2)) await revoke(performer, consentId);

  const toSign = pool.slice(6).flatMap((publication) => [0, 1].map((slot) => ({ publication, slot })));
  const lanes = () => [
    async () => (await requestPublication(), true),
    async () => {
      const next = toSign.find((t) => t.slot === 0);
      if (!next) return false;
      toSign.splice(toSign.indexOf(next), 1);
      await sign(performers[0]!, next.publication, 0);
      return true;
    },
    async () => {
      const next = toSign.find((t) => t.slot === 1);
      if (!next) return false;
      toSign.splice(toSign.indexOf(next), 1);
      await sign(performers[1]!, next.publication, 1);
      return true;
    },
    ...[2, 3].map((p) => async () => {
      const next = signedBefore.find((s) => s.performer === performers[p]);
      if (!next) return false;
      signedBefore.splice(signedBefore.indexOf(next), 1);
      await revoke(next.performer, next.consentId);
      return true;
    }),
    async () => {
      const open = await api<{ items: Array<{ id: string }> }>("GET", "/v1/takedowns?status=open");
      const [first] = open.body.items;
      if (!first) return (await new Promise((resolve) => setTimeout(resolve, 50)), true);
      const res = await api("POST", `/v1/takedowns/${first.id}/ack`, { removedAt: new Date().toISOString() });
      if (res.status !== 200 && res.status !== 409) throw new Error(`ack: ${res.status}`);
      if (res.status === 200) acked.acknowledgements.add(first.id);
      return true;
    },
  ];
  for (const atLeast of [1, 2]) {
    await burst(lanes(), atLeast);
    await start();
  }

  // Clients retry what went unanswered with the same Idempotency-Key: created once, not twice.
  const retried = unanswered.size;
  for (const [key, body] of [...unanswered]) await requestPublication(key, body);

  // What every acknowledged write left behind, as the API shows it after the restarts.
  for (const [id, created] of acked.publications) {
    const res = await api("GET", `/v1/publications/${id}`);
    expect(res.status, id).toBe(200);
    expect(res.body.slots.map((s: { id: string }) => s.id)).toEqual(created.slots.map((s) => s.id));
  }
  const checkpoint = await fetch(`${base}/v1/audit/checkpoint`, { method: "POST", headers: bearer(auditorToken) });
  expect(checkpoint.status).toBe(200);
  const verified = await verifyRemoteLog({ url: base, token: auditorToken });
  expect(verified).toMatchObject({ ok: true });
  await server!.stop();

  const { db, close } = await openDatabase();
  try {
    await expectIntact(db, verified.treeSize);
  } finally {
    await db.$disconnect();
    await close();
  }
  console.info(
    `kill -9 ×2 (${databaseKind()}): acknowledged ${acked.publications.size} publications, ${acked.consents.size} consents, ` +
      `${acked.revocations.size} revocations, ${acked.acknowledgements.size} acknowledgements; ${retried} retried requests`,
  );
  expect(acked.acknowledgements.size).toBeGreaterThan(0);
}, 180_000);

/** The server's database, opened by the test once the server is gone. */
async function openDatabase(): Promise<{ db: Db; close(): Promise<void> }> {
  if (!embedded) return { db: createDb(databaseUrl, 1), close: async () => {} };
  const database = await startEmbeddedDatabase({ dir: path.join(dataDir, "pgdata") });
  return { db: createDb(database.url, 1), close: database.stop };
}

async function expectIntact(db: Db, treeSize: number) {
  const events = await db.auditEvent.findMany({ select: { type: true, entry: true, publicationId: true } });
  expect(events.length, "every entry is under the verified checkpoint").toBe(treeSize);
  const logged = (type: string, key: string, value: string) =>
    events.some(
      (e) => e.type === type && (JSON.parse(e.entry) as { data: Record<string, unknown> }).data[key] === value,
    );

  const publications = await db.publication.findMany({ include: { slots: true } });
  for (const id of acked.publications.keys()) expect(publications.map((p) => p.id)).toContain(id);
  for (const publication of publications) {
    expect(publication.slots.length, `slots of ${publication.id}`).toBe(2);
    expect(events.some((e) => e.type === "publication.requested" && e.publicationId === publication.id)).toBe(true);
  }
  const externalIds = publications.map((p) => p.externalId);
  expect(new Set(externalIds).size, "no publication request was created twice").toBe(externalIds.length);

  const consents = await db.consent.findMany();
  for (const id of acked.consents) expect(consents.map((c) => c.id)).toContain(id);
  for (const consent of consents) {
    expect(consent.receipt, `receipt of ${consent.id}`).toBeTruthy();
    expect(consent.statusListIndex).not.toBeNull();
    expect(logged("consent.signed", "consentId", consent.id), `consent.signed ${consent.id}`).toBe(true);
    if (acked.revocations.has(consent.id)) expect(consent.status).toBe("revoked");
    if (consent.status === "revoked")
      expect(logged("consent.revoked", "consentId", consent.id), `consent.revoked ${consent.id}`).toBe(true);
  }
  const takedowns = await db.takedown.findMany();
  for (const takedown of takedowns) {
    expect(logged("takedown.requested", "takedownId", takedown.id)).toBe(true);
    if (acked.acknowledgements.has(takedown.id)) expect(takedown.acknowledgedAt).not.toBeNull();
    if (takedown.acknowledgedAt) expect(logged("takedown.acknowledged", "takedownId", takedown.id)).toBe(true);
  }
  // Every revocation was of a cleared publication: its takedown was ordered in the same
  // transaction (by the first revocation of that publication).
  for (const consent of consents.filter((c) => c.status === "revoked"))
    expect(takedowns.some((t) => t.publicationId === consent.publicationId && t.reason === "revocation")).toBe(true);
}
