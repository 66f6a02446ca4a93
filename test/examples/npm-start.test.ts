// `npm start` as a person runs it: scripts/run.mjs start, the whole system in one process on
// embedded defaults (here a temp data dir and free ports), stopped by Ctrl-C or SIGTERM.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { Vergewis } from "@vergewis/sdk";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-npm-start-"));
const children: Array<ReturnType<typeof spawn>> = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  stop(signal: NodeJS.Signals): Promise<number | null>;
  output: () => string;
  urls: { example: string; api: string; portal: string; console: string };
  auditorToken: string;
}

/** Runs `npm start`'s entry with `args` and waits for its walkthrough. */
async function npmStart(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, ["scripts/run.mjs", "start", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (out.includes("Press Ctrl-C to stop everything.")) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
  const line = (label: string) => new RegExp(`^\\s+${label}\\s+(\\S+)`, "m").exec(out)?.[1] ?? "";
  return {
    output: () => out,
    urls: {
      example: line("Example platform"),
      api: line("Vergewis API"),
      portal: line("Performer portal"),
      console: line("Auditor console"),
    },
    auditorToken: line("Auditor token"),
    stop(signal) {
      child.kill(signal);
      return exited;
    },
  };
}

const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname === "localhost" ? "127.0.0.1" : hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

const locks = () =>
  ["pgdata/vergewis.lock", "operator.sock", "example-platform/db/example-platform.lock"].filter((file) =>
    fs.existsSync(path.join(dataDir, file)),
  );

test("npm start runs the server, portal, console, identity provider and example platform; Ctrl-C stops all of it", async () => {
  const first = await npmStart(["--data-dir", dataDir, "--port", "0", "--example-port", "0"]);
  const { urls, auditorToken } = first;
  expect(first.output()).toContain("Try it:");
  expect(first.output()).toContain(`sign in as "adult"`);

  expect((await fetch(urls.example)).status).toBe(200);
  expect((await fetch(`${urls.api}/healthz`)).status).toBe(200);
  expect(urls.portal).toBe(`${urls.api}/portal`);
  expect((await fetch(`${urls.console}/login`)).status).toBe(200);
  const audit = await fetch(`${urls.api}/v1/audit/metrics`, { headers: { authorization: `Bearer ${auditorToken}` } });
  expect(audit.status).toBe(200);
  // The portal sends performers to the local identity provider.
  const verify = await fetch(`${urls.api}/portal/verify/start`, { redirect: "manual" });
  expect([302, 303]).toContain(verify.status);

  // The example platform's key works and its webhook endpoint is registered.
  const credentials = JSON.parse(fs.readFileSync(path.join(dataDir, "example-platform/credentials.json"), "utf8")) as {
    apiKey: string;
    auditorToken: string;
  };
  expect(credentials.auditorToken).toBe(auditorToken);
  expect((fs.statSync(path.join(dataDir, "example-platform/credentials.json")).mode & 0o777).toString(8)).toBe("600");
  const vergewis = new Vergewis({ apiKey: credentials.apiKey, baseUrl: urls.api });
  expect((await vergewis.webhookEndpoints.list()).items.map((e) => e.url)).toEqual([
    `${urls.example}/webhooks/vergewis`,
  ]);
  expect(locks()).toHaveLength(3);
  const pid = Number(fs.readFileSync(path.join(dataDir, "pgdata/vergewis.lock"), "utf8"));

  expect(await first.stop("SIGINT")).toBe(0);
  expect(first.output()).toContain("Stopped.");
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
  expect(locks()).toEqual([]);
  for (const url of [urls.example, urls.api]) expect(await refused(url)).toBe(true);
}, 120_000);
