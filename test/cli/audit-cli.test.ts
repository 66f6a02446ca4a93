import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, describe, expect, test } from "vitest";
import { startEmbeddedDatabase } from "../../packages/server/src/db/embedded/start.ts";
import { bearer, publicationRequest } from "../support/fixtures.ts";
import { runCli, spawnCli, type CliProcess } from "../support/cli.ts";

// `vergewis auditor …` and `vergewis log verify` as an operator and an auditor run them: the built
// CLI against a server on its embedded database, which a superuser then tampers with.

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-audit-cli-"));
const running: CliProcess[] = [];
afterAll(async () => {
  for (const p of running) {
    p.child.kill("SIGKILL");
    await p.exited;
  }
  fs.rmSync(cwd, { recursive: true, force: true });
});

async function start(): Promise<{ server: CliProcess; url: string }> {
  const server = spawnCli(["start", "--port", "0"], { cwd });
  running.push(server);
  const [, url] = await server.waitFor(/Vergewis API: (http:\/\/localhost:\d+)/);
  return { server, url: url! };
}

async function stop(server: CliProcess) {
  server.child.kill("SIGTERM");
  expect(await server.exited).toBe(0);
}

describe("vergewis auditor and vergewis log verify", () => {
  test("issue a token, verify the log, catch a tampered database and name the entry", async () => {
    let { server, url } = await start();
    const platform = await runCli(["platform", "create", "--name", "Alpha"], { cwd });
    const apiKey = /API key:\s+(vgw_live_\S+)/.exec(platform.stdout)![1]!;
    const platformId = /id:\s+(\S+)/.exec(platform.stdout)![1]!;
    for (let i = 0; i < 8; i++)
      await request(url).post("/v1/publications").set(bearer(apiKey)).send(publicationRequest()).expect(201);

    // Usage errors: exit 2, nothing issued.
    for (const args of [
      ["auditor", "create"],
      ["auditor", "create", "--all", "--platform", platformId],
    ]) {
      const usage = await runCli(args, { cwd });
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain("either --platform ID or --all");
    }
    const unknown = await runCli(["auditor", "create", "--platform", "01900000-0000-7000-8000-000000000000"], { cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No such platform");

    const created = await runCli(["auditor", "create", "--all", "--label", "Regulator"], { cwd });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("scope:   all platforms");
    const token = /token:\s+(vgw_audit_\S+)/.exec(created.stdout)![1]!;
    const scoped = await runCli(["auditor", "create", "--platform", platformId], { cwd });
    const scopedToken = /token:\s+(vgw_audit_\S+)/.exec(scoped.stdout)![1]!;
    expect(scoped.stdout).toContain(`scope:   platform ${platformId}`);

    const state = path.join(cwd, "verifier", "state.json");
    const env = { VERGEWIS_AUDITOR_TOKEN: token };
    const first = await runCli(["log", "verify", "--url", url, "--state", state, "--progress"], { cwd, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Trusting the server's key on first use");
    expect(first.stdout).toMatch(/✔ Verified \d+ entries of localhost\/log/);
    expect(first.stderr).toMatch(/Verifying \[#{30}\] 100% /);

    const again = await runCli(["log", "verify", "--url", url, "--state", state], { cwd, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("extends, unchanged");
    expect(again.stdout).not.toContain("Trusting");

    const byScoped = await runCli(["log", "verify", "--url", url, "--state", path.join(cwd, "scoped.json")], {
      cwd,
      env: { VERGEWIS_AUDITOR_TOKEN: scopedToken },
    });
    expect(byScoped.code).toBe(0);

    // An operator with superuser rights edits entry 5 while the server is down.
    await stop(server);
    const db = await startEmbeddedDatabase({ dir: path.join(cwd, ".vergewis", "pgdata") });
    const pg = await import("pg");
    const client = new pg.default.Client(db.url);
    await client.connect();
    const { rows } = await client.query<{ index: string }>(
      `SELECT "index" FROM "AuditEvent" WHERE "type" = 'publication.requested' ORDER BY "index" OFFSET 1 LIMIT 1`,
    );
    const index = Number(rows[0]!.index);
    await client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    const changed = await client.query(
      `UPDATE "AuditEvent" SET "entry" = replace("entry", '"publish"', '"promote"') WHERE "index" = $1`,
      [index],
    );
    expect(changed.rowCount).toBe(1);
    await client.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    await client.end();
    await db.stop();
    ({ server, url } = await start());

    const caught = await runCli(["log", "verify", "--url", url, "--state", state], { cwd, env });
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain(`✖ The log does NOT verify [log_diverged] (first bad index: ${index})`);

    // A pinned key that did not sign the checkpoint; no token; a revoked token.
    const otherKey = "other.example/log+00000000+AQ" + "A".repeat(42) + "=";
    const pinned = await runCli(
      ["log", "verify", "--url", url, "--key", otherKey, "--state", path.join(cwd, "x.json")],
      { cwd, env },
    );
    expect(pinned.code).toBe(1);
    for (const bad of [[], ["--url", "not a url"], ["--url", "ftp://example.org"]]) {
      const usage = await runCli(["log", "verify", ...bad], { cwd, env });
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain("log verify needs --url");
    }
    const noToken = await runCli(["log", "verify", "--url", url], { cwd });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("VERGEWIS_AUDITOR_TOKEN");
    const prefix = token.slice(0, 18);
    const revoked = await runCli(["auditor", "revoke", "--prefix", prefix], { cwd });
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Auditor token ${prefix}… revoked.`);
    const refused = await runCli(["log", "verify", "--url", url, "--state", path.join(cwd, "y.json")], { cwd, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("answered 401");
    await stop(server);
  }, 240_000);
});
