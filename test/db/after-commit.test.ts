import { expect, test } from "vitest";
import pg from "pg";
import { afterCommit, notifyOtherInstances } from "../../packages/server/src/db/after-commit.ts";
import { createDb } from "../../packages/server/src/db/client.ts";
import { databaseKind, useTestDb } from "../support/database.ts";

const testDb = useTestDb();

test("a hook runs once the transaction has committed, and sees its writes", async () => {
  const seen: number[] = [];
  await testDb.db.$transaction(async (tx) => {
    await tx.platform.create({ data: { name: "after-commit" } });
    afterCommit(() => seen.push(-1));
    afterCommit(() => void testDb.db.platform.count({ where: { name: "after-commit" } }).then((n) => seen.push(n)));
    expect(seen).toEqual([]);
  });
  await expect.poll(() => seen).toEqual([-1, 1]);
});

test("a hook never runs when the transaction rolls back", async () => {
  let ran = false;
  await expect(
    testDb.db.$transaction(async () => {
      afterCommit(() => (ran = true));
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  expect(ran).toBe(false);
});

test("outside a transaction a hook runs at once; other client calls behave as before", async () => {
  let ran = false;
  afterCommit(() => (ran = true));
  expect(ran).toBe(true);
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
      await alone.$transaction((tx) => notifyOtherInstances(tx, "after_commit_test", "alone"));
      await testDb.db.$transaction((tx) => notifyOtherInstances(tx, "after_commit_test", "shared"));
      // Notifications arrive in commit order: once "shared" is here, "alone" would have been too.
      await expect.poll(() => heard).toEqual(["shared"]);
    } finally {
      await alone.$disconnect();
      await listener.end();
    }
  },
);
