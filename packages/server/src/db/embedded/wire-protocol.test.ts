import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { serveWireProtocol, type WireServer } from "./wire-protocol.ts";

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

  test("statements of two connections at once each get their own answer", async () => {
    const [a, b] = [await connect(), await connect()];
    const run = async (
      client: pg.Client,
      query: (k: number) => [string, unknown[]],
      expected: (k: number) => object,
    ) => {
      for (let k = 0; k < 200; k++) expect((await client.query(...query(k))).rows).toEqual([expected(k)]);
    };
    await Promise.all([
      run(
        a,
        (k) => ["SELECT $1::int + 1 AS n", [k]],
        (k) => ({ n: k + 1 }),
      ),
      run(
        b,
        (k) => ["SELECT $1::text || $2::text AS s", [`${k}`, "b"]],
        (k) => ({ s: `${k}b` }),
      ),
    ]);
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

  test("a frame too short to be a message ends that connection, and the others go on", async () => {
    const other = await connect();
    const raw = await rawConnection();
    raw.write(Buffer.from([0x51, 0, 0, 0, 3])); // 'Q' claiming a length of 3
    await new Promise((resolve) => raw.once("close", resolve));
    expect((await other.query("SELECT 1 AS n")).rows).toEqual([{ n: 1 }]);
  });
});

// Last: it breaks the shared PGlite for good.
test("a call that PGlite fails closes every connection and reports the failure", async () => {
  const other = await connect();
  const raw = await rawConnection();
  // A message of type 0: PGlite takes it for a second startup packet and throws; it never answers
  // again, so waiting clients must be let go rather than hang.
  raw.write(Buffer.from([0, 0, 0, 0, 4]));
  expect((await server.failed).message).toMatch(/startup packet/);
  await expect(other.query("SELECT 1")).rejects.toThrow();
});

/** A connection past its startup message, speaking raw protocol bytes. */
async function rawConnection(): Promise<net.Socket> {
  const socket = net.connect(path.join(socketDir, ".s.PGSQL.5432"));
  socket.on("error", () => {});
  await new Promise((resolve) => socket.once("connect", resolve));
  const parameters = Buffer.from("user\0postgres\0\0");
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(8 + parameters.length, 0);
  startup.writeInt32BE(196608, 4); // protocol 3.0
  socket.write(Buffer.concat([startup, parameters]));
  // ReadyForQuery ends PGlite's answer to the startup message.
  await new Promise<void>((resolve) => {
    let received = Buffer.alloc(0);
    const onData = (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (received.includes(Buffer.from([0x5a, 0, 0, 0, 5, 0x49]))) {
        socket.off("data", onData);
        resolve();
      }
    };
    socket.on("data", onData);
  });
  return socket;
}
