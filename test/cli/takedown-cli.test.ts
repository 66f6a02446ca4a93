import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../support/cli.ts";

// The built CLI on embedded defaults: trusted flaggers, platform settings, the worker command.
// Each command opens the embedded database in a process of its own, which takes seconds.
const SLOW = 120_000;
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-cli-takedown-"));
// Operator commands never create a data directory: `migrate` does, as an operator would run it.
beforeAll(async () => expect((await runCli(["migrate"], { cwd })).code).toBe(0), SLOW);
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

describe("vergewis flagger", () => {
  test(
    "create prints the token once; list and revoke",
    async () => {
      const created = await runCli(["flagger", "create", "--name", "Offlimits hotline"], { cwd });
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/token:\s+vgw_flag_[A-Za-z0-9_-]{43}\n/);
      const id = /id:\s+(\S+)/.exec(created.stdout)![1]!;

      const listed = await runCli(["flagger", "list"], { cwd });
      expect(listed.stdout).toContain(`${id}  active   Offlimits hotline`);
      expect(listed.stdout).not.toContain("vgw_flag_");

      const revoked = await runCli(["flagger", "revoke", "--id", id], { cwd });
      expect(revoked.code).toBe(0);
      expect((await runCli(["flagger", "list"], { cwd })).stdout).toContain(`${id}  revoked  Offlimits hotline`);
      const again = await runCli(["flagger", "revoke", "--id", id], { cwd });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("No such trusted flagger");
    },
    SLOW,
  );

  test("create without a name is a usage error", async () => {
    const result = await runCli(["flagger", "create"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("flagger create needs --name");
  });
});

describe("vergewis platform configure", () => {
  test(
    "changes the SLA and the content URL template, and clears it",
    async () => {
      const created = await runCli(["platform", "create", "--name", "Tube"], { cwd });
      const id = /id:\s+(\S+)/.exec(created.stdout)![1]!;
      const template = "https://tube.example.test/watch/{externalId}";
      const configured = await runCli(
        ["platform", "configure", "--id", id, "--sla-minutes", "15", "--content-url-template", template],
        { cwd },
      );
      expect(configured.code).toBe(0);
      expect(configured.stdout).toContain("SLA:                   15 minutes");
      expect(configured.stdout).toContain(`content URL template:  ${template}`);
      const cleared = await runCli(["platform", "configure", "--id", id, "--content-url-template", ""], { cwd });
      expect(cleared.stdout).toContain("content URL template:  (none)");
    },
    SLOW,
  );

  test(
    "refuses a template without the placeholder",
    async () => {
      const created = await runCli(["platform", "create", "--name", "Bad"], { cwd });
      const id = /id:\s+(\S+)/.exec(created.stdout)![1]!;
      const result = await runCli(["platform", "configure", "--id", id, "--content-url-template", "https://x.test/"], {
        cwd,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("The content URL template must be an http(s) URL with {externalId} once");
    },
    SLOW,
  );
});

test("vergewis worker needs PostgreSQL", async () => {
  const result = await runCli(["worker"], { cwd });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("database.url (DATABASE_URL)");
  expect(result.stderr).toContain("vergewis worker needs PostgreSQL");
});
