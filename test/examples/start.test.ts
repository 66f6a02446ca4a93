// The example platform's `start` entry, as a process: configured by environment variables.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const main = path.join(root, "packages/examples/dist/main.js");

let server: TestServer;
let dataDir: string;

beforeAll(async () => {
  server = await startTestServer();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-example-start-"));
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function run(env: Record<string, string>) {
  // The built entry, as integrators run it; sh execs node itself, so the signal reaches its
  // handlers. Under umask 000, where files get whatever mode their creator asks for.
  const child = spawn("sh", ["-c", 'umask 000 && exec "$0" "$@"', process.execPath, main], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ out, err }) };
}

test("starts from environment variables, serves, and stops cleanly on SIGTERM", async () => {
  const { apiKey } = await server.createPlatform("Started");
  const example = run({
    VERGEWIS_URL: server.url,
    VERGEWIS_API_KEY: apiKey,
    EXAMPLE_DATA_DIR: dataDir,
    EXAMPLE_PORT: "0",
  });
  const url = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /Example platform: (\S+)/.exec(example.output().out);
      if (match) {
        clearInterval(poll);
        resolve(match[1]!);
      }
    }, 50);
    void example.exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`exited with ${code}: ${example.output().err}`));
    });
  });
  expect((await fetch(url)).status).toBe(200);
  example.child.kill("SIGTERM");
  expect(await example.exited).toBe(0);
  expect(fs.existsSync(path.join(dataDir, "db/example-platform.lock"))).toBe(false);
  // Its database's files are the owner's alone.
  const reachable = fs
    .readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => (fs.statSync(file).mode & 0o077) !== 0);
  expect(reachable).toEqual([]);
}, 120_000); // the example's own PGlite starts and stops in a process of its own

test("refuses to start with invalid settings, naming the variable", async () => {
  const example = run({ VERGEWIS_URL: "not a url", EXAMPLE_DATA_DIR: dataDir });
  expect(await example.exited).toBe(1);
  expect(example.output().err).toMatch(/VERGEWIS_URL: .*\n\s+VERGEWIS_API_KEY: /);
});
