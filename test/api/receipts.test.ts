import { compactVerify, createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  RECEIPT_TYPE,
  receiptClaimsSchema,
  ReceiptVerificationError,
  SignatureVerificationError,
  verifyConsentReceipt,
  verifyConsentSignature,
  type SignatureEvidence,
} from "@vergewis/sdk";
import { runOperatorCommand } from "../../packages/server/src/operator/commands.ts";
import { consentedPublication, type Consented } from "../support/consented.ts";
import { TestPlatform } from "../support/platform.ts";
import { startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

let server: TestServer;
let platform: TestPlatform;
let consented: Consented;
let jwks: JSONWebKeySet;

const fetchJwks = async () => (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;

beforeAll(async () => {
  server = await startPortalServer();
  platform = await TestPlatform.create(server, "Receipts platform");
  consented = await consentedPublication(server, platform);
  jwks = await fetchJwks();
});
afterAll(() => server?.close());

/** Every variant of a compact JWS with one bit flipped in one byte of one decoded segment. */
function* flippedBytes(jws: string): Generator<string> {
  const segments = jws.split(".").map((s) => Buffer.from(s, "base64url"));
  for (const [i, bytes] of segments.entries()) {
    for (let j = 0; j < bytes.length; j++) {
      const copy = segments.map((s) => Buffer.from(s));
      copy[i]![j]! ^= 0x01;
      yield copy.map((s) => s.toString("base64url")).join(".");
    }
  }
}

describe("JWKS", () => {
  test("is public, cacheable, and names every key by kid", async () => {
    const res = await fetch(`${server.url}/.well-known/jwks.json`);
    expect(res.headers.get("content-type")).toMatch(/^application\/jwk-set\+json/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const body = (await res.json()) as JSONWebKeySet;
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({
      kty: "EC",
      crv: "P-256",
      alg: "ES256",
      use: "sig",
      kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(body.keys[0]).not.toHaveProperty("d");
  });
});

describe("receipts", () => {
  test("verify with plain jose against the JWKS: ES256, kid, explicit type, the documented claims", async () => {
    const [receipt] = consented.receipts;
    const { payload, protectedHeader } = await jwtVerify(receipt!, createLocalJWKSet(jwks), {
      typ: RECEIPT_TYPE,
      algorithms: ["ES256"],
    });
    expect(protectedHeader).toEqual({ alg: "ES256", kid: jwks.keys[0]!.kid, typ: RECEIPT_TYPE });
    const claims = receiptClaimsSchema.parse(payload);
    const consent = await server.ctx.db.consent.findUniqueOrThrow({ where: { id: consented.consentIds[0]! } });
    expect(claims).toMatchObject({
      iss: server.url,
      aud: platform.id,
      jti: consent.id,
      publicationId: consented.publication.id,
      slotId: consent.slotId,
      // The only slot of one: this receipt alone shows that everyone depicted consented.
      slotPosition: 0,
      slotCount: 1,
      documentHash: consent.documentHash,
      contentFingerprints: consented.publication.contentFingerprints,
      scope: consented.publication.scope,
      status: {
        status_list: { idx: consent.statusListIndex, uri: `${server.url}/v1/status-lists/${consent.statusListId}` },
      },
      exp: Math.floor(Date.parse(consented.publication.scope.validUntil) / 1000),
    });
    const event = await server.ctx.db.auditEvent.findFirstOrThrow({
      where: { type: "consent.signed", publicationId: consented.publication.id },
    });
    expect(claims.auditIndex).toBe(Number(event.index));
    // One depicted person: this consent cleared the publication, and the webhook carries its receipt.
    const cleared = await server.ctx.db.outboxMessage.findFirstOrThrow({ where: { type: "publication.cleared" } });
    expect(cleared.payload).toMatchObject({
      publicationId: consented.publication.id,
      consents: [{ consentId: consent.id, slotId: consent.slotId, receipt }],
    });
  });

  test("fail with jose and with the SDK after any byte changes", async () => {
    const [receipt] = consented.receipts;
    const keys = createLocalJWKSet(jwks);
    let variants = 0;
    for (const forged of flippedBytes(receipt!)) {
      variants++;
      await expect(compactVerify(forged, keys)).rejects.toThrow();
      await expect(verifyConsentReceipt(forged, jwks)).rejects.toBeInstanceOf(ReceiptVerificationError);
    }
    expect(variants).toBeGreaterThan(400);
  });

  test("the SDK's errors say why: signature, unknown key, expiry, wrong platform or issuer, not a receipt", async () => {
    const [receipt] = consented.receipts;
    const code = (p: Promise<unknown>) =>
      p.then(
        () => "verified",
        (e: ReceiptVerificationError) => e.code,
      );
    const [h, p, s] = receipt!.split(".");
    const otherSignature = consented.receipts[0]!.split(".")[2]!.split("").reverse().join("");
    expect(await code(verifyConsentReceipt(`${h}.${p}.${otherSignature}`, jwks))).toBe("signature_invalid");
    expect(await code(verifyConsentReceipt(receipt!, { keys: [] }))).toBe("key_unknown");
    expect(
      await code(
        verifyConsentReceipt(receipt!, jwks, {
          currentDate: new Date(Date.parse(consented.publication.scope.validUntil) + 1000),
        }),
      ),
    ).toBe("expired");
    expect(
      await code(verifyConsentReceipt(receipt!, jwks, { platformId: "01900000-0000-7000-8000-000000000000" })),
    ).toBe("claims_invalid");
    expect(await code(verifyConsentReceipt(receipt!, jwks, { issuer: "https://other.example" }))).toBe(
      "claims_invalid",
    );
    expect(await code(verifyConsentReceipt("not.a.jws", jwks))).toBe("malformed");
    expect(await code(verifyConsentReceipt(`${h}.${p}`, jwks))).toBe("malformed");
    expect(s).toBeTruthy();
  });

  test("old receipts verify after key rotation; new ones carry the new kid; both keys stay published", async () => {
    const [oldReceipt] = consented.receipts;
    const oldKid = decodeProtectedHeader(oldReceipt!).kid;
    const rotated = (await runOperatorCommand(server.ctx, "keys.rotate", { purpose: "receipt" })) as { kid: string };
    expect(rotated.kid).not.toBe(oldKid);
    const fresh = await consentedPublication(server, platform);
    expect(decodeProtectedHeader(fresh.receipts[0]!).kid).toBe(rotated.kid);
    const after = await fetchJwks();
    expect(after.keys.map((k) => k.kid).sort()).toEqual([oldKid, rotated.kid].sort());
    await expect(verifyConsentReceipt(oldReceipt!, after)).resolves.toMatchObject({ kid: oldKid });
    await expect(verifyConsentReceipt(fresh.receipts[0]!, after)).resolves.toMatchObject({ kid: rotated.kid });
    const events = await server.ctx.db.auditEvent.findMany({ where: { type: "signing_key.created" } });
    expect(events.map((e) => JSON.parse(e.entry).data.kid)).toContain(rotated.kid);
  });
});

describe("the passkey signature, checked offline", () => {
  let evidence: SignatureEvidence;

  beforeAll(async () => {
    const record = await consented.performers[0]!.api("GET", `/consents/${consented.consentIds[0]}`);
    evidence = record.body.evidence;
  });

  test("passes on the stored evidence, with no server", async () => {
    const result = await verifyConsentSignature(evidence, { expectedOrigin: server.url, expectedRpId: "localhost" });
    expect(result.documentHash).toBe(
      receiptClaimsSchema.parse(JSON.parse(Buffer.from(consented.receipts[0]!.split(".")[1]!, "base64url").toString()))
        .documentHash,
    );
    expect(result.backedUp).toBe(true);
  });

  test("fails on any change to the document, the signature, the authenticator data, the client data or the key", async () => {
    const flip = (b64: string, at: number) => {
      const bytes = Buffer.from(b64, "base64url");
      bytes[at]! ^= 0x01;
      return bytes.toString("base64url");
    };
    const document = JSON.parse(evidence.document);
    const variants: Array<[string, SignatureEvidence]> = [
      ["document", { ...evidence, document: evidence.document.replace('"publish"', '"promote"') }],
      ["document canonical form", { ...evidence, document: JSON.stringify(document, null, 1) }],
    ];
    for (const field of ["signature", "authenticatorData", "clientDataJSON", "publicKey"] as const) {
      const length = Buffer.from(evidence[field], "base64url").length;
      for (let at = 0; at < length; at++)
        variants.push([`${field}[${at}]`, { ...evidence, [field]: flip(evidence[field], at) }]);
    }
    for (const [what, forged] of variants) {
      const outcome = await verifyConsentSignature(forged).then(
        () => "verified",
        (e: unknown) => (e instanceof SignatureVerificationError ? e.code : String(e)),
      );
      expect([what, outcome]).not.toEqual([what, "verified"]);
      expect(outcome).not.toMatch(/^(Error|TypeError)/);
    }
  });

  test("the same signature in another (non-canonical) DER encoding is refused", async () => {
    const der = Buffer.from(evidence.signature, "base64url");
    const body = der.subarray(2);
    const variants = [
      Buffer.concat([Uint8Array.of(0x30, der[1]! - 1), body]), // outer length one short
      Buffer.concat([der, Uint8Array.of(0)]), // trailing byte
      Buffer.concat([Uint8Array.of(0x30, 0x81, der[1]!), body]), // long-form length
    ];
    for (const signature of variants) {
      await expect(
        verifyConsentSignature({ ...evidence, signature: signature.toString("base64url") }),
      ).rejects.toMatchObject({
        code: "signature_invalid",
      });
    }
  });

  test("a signature made for another origin or RP id does not pass as ours", async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => "verified",
        (e: SignatureVerificationError) => e.code,
      );
    expect(await code(verifyConsentSignature(evidence, { expectedOrigin: "https://vergewis.example" }))).toBe(
      "origin_mismatch",
    );
    expect(await code(verifyConsentSignature(evidence, { expectedRpId: "vergewis.example" }))).toBe("origin_mismatch");
    expect(await code(verifyConsentSignature({ ...evidence, signature: "" }))).toBe("malformed");
  });
});
