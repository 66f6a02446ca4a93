// The example platform, driven over HTTP as a browser would, against a real Vergewis server.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createGate, Vergewis } from "@vergewis/sdk";
import {
  createExampleApp,
  ReviewLinks,
  startExample,
  takeDown,
  UploadStore,
  type RunningExample,
} from "../../packages/examples/src/index.ts";
import { closedPort } from "../support/closed-port.ts";
import { movePublicationTo, revokePublication } from "../support/states.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { producedToday } from "../support/fixtures.ts";

const MAX_UPLOAD = 256 * 1024;

let server: TestServer;
let apiKey: string;
let tmp: string;
let dataDir: string;
let example: RunningExample;

beforeAll(async () => {
  server = await startTestServer();
  apiKey = (await server.createPlatform("Example platform")).apiKey;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-example-"));
  // Where `npm start` keeps it: under the hidden ./.vergewis, which must not hide the files.
  dataDir = path.join(tmp, ".vergewis", "example-platform");
  example = await startExample({
    vergewisUrl: server.url,
    apiKey,
    dataDir,
    port: 0,
    maxUploadBytes: MAX_UPLOAD,
    gateCacheMs: 0,
  });
});
afterAll(async () => {
  await example?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface UploadFields {
  title?: string;
  uploaderDepicted?: string;
  coPerformers?: string;
  territories?: string;
}

function form(file: Buffer | undefined, fields: UploadFields = {}, fileName = "scene.mp4"): FormData {
  const body = new FormData();
  const all = {
    title: "Scene one",
    uploaderDepicted: "yes",
    coPerformers: "co@example.test",
    territories: "NL, BE",
    producedAt: producedToday(),
    ...fields,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) body.append(name, value);
  if (file) body.append("file", new Blob([new Uint8Array(file)], { type: "video/mp4" }), fileName);
  return body;
}

const upload = (body: FormData, base = example.url) =>
  fetch(`${base}/uploads`, { method: "POST", body, redirect: "manual" });
const get = (url: string, base = example.url, cookie?: string) =>
  fetch(`${base}${url}`, { redirect: "manual", ...(cookie && { headers: { cookie } }) });
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const incoming = () => fs.readdirSync(path.join(dataDir, "files/incoming"));
const publicationsOf = (bytes: Buffer) =>
  server.ctx.db.publication.findMany({ where: { fingerprints: { some: { value: sha256(bytes) } } } });

/** Uploads a new random file and returns its id (from the redirect to its page). */
async function uploaded(bytes = randomBytes(50_000), fields: UploadFields = {}) {
  const res = await upload(form(bytes, fields));
  expect(res.status).toBe(303);
  const id = /^\/uploads\/([0-9a-f-]{36})$/.exec(res.headers.get("location") ?? "")![1]!;
  // The uploader's session: the browser that uploaded sees the invitations.
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  return { id, bytes, cookie, publicationId: (await example.store.get(id))!.publicationId };
}

describe("the upload form", () => {
  test("is server-rendered with a strict content security policy and one script of its own, for times", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<form method="post" action="/uploads" enctype="multipart/form-data">');
    expect(page.match(/<script[^>]*>/gi)).toEqual(['<script src="/local-time.js" defer>']);
    expect(page).not.toMatch(/\son\w+=|style="/i);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    const script = await get("/local-time.js");
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('querySelectorAll("time[datetime]")');
    const css = await get("/style.css");
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
  });

  test("has a favicon where the pages link it and where browsers look for it by themselves", async () => {
    expect(await (await get("/")).text()).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    for (const url of ["/favicon.svg", "/favicon.ico"]) {
      const icon = await get(url);
      expect(icon.status).toBe(200);
      expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
      expect(await icon.text()).toMatch(/^<svg /);
    }
  });
});

describe("an upload", () => {
  test("is stored, fingerprinted and registered with one slot per depicted person", async () => {
    const bytes = randomBytes(100_000);
    const { id, publicationId } = await uploaded(bytes, { coPerformers: "ana@example.test\n\n  bo@example.test  " });
    expect(fs.readFileSync(path.join(dataDir, "files", id)).equals(bytes)).toBe(true);
    expect(incoming()).toEqual([]);

    const stored = (await example.store.get(id))!;
    expect(stored).toMatchObject({
      title: "Scene one",
      fileName: "scene.mp4",
      mediaType: "video/mp4",
      bytes: 100_000,
      sha256: sha256(bytes),
    });
    const publication = await server.ctx.db.publication.findUniqueOrThrow({
      where: { id: publicationId },
      include: { slots: { orderBy: { position: "asc" } }, fingerprints: true },
    });
    expect(publication).toMatchObject({
      externalId: id,
      title: "Scene one",
      status: "pending",
      territories: ["BE", "NL"],
    });
    expect(publication.fingerprints.map((f) => [f.alg, f.value])).toEqual([["sha-256", sha256(bytes)]]);
    expect(publication.slots.map((s) => [s.role, s.contact])).toEqual([
      ["uploader", null],
      ["co-performer", "ana@example.test"],
      ["co-performer", "bo@example.test"],
    ]);
  });

  test("shows the uploader their own link and code and where Vergewis mailed the others, with the live status", async () => {
    const { id, cookie } = await uploaded();
    const res = await get(`/uploads/${id}`, example.url, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const page = await res.text();
    const stored = (await example.store.get(id))!;
    expect(stored.invitations).toHaveLength(2);
    const [own, mailed] = stored.invitations;
    expect(page).toContain(`<a href="${own!.url}">`);
    expect(page).toContain(`<code>${own!.code}</code>`);
    // The co-performer's code went by mail: the platform has none to show.
    expect(mailed).not.toHaveProperty("code");
    expect(page.match(/\/portal\/i\//g)).toHaveLength(2); // the uploader's link, as href and as text
    expect(page).toContain("mailed by Vergewis");
    for (const invitation of stored.invitations) {
      // A moment the reader's browser shows in their own time zone (UTC without scripts).
      const iso = new Date(invitation.expiresAt).toISOString();
      expect(page).toContain(`<time datetime="${iso}">${iso.slice(0, 16).replace("T", " ")} UTC</time>`);
    }
    // Which contact each invitation went to; the uploader's own has none.
    expect([...page.matchAll(/<td data-contact>([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(["—", "co@example.test"]);
    expect(page).toContain("waiting for consent");
    expect(page).toContain(`/media/${id}`);
  });

  test("shows another visitor, or another uploader, nothing of an upload's invitations", async () => {
    const { id } = await uploaded();
    const { cookie: someoneElse } = await uploaded();
    for (const cookie of [undefined, someoneElse, "example_session=forged"]) {
      const page = await (await get(`/uploads/${id}`, example.url, cookie)).text();
      expect(page).toContain("waiting for consent");
      expect(page).toContain("Only the person who uploaded this sees its invitations.");
      expect(page).not.toMatch(/\/portal\/i\/|<code>[0-9A-Z]{4}-|co@example\.test|data-contact/);
    }
  });

  test("escapes what the uploader typed", async () => {
    const { id } = await uploaded(undefined, { title: `<img src=x onerror="alert(1)">` });
    const page = await (await get(`/uploads/${id}`)).text();
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(page).not.toContain("<img");
    expect(await (await get("/")).text()).not.toContain("<img");
  });
});

describe("review links", () => {
  test("each upload's request names a signed, expiring review link that the portal's origin alone may read, while consent is awaited", async () => {
    const { id, bytes, publicationId } = await uploaded();
    const [item] = await server.ctx.db.contentFingerprint.findMany({
      where: { publicationId, alg: "sha-256" },
      select: { value: true, reviewUrl: true },
    });
    expect(item!.value).toBe(sha256(bytes));
    const link = new URL(item!.reviewUrl!);
    expect(link.origin).toBe(example.url);
    expect(link.pathname).toBe(`/review/${id}`);
    expect(Number(link.searchParams.get("exp"))).toBeGreaterThan(Date.now());

    const portal = new URL(server.url).origin;
    const res = await fetch(link, { headers: { Origin: portal } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(portal);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    // Another site's page may not read it.
    const other = await fetch(link, { headers: { Origin: "https://elsewhere.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    await other.arrayBuffer();

    const forged = new URL(link);
    forged.searchParams.set("exp", String(Number(link.searchParams.get("exp")) + 1));
    expect((await fetch(forged)).status).toBe(404);
    const otherId = new URL(link);
    otherId.pathname = `/review/${randomUUID()}`;
    expect((await fetch(otherId)).status).toBe(404);

    // Once the publication no longer waits for answers, the link is dead.
    await movePublicationTo(server.ctx.db, publicationId, ["cleared"]);
    expect((await fetch(link)).status).toBe(410);
  });
});

describe("public serving", () => {
  test("follows consent: 403 while pending, the file once cleared, 410 once revoked", async () => {
    const { id, bytes, publicationId } = await uploaded();
    const pending = await get(`/media/${id}`);
    expect(pending.status).toBe(403);
    expect(pending.headers.get("cache-control")).toBe("no-store");
    expect(await pending.text()).toContain("Not everyone who appears in this has consented yet.");

    await movePublicationTo(server.ctx.db, publicationId, ["cleared"]);
    const cleared = await get(`/media/${id}`);
    expect(cleared.status).toBe(200);
    expect(cleared.headers.get("content-type")).toBe("video/mp4");
    expect(cleared.headers.get("cache-control")).toBe("private, no-cache");
    expect(cleared.headers.get("content-security-policy")).toBe(
      "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
    );
    expect(Buffer.from(await cleared.arrayBuffer()).equals(bytes)).toBe(true);
    expect(await (await get(`/uploads/${id}`)).text()).toContain("published: everyone consented");

    await revokePublication(server.ctx.db, publicationId);
    const revoked = await get(`/media/${id}`);
    expect(revoked.status).toBe(410);
    expect(await revoked.text()).toContain("withdrew their consent");
  });

  test("offers files of other types only as downloads", async () => {
    const body = form(randomBytes(1000), {}, "page.html");
    body.set("file", new Blob([new Uint8Array(randomBytes(1000))], { type: "text/html" }), "page.html");
    const res = await upload(body);
    const id = res.headers.get("location")!.split("/").pop()!;
    await movePublicationTo(server.ctx.db, (await example.store.get(id))!.publicationId, ["cleared"]);
    const served = await get(`/media/${id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("application/octet-stream");
    expect(served.headers.get("content-disposition")).toMatch(/^attachment; filename="?page\.html"?$/);
  });

  test("unknown ids are 404", async () => {
    for (const url of ["/media/0b8a3f52-6d0e-4f0e-9a63-6a4f2f8d1c11", "/media/nonsense", "/uploads/nonsense"]) {
      expect((await get(url)).status).toBe(404);
    }
  });
});

describe("refused uploads store nothing", () => {
  const nothingStored = async (bytes: Buffer, publicationsBefore = 0) => {
    expect(await example.store.findBySha256(sha256(bytes))).toBeUndefined();
    expect(await publicationsOf(bytes)).toHaveLength(publicationsBefore);
    expect(incoming()).toEqual([]);
  };

  test("a re-upload of content taken down after consent was withdrawn is refused", async () => {
    const { bytes, publicationId } = await uploaded();
    await movePublicationTo(server.ctx.db, publicationId, ["cleared"]);
    await revokePublication(server.ctx.db, publicationId);
    const res = await upload(form(bytes, { title: "Same file, new title" }));
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("someone in it withdrew their consent");
    expect(await publicationsOf(bytes)).toHaveLength(1);
    expect(incoming()).toEqual([]);
  });

  test("the same file twice: the second is refused and points to the first", async () => {
    const { id, bytes } = await uploaded();
    const res = await upload(form(bytes, { title: "Again" }));
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`href="/uploads/${id}"`);
    expect(await publicationsOf(bytes)).toHaveLength(1);
  });

  test("a file over the size limit is refused with 413, whether its size is declared or streamed", async () => {
    const big = randomBytes(MAX_UPLOAD + 100_000);
    const declared = await upload(form(big));
    expect(declared.status).toBe(413);
    await nothingStored(big);

    // Chunked, without Content-Length: the limit is found while the bytes stream to disk.
    const request = new Request(`${example.url}/uploads`, { method: "POST", body: form(big) });
    const streamed = await fetch(`${example.url}/uploads`, {
      method: "POST",
      headers: { "content-type": request.headers.get("content-type")! },
      body: request.body,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.text()).toContain("The file is larger than");
    await nothingStored(big);
  });

  test("an invalid form is shown again with its errors", async () => {
    const bytes = randomBytes(1000);
    const cases: Array<[UploadFields, string]> = [
      [{ title: "   " }, "Give the upload a title."],
      [{ uploaderDepicted: undefined, coPerformers: "" }, "Say who appears in it"],
      [{ territories: "NL, XX" }, "must be an ISO 3166-1 alpha-2 country code"],
      [{ territories: "" }, "Too small"],
      [{ coPerformers: "x".repeat(400) }, "A contact:"],
    ];
    for (const [fields, message] of cases) {
      const res = await upload(form(bytes, { title: "Kept title", ...fields }));
      expect(res.status, message).toBe(400);
      const page = await res.text();
      expect(page).toContain(message);
      if (fields.title === undefined) expect(page).toContain('value="Kept title"');
    }
    const noFile = await upload(form(undefined));
    expect(noFile.status).toBe(400);
    expect(await noFile.text()).toContain("Choose a file to upload.");
    await nothingStored(bytes);
  });

  test("anything but a multipart form is 415; a broken form is 400", async () => {
    const json = await fetch(`${example.url}/uploads`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(415);
    const broken = await fetch(`${example.url}/uploads`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: '--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nunfinished',
    });
    expect(broken.status).toBe(400);
    expect(incoming()).toEqual([]);
  });

  test("when Vergewis cannot be reached nothing is uploaded and nothing is shown (503)", async () => {
    const { id, publicationId } = await uploaded();
    await movePublicationTo(server.ctx.db, publicationId, ["cleared"]);
    const offline = await appWith(
      new Vergewis({ apiKey, baseUrl: `http://127.0.0.1:${await closedPort()}`, retries: 0 }),
      example.store,
    );
    const bytes = randomBytes(1000);
    const res = await upload(form(bytes), offline);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    await nothingStored(bytes);
    const media = await get(`/media/${id}`, offline);
    expect(media.status).toBe(503);
    expect(await media.text()).toContain("We cannot confirm consent");
    const page = await get(`/uploads/${id}`, offline);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("unknown right now");
  });
});

test("uploads survive a restart: the database is a file, not memory, and one process holds it", async () => {
  const { id, bytes, publicationId } = await uploaded();
  await movePublicationTo(server.ctx.db, publicationId, ["cleared"]);
  await expect(UploadStore.open(path.join(dataDir, "db"))).rejects.toThrow(`in use by process ${process.pid}`);
  await example.close();
  example = await startExample({
    vergewisUrl: server.url,
    apiKey,
    dataDir,
    port: 0,
    maxUploadBytes: MAX_UPLOAD,
    gateCacheMs: 0,
  });
  expect((await example.store.get(id))?.sha256).toBe(sha256(bytes));
  const res = await get(`/media/${id}`);
  expect(res.status).toBe(200);
  expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
});

/** A second instance of the example app over the same store, with another client; closed after the test file. */
const extraServers: Server[] = [];
afterAll(() => Promise.all(extraServers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));

async function appWith(vergewis: Vergewis, store: RunningExample["store"]): Promise<string> {
  const gate = createGate({ client: vergewis });
  const filesDir = path.join(dataDir, "files");
  const reviewLinks = new ReviewLinks("second instance");
  const app = createExampleApp({
    vergewis,
    gate,
    store,
    filesDir,
    maxUploadBytes: MAX_UPLOAD,
    takeDown: takeDown({ vergewis, store, gate, filesDir }),
    webhookSecrets: () => [],
    reviewLinks,
    portalOrigin: new URL(server.url).origin,
  });
  const http = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  extraServers.push(http);
  reviewLinks.base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return reviewLinks.base;
}
