import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { MerkleTree } from "@vergewis/sdk";
import { publishCheckpoint } from "../../packages/server/src/audit/checkpoint.ts";
import { verifyRemoteLog, type VerifyLogOptions } from "../../packages/server/src/verifier/remote-log.ts";
import type { Tx } from "../../packages/server/src/db/client.ts";
import { auditorToken, publish } from "../support/audit.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

// Tamper tests: an operator with superuser rights disables the append-only triggers and changes
// the log behind the server's back. The offline verifier must notice and name the first bad entry.

let server: TestServer;
let token: string;
let alpha: { id: string; apiKey: string };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-verify-"));
let run = 0;

beforeAll(async () => {
  server = await startTestServer();
  alpha = await server.createPlatform("Alpha");
  const beta = await server.createPlatform("Beta");
  for (let i = 0; i < 20; i++) await publish(server.url, i % 3 ? alpha.apiKey : beta.apiKey);
  token = await auditorToken(server.ctx.db, null);
  await publishCheckpoint(server.ctx.db, server.ctx.logSigner);
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const size = () => server.ctx.db.auditEvent.count();
const verify = (options: Partial<VerifyLogOptions> = {}) =>
  verifyRemoteLog({ url: server.url, token, pageSize: 7, ...options });
const freshState = () => path.join(dir, `state-${++run}.json`);

/** Runs SQL with the log's triggers off, as only a database superuser can; `undo` puts it back. */
async function asSuperuser(statements: (tx: Tx) => Promise<unknown>): Promise<void> {
  await server.ctx.db.$transaction(async (tx) => {
    for (const table of ["AuditEvent", "AuditNode", "AuditCheckpoint"])
      await tx.$executeRawUnsafe(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
    await statements(tx);
    for (const table of ["AuditEvent", "AuditNode", "AuditCheckpoint"])
      await tx.$executeRawUnsafe(`ALTER TABLE "${table}" ENABLE TRIGGER USER`);
  });
}

/** Leaf index of the n-th publication request (entries the tests can change in a telling way). */
const requested = async (n: number) =>
  Number(
    (await server.ctx.db.auditEvent.findMany({ where: { type: "publication.requested" }, orderBy: { index: "asc" } }))[
      n
    ]!.index,
  );

/** Replaces text in one entry, and fails unless it really changed. */
async function rewrite(tx: Tx, index: number, from: string, to: string, alsoLeafHash = false) {
  const changed = await tx.$executeRawUnsafe(
    `UPDATE "AuditEvent" SET "entry" = replace("entry", $1, $2) WHERE "index" = $3 AND strpos("entry", $1) > 0`,
    from,
    to,
    index,
  );
  expect(changed).toBe(1);
  if (alsoLeafHash) {
    await tx.$executeRawUnsafe(
      `UPDATE "AuditEvent" SET "leafHash" = sha256('\\x00'::bytea || convert_to("entry", 'UTF8')) WHERE "index" = $1`,
      index,
    );
  }
}

const snapshot = async () => ({
  events: await server.ctx.db.auditEvent.findMany({ orderBy: { index: "asc" } }),
  nodes: await server.ctx.db.auditNode.findMany(),
  checkpoints: await server.ctx.db.auditCheckpoint.findMany(),
});
let original: Awaited<ReturnType<typeof snapshot>>;

/** Restores the log exactly as it was before a test tampered with it. */
afterEach(async () => {
  if (!original) return;
  const saved = original;
  await asSuperuser(async (tx) => {
    await tx.auditEvent.deleteMany();
    await tx.auditNode.deleteMany();
    await tx.auditCheckpoint.deleteMany();
    await tx.auditEvent.createMany({ data: saved.events });
    await tx.auditNode.createMany({ data: saved.nodes });
    await tx.auditCheckpoint.createMany({ data: saved.checkpoints });
  });
});

describe("vergewis log verify", () => {
  test("an intact log verifies, and the next run checks it only grew", async () => {
    original = await snapshot();
    const statePath = freshState();
    const first = await verify({ statePath });
    expect(first).toMatchObject({ ok: true, treeSize: await size(), keyFromServer: true });
    expect(first.previousSize).toBeUndefined();
    expect(fs.statSync(statePath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${statePath}.leaves`).size).toBe(first.treeSize * 32);

    await publish(server.url, alpha.apiKey);
    await publishCheckpoint(server.ctx.db, server.ctx.logSigner);
    const progress: number[] = [];
    const second = await verify({ statePath, onProgress: (done) => progress.push(done) });
    expect(second).toMatchObject({
      ok: true,
      treeSize: first.treeSize + 1,
      previousSize: first.treeSize,
      keyFromServer: false,
    });
    expect(progress.at(-1)).toBe(second.treeSize);
    expect(progress.length).toBeGreaterThan(2);
  });

  test("a platform's auditor verifies the whole log, seeing other platforms' entries as hashes", async () => {
    const scoped = await auditorToken(server.ctx.db, alpha.id);
    original = await snapshot();
    expect(await verify({ token: scoped })).toMatchObject({ ok: true });
  });

  test("a changed entry is named", async () => {
    original = await snapshot();
    const index = await requested(6);
    await asSuperuser((tx) => rewrite(tx, index, '"role":"uploader"', '"role":"co-performer"'));
    expect(await verify()).toMatchObject({ ok: false, problem: { code: "log_diverged", index } });
  });

  test("a changed entry is named even when its stored leaf hash was changed to match", async () => {
    original = await snapshot();
    const index = await requested(2);
    await asSuperuser((tx) => rewrite(tx, index, '"sha-256"', '"pdq"', true));
    expect(await verify()).toMatchObject({ ok: false, problem: { code: "log_diverged", index } });
  });

  test("a deleted entry is named", async () => {
    original = await snapshot();
    await asSuperuser((tx) => tx.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "index" = 6`));
    expect(await verify()).toMatchObject({ ok: false, problem: { code: "entry_missing", index: 6 } });
  });

  test("a deleted entry is named when the later ones were renumbered to hide the gap", async () => {
    original = await snapshot();
    await asSuperuser(async (tx) => {
      await tx.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "index" = 6`);
      await tx.$executeRawUnsafe(`UPDATE "AuditEvent" SET "index" = -"index" WHERE "index" > 6`);
      await tx.$executeRawUnsafe(`UPDATE "AuditEvent" SET "index" = -"index" - 1 WHERE "index" < 0`);
    });
    expect(await verify()).toMatchObject({ ok: false, problem: { code: "log_diverged", index: 6 } });
  });

  test("reordered entries are named at the first moved one", async () => {
    original = await snapshot();
    await asSuperuser(async (tx) => {
      await tx.$executeRawUnsafe(`UPDATE "AuditEvent" SET "index" = -1 WHERE "index" = 11`);
      await tx.$executeRawUnsafe(`UPDATE "AuditEvent" SET "index" = 11 WHERE "index" = 15`);
      await tx.$executeRawUnsafe(`UPDATE "AuditEvent" SET "index" = 15 WHERE "index" = -1`);
    });
    expect(await verify()).toMatchObject({ ok: false, problem: { code: "log_diverged", index: 11 } });
  });

  test("entries cut off the end are named", async () => {
    original = await snapshot();
    const n = await size();
    await asSuperuser((tx) => tx.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "index" >= ${n - 3}`));
    expect(await verify()).toMatchObject({ ok: false, problem: { code: "entry_missing", index: n - 3 } });
  });

  test("a rewritten history with a freshly signed checkpoint is caught by the state saved earlier", async () => {
    original = await snapshot();
    const statePath = freshState();
    expect(await verify({ statePath })).toMatchObject({ ok: true });
    const onlyCheckpoint = freshState();
    fs.copyFileSync(statePath, onlyCheckpoint);

    // The operator rewrites an entry, rebuilds the whole tree and signs it with the server's key.
    const changed = await requested(1);
    await asSuperuser(async (tx) => {
      await rewrite(tx, changed, '"publish"', '"promote"');
      await tx.$executeRawUnsafe(
        `UPDATE "AuditEvent" SET "leafHash" = sha256('\\x00'::bytea || convert_to("entry", 'UTF8'))`,
      );
      const tree = new MerkleTree();
      for (const e of await tx.auditEvent.findMany({ orderBy: { index: "asc" } })) tree.appendEntry(e.entry);
      await tx.auditNode.deleteMany();
      const nodes = [];
      for (let level = 0; 2 ** level <= tree.size; level++) {
        for (let index = 0; (index + 1) * 2 ** level <= tree.size; index++) {
          nodes.push({ level, index: BigInt(index), hash: new Uint8Array(tree.node({ level, index })) });
        }
      }
      await tx.auditNode.createMany({ data: nodes });
      await tx.auditCheckpoint.deleteMany();
    });
    await publishCheckpoint(server.ctx.db, server.ctx.logSigner);

    // Without earlier state nothing betrays it: that is why verifiers keep their state.
    expect(await verify()).toMatchObject({ ok: true });
    expect(await verify({ statePath })).toMatchObject({
      ok: false,
      problem: { code: "history_rewritten", index: changed },
    });
    fs.rmSync(`${onlyCheckpoint}.leaves`, { force: true });
    expect(await verify({ statePath: onlyCheckpoint })).toMatchObject({
      ok: false,
      problem: { code: "history_rewritten", from: 0 },
    });
  });

  test("a log rolled back to an earlier size is caught by the state saved earlier", async () => {
    original = await snapshot();
    const statePath = freshState();
    const before = await verify({ statePath });
    await asSuperuser(async (tx) => {
      await tx.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "index" >= ${before.treeSize - 2}`);
      await tx.$executeRawUnsafe(
        `DELETE FROM "AuditNode" WHERE ("index" + 1) * power(2, "level") > ${before.treeSize - 2}`,
      );
      await tx.$executeRawUnsafe(`DELETE FROM "AuditCheckpoint" WHERE "treeSize" > ${before.treeSize - 2}`);
    });
    await publishCheckpoint(server.ctx.db, server.ctx.logSigner);
    expect(await verify({ statePath })).toMatchObject({
      ok: false,
      problem: { code: "log_rolled_back", from: before.treeSize - 2, to: before.treeSize },
    });
  });

  test("a checkpoint not signed by the pinned key is refused", async () => {
    original = await snapshot();
    const other = "other.example/log+00000000+AQ" + "A".repeat(42) + "=";
    const result = await verify({ verifierKey: other });
    expect(result.ok).toBe(false);
    expect(result.problem!.code).toMatch(/^(verifier_key_invalid|checkpoint_signature_invalid)$/);
  });
});
