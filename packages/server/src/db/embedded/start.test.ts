import fs from "node:fs";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedDatabase } from "./start.ts";

describe("startEmbeddedDatabase", () => {
  it("serves on a Unix socket in a directory only its owner can enter, removed on stop", async () => {
    const database = await startEmbeddedDatabase();
    const socketDir = new URL(database.url).searchParams.get("host")!;
    try {
      expect(fs.statSync(socketDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(`${socketDir}/.s.PGSQL.5432`).isSocket()).toBe(true);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      expect((await client.query<{ answer: number }>("SELECT 42 AS answer")).rows).toEqual([{ answer: 42 }]);
      await client.end();
    } finally {
      await database.stop();
    }
    expect(fs.existsSync(socketDir)).toBe(false);
  }, 60_000);
});
