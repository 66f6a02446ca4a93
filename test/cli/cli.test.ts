import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { cliEnv, runCli, spawnCli, type CliProcess } from "../support/cli.ts";

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-cli-"));
const running: CliProcess[] = [];
afterAll(async () => {
  for (const p of running) {
    p.child.kill("SIGKILL");
    await p.exited;
  }
  fs.rmSync(cwd, { recursive: true, force: true });
});

describe("configuration errors stop start-up with exit code 2, naming the setting", () => {
  test.each([
    [{ VERGEWIS_PORT: "70000" }, "http.port (VERGEWIS_PORT)"],
    [{ VERGEWIS_PUBLIC_URL: "ftp://example.test" }, "http.publicUrl (VERGEWIS_PUBLIC_URL)"],
    [{ DATABASE_URL: "mysql://localhost/x" }, "database.url (DATABASE_URL)"],
    [{ LOG_LEVEL: "loud" }, "logLevel (LOG_LEVEL)"],
    [{ NODE_ENV: "production" }, "secret (VERGEWIS_SECRET): required in production"],
  ])("%j", async (env, named) => {
    const result = await runCli(["start"], { cwd, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Invalid configuration");
    expect(result.stderr).toContain(named);
  });

  test("an unknown command or flag is a usage error (exit 2)", async () => {
    for (const args of [["frobnicate"], ["start", "--no-such-flag"], ["platform", "create"]]) {
      const result = await runCli(args, { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Usage: vergewis");
    }
  });
});

test("the `vergewis` command pnpm links for the packages that depend on the server runs the CLI", async () => {
  // pnpm links it at install, before anything is built: its target is a file in the repository.
  const bin = fileURLToPath(new URL("../../node_modules/.bin/vergewis", import.meta.url));
  const { stdout } = await promisify(execFile)(bin, ["--help"], { cwd, env: cliEnv() });
  expect(stdout).toContain("Usage: vergewis <command>");
});

describe("embedded defaults", () => {
  const dataDir = path.join(cwd, ".vergewis");

  test("operator commands never create a data directory; they name where they looked", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-cli-elsewhere-"));
    try {
      const commands: Array<[string[], string]> = [
        [["platform", "create", "--name", "Elsewhere"], path.join(empty, ".vergewis")],
        [["platform", "configure", "--id", "01900000-0000-7000-8000-000000000000"], path.join(empty, ".vergewis")],
        [["keys", "rotate"], path.join(empty, ".vergewis")],
        [["auditor", "create", "--all"], path.join(empty, ".vergewis")],
        [["auditor", "revoke", "--prefix", "vgw_audit_x"], path.join(empty, ".vergewis")],
        [["flagger", "list"], path.join(empty, ".vergewis")],
        [["flagger", "create", "--name", "Hotline", "--data-dir", "state"], path.join(empty, "state")],
      ];
      const results = await Promise.all(commands.map(([args]) => runCli(args, { cwd: empty })));
      results.forEach((result, i) => {
        const [args, dir] = commands[i]!;
        expect(result.code, args.join(" ")).toBe(1);
        expect(result.stderr).toContain(`No Vergewis database in ${dir}`);
        expect(result.stderr).toContain("--data-dir DIR or VERGEWIS_DATA_DIR");
        expect(result.stdout).toBe("");
      });
      expect(fs.readdirSync(empty)).toEqual([]);
      // The environment variable is where it looks, too.
      const byEnv = await runCli(["flagger", "list"], { cwd: empty, env: { VERGEWIS_DATA_DIR: "/nonexistent/vgw" } });
      expect(byEnv.code).toBe(1);
      expect(byEnv.stderr).toContain("No Vergewis database in /nonexistent/vgw");
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }, 120_000);

  test("migrate creates the data directory; platform create, start, create through the running server, graceful stop", async () => {
    expect((await runCli(["migrate"], { cwd })).code).toBe(0);
    const created = await runCli(["platform", "create", "--name", "Before start", "--sla-minutes", "30"], { cwd });
    expect(created.code).toBe(0);
    const firstKey = /API key:\s+(vgw_live_\S+)/.exec(created.stdout)![1]!;
    expect(created.stdout).toContain("SLA:      30 minutes");

    const server = spawnCli(["start", "--port", "0"], { cwd });
    running.push(server);
    const [, url] = await server.waitFor(/Vergewis API: (http:\/\/localhost:\d+)/);
    await request(url!).get("/readyz").expect(200, { status: "ready" });
    // On the LTS line recommended for production (CI runs this on Node 24 too) the start raises no
    // runtime warning; on Node 20, past its end of life, oidc-provider calls the runtime unsupported.
    const supported = Number(process.versions.node.split(".")[0]) >= 22;
    expect(server.output().includes("Unsupported runtime"), server.output()).toBe(!supported);
    expect(fs.statSync(path.join(dataDir, "secret")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);

    // The embedded database is held by the server: operator commands go through its socket.
    const during = await runCli(["platform", "create", "--name", "While running"], { cwd });
    expect(during.code).toBe(0);
    const secondKey = /API key:\s+(vgw_live_\S+)/.exec(during.stdout)![1]!;
    for (const key of [firstKey, secondKey]) {
      await request(url!).post("/v1/publications").set(bearer(key)).send(publicationRequest()).expect(201);
    }

    // SIGTERM while a request is in flight: the request completes, then the process exits 0.
    const body = JSON.stringify(publicationRequest());
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = http.request(`${url}/v1/publications`, {
        method: "POST",
        headers: { ...bearer(firstKey), "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      req.write(body.slice(0, 20));
      setTimeout(() => {
        server.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(20)), 300);
      }, 200);
    });
    expect(await inFlight).toBe(201);
    expect(await server.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, "operator.sock"))).toBe(false);

    const migrate = await runCli(["migrate"], { cwd });
    expect(migrate.stdout).toContain("Database is up to date.");
    expect(migrate.code).toBe(0);
  }, 180_000); // several processes, the first one running initdb on PGlite
});
