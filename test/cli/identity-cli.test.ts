import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { runCli, spawnCli, type CliProcess } from "../support/cli.ts";
import { TestPerformer } from "../support/performer.ts";

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-identity-cli-"));
const dataDir = path.join(cwd, ".vergewis");
const running: CliProcess[] = [];
afterAll(async () => {
  for (const p of running) {
    p.child.kill("SIGKILL");
    await p.exited;
  }
  fs.rmSync(cwd, { recursive: true, force: true });
});

test("embedded defaults: signing keys and escrow key on first start, keys rotate, auditor unseal", async () => {
  const server = spawnCli(["start", "--port", "0"], { cwd });
  running.push(server);
  const [, url] = await server.waitFor(/Vergewis API: (http:\/\/localhost:\d+)/);

  // The receipt key: generated on first start, one file per key, owner-only.
  const keyDir = path.join(dataDir, "keys", "receipt");
  const [keyFile] = fs.readdirSync(keyDir);
  expect(keyFile).toMatch(/^[A-Za-z0-9_-]{43}\.jwk$/);
  expect(fs.statSync(path.join(keyDir, keyFile!)).mode & 0o777).toBe(0o600);
  // The escrow key pair: the server keeps the public key; the private one is for the local auditor.
  const privateKeyFile = path.join(dataDir, "AUDITOR-ESCROW-PRIVATE-KEY.DO-NOT-KEEP-ON-A-PRODUCTION-SERVER.jwk");
  expect(fs.statSync(privateKeyFile).mode & 0o777).toBe(0o600);
  expect(JSON.parse(fs.readFileSync(path.join(dataDir, "escrow-public-key.jwk"), "utf8"))).not.toHaveProperty("d");

  const performer = new TestPerformer(url!);
  const identity = `adult+cli-${process.pid}`;
  expect((await performer.verifyAge(identity)).status).toBe(303);
  const { pseudonym } = (await performer.api("GET", "/session")).body.performer;

  // Through the running server (it holds the embedded database and the key store).
  const rotated = await runCli(["keys", "rotate"], { cwd });
  expect(rotated.code).toBe(0);
  const [, newKid] = /New receipt signing key ([A-Za-z0-9_-]{43}) \(ES256\) is in use/.exec(rotated.stdout)!;
  const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
  expect(jwks.keys.map((k) => k.kid).sort()).toEqual([keyFile!.replace(".jwk", ""), newKid].sort());

  const unsealed = await runCli(["auditor", "unseal", "--key", privateKeyFile, "--performer", pseudonym], { cwd });
  expect(unsealed.code).toBe(0);
  expect(JSON.parse(unsealed.stdout)).toMatchObject({
    performer: pseudonym,
    subject: identity,
    name: "Anna de Vries",
    birthdate: "1990-05-01",
    acr: "http://eidas.europa.eu/LoA/high",
  });

  const otherKey = path.join(cwd, "other.pem");
  fs.writeFileSync(
    otherKey,
    generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }),
  );
  const wrong = await runCli(["auditor", "unseal", "--key", otherKey, "--performer", pseudonym], { cwd });
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain("cannot be opened with this key");
  expect(wrong.stdout).not.toContain("Anna");

  const usage = await runCli(["auditor", "unseal", "--key", otherKey], { cwd });
  expect(usage.code).toBe(2);
}, 180_000);
