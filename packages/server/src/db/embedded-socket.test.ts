import fs from "node:fs";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { serveWireProtocol, type WireServer } from "./embedded-socket.ts";

let db: PGlite;
let server: WireServer;
const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-wire-test-"));
const clients: pg.Client[] = [];

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec("CREATE TABLE t (id int PRIMARY KEY, v text)");
  server = await serveWireProtocol(db, { path: path.join(socketDir, ".s.PGSQL.5432") });
}, 60_000);
afterAll(async () => {
  for (const client of clients) await client.end().catch(() => {});
  await server?.close();
  await db?.close();
  fs.rmSync(socketDir, { recursive: true, force: true });
});

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ host: socketDir, user: "postgres", database: "postgres" });
  client.on("error", () => {});
  await client.connect();
  clients.push(client);
  return client;
}

const count = async (client: pg.Client) => Number((await client.query("SELECT count(*) AS n FROM t")).rows[0].n);

describe("PGlite over the wire protocol", () => {
  test("runs parameterised and named statements, and recovers from an error in a batch", async () => {
    const client = await connect();
    expect((await client.query("SELECT $1::int + 1 AS n", [41])).rows).toEqual([{ n: 42 }]);
    for (const n of [1, 2]) {
      expect((await client.query({ name: "twice", text: "SELECT $1::int * 2 AS n", values: [n] })).rows).toEqual([
        { n: 2 * n },
      ]);
    }
    await expect(client.query("SELECT 1 / $1::int", [0])).rejects.toThrow(/division by zero/);
    expect((await client.query("SELECT 'still here' AS s")).rows).toEqual([{ s: "still here" }]);
  });

  test("a statement larger than one read of the socket arrives whole", async () => {
    const client = await connect();
    const big = "x".repeat(300_000);
    expect((await client.query("SELECT length($1::text) AS n", [big])).rows).toEqual([{ n: 300_000 }]);
  });

  test("a transaction holds the one session: another connection waits for its commit", async () => {
    const [a, b] = [await connect(), await connect()];
    await a.query("BEGIN");
    await a.query("INSERT INTO t VALUES (1, 'a')");
    let seen: number | undefined;
    const reading = count(b).then((n) => (seen = n));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toBeUndefined();
    await a.query("COMMIT");
    await reading;
    expect(seen).toBe(1);
  });

  test("a connection that goes away inside a transaction leaves nothing behind", async () => {
    const [a, b] = [await connect(), await connect()];
    await a.query("BEGIN");
    await a.query("INSERT INTO t VALUES (2, 'lost')");
    const waiting = count(b);
    (a as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
    expect(await waiting).toBe(1);
    await b.query("BEGIN");
    await b.query("INSERT INTO t VALUES (2, 'kept')");
    await b.query("COMMIT");
    expect((await b.query("SELECT v FROM t WHERE id = 2")).rows).toEqual([{ v: "kept" }]);
  });
});
