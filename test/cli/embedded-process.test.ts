// `vergewis start` runs the embedded database in a process of its own: that process must never
// outlive its server, and the server must not run on without it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { runCli, spawnCli, type CliProcess } from "../support/cli.ts";
import { eventually } from "../support/receiver.ts";

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-embedded-process-"));
const env = { VERGEWIS_PORT: "0", VERGEWIS_HOST: "127.0.0.1", VERGEWIS_SECRET: "a".repeat(43) };
const started: CliProcess[] = [];
afterAll(async () => {
  for (const s of started) if (s.child.exitCode === null) s.child.kill("SIGKILL");
  await Promise.all(started.map((s) => s.exited));
  fs.rmSync(cwd, { recursive: true, force: true });
});

async function start() {
  const server = spawnCli(["start"], { cwd, env });
  started.push(server);
  const [, url] = await server.waitFor(/Vergewis API: (\S+)/);
  const children = fs.readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/children`, "utf8");
  const [database] = children.trim().split(" ").map(Number);
  expect(fs.readFileSync(`/proc/${database}/cmdline`, "utf8")).toContain("embedded-database");
  return { server, url: url!.replace("localhost", "127.0.0.1"), database: database! };
}

const alive = (pid: number) =>
  fs.existsSync(`/proc/${pid}`) && !/State:\s+Z/.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));

test("a server killed with SIGKILL takes its database process along; a restart finds every write", async () => {
  const first = await start();
  const created = await runCli(["platform", "create", "--name", "Killed"], { cwd, env });
  expect(created.code).toBe(0);
  const apiKey = /API key:\s+(\S+)/.exec(created.stdout)![1]!;
  const response = await fetch(`${first.url}/v1/publications`, {
    method: "POST",
    headers: { ...bearer(apiKey), "content-type": "application/json" },
    body: JSON.stringify(publicationRequest()),
  });
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };

  first.server.child.kill("SIGKILL");
  await eventually(async () => (alive(first.database) ? undefined : true), 10_000, "the database process to exit");

  const second = await start();
  const read = await fetch(`${second.url}/v1/publications/${id}`, { headers: bearer(apiKey) });
  expect(read.status).toBe(200);

  // The other way round: without its database the server stops, saying why, with a failure code.
  process.kill(second.database, "SIGKILL");
  expect(await second.server.exited).toBe(1);
  expect(second.server.output()).toContain("the database is gone");
}, 120_000);

test("SIGTERM sent the moment the ready line appears stops the server gracefully", async () => {
  const server = spawnCli(["start"], { cwd, env });
  started.push(server);
  // Signalled as soon as the line is read, as a supervisor or a test would.
  await server.waitFor(/Vergewis API: (\S+)/).then(() => server.child.kill("SIGTERM"));
  expect(await server.exited, server.output()).toBe(0);
}, 120_000);

test("a server killed while its database process is still starting: that process closes the database and exits", async () => {
  const server = spawnCli(["start"], { cwd, env });
  started.push(server);
  const childrenFile = `/proc/${server.child.pid}/task/${server.child.pid}/children`;
  let database: number | undefined;
  await eventually(
    async () => {
      [database] = fs.readFileSync(childrenFile, "utf8").trim().split(" ").filter(Boolean).map(Number);
      return database;
    },
    30_000,
    "the database process",
  );
  // Before it is ready: PGlite takes a second or more to open, and the server waits for it.
  expect(server.output()).not.toContain("Vergewis API");
  server.child.kill("SIGKILL");
  try {
    await eventually(async () => (alive(database!) ? undefined : true), 30_000, "the database process to exit");
  } finally {
    if (alive(database!)) process.kill(database!, "SIGKILL");
  }
  // Closed, not crashed: a crash leaves its lock behind and PGlite to recover on the next start.
  expect(fs.existsSync(path.join(cwd, ".vergewis", "pgdata", "vergewis.lock"))).toBe(false);
}, 120_000);
