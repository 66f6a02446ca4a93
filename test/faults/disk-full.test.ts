import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { verifyRemoteLog } from "../../packages/server/src/verifier/remote-log.ts";
import { sendOperatorCommand } from "../../packages/server/src/operator/channel.ts";
import type { CreatedPlatform } from "../../packages/server/src/platform/create.ts";
import { closedPort } from "../support/closed-port.ts";
import { databaseKind, seedEmbeddedDataDir } from "../support/database.ts";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { spawnServer, type ServerProcess } from "../support/server-process.ts";

// The embedded database's directory runs out of space: writes are refused with a clear 507
// problem and a log line, nothing already acknowledged is lost or corrupted, and once space is
// freed the server carries on, before and after a restart. The directory is a real, small tmpfs
// (mounting needs root; elsewhere the suite says why it did not run).

/** A fresh 160 MB tmpfs, or undefined where this cannot be (another database, not root). */
function mountTmpfs(): string | undefined {
  if (databaseKind() !== "pglite" || process.getuid?.() !== 0) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-full-"));
  if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=160m", "tmpfs", dir]).status === 0) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  return undefined;
}
// Hooks do not run where every test is skipped, so nothing is made unless the suite runs.
const mounted = mountTmpfs();
const canMount = mounted !== undefined;
const mountPoint = mounted ?? "";
const filler = path.join(mountPoint, "filler");
let server: ServerProcess | undefined;
let port = 0;
let platform: CreatedPlatform;
let auditorToken = "";
let output = "";
const SECRET = randomBytes(32).toString("base64url");

async function start() {
  server = await spawnServer({
    VERGEWIS_DATA_DIR: path.join(mountPoint, "data"),
    VERGEWIS_PORT: String(port),
    VERGEWIS_SECRET: SECRET,
    LOG_LEVEL: "info",
  });
  server.child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
}

beforeAll(async () => {
  if (!canMount) return;
  port = await closedPort();
  await seedEmbeddedDataDir(path.join(mountPoint, "data"));
  await start();
  platform = (await sendOperatorCommand(path.join(mountPoint, "data"), "platform.create", {
    name: "Full disk",
  })) as CreatedPlatform;
  auditorToken = (
    (await sendOperatorCommand(path.join(mountPoint, "data"), "auditor.create", { platformId: null })) as {
      token: string;
    }
  ).token;
}, 120_000);
afterAll(async () => {
  await server?.kill();
  if (!canMount) return;
  execFileSync("umount", ["-l", mountPoint]);
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

const base = () => `http://localhost:${port}`;
const publish = (key = randomBytes(8).toString("hex")) =>
  fetch(`${base()}/v1/publications`, {
    method: "POST",
    headers: { ...bearer(platform.apiKey), "content-type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify(publicationRequest()),
  });

/** Fills the file system but for `leaveBytes`. */
function fill(leaveBytes: number) {
  const { bavail, bsize } = fs.statfsSync(mountPoint);
  const size = bavail * bsize - leaveBytes;
  const fd = fs.openSync(filler, "w");
  const chunk = Buffer.alloc(1 << 20);
  try {
    for (let written = 0; written < size; written += chunk.length)
      fs.writeSync(fd, chunk, 0, Math.min(chunk.length, size - written));
  } finally {
    fs.closeSync(fd);
  }
}

describe.runIf(canMount)("disk full under the embedded database (a tmpfs: needs root, else skipped)", () => {
  test("writes get 503 storage_full and a log line; acknowledged data stays; after freeing space it carries on", async () => {
    const acked = new Map<string, string>();
    const record = async (res: Response, key: string) => {
      const body = (await res.json()) as { id: string; code?: string };
      if (res.status === 201) acked.set(key, body.id);
      return { status: res.status, type: res.headers.get("content-type")?.split(";")[0], code: body.code, key };
    };
    for (let i = 0; i < 5; i++) expect((await record(await publish(String(i)), String(i))).status).toBe(201);

    fill(64 * 1024);
    const outcomes = [];
    for (let i = 5; i < 45; i++) outcomes.push(await record(await publish(String(i)), String(i)));
    const refused = outcomes.filter((o) => o.status !== 201);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused)
      expect(o).toMatchObject({ status: 503, type: "application/problem+json", code: "storage_full" });
    expect(output).toMatch(/"level":50,[^\n]*disk is full/);
    const list = await fetch(`${base()}/v1/publications?limit=100`, { headers: bearer(platform.apiKey) });
    expect(list.status, "reads go on while the disk is full").toBe(200);

    // Space again: the refused requests, retried with their keys, are created (once); then a
    // hard restart on the same directory loses nothing.
    fs.rmSync(filler);
    for (const { key } of refused) expect((await record(await publish(key), key)).status).toBe(201);
    await server!.kill();
    await start();
    for (const [key, id] of acked) {
      const res = await fetch(`${base()}/v1/publications/${id}`, { headers: bearer(platform.apiKey) });
      expect(res.status, key).toBe(200);
    }
    const all = (await (
      await fetch(`${base()}/v1/publications?limit=100`, { headers: bearer(platform.apiKey) })
    ).json()) as {
      items: Array<{ id: string; slots: unknown[] }>;
    };
    expect(all.items.map((p) => p.id).sort()).toEqual([...acked.values()].sort());
    for (const publication of all.items) expect(publication.slots).toHaveLength(2);
    const checkpoint = await fetch(`${base()}/v1/audit/checkpoint`, { method: "POST", headers: bearer(auditorToken) });
    expect(checkpoint.status).toBe(200);
    expect(await verifyRemoteLog({ url: base(), token: auditorToken })).toMatchObject({ ok: true });
    console.info(
      `disk full: ${refused.length} of 40 writes refused with 503 storage_full, ${acked.size} acknowledged, all intact`,
    );
  }, 120_000);
});
