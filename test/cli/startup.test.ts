// `vergewis start` must either become ready or stop, saying which start-up step failed: a silent
// hang leaves a supervisor (or a test) waiting with nothing to go on.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { spawnCli, type CliProcess } from "../support/cli.ts";

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-startup-"));
const running: CliProcess[] = [];
const sockets = new Set<net.Socket>();
// A database that accepts connections and never says a word, as one behind a partition or
// stuck in recovery can.
const silent = net.createServer((socket) => {
  sockets.add(socket);
  socket.resume();
});
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  await Promise.all(running.map((p) => p.exited));
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
  fs.rmSync(cwd, { recursive: true, force: true });
});

test("a database that never answers fails the start with exit 1, naming the step", async () => {
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const { port } = silent.address() as net.AddressInfo;
  const server = spawnCli(["start"], {
    cwd,
    env: {
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/vergewis`,
      VERGEWIS_PORT: "0",
      VERGEWIS_HOST: "127.0.0.1",
      VERGEWIS_SECRET: "a".repeat(43),
    },
  });
  running.push(server);
  const started = performance.now();
  expect(await server.exited, server.output()).toBe(1);
  expect(performance.now() - started).toBeLessThan(40_000);
  expect(server.output()).toMatch(/"step":"migrations"[^\n]*"msg":"start-up step failed"/);
  expect(server.output()).not.toContain("Vergewis API");
}, 60_000);
