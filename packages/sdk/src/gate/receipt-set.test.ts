import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, SignJWT, type JSONWebKeySet } from "jose";
import { beforeAll, describe, expect, test } from "vitest";
import { RECEIPT_TYPE } from "../schemas/receipt.ts";
import { verifyConsentReceipt, type ConsentReceipt } from "../verification/receipt.ts";
import { coversTarget, receiptSetProblem } from "./receipt-set.ts";

// Real receipts: ES256 signatures made with jose, verified by the SDK before the set is judged.
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
let jwks: JSONWebKeySet;
let kid: string;

const ISSUER = "https://vergewis.example";
const PLATFORM = "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e5f";
const PUBLICATION = "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e61";
const OTHER_PUBLICATION = "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e71";
const FINGERPRINT = { alg: "sha-256", value: "ab".repeat(32) } as const;

beforeAll(async () => {
  const jwk = await exportJWK(publicKey);
  kid = await calculateJwkThumbprint(jwk);
  jwks = { keys: [{ ...jwk, kid, alg: "ES256", use: "sig" }] };
});

let serial = 0;
/** A verified receipt for slot `position` of `count`; `claims` override or (undefined) drop claims. */
async function receipt(position: number, count: number, claims: Record<string, unknown> = {}): Promise<ConsentReceipt> {
  serial += 1;
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    sub: "prf_AAAAAAAAAAAAAAAAAAAAAA",
    aud: PLATFORM,
    jti: `01936f6e-3a5b-7c4d-8e9f-${serial.toString(16).padStart(12, "0")}`,
    iat: 1_790_000_000,
    exp: 2_000_000_000,
    publicationId: PUBLICATION,
    slotId: `01936f6e-3a5b-7c4d-8e9f-${(1000 + position).toString(16).padStart(12, "0")}`,
    slotPosition: position,
    slotCount: count,
    documentHash: "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg",
    contentFingerprints: [FINGERPRINT],
    scope: { purposes: ["publish"], territories: ["NL"], validUntil: "2033-05-18T03:33:20.000Z" },
    auditIndex: serial,
    status: { status_list: { idx: serial, uri: `${ISSUER}/v1/status-lists/1` } },
    ...claims,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete payload[name];
  const jws = await new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid, typ: RECEIPT_TYPE }).sign(privateKey);
  return verifyConsentReceipt(jws, jwks, { issuer: ISSUER, platformId: PLATFORM });
}

describe("receiptSetProblem", () => {
  test("one receipt for every slot of one publication, in any order, is complete", async () => {
    expect(receiptSetProblem([await receipt(0, 1)])).toBeUndefined();
    expect(receiptSetProblem([await receipt(2, 3), await receipt(0, 3), await receipt(1, 3)])).toBeUndefined();
  });

  test("a partial set is incomplete", async () => {
    expect(receiptSetProblem([await receipt(0, 3), await receipt(2, 3)])).toBe("incomplete");
    expect(receiptSetProblem([await receipt(1, 2)])).toBe("incomplete");
    expect(receiptSetProblem([])).toBe("no_receipts");
  });

  test("a position given twice is refused, also when the count adds up", async () => {
    const first = await receipt(0, 2);
    expect(receiptSetProblem([first, first])).toBe("duplicate_slot");
    expect(receiptSetProblem([await receipt(1, 3), await receipt(1, 3), await receipt(0, 3)])).toBe("duplicate_slot");
  });

  test("receipts of two publications never make one complete set", async () => {
    const mixed = [await receipt(0, 2), await receipt(1, 2, { publicationId: OTHER_PUBLICATION })];
    expect(receiptSetProblem(mixed)).toBe("mixed_publications");
  });

  test("receipts that disagree on the slot count or the content are inconsistent", async () => {
    expect(receiptSetProblem([await receipt(0, 2), await receipt(1, 3)])).toBe("inconsistent");
    const other = [{ alg: "sha-256", value: "cd".repeat(32) }];
    expect(receiptSetProblem([await receipt(0, 2), await receipt(1, 2, { contentFingerprints: other })])).toBe(
      "inconsistent",
    );
  });

  test("a receipt issued before receipts named their slot cannot prove completeness", async () => {
    const legacy = await receipt(0, 1, { slotPosition: undefined, slotCount: undefined });
    expect(legacy).not.toHaveProperty("slotCount");
    expect(receiptSetProblem([legacy])).toBe("no_slot_claims");
    expect(receiptSetProblem([await receipt(0, 2), legacy])).toBe("no_slot_claims");
  });
});

describe("slot claims in a receipt", () => {
  test("are read as slotPosition and slotCount", async () => {
    expect(await receipt(1, 3)).toMatchObject({ slotPosition: 1, slotCount: 3 });
  });

  test.each([
    ["a position without a count", { slotCount: undefined }],
    ["a count without a position", { slotPosition: undefined }],
    ["a position beyond the count", { slotPosition: 3 }],
    ["a negative position", { slotPosition: -1 }],
    ["no slots at all", { slotCount: 0, slotPosition: 0 }],
  ])("make the receipt invalid with %s", async (_what, claims) => {
    await expect(receipt(0, 3, claims)).rejects.toMatchObject({ code: "claims_invalid" });
  });
});

test("coversTarget: the fingerprint among the receipt's, or the publication by id", async () => {
  const r = await receipt(0, 1);
  expect(coversTarget(r, { fingerprint: FINGERPRINT })).toBe(true);
  expect(coversTarget(r, { fingerprint: { alg: "sha-256", value: "cd".repeat(32) } })).toBe(false);
  expect(coversTarget(r, { publicationId: PUBLICATION })).toBe(true);
  expect(coversTarget(r, { publicationId: OTHER_PUBLICATION })).toBe(false);
});
