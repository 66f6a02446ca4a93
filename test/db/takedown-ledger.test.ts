import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { appendEvent } from "../../packages/server/src/audit/append.ts";
import { TakedownLedger } from "../../packages/server/src/audit-metrics/takedown-ledger.ts";
import { treeSize } from "../../packages/server/src/audit/tree.ts";
import { useTestDb } from "../support/database.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

const testDb = useTestDb();

const platformId = randomUUID();
const dueAt = "2026-12-05T00:00:00.000Z";

async function requestTakedown(takedownId = randomUUID()): Promise<{ takedownId: string; index: number }> {
  const { index } = await runTransaction(testDb.db, (tx, effects) =>
    appendEvent(tx, effects, {
      type: "takedown.requested",
      platformId,
      publicationId: randomUUID(),
      data: { takedownId, reason: "revocation", dueAt },
    }),
  );
  return { takedownId, index: Number(index) };
}

async function acknowledge(takedownId: string, removedAt: string): Promise<number> {
  const { index } = await runTransaction(testDb.db, (tx, effects) =>
    appendEvent(tx, effects, { type: "takedown.acknowledged", platformId, data: { takedownId, removedAt } }),
  );
  return Number(index);
}

const other = () =>
  runTransaction(testDb.db, (tx, effects) =>
    appendEvent(tx, effects, { type: "publication.cleared", platformId, data: {} }),
  );

/** What a ledger that never saw the log before says: the reference for an incremental one. */
const fresh = async (size: number) => new TakedownLedger().at(testDb.db, size);

describe("the takedown ledger", () => {
  test("read in steps, it says what a fresh read says at every size", async () => {
    const ledger = new TakedownLedger();
    const start = await treeSize(testDb.db);
    const first = await requestTakedown();
    await other();
    const second = await requestTakedown();
    const ack = await acknowledge(first.takedownId, "2026-12-04T10:00:00.000Z");
    await acknowledge(first.takedownId, "2026-12-04T11:00:00.000Z");
    await other();
    const end = await treeSize(testDb.db);
    for (let size = start; size <= end; size++) {
      expect(await ledger.at(testDb.db, size), `at ${size}`).toEqual(await fresh(size));
    }
    const all = await ledger.at(testDb.db, end);
    expect(all.slice(-2).map((t) => t.takedownId)).toEqual([first.takedownId, second.takedownId]);
    // The first acknowledgement counts; the later one changes nothing.
    expect(all.at(-2)!.acknowledged).toEqual({
      index: ack,
      time: expect.any(String),
      removedAt: "2026-12-04T10:00:00.000Z",
    });
    expect(all.at(-1)!.acknowledged).toBeNull();
  });

  test("an earlier size is answered as of that size: its takedown not yet acknowledged", async () => {
    const ledger = new TakedownLedger();
    const { takedownId, index } = await requestTakedown();
    const ack = await acknowledge(takedownId, "2026-12-04T12:00:00.000Z");
    const now = await ledger.at(testDb.db, ack + 1);
    expect(now.find((t) => t.takedownId === takedownId)!.acknowledged?.index).toBe(ack);
    const before = await ledger.at(testDb.db, ack);
    expect(before.find((t) => t.takedownId === takedownId)!.acknowledged).toBeNull();
    expect((await ledger.at(testDb.db, index)).some((t) => t.takedownId === takedownId)).toBe(false);
    // The facts handed out earlier are not changed by later reads.
    expect(now.find((t) => t.takedownId === takedownId)!.acknowledged?.index).toBe(ack);
  });

  test("a log changed behind its back is read again from the start", async () => {
    const ledger = new TakedownLedger();
    const { takedownId } = await requestTakedown();
    const size = await treeSize(testDb.db);
    expect((await ledger.at(testDb.db, size)).some((t) => t.takedownId === takedownId)).toBe(true);
    const renamed = randomUUID();
    // As only a superuser can: the log's triggers refuse changes.
    await runTransaction(testDb.db, async (tx, effects) => {
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await tx.$executeRawUnsafe(
        `UPDATE "AuditEvent" SET "entry" = replace("entry", $1, $2),
           "leafHash" = sha256('\\x00'::bytea || convert_to(replace("entry", $1, $2), 'UTF8'))
         WHERE "index" = $3`,
        takedownId,
        renamed,
        size - 1,
      );
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    });
    const again = await ledger.at(testDb.db, size);
    expect(again.some((t) => t.takedownId === takedownId)).toBe(false);
    expect(again.some((t) => t.takedownId === renamed)).toBe(true);
    expect(again).toEqual(await fresh(size));
  });

  test("concurrent reads of different sizes each get their own size", async () => {
    const ledger = new TakedownLedger();
    const start = await treeSize(testDb.db);
    for (let i = 0; i < 6; i++) await requestTakedown();
    const sizes = [start + 6, start + 2, start + 4, start + 1];
    const answers = await Promise.all(sizes.map((size) => ledger.at(testDb.db, size)));
    for (const [k, size] of sizes.entries()) expect(answers[k]).toEqual(await fresh(size));
  });
});
