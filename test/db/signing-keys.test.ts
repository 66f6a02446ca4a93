import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { KeyFiles } from "../../packages/server/src/keys/files.ts";
import { KeyStore } from "../../packages/server/src/keys/store.ts";
import { useTestDb } from "../support/database.ts";

const testDb = useTestDb();
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-keys-"));
  dirs.push(dir);
  return dir;
};
const store = (dir: string, options: { kek?: string; pem?: string } = {}) =>
  new KeyStore(testDb.db, new KeyFiles(dir, options.kek), { receipt: { alg: "ES256", pem: options.pem } });
const purge = () => testDb.db.signingKey.deleteMany();

describe("key files", () => {
  test("a first key is made once and found again by the next start", async () => {
    await purge();
    const dir = tempDir();
    const first = store(dir);
    await first.init();
    const kid = (await first.current("receipt")).kid;
    const again = store(dir);
    await again.init();
    expect((await again.current("receipt")).kid).toBe(kid);
    expect(await testDb.db.signingKey.count()).toBe(1);
    const file = path.join(dir, "keys", "receipt", `${kid}.jwk`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  test("with a key encryption key the file is a JWE; a wrong key cannot open it; plain files get encrypted", async () => {
    await purge();
    const dir = tempDir();
    const plain = store(dir);
    await plain.init();
    const kid = (await plain.current("receipt")).kid;
    const kek = "k".repeat(40);
    const encrypted = store(dir, { kek });
    await encrypted.init();
    expect((await encrypted.current("receipt")).kid).toBe(kid);
    const files = fs.readdirSync(path.join(dir, "keys", "receipt"));
    expect(files).toEqual([`${kid}.jwe`]);
    const content = fs.readFileSync(path.join(dir, "keys", "receipt", files[0]!), "utf8");
    expect(content.split(".")).toHaveLength(5);
    expect(content).not.toContain('"d"');
    await expect(store(dir, { kek: "w".repeat(40) }).init()).rejects.toMatchObject({ code: "key_file_unreadable" });
    await expect(store(dir).init()).rejects.toMatchObject({ code: "key_file_unreadable" });
  });

  test("rotation adds a key and signs with it; the old public key stays published", async () => {
    await purge();
    const dir = tempDir();
    const keys = store(dir);
    await keys.init();
    const old = (await keys.current("receipt")).kid;
    const rotated = await keys.rotate("receipt");
    expect(rotated.privateKeyPem).toBeUndefined();
    expect((await keys.current("receipt")).kid).toBe(rotated.kid);
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([rotated.kid, old]);
    // Another instance on the same data directory starts with the newest key.
    const other = store(dir);
    await other.init();
    expect((await other.current("receipt")).kid).toBe(rotated.kid);
  });

  test("instances with their own key files each sign with their own key; the JWKS has both", async () => {
    await purge();
    const a = store(tempDir());
    const b = store(tempDir());
    await a.init();
    await b.init();
    const [ka, kb] = [(await a.current("receipt")).kid, (await b.current("receipt")).kid];
    expect(ka).not.toBe(kb);
    expect((await a.jwks()).keys.map((k) => k.kid).sort()).toEqual([ka, kb].sort());
  });
});

describe("a key from configuration (production)", () => {
  test("is used as given; rotation hands out a new PEM and publishes it, but signs on until it is installed", async () => {
    await purge();
    const pem = generateKeyPairSync("ec", { namedCurve: "P-256" })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    const dir = tempDir();
    const keys = store(dir, { pem });
    await keys.init();
    const kid = (await keys.current("receipt")).kid;
    expect(fs.existsSync(path.join(dir, "keys"))).toBe(false);
    const rotated = await keys.rotate("receipt");
    expect(rotated.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect((await keys.jwks()).keys.map((k) => k.kid).sort()).toEqual([kid, rotated.kid].sort());
    expect((await keys.current("receipt")).kid).toBe(kid);
    const installed = store(dir, { pem: rotated.privateKeyPem! });
    await installed.init();
    expect((await installed.current("receipt")).kid).toBe(rotated.kid);
  });

  test("a key for the wrong algorithm is refused", async () => {
    const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    await expect(store(tempDir(), { pem }).init()).rejects.toThrow(/P-256/);
  });

  test("an Ed25519 purpose works the same way (for other signers)", async () => {
    await purge();
    const keys = new KeyStore(testDb.db, new KeyFiles(tempDir()), { checkpoint: { alg: "EdDSA" } });
    await keys.init();
    const key = await keys.current("checkpoint");
    expect(key.publicJwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", kid: key.kid });
  });
});
