// The embedded database holds everything about performers: its files are the owner's alone, even
// where the operator's umask is 0 (PGlite writes with Node's default mode, 0666 less the umask).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { runCli, spawnCli, type CliProcess } from "../support/cli.ts";

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-modes-"));
const dataDir = path.join(cwd, ".vergewis");
const running: CliProcess[] = [];
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  await Promise.all(running.map((p) => p.exited));
  fs.rmSync(cwd, { recursive: true, force: true });
});

/** Every file and directory under `dir` that someone other than its owner could reach. */
function notPrivate(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() || e.isDirectory())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => (fs.statSync(file).mode & 0o077) !== 0)
    .map((file) => `${(fs.statSync(file).mode & 0o777).toString(8)} ${path.relative(dir, file)}`);
}

test("under umask 000, migrate and start leave every file of the data directory 0600 (directories 0700)", async () => {
  const migrated = await runCli(["migrate"], { cwd, umask: "000" });
  expect(migrated.code).toBe(0);
  expect(fs.readdirSync(path.join(dataDir, "pgdata")).length).toBeGreaterThan(0);
  expect(notPrivate(dataDir)).toEqual([]);

  // The server's database process writes as it runs: a platform (through the server), then a stop.
  const server = spawnCli(["start", "--port", "0"], { cwd, umask: "000" });
  running.push(server);
  await server.waitFor(/Vergewis API: /);
  expect((await runCli(["platform", "create", "--name", "Private"], { cwd, umask: "000" })).code).toBe(0);
  server.child.kill("SIGTERM");
  expect(await server.exited).toBe(0);
  // The auditors' escrow public key is the one file meant to be read by anyone (inside a 0700 directory).
  expect(notPrivate(dataDir)).toEqual(["644 escrow-public-key.jwk"]);
  expect((fs.statSync(dataDir).mode & 0o777).toString(8)).toBe("700");
}, 300_000);
