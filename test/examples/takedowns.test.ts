// The example platform's takedown side against a real Vergewis server: the webhook receiver, the
// fallback poll and the endpoint registration, over real HTTP with real signatures.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { deliveryListSchema, Vergewis, type WebhookDelivery } from "@vergewis/sdk";
import {
  createExampleApp,
  ReviewLinks,
  platformGate,
  startExample,
  takeDown,
  type RunningExample,
  type Upload,
} from "../../packages/examples/src/index.ts";
import { freshIdentity, newPerformer } from "../support/portal.ts";
import { invitationLink } from "../support/mail.ts";
import { ensureCredentials } from "../../scripts/local-system/credentials.ts";
import { closedPort } from "../support/closed-port.ts";
import { movePublicationTo, revokePublication } from "../support/states.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { producedToday } from "../support/fixtures.ts";

let server: TestServer;
let apiKey: string;
let vergewis: Vergewis;
const dirs: string[] = [];
const running: RunningExample[] = [];

beforeAll(async () => {
  server = await startTestServer();
  apiKey = (await server.createPlatform("Example platform")).apiKey;
  vergewis = new Vergewis({ apiKey, baseUrl: server.url });
});
afterAll(async () => {
  for (const example of running) await example.close();
  await server?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(
  options: { apiKey?: string; dataDir?: string; port?: number; takedownPollMs?: number; webhookSecret?: string } = {},
) {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-example-takedown-"));
  if (!dirs.includes(dataDir)) dirs.push(dataDir);
  const example = await startExample({
    vergewisUrl: server.url,
    apiKey: options.apiKey ?? apiKey,
    dataDir,
    port: options.port ?? 0,
    gateCacheMs: 60_000,
    takedownPollMs: options.takedownPollMs ?? 0,
    ...(options.webhookSecret && { webhookSecret: options.webhookSecret }),
  });
  running.push(example);
  return { example, dataDir };
}

async function stop(example: RunningExample) {
  running.splice(running.indexOf(example), 1);
  await example.close();
}

/** Uploads a random file, with the uploader as the one person in it; returns the upload as recorded. */
async function uploaded(
  example: RunningExample,
  bytes = randomBytes(20_000),
  fields: Record<string, string> = {},
): Promise<Upload> {
  const body = new FormData();
  for (const [name, value] of Object.entries({
    title: "Scene",
    uploaderDepicted: "yes",
    territories: "NL",
    producedAt: producedToday(),
    ...fields,
  }))
    body.append(name, value);
  body.append("file", new Blob([new Uint8Array(bytes)], { type: "video/mp4" }), "scene.mp4");
  const res = await fetch(`${example.url}/uploads`, { method: "POST", body, redirect: "manual" });
  expect(res.status).toBe(303);
  return (await example.store.get(res.headers.get("location")!.split("/").pop()!))!;
}

/** Uploads a random file and clears its publication; returns the upload's id and publication. */
async function published(example: RunningExample) {
  const bytes = randomBytes(20_000);
  const { id, publicationId } = await uploaded(example, bytes);
  await movePublicationTo(server.ctx.db, publicationId, ["cleared"]);
  expect((await fetch(`${example.url}/media/${id}`)).status).toBe(200);
  return { id, publicationId, bytes };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const takedownOf = async (publicationId: string) => (await vergewis.takedowns.list({ publicationId })).items[0];

/** Standard Webhooks signature, as the server makes it: for requests the tests forge. */
function sign(secret: string, id: string, timestamp: number, body: string) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

describe("the webhook receiver", () => {
  let example: RunningExample;
  let dataDir: string;
  beforeAll(async () => {
    ({ example, dataDir } = await start());
  });

  test("on takedown.requested deletes the file, answers 410 without asking Vergewis, and acknowledges", async () => {
    const { id, publicationId } = await published(example);
    await revokePublication(server.ctx.db, publicationId);
    const acknowledged = await eventually(async () => {
      const takedown = await takedownOf(publicationId);
      return takedown?.status === "acknowledged" ? takedown : undefined;
    });
    const upload = (await example.store.get(id))!;
    expect(upload.takedownId).toBe(acknowledged.id);
    expect(acknowledged.removedAt).toBe(upload.takenDownAt!.toISOString());
    expect(acknowledged.note).toContain("File deleted");
    expect(fs.existsSync(path.join(dataDir, "files", id))).toBe(false);
    // The gate's cache (60 s here) still holds "cleared": the 410 comes from the platform's own record.
    const media = await fetch(`${example.url}/media/${id}`);
    expect(media.status).toBe(410);
    expect(await (await fetch(`${example.url}/uploads/${id}`)).text()).toContain("Removed here on");
    const audit = await server.ctx.db.auditEvent.findMany({ where: { publicationId, type: "takedown.acknowledged" } });
    expect(audit).toHaveLength(1);
  });

  test("a redelivery (same webhook-id) is answered 204 and not acted on twice", async () => {
    const { id, publicationId } = await published(example);
    await revokePublication(server.ctx.db, publicationId);
    await eventually(async () => ((await example.store.get(id))?.takenDownAt ? true : undefined));
    const takenDownAt = (await example.store.get(id))!.takenDownAt;
    const delivery = (await deliveries("eventType=takedown.requested&status=delivered&limit=100")).at(-1)!;
    const redelivered = await fetch(`${server.url}/v1/webhook-deliveries/${delivery.id}/redeliver`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(redelivered.status).toBeLessThan(300);
    await eventually(async () => {
      const [again] = (await deliveries(`eventId=${delivery.eventId}`)).filter((d) => d.status === "delivered");
      return again && again.lastAttemptAt! > delivery.lastAttemptAt! ? again : undefined;
    });
    expect((await example.store.get(id))!.takenDownAt).toEqual(takenDownAt);
  });

  test("refuses what it cannot verify, with 400, and changes nothing", async () => {
    const { id, publicationId } = await published(example);
    const secret = (await example.store.webhookEndpoint(example.webhookUrl))!.secret;
    const event = (webhookId: string) =>
      JSON.stringify({
        id: webhookId,
        type: "takedown.requested",
        version: 1,
        timestamp: new Date().toISOString(),
        data: {
          publicationId,
          externalId: id,
          takedownId: randomUUID(),
          reason: "revocation",
          requestedAt: new Date().toISOString(),
          dueAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      });
    const now = Math.floor(Date.now() / 1000);
    const post = (headers: Record<string, string>, body: string) =>
      fetch(example.webhookUrl, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const cases: Array<[string, Record<string, string>, string, string]> = (() => {
      const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const body = { a: event(a), b: event(b), c: event(c) };
      return [
        ["no signature headers", {}, body.a, "webhook_missing_headers"],
        [
          "a wrong secret",
          {
            "webhook-id": a,
            "webhook-timestamp": String(now),
            "webhook-signature": sign(`whsec_${randomBytes(32).toString("base64")}`, a, now, body.a),
          },
          body.a,
          "webhook_invalid_signature",
        ],
        [
          "a body changed after signing",
          { "webhook-id": b, "webhook-timestamp": String(now), "webhook-signature": sign(secret, b, now, body.b) },
          body.b.replace("revocation", "report"),
          "webhook_invalid_signature",
        ],
        [
          "a replay ten minutes later",
          {
            "webhook-id": c,
            "webhook-timestamp": String(now - 600),
            "webhook-signature": sign(secret, c, now - 600, body.c),
          },
          body.c,
          "webhook_timestamp_out_of_tolerance",
        ],
        [
          "an id that differs from webhook-id",
          { "webhook-id": d, "webhook-timestamp": String(now), "webhook-signature": sign(secret, d, now, body.a) },
          body.a,
          "webhook_invalid_payload",
        ],
      ];
    })();
    for (const [what, headers, body, code] of cases) {
      const res = await post(headers, body);
      expect(res.status, what).toBe(400);
      expect(await res.json(), what).toEqual({ error: code });
    }
    expect((await example.store.get(id))!.takenDownAt).toBeNull();
    expect((await fetch(`${example.url}/media/${id}`)).status).toBe(200);
  });

  test("while Vergewis cannot be asked, an upload is served from its kept receipts; one without them is not (503)", async () => {
    const upload = await uploaded(example);
    const { id } = upload;
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    expect((await performer.acceptInvitation(upload.invitations[0]!.url!)).status).toBe(200);
    expect((await performer.consent(upload.invitations[0]!.slotId)).status).toBe(201);
    // publication.cleared brings the receipt.
    await eventually(async () =>
      (await example.store.receiptsBySha256(upload.sha256)).length === 1 ? true : undefined,
    );
    const without = await published(example);

    const unreachable = new Vergewis({ apiKey, baseUrl: `http://127.0.0.1:${await closedPort()}`, retries: 0 });
    const { gate, refreshKeys } = await platformGate({
      vergewis: unreachable,
      store: example.store,
      vergewisUrl: server.url,
      cacheMs: 0,
    });
    // What the platform does on start and hourly; the key set may be reachable when the API is not.
    expect(await refreshKeys()).toBe(true);
    const offline = await listen(
      createExampleApp({
        vergewis: unreachable,
        gate,
        store: example.store,
        filesDir: path.join(dataDir, "files"),
        maxUploadBytes: 1_000_000,
        takeDown: takeDown({
          vergewis: unreachable,
          store: example.store,
          gate,
          filesDir: path.join(dataDir, "files"),
        }),
        webhookSecrets: () => [],
        reviewLinks: new ReviewLinks("offline test"),
        portalOrigin: new URL(server.url).origin,
      }),
    );
    expect(await example.store.keySet()).toEqual(await (await fetch(`${server.url}/.well-known/jwks.json`)).json());
    expect(await gate({ fingerprint: { alg: "sha-256", value: upload.sha256 } })).toMatchObject({
      allowed: true,
      source: "offline",
      publicationId: upload.publicationId,
    });
    const served = await fetch(`${offline}/media/${id}`);
    expect(served.status).toBe(200);
    expect((await fetch(`${offline}/media/${without.id}`)).status).toBe(503);
  });
});

describe("a platform whose webhooks do not arrive", () => {
  // One platform and one data directory for the whole block: a fresh PGlite directory is slow to create.
  let apiKey: string;
  let dataDir: string;
  let example: RunningExample;
  beforeAll(async () => {
    apiKey = (await server.createPlatform("Example without webhooks")).apiKey;
    // A secret that matches no endpoint: every webhook is refused, as if the receiver were down.
    ({ example, dataDir } = await start({
      apiKey,
      webhookSecret: `whsec_${randomBytes(32).toString("base64")}`,
      takedownPollMs: 100,
    }));
  });
  const client = () => new Vergewis({ apiKey, baseUrl: server.url });
  const takedownOf = async (publicationId: string) => (await client().takedowns.list({ publicationId })).items[0];

  test("the poll takes down and acknowledges what the missed webhook asked for", async () => {
    const { id, publicationId } = await published(example);
    await revokePublication(server.ctx.db, publicationId);
    const acknowledged = await eventually(async () => {
      const takedown = await takedownOf(publicationId);
      return takedown?.status === "acknowledged" ? takedown : undefined;
    });
    expect((await example.store.get(id))!.takedownId).toBe(acknowledged.id);
    expect((await fetch(`${example.url}/media/${id}`)).status).toBe(410);
  });

  test("fetches the receipts a missed publication.cleared would have brought, once Vergewis says cleared", async () => {
    expect((await client().webhookEndpoints.list()).items).toEqual([]);
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    /** An upload its one performer consented to: cleared in Vergewis, and no webhook said so. */
    const consented = async () => {
      const upload = await uploaded(example);
      expect((await performer.acceptInvitation(upload.invitations[0]!.url!)).status).toBe(200);
      expect((await performer.consent(upload.invitations[0]!.slotId)).status).toBe(201);
      expect((await client().publications.get(upload.publicationId)).status).toBe("cleared");
      expect(await example.store.receiptsBySha256(upload.sha256)).toEqual([]);
      return upload;
    };
    const receiptsIn = async (upload: Upload) =>
      (await client().publications.consents(upload.publicationId)).items.map((consent) => consent.receipt);

    // The gate hears "cleared" on a view of the upload.
    const viewed = await consented();
    expect((await fetch(`${example.url}/media/${viewed.id}`)).status).toBe(200);
    expect(await example.store.receiptsBySha256(viewed.sha256)).toEqual(await receiptsIn(viewed));
    // The uploader's page hears it.
    const watched = await consented();
    const page = await (await fetch(`${example.url}/uploads/${watched.id}`)).text();
    expect(page).toContain("published: everyone consented");
    expect(await example.store.receiptsBySha256(watched.sha256)).toEqual(await receiptsIn(watched));

    // That is the evidence the gate decides from while Vergewis cannot be asked.
    const { gate, refreshKeys } = await platformGate({
      vergewis: new Vergewis({ apiKey, baseUrl: `http://127.0.0.1:${await closedPort()}`, retries: 0 }),
      store: example.store,
      vergewisUrl: server.url,
      cacheMs: 0,
    });
    expect(await refreshKeys()).toBe(true);
    for (const upload of [viewed, watched]) {
      expect(await gate({ fingerprint: { alg: "sha-256", value: upload.sha256 } })).toMatchObject({
        allowed: true,
        source: "offline",
        publicationId: upload.publicationId,
      });
    }
  });

  test("completes a partly kept set of receipts: the gate needs one for every person depicted", async () => {
    const upload = await uploaded(example, randomBytes(20_000), { coPerformers: "ana@example.test" });
    const { invitations } = upload;
    expect(invitations).toHaveLength(2);
    for (const invitation of invitations) {
      const performer = await newPerformer(server).onboard(freshIdentity("adult"));
      expect((await performer.acceptInvitation(await invitationLink(invitation, server.mail))).status).toBe(200);
      expect((await performer.consent(invitation.slotId)).status).toBe(201);
    }
    const all = (await client().publications.consents(upload.publicationId)).items;
    await example.store.addReceipts(upload.id, [{ consentId: all[0]!.id, receipt: all[0]!.receipt }]);

    expect((await fetch(`${example.url}/media/${upload.id}`)).status).toBe(200);
    expect((await example.store.receiptsOfUpload(upload.id)).sort()).toEqual(all.map((c) => c.receipt).sort());
  });

  test("on start it catches up with takedowns requested while it was down, and registers its endpoint", async () => {
    const { id, publicationId } = await published(example);
    await stop(example);
    await revokePublication(server.ctx.db, publicationId);
    ({ example } = await start({ apiKey, dataDir, takedownPollMs: 60_000 }));
    // startExample ran one pass before it returned.
    expect((await example.store.get(id))!.takenDownAt).not.toBeNull();
    expect((await takedownOf(publicationId))!.status).toBe("acknowledged");
    const registered = (await client().webhookEndpoints.list()).items.filter((e) => e.url === example.webhookUrl);
    expect(registered).toHaveLength(1);
    expect((await example.store.webhookEndpoint(example.webhookUrl))?.id).toBe(registered[0]!.id);
  });

  test("a restart on the same address reuses the endpoint and its stored secret", async () => {
    const saved = await example.store.webhookEndpoint(example.webhookUrl);
    const port = Number(new URL(example.url).port);
    await stop(example);
    ({ example } = await start({ apiKey, dataDir, port }));
    expect((await client().webhookEndpoints.list()).items.filter((e) => e.url === example.webhookUrl)).toHaveLength(1);
    expect(await example.store.webhookEndpoint(example.webhookUrl)).toEqual(saved);
  });

  test("an endpoint registered for its address whose secret it does not have gets a new secret", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/webhooks/vergewis`;
    const created = await client().webhookEndpoints.create({ url });
    await stop(example);
    ({ example } = await start({ apiKey, dataDir, port }));
    const saved = (await example.store.webhookEndpoint(url))!;
    expect(saved.id).toBe(created.id);
    expect(saved.secret).not.toBe(created.secret);
    expect((await client().webhookEndpoints.list()).items.filter((e) => e.url === url)).toHaveLength(1);
  });
});

test("the local system (npm start) keeps the example platform's key and the auditor token across restarts", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-credentials-"));
  dirs.push(dir);
  const file = path.join(dir, "credentials.json");
  const first = await ensureCredentials(server, file);
  expect((fs.statSync(file).mode & 0o777).toString(8)).toBe("600");
  expect(await ensureCredentials(server, file)).toEqual(first);
  const platform = await new Vergewis({ apiKey: first.apiKey, baseUrl: server.url }).takedowns.list();
  expect(platform.items).toEqual([]);
  // A key the server no longer accepts (a wiped database): new credentials.
  fs.writeFileSync(file, JSON.stringify({ ...first, apiKey: "vgw_live_unknown" }));
  const renewed = await ensureCredentials(server, file);
  expect(renewed.platformId).not.toBe(first.platformId);
  expect(renewed.auditorToken).not.toBe(first.auditorToken);
});

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));

async function listen(app: ReturnType<typeof createExampleApp>): Promise<string> {
  const http = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  servers.push(http);
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

async function deliveries(query: string): Promise<WebhookDelivery[]> {
  const res = await fetch(`${server.url}/v1/webhook-deliveries?${query}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  expect(res.status).toBe(200);
  return deliveryListSchema.parse(await res.json()).items;
}
