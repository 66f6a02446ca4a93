import fs from "node:fs";
import path from "node:path";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ESCROW_PRIVATE_FILE, unsealIdentity } from "../../packages/server/src/identity/escrow.ts";
import { exportSealedIdentity } from "../../packages/server/src/identity/sealed-record.ts";
import { testIdentities } from "../../packages/server/src/identity/local-idp/identities.ts";
import { dumpDatabase, freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
const verified: Array<{ identity: string; pseudonym: string }> = [];

beforeAll(async () => {
  server = await startPortalServer();
  for (const base of ["adult", "eighteen-today", "wallet-over18"]) {
    const identity = freshIdentity(base);
    const performer = newPerformer(server);
    await performer.verifyAge(identity);
    verified.push({ identity, pseudonym: (await performer.api("GET", "/session")).body.performer.pseudonym });
  }
});
afterAll(() => server?.close());

describe("sealed identity", () => {
  test("the database holds no plaintext identity data: no names, birthdates or subjects anywhere", async () => {
    const dump = await dumpDatabase(server);
    expect(dump.length).toBeGreaterThan(1000);
    // Long values anywhere; short names as whole JSON strings (three letters occur by chance in
    // the base64 of ciphertexts and hashes).
    const secrets = new Set<string>();
    for (const identity of testIdentities()) {
      const { name, given_name, family_name, birthdate } = identity.claims;
      for (const value of [name, given_name, family_name, birthdate]) {
        if (value) secrets.add(value.length >= 8 ? value : JSON.stringify(value));
      }
    }
    for (const { identity } of verified) secrets.add(identity);
    expect([...secrets]).toEqual(expect.arrayContaining(["Anna de Vries", "1990-05-01", '"Eva"']));
    for (const secret of secrets) expect(dump, secret).not.toContain(secret);
    // What is there instead: JWEs and HMACs.
    expect(dump).toMatch(
      /"sealedIdentity":"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"/,
    );
  });

  test("each verification is sealed as a compact JWE (ECDH-ES+A256KW, A256GCM) to the escrow key", async () => {
    const rows = await server.ctx.db.ageAttestation.findMany();
    expect(rows.length).toBe(verified.length);
    for (const row of rows) {
      expect(decodeProtectedHeader(row.sealedIdentity!)).toMatchObject({
        alg: "ECDH-ES+A256KW",
        enc: "A256GCM",
        kid: server.ctx.identity.escrow!.kid,
        cty: "vergewis-identity+json",
      });
      expect(row.escrowKid).toBe(server.ctx.identity.escrow!.kid);
    }
  });

  test("an auditor with the escrow private key unseals one record; its export is logged", async () => {
    const [{ identity, pseudonym }] = verified as [{ identity: string; pseudonym: string }];
    const record = await exportSealedIdentity(server.ctx.db, { performer: pseudonym });
    const key = fs.readFileSync(path.join(server.ctx.config.dataDir, ESCROW_PRIVATE_FILE), "utf8");
    expect(await unsealIdentity(record.sealedIdentity, key)).toMatchObject({
      performer: pseudonym,
      issuer: server.ctx.identity.relyingParty.settings.issuer,
      subject: identity,
      name: "Anna de Vries",
      givenName: "Anna",
      familyName: "de Vries",
      birthdate: "1990-05-01",
    });
    const events = await server.ctx.db.auditEvent.findMany({ where: { type: "identity.sealed_record_exported" } });
    expect(events.map((e) => JSON.parse(e.entry).data.attestationId)).toContain(record.attestationId);
  });

  test("a wallet that proves only age_over_18 seals no name or birthdate it never gave", async () => {
    const wallet = verified.find((v) => v.identity.startsWith("wallet-over18"))!;
    const record = await exportSealedIdentity(server.ctx.db, { performer: wallet.pseudonym });
    const key = fs.readFileSync(path.join(server.ctx.config.dataDir, ESCROW_PRIVATE_FILE), "utf8");
    const opened = await unsealIdentity(record.sealedIdentity, key);
    expect(opened).not.toHaveProperty("name");
    expect(opened).not.toHaveProperty("birthdate");
  });

  test("the server holds no escrow private key in memory or configuration", () => {
    expect(server.ctx.identity.escrow!.publicKey.type).toBe("public");
    expect(JSON.stringify(server.ctx.config)).not.toContain('"d":');
  });

  test("a record that does not exist is not found", async () => {
    await expect(exportSealedIdentity(server.ctx.db, { performer: "prf_nobodynobodynobodynob" })).rejects.toMatchObject(
      { code: "not_found" },
    );
  });
});

describe("sealing off", () => {
  test("no JWE, no escrow key files", async () => {
    const plain = await startPortalServer({ identity: { sealIdentity: false } });
    try {
      await newPerformer(plain).verifyAge(freshIdentity("adult"));
      const [row] = await plain.ctx.db.ageAttestation.findMany();
      expect(row).toMatchObject({ sealedIdentity: null, escrowKid: null, over18: true });
      expect(fs.existsSync(path.join(plain.ctx.config.dataDir, ESCROW_PRIVATE_FILE))).toBe(false);
      expect(await dumpDatabase(plain)).not.toContain("Anna");
    } finally {
      await plain.close();
    }
  });
});
