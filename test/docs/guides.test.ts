// The guides for platforms, operators and auditors (docs/*.md) show commands; this runs every one
// of them, against the system that `npm start` runs (which this file also tests as a process:
// started by scripts/run.mjs on a temp data dir and free ports, stopped by Ctrl-C).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Vergewis } from "@vergewis/sdk";
import { CLI } from "../support/cli.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const GUIDES = ["docs/integration.md", "docs/operator.md", "docs/auditor.md"];

interface Block {
  guide: string;
  line: number;
  /** `online` (default): against the running system; `offline`: before it starts; `long-running`: run elsewhere. */
  when: "online" | "offline" | "long-running";
  /** For long-running blocks: the test files that run them. */
  runBy: string[];
  script: string;
}

/** Every ```sh block of a guide, with the `<!-- test: … -->` annotation just before it. */
function blocks(guide: string): Block[] {
  const text = fs.readFileSync(path.join(root, guide), "utf8");
  return [...text.matchAll(/(?:<!-- test: ([^>]*?) -->\n)?```sh\n([\s\S]*?)```/g)].map((match) => {
    const annotation = match[1] ?? "online";
    const when = annotation.split(",")[0]!.trim() as Block["when"];
    const runBy = [...annotation.matchAll(/test\/[\w/.-]+\.test\.ts/g)].map((m) => m[0]);
    return { guide, line: text.slice(0, match.index).split("\n").length, when, runBy, script: match[2]! };
  });
}

const all = GUIDES.flatMap(blocks);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-guides-"));
const work = path.join(dataDir, "..", `${path.basename(dataDir)}-work`);
const bin = path.join(work, "bin");
let child: ReturnType<typeof spawn> | undefined;
let exited: Promise<number | null>;
let out = "";
let env: Record<string, string> = {};

beforeAll(() => {
  fs.mkdirSync(bin, { recursive: true });
  // `vergewis` as the guides write it: the built CLI.
  fs.writeFileSync(path.join(bin, "vergewis"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, {
    mode: 0o755,
  });
  env = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: work,
    LOG_LEVEL: "warn",
    VERGEWIS_DATA_DIR: dataDir,
  };
});
afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function run(block: Block) {
  const result = spawnSync("bash", ["-euo", "pipefail", "-c", block.script], {
    cwd: work,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  const where = `${block.guide}:${block.line}\n${block.script}\n${result.stdout}${result.stderr}`;
  expect(result.status, where).toBe(0);
  return result.stdout;
}

const line = (label: string) => new RegExp(`^\\s+${label}\\s+(\\S+)`, "m").exec(out)?.[1] ?? "";
const locks = () =>
  ["pgdata/vergewis.lock", "operator.sock", "example-platform/db/example-platform.lock"].filter((file) =>
    fs.existsSync(path.join(dataDir, file)),
  );
const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(new URL(url).port), "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

describe("the guides' commands and npm start", () => {
  test("the guides show commands, each annotated where it is run", () => {
    expect(all.length).toBeGreaterThan(12);
    for (const guide of GUIDES) expect(all.some((b) => b.guide === guide)).toBe(true);
    for (const block of all)
      expect(["online", "offline", "long-running"], `${block.guide}:${block.line}`).toContain(block.when);
  });

  test("long-running commands are run by the tests the guides name", () => {
    const long = all.filter((b) => b.when === "long-running");
    expect(long.length).toBeGreaterThan(0);
    for (const block of long) {
      expect(block.runBy.length, `${block.guide}:${block.line}`).toBeGreaterThan(0);
      const sources = block.runBy.map((file) => fs.readFileSync(path.join(root, file), "utf8")).join("\n");
      for (const command of block.script.trim().split("\n")) {
        const expected = command === "npm start" ? '"scripts/run.mjs", "start"' : `"${command.split(" ")[1]}"`;
        expect(sources, `${block.guide}:${block.line}: ${command}`).toContain(expected);
      }
    }
  });

  test("offline commands run before the server starts", () => {
    for (const block of all.filter((b) => b.when === "offline")) run(block);
    expect(fs.existsSync(path.join(work, "vergewis-backup.tar.gz"))).toBe(true);
  });

  test("npm start runs the server, portal, console, identity provider and example platform", async () => {
    child = spawn(
      process.execPath,
      ["scripts/run.mjs", "start", "--port", "0", "--example-port", "0", "--mail-port", "0"],
      {
        cwd: root,
        env,
      },
    );
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    exited = new Promise((resolve) => child!.once("exit", (code) => resolve(code)));
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
    const api = line("Vergewis API");
    const example = line("Example platform");
    expect(out).toContain("Try it:");
    expect(out).toContain(`sign in as "adult"`);
    expect(line("Performer portal")).toBe(`${api}/portal`);
    expect(line("Auditor console")).toBe(`${api}/audit`);

    expect((await fetch(example)).status).toBe(200);
    expect((await fetch(`${api}/readyz`)).status).toBe(200);
    expect((await fetch(`${api}/audit/login`)).status).toBe(200);
    // The portal sends performers to the local identity provider.
    expect((await fetch(`${api}/portal/verify/start`, { redirect: "manual" })).status).toBe(303);

    // The example platform has a working key (kept for restarts) and its webhook endpoint.
    const credentialsFile = path.join(dataDir, "example-platform/credentials.json");
    const credentials = JSON.parse(fs.readFileSync(credentialsFile, "utf8")) as {
      platformId: string;
      apiKey: string;
      auditorToken: string;
    };
    expect((fs.statSync(credentialsFile).mode & 0o777).toString(8)).toBe("600");
    expect(credentials.auditorToken).toBe(line("Auditor token"));
    const vergewis = new Vergewis({ apiKey: credentials.apiKey, baseUrl: api });
    expect((await vergewis.webhookEndpoints.list()).items.map((e) => e.url)).toEqual([`${example}/webhooks/vergewis`]);
    const metrics = await fetch(`${api}/v1/audit/metrics`, {
      headers: { authorization: `Bearer ${credentials.auditorToken}` },
    });
    expect(metrics.status).toBe(200);
    expect(locks()).toHaveLength(3);

    Object.assign(env, {
      VERGEWIS_URL: api,
      VERGEWIS_API_KEY: credentials.apiKey,
      VERGEWIS_AUDITOR_TOKEN: credentials.auditorToken,
      PLATFORM_ID: credentials.platformId,
    });
  }, 120_000);

  test("online commands run against it", () => {
    for (const block of all.filter((b) => b.when === "online")) run(block);
    expect(fs.readFileSync(path.join(work, "audit-log.csv"), "utf8")).toMatch(/^index,time,type,/);
    expect(fs.readFileSync(path.join(work, "monthly-report.csv"), "utf8").length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(work, "vergewis-log-state.json"))).toBe(true);
  }, 120_000);

  test("Ctrl-C stops all of it: exit 0, nothing listening, the locks released", async () => {
    // The embedded database's process and the process it serves (the system), as its lock names them.
    const pids = fs.readFileSync(path.join(dataDir, "pgdata/vergewis.lock"), "utf8").split(" ").map(Number);
    expect(pids).toHaveLength(2);
    child!.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(out).toContain("Stopped.");
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
    expect(locks()).toEqual([]);
    for (const url of [env.VERGEWIS_URL!, line("Example platform")]) expect(await refused(url)).toBe(true);
  });
});
