import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDb, type Db } from "../../packages/server/src/db/client.ts";
import type { DatabaseHandle } from "../../packages/server/src/runtime/database.ts";
import { claimStatusEntries, markInvalid, StatusEntries } from "../../packages/server/src/status-list/allocate.ts";
import { createTestDatabase, databaseKind } from "../support/database.ts";

let database: DatabaseHandle;
let instances: Db[];

beforeAll(async () => {
  database = await createTestDatabase();
  // Several server instances on one database: separate clients and pools.
  instances = Array.from({ length: databaseKind() === "postgres" ? 4 : 1 }, () =>
    createDb(database.url, database.poolSize),
  );
});
afterAll(async () => {
  for (const db of instances ?? []) await db.$disconnect();
  await database?.close();
});

describe("status list entries", () => {
  test("concurrent allocations from several instances never hand out an entry twice; full lists roll over", async () => {
    const size = 64;
    // Each instance hands out entries from its own batches of 5 (so that batches straddle lists).
    const pools = instances.map((db) => new StatusEntries(db, size, 5));
    const allocations = await Promise.all(Array.from({ length: 200 }, (_, i) => pools[i % pools.length]!.next()));
    const keys = allocations.map((a) => `${a.listId}:${a.idx}`);
    expect(new Set(keys).size).toBe(200);
    expect(allocations.every((a) => a.idx >= 0 && a.idx < size)).toBe(true);
    const lists = await instances[0]!.statusList.findMany({ orderBy: { id: "asc" } });
    // Claimed in batches: every handed-out entry was claimed, at most a batch per instance spare.
    const claimed = lists.reduce((n, l) => n + l.allocated, 0);
    expect(claimed).toBeGreaterThanOrEqual(200);
    expect(claimed).toBeLessThan(200 + 5 * pools.length);
    // Lists fill in order: at most one is partly used (racing instances may add an empty spare).
    expect(lists.every((l) => l.allocated <= l.size)).toBe(true);
    expect(lists.filter((l) => l.allocated > 0 && l.allocated < size).length).toBeLessThanOrEqual(1);
  });

  test("indexes come in random order, not in order of issue", async () => {
    const entries: Array<{ listId: number; idx: number }> = [];
    entries.push(...(await claimStatusEntries(instances[0]!, 1024, 32)));
    const sameList = entries.filter((e) => e.listId === entries[0]!.listId).map((e) => e.idx);
    expect(sameList).not.toEqual([...sameList].sort((a, b) => a - b));
  });

  test("set_bit marks entry i as bit i % 8 of byte i / 8, least significant first (the draft's encoding)", async () => {
    // draft-ietf-oauth-status-list §4.1 example: statuses 1,0,0,1,1,1,0,1, 1,1,0,0,0,1,0,1 → 0xB9 0xA3.
    const db = instances[0]!;
    const list = await db.statusList.create({ data: { size: 16, bits: new Uint8Array(2), order: new Uint8Array(64) } });
    const statuses = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
    await db.$transaction(async (tx) => {
      for (const [idx, status] of statuses.entries()) if (status) await markInvalid(tx, { listId: list.id, idx });
    });
    const { bits } = await db.statusList.findUniqueOrThrow({ where: { id: list.id } });
    expect(Buffer.from(bits).toString("hex")).toBe("b9a3");
  });
});
