// Every code block of the SDK README is a file in packages/sdk/examples, included verbatim; this
// suite checks that, then runs each example as an integrator would (tsx, importing the *built*
// package by its name) against a real server.
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fingerprintFile } from "@vergewis/sdk";
import { consentedPublication } from "../support/consented.ts";
import { TestPlatform } from "../support/platform.ts";
import { issueAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import { movePublicationTo } from "../support/states.ts";
import { clearedPublication, revoke } from "../support/takedown.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const examplesDir = path.join(root, "packages/sdk/examples");
const readme = fs.readFileSync(path.join(root, "packages/sdk/README.md"), "utf8");
const tsx = path.join(root, "node_modules/.bin/tsx");

let server: TestServer;
let env: NodeJS.ProcessEnv;
let dir: string;
let video: string;

beforeAll(async () => {
  server = await startTestServer();
  const { apiKey } = await server.createPlatform("README");
  env = { PATH: process.env.PATH, VERGEWIS_URL: server.url, VERGEWIS_API_KEY: apiKey };
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-readme-"));
  video = path.join(dir, "scene-3.mp4");
  fs.writeFileSync(video, randomBytes(200_000));
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function run(example: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(tsx, [path.join(examplesDir, example), ...args], { cwd: dir, env });
  return stdout;
}

describe("the README", () => {
  test("includes every example verbatim, and only examples", () => {
    const included = [...readme.matchAll(/<!-- examples\/([\w-]+\.ts) -->\n```ts\n([\s\S]*?)```/g)];
    const files = fs
      .readdirSync(examplesDir)
      .filter((f) => f.endsWith(".ts"))
      .sort();
    expect(included.map(([, name]) => name).sort()).toEqual(files);
    for (const [, name, code] of included)
      expect(code, name).toBe(fs.readFileSync(path.join(examplesDir, name!), "utf8"));
    expect(readme.match(/```ts\n/g)).toHaveLength(files.length);
  });

  test("documents every export of the SDK", async () => {
    const sdk = await import("@vergewis/sdk");
    const express = await import("@vergewis/sdk/express");
    const undocumented = [...Object.keys(sdk), ...Object.keys(express)].filter((name) => !readme.includes(`\`${name}`));
    expect(undocumented).toEqual([]);
  });
});

describe("the README's examples run", () => {
  test("quick start: fingerprints, registers, hands out invitations, checks", async () => {
    const out = await run("quick-start.ts", video);
    const base = server.url.replace("127.0.0.1", "localhost");
    expect(out).toMatch(
      new RegExp(`^your invitation: ${base}/portal/i/\\w{26} \\(code [\\w-]{32}\\)\nnot yet: pending\n$`),
    );
    // Idempotent by its own key: a second run replays the first answer, without the code.
    expect(await run("quick-start.ts", video)).toBe("not yet: pending\n");
  });

  test("media fingerprints: the JSON line of a photo, and a smaller copy is the same picture", async () => {
    const photo = path.join(dir, "photo.jpg");
    const copy = path.join(dir, "photo-small.jpg");
    fs.copyFileSync(path.join(root, "test/fixtures/pdq/bridge-1-original.jpg"), photo);
    await sharp(photo).resize(400).jpeg({ quality: 40 }).toFile(copy);
    const [line, verdict, ...rest] = (await run("media-fingerprint.ts", photo, copy)).split("\n");
    expect(JSON.parse(line!)).toEqual({
      file: photo,
      fingerprints: [
        { alg: "sha-256", value: (await fingerprintFile(photo)).value },
        { alg: "pdq", value: expect.stringMatching(/^[0-9a-f]{64}$/), quality: 100 },
      ],
    });
    expect(verdict).toBe("same picture");
    expect(rest).toEqual([""]);
  });

  test("publications: a page, every page, one publication", async () => {
    const out = await run("publications.ts");
    expect(out).toMatch(
      /^1 pending on the first page, more: false\nupload-[0-9a-f]{12}: 2 of 2 consents outstanding\npending\n$/,
    );
  });

  test("errors: conflict, invalid fields, no connection", async () => {
    const out = await run("errors.ts");
    expect(out).toMatch(/^409 external_id_taken: .+ \(request [\w-]+\)$/m);
    expect(out).toMatch(/^\/body\/externalId: must be visible ASCII characters without spaces$/m);
    expect(out).toMatch(/^\/body\/slots: /m);
    expect(out).toMatch(/^connection_failed: Could not reach Vergewis at http:\/\/127\.0\.0\.1:2\/: ECONNREFUSED$/m);
  });

  test("fingerprint: the same digest from a path, a Node stream and a web stream", async () => {
    const { value } = await fingerprintFile(video);
    expect(await run("fingerprint.ts", video)).toBe(`${value}\n${value}\n${value}\n`);
  });

  test("gate: refuses pending content, serves it once cleared", async () => {
    expect(await run("gate.ts", video)).toBe("refuse with HTTP 403: pending\n");
    const fingerprint = await fingerprintFile(video);
    const publication = await server.ctx.db.publication.findFirstOrThrow({
      where: { fingerprints: { some: { value: fingerprint.value } } },
    });
    await movePublicationTo(server.ctx.db, publication.id, ["cleared"]);
    expect(await run("gate.ts", video)).toBe("serve it (online)\n");
  });

  test("express: serves the cleared video, 404 for anything else", async () => {
    const child = spawn(tsx, [path.join(examplesDir, "express.ts"), video], { cwd: dir, env: { ...env, PORT: "0" } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`express example exited with ${code}`)));
      });
      const served = await fetch(`${url}/videos/scene-3`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(fs.readFileSync(video))).toBe(true);
      expect((await fetch(`${url}/videos/scene-4`)).status).toBe(404);
    } finally {
      child.kill();
    }
  });

  test("receipts: verified offline, one revoked", async () => {
    const readmePlatform = await server.ctx.db.platform.findFirstOrThrow({ where: { name: "README" } });
    const platform = new TestPlatform(server, readmePlatform.id, env.VERGEWIS_API_KEY!);
    const { publication, performers, consentIds } = await consentedPublication(server, platform, { slots: 2 });
    await performers[1]!.revoke(consentIds[1]!);
    const out = await run("receipts.ts", publication.id);
    expect(out).toMatch(/^prf_[\w-]{22} consents until \S+\nprf_[\w-]{22} revoked until \S+\n$/);
  });

  test("audit log: verifies an entry against the signed checkpoint, refuses another key", async () => {
    const { token } = await issueAuditorToken(server.ctx.db, { platformId: null });
    const auditor = {
      ...env,
      VERGEWIS_AUDITOR_TOKEN: token,
      VERGEWIS_LOG_KEY: (await server.ctx.logSigner.key()).verifierKey,
    };
    const { stdout } = await promisify(execFile)(tsx, [path.join(examplesDir, "audit-log.ts")], {
      cwd: dir,
      env: auditor,
    });
    expect(stdout).toMatch(
      /^entry 0 \(signing_key\.created\) is in the log of \d+ entries signed by localhost\/log\n$/,
    );
    const other = { ...auditor, VERGEWIS_LOG_KEY: "localhost/log+00000000+AQ" + "A".repeat(42) + "=" };
    const refused = await promisify(execFile)(tsx, [path.join(examplesDir, "audit-log.ts")], { cwd: dir, env: other });
    expect(refused.stdout).toBe("not verified: verifier_key_invalid\n");
  });

  test("webhooks: verifies a takedown.requested webhook, takes the content down and acknowledges", async () => {
    const port = await freePort();
    const endpoint = await fetch(`${server.url}/v1/webhook-endpoints`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.VERGEWIS_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ url: `http://127.0.0.1:${port}/hooks/vergewis`, eventTypes: ["takedown.requested"] }),
    });
    const { secret } = (await endpoint.json()) as { secret: string };
    const child = spawn(tsx, [path.join(examplesDir, "webhooks.ts")], {
      cwd: dir,
      env: { ...env, PORT: String(port), VERGEWIS_WEBHOOK_SECRET: secret },
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    try {
      await expect.poll(() => out, { timeout: 30_000 }).toContain("listening on");
      const content = await clearedPublication(server.url, server.ctx.db, env.VERGEWIS_API_KEY!);
      const { takedownId } = await revoke(server.ctx.db, content.id);
      await expect.poll(() => out, { timeout: 15_000 }).toContain("acknowledged: acknowledged");
      expect(out).toContain(`taking down ${content.externalId} (due `);
      const takedown = await server.ctx.db.takedown.findUniqueOrThrow({ where: { id: takedownId } });
      expect(takedown.note).toBe("removed from storage and CDN");
    } finally {
      child.kill();
    }
  });

  test("schemas: refuses a bad request field by field; canonical JSON", async () => {
    const out = await run("schemas.ts");
    expect(out).toContain("externalId: must be visible ASCII characters without spaces\n");
    expect(out).toContain("contentFingerprints.0.value: must be 64 hexadecimal characters (256 bits)\n");
    expect(out).toContain("scope.territories.0: must be an ISO 3166-1 alpha-2 country code\n");
    expect(out).toContain("purposes: publish, promote, syndicate, download\n");
    expect(out).toContain('{"a":[1,"x"],"b":2}\n');
  });
});
