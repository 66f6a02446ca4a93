import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, SignJWT, type JSONWebKeySet, type JWK } from "jose";
import { beforeAll, describe, expect, test } from "vitest";
import { RECEIPT_TYPE, type ReceiptClaims } from "../schemas/receipt.ts";
import { ReceiptVerificationError } from "./errors.ts";
import { verifyConsentReceipt } from "./receipt.ts";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
let jwks: JSONWebKeySet;
let kid: string;

const claims: ReceiptClaims = {
  iss: "https://vergewis.example",
  sub: "prf_AAAAAAAAAAAAAAAAAAAAAA",
  aud: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e5f",
  jti: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e60",
  iat: 1_790_000_000,
  exp: 2_000_000_000,
  publicationId: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e61",
  slotId: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e62",
  slotPosition: 1,
  slotCount: 2,
  documentHash: "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg",
  contentFingerprints: [{ alg: "sha-256", value: "ab".repeat(32) }],
  scope: { purposes: ["publish"], territories: ["BE", "NL"], validUntil: "2033-05-18T03:33:20.000Z" },
  auditIndex: 7,
  status: { status_list: { idx: 12, uri: "https://vergewis.example/v1/status-lists/1" } },
};

beforeAll(async () => {
  const jwk: JWK = await exportJWK(publicKey);
  kid = await calculateJwkThumbprint(jwk);
  jwks = { keys: [{ ...jwk, kid, alg: "ES256", use: "sig" }] };
});

const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid, typ: RECEIPT_TYPE, ...header }).sign(privateKey);

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "verified",
    (e: unknown) => (e instanceof ReceiptVerificationError ? e.code : `unexpected ${String(e)}`),
  );

describe("verifyConsentReceipt", () => {
  test("returns the receipt's facts under friendly names", async () => {
    const receipt = await verifyConsentReceipt(await sign(claims), jwks, {
      issuer: claims.iss,
      platformId: claims.aud,
    });
    expect(receipt).toEqual({
      consentId: claims.jti,
      publicationId: claims.publicationId,
      platformId: claims.aud,
      slotId: claims.slotId,
      slotPosition: 1,
      slotCount: 2,
      performer: claims.sub,
      documentHash: claims.documentHash,
      contentFingerprints: claims.contentFingerprints,
      scope: claims.scope,
      auditIndex: 7,
      status: claims.status.status_list,
      issuer: claims.iss,
      issuedAt: new Date(claims.iat * 1000),
      expiresAt: new Date(claims.exp * 1000),
      kid,
    });
  });

  test.each([
    ["another type", { typ: "JWT" }, "malformed"],
    ["no kid", { kid: undefined }, "key_unknown"],
    ["an unknown kid", { kid: "nope" }, "key_unknown"],
  ])("refuses a token with %s", async (_what, header, code) => {
    expect(await codeOf(verifyConsentReceipt(await sign(claims, header), jwks))).toBe(code);
  });

  test("refuses other algorithms, unsigned tokens included (RFC 8725 §3.1)", async () => {
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", kid, typ: RECEIPT_TYPE })
      .sign(new Uint8Array(32));
    const none = `${Buffer.from(JSON.stringify({ alg: "none", kid, typ: RECEIPT_TYPE })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
    expect(await codeOf(verifyConsentReceipt(hs, jwks))).toBe("malformed");
    expect(await codeOf(verifyConsentReceipt(none, jwks))).toBe("malformed");
  });

  test("refuses a signed token whose claims are not a receipt's", async () => {
    expect(await codeOf(verifyConsentReceipt(await sign({ ...claims, scope: undefined }), jwks))).toBe(
      "claims_invalid",
    );
    expect(await codeOf(verifyConsentReceipt(await sign({ ...claims, aud: "Platform" }), jwks))).toBe("claims_invalid");
  });

  test("a receipt is not valid from its exp on (RFC 7519 §4.1.4)", async () => {
    const jws = await sign(claims);
    const at = (ms: number) => verifyConsentReceipt(jws, jwks, { currentDate: new Date(claims.exp * 1000 + ms) });
    expect(await codeOf(at(-1))).toBe("verified");
    expect(await codeOf(at(0))).toBe("expired");
  });

  test("a key of the wrong curve in the key set does not verify", async () => {
    const other = generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey;
    const set = { keys: [{ ...(await exportJWK(other)), kid, alg: "ES256" }] };
    expect(await codeOf(verifyConsentReceipt(await sign(claims), set))).toBe("key_unknown");
  });
});
