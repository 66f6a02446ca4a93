import { expect, test } from "vitest";
import pg from "pg";
import { createDb } from "../../packages/server/src/db/client.ts";
import { runTransaction, type Signal } from "../../packages/server/src/db/transaction.ts";
import { databaseKind, useTestDb } from "../support/database.ts";

const testDb = useTestDb();

/** A signal on the test's own channel whose receipt in this process calls `receive`. */
const signal = (receive: () => void, payload = ""): Signal => ({ channel: "after_commit_test", payload, receive });

test("a signal is received once the transaction has committed, and sees its writes", async () => {
  const seen: number[] = [];
  await runTransaction(testDb.db, async (tx, effects) => {
    await tx.platform.create({ data: { name: "after-commit" } });
    effects.signal(signal(() => seen.push(-1)));
    effects.signal(
      signal(() => void testDb.db.platform.count({ where: { name: "after-commit" } }).then((n) => seen.push(n))),
    );
    expect(seen).toEqual([]);
  });
  await expect.poll(() => seen).toEqual([-1, 1]);
});

test("a signal is never received when the transaction rolls back", async () => {
  let ran = false;
  await expect(
    runTransaction(testDb.db, async (_tx, effects) => {
      effects.signal(signal(() => (ran = true)));
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  expect(ran).toBe(false);
});

test("a signal that is also received at once is received again after the commit; other client calls behave as before", async () => {
  const seen: string[] = [];
  await runTransaction(testDb.db, async (_tx, effects) => {
    effects.signal({ ...signal(() => seen.push("received")), alsoAtOnce: true });
    expect(seen).toEqual(["received"]);
  });
  expect(seen).toEqual(["received", "received"]);
  const [count] = await testDb.db.$transaction([testDb.db.platform.count()]);
  expect(count).toBeGreaterThanOrEqual(1);
});

test.skipIf(databaseKind() !== "postgres")(
  "changes are announced to other instances by NOTIFY, except on a database no other process uses",
  async () => {
    const listener = new pg.Client({ connectionString: testDb.database.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (message) => heard.push(message.payload ?? ""));
    await listener.query("LISTEN after_commit_test");
    const alone = createDb(testDb.database.url, 1, { embedded: true });
    try {
      await runTransaction(alone, async (_tx, effects) => effects.signal(signal(() => {}, "alone")));
      await runTransaction(testDb.db, async (_tx, effects) => effects.signal(signal(() => {}, "shared")));
      // Notifications arrive in commit order: once "shared" is here, "alone" would have been too.
      await expect.poll(() => heard).toEqual(["shared"]);
    } finally {
      await alone.$disconnect();
      await listener.end();
    }
  },
);
