import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { appendEvent, auditLog, lockLog } from "../../packages/server/src/audit/append.ts";
import {
  consistencyProof,
  inclusionProof,
  rootAt,
  rootOfHead,
  treeSize,
} from "../../packages/server/src/audit/tree.ts";
import { createDb, type Db } from "../../packages/server/src/db/client.ts";
import { prismaDir } from "../../packages/server/src/db/migrate/paths.ts";
import { databaseKind, useTestDb } from "../support/database.ts";
import { hexList, ReferenceTree } from "../support/merkle-reference.ts";
import { runTransaction, type Effects } from "../../packages/server/src/db/transaction.ts";

const testDb = useTestDb();

const platformId = randomUUID();
const append = (client: Db) =>
  runTransaction(client, (tx, effects) =>
    appendEvent(tx, effects, { type: "publication.cleared", platformId, publicationId: randomUUID(), data: {} }),
  );

const entries = async (client: Db) =>
  (await client.auditEvent.findMany({ orderBy: { index: "asc" }, select: { index: true, entry: true } })).map(
    (r) => r.entry,
  );

const popcount = (n: number) => n.toString(2).replaceAll("0", "").length;

/** Deterministic pseudo-random numbers (mulberry32), so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("the audit log's Merkle tree in the database", () => {
  test("every append writes exactly the nodes it completes", async () => {
    for (let n = 1; n <= 40; n++) {
      await append(testDb.db);
      // A tree of n leaves has 2n - popcount(n) complete subtrees (leaves included).
      expect(await testDb.db.auditNode.count(), `after ${n} appends`).toBe(2 * n - popcount(n));
    }
  }, 60_000);

  test("the locked head's size and frontier give the RFC 9162 root at every size 0..70", async () => {
    const start = await treeSize(testDb.db);
    const roots: Buffer[] = [];
    for (let n = 0; n <= 70; n++) {
      const head = await runTransaction(testDb.db, (tx, effects) => lockLog(tx, effects));
      expect(head.size).toBe(start + n);
      roots.push(Buffer.from(rootOfHead(head)));
      await append(testDb.db);
    }
    const reference = new ReferenceTree(await entries(testDb.db));
    expect(roots.map((r) => r.toString("hex"))).toEqual(roots.map((_, n) => reference.root(start + n).toString("hex")));
  }, 60_000);

  test("roots and proofs equal the RFC 9162 reference for every size 1..300 and random pairs", async () => {
    while ((await treeSize(testDb.db)) < 300) await append(testDb.db);
    const reference = new ReferenceTree(await entries(testDb.db));
    const random = seeded(9162);
    const wrong: string[] = [];
    for (let n = 1; n <= 300; n++) {
      if (!Buffer.from(await rootAt(testDb.db, n)).equals(reference.root(n))) wrong.push(`root ${n}`);
      for (const m of [0, n - 1, Math.floor(random() * n)]) {
        const { leafHash, proof } = await inclusionProof(testDb.db, m, n);
        if (!Buffer.from(leafHash).equals(reference.mth(m, m + 1))) wrong.push(`leaf ${m}`);
        if (hexList(proof) !== hexList(reference.inclusion(m, n))) wrong.push(`inclusion ${m} in ${n}`);
      }
      const old = 1 + Math.floor(random() * n);
      if (
        hexList(await consistencyProof(testDb.db, old, n)) !== hexList(old === n ? [] : reference.consistency(old, n))
      ) {
        wrong.push(`consistency ${old} → ${n}`);
      }
    }
    for (let i = 0; i < 300; i++) {
      const a = 1 + Math.floor(random() * 300);
      const b = 1 + Math.floor(random() * 300);
      const [m, n] = a <= b ? [a, b] : [b, a];
      if (hexList(await consistencyProof(testDb.db, m, n)) !== hexList(m === n ? [] : reference.consistency(m, n))) {
        wrong.push(`consistency ${m} → ${n}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  test("the migration's backfill builds the same tree from existing entries", async () => {
    const before = await testDb.db.auditNode.findMany({ orderBy: [{ level: "asc" }, { index: "asc" }] });
    const sql = fs.readFileSync(
      path.join(
        prismaDir(),
        "migrations",
        fs.readdirSync(path.join(prismaDir(), "migrations")).find((d) => d.endsWith("_audit_log"))!,
        "migration.sql",
      ),
      "utf8",
    );
    const backfill = sql.slice(sql.indexOf("DO $$"), sql.indexOf("END;\n$$;") + "END;\n$$;".length);
    await runTransaction(testDb.db, async (tx, effects) => {
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditNode" DISABLE TRIGGER "AuditNode_append_only"`);
      await tx.$executeRawUnsafe(`DELETE FROM "AuditNode"`);
      await tx.$executeRawUnsafe(backfill);
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditNode" ENABLE TRIGGER "AuditNode_append_only"`);
    });
    expect(await testDb.db.auditNode.findMany({ orderBy: [{ level: "asc" }, { index: "asc" }] })).toEqual(before);
  });
});

describe("append-only", () => {
  test.each([
    `UPDATE "AuditEvent" SET "type" = 'x' WHERE "index" = 0`,
    `UPDATE "AuditEvent" SET "index" = "index" + 1000000`,
    `DELETE FROM "AuditEvent" WHERE "index" = 1`,
    `TRUNCATE "AuditEvent" CASCADE`,
    `UPDATE "AuditNode" SET "hash" = '\\x00' WHERE "level" = 0 AND "index" = 0`,
    `DELETE FROM "AuditNode"`,
    `TRUNCATE "AuditNode"`,
    `INSERT INTO "AuditCheckpoint" ("treeSize", "rootHash", "note", "keyId") VALUES (0, '\\x00', 'n', 'k'); UPDATE "AuditCheckpoint" SET "note" = 'm'`,
    `INSERT INTO "AuditCheckpoint" ("treeSize", "rootHash", "note", "keyId") VALUES (0, '\\x00', 'n', 'k'); DELETE FROM "AuditCheckpoint"`,
    `TRUNCATE "AuditCheckpoint"`,
  ])("the database refuses %s", async (statement) => {
    const before = {
      events: await entries(testDb.db),
      nodes: await testDb.db.auditNode.count(),
      root: await rootAt(testDb.db, await treeSize(testDb.db)),
    };
    const statements = statement.split("; ");
    const error = await testDb.db
      .$transaction(async (tx) => {
        for (const s of statements) await tx.$executeRawUnsafe(s);
      })
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/the audit log is append-only/);
    expect({
      events: await entries(testDb.db),
      nodes: await testDb.db.auditNode.count(),
      root: await rootAt(testDb.db, await treeSize(testDb.db)),
    }).toEqual(before);
  });

  test("the indexed columns must say what the entry says", async () => {
    const entry = JSON.stringify({ data: {}, time: new Date().toISOString(), type: "publication.cleared" });
    const error = await testDb.db
      .$executeRawUnsafe(
        `INSERT INTO "AuditEvent" ("index", "type", "entry", "leafHash", "createdAt") VALUES (999999, 'publication.declined', $1, '\\x00', now())`,
        entry,
      )
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/AuditEvent_columns_match_entry/);
  });
});

describe("concurrent appends", () => {
  test("stay gapless and ordered, from several server instances on one database", async () => {
    // PGlite serves one session: there, concurrency comes from one client's transactions.
    const clients =
      databaseKind() === "postgres"
        ? [createDb(testDb.database.url, 5), createDb(testDb.database.url, 5)]
        : [testDb.db];
    const start = await treeSize(testDb.db);
    try {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => append(clients[i % clients.length]!)));
      const failed = runTransaction(testDb.db, async (tx, effects) => {
        await appendEvent(tx, effects, { type: "publication.cleared", data: {} });
        throw new Error("roll back");
      });
      await expect(failed).rejects.toThrow("roll back");
      await append(testDb.db);
      expect(results.map((r) => Number(r.index)).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, i) => start + i),
      );
      const all = await testDb.db.auditEvent.findMany({
        orderBy: { index: "asc" },
        select: { index: true, createdAt: true },
      });
      expect(all.map((r) => Number(r.index))).toEqual(Array.from({ length: start + 41 }, (_, i) => i));
      const times = all.map((r) => r.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const reference = new ReferenceTree(await entries(testDb.db));
      expect(Buffer.from(await rootAt(testDb.db, start + 41)).equals(reference.root(start + 41))).toBe(true);
      expect(await testDb.db.auditNode.count()).toBe(2 * (start + 41) - popcount(start + 41));
    } finally {
      for (const client of clients) if (client !== testDb.db) await client.$disconnect();
    }
  }, 60_000);
});

describe("events recorded for the end of a transaction", () => {
  // Told apart by the publication they name: the n-th of these ids.
  const ids = Array.from({ length: 7 }, () => randomUUID());
  const cleared = (n: number) => ({ type: "publication.cleared" as const, publicationId: ids[n]!, data: {} });
  const newest = async (count: number) =>
    (await testDb.db.auditEvent.findMany({ orderBy: { index: "desc" }, take: count, select: { publicationId: true } }))
      .reverse()
      .map((row) => ids.findIndex((id) => id === row.publicationId));

  test("are written just before the commit, in the order of the calls, with appends in between", async () => {
    const start = await treeSize(testDb.db);
    const indexes = await runTransaction(testDb.db, async (tx, effects) => {
      effects.write(auditLog, cleared(1));
      effects.write(auditLog, cleared(2));
      expect(await treeSize(tx)).toBe(start);
      const third = await appendEvent(tx, effects, cleared(3));
      effects.write(auditLog, cleared(4));
      expect(await treeSize(tx)).toBe(start + 3);
      return [third.index];
    });
    expect(indexes).toEqual([BigInt(start + 2)]);
    expect(await treeSize(testDb.db)).toBe(start + 4);
    expect(await newest(4)).toEqual([1, 2, 3, 4]);
    expect(
      Buffer.from(await rootAt(testDb.db, start + 4)).equals(
        new ReferenceTree(await entries(testDb.db)).root(start + 4),
      ),
    ).toBe(true);
  });

  test("are not written when the transaction rolls back", async () => {
    const start = await treeSize(testDb.db);
    await expect(
      runTransaction(testDb.db, async (_tx, effects) => {
        effects.write(auditLog, cleared(5));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await treeSize(testDb.db)).toBe(start);
  });

  test("need a transaction that has not ended", async () => {
    let ended!: Effects;
    await runTransaction(testDb.db, async (_tx, effects) => void (ended = effects));
    expect(() => ended.write(auditLog, cleared(6))).toThrow(/transaction ended/);
  });
});
