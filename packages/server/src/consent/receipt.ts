import { RECEIPT_TYPE, type ReceiptClaims } from "@vergewis/sdk";
import { SignJWT } from "jose";
import type { KeyPair } from "../keys/algorithms.ts";

/**
 * Signs a consent receipt (JWS compact, ES256, `kid` from the JWKS, explicit `typ`). The key is
 * fetched by the caller before its transaction: the key store reads the database outside it.
 */
export async function signReceipt(
  key: KeyPair,
  // Optional in the schema only for receipts issued before they were added: every new one has them.
  claims: ReceiptClaims & Required<Pick<ReceiptClaims, "slotPosition" | "slotCount">>,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: RECEIPT_TYPE }).sign(key.privateKey);
}
