import { RECEIPT_TYPE, type ReceiptClaims } from "@vergewis/sdk";
import { SignJWT } from "jose";
import type { KeyStore } from "../keys/store.ts";

/** Signs a consent receipt (JWS compact, ES256, `kid` from the JWKS, explicit `typ`). */
export async function signReceipt(keys: KeyStore, claims: ReceiptClaims): Promise<string> {
  const key = await keys.current("receipt");
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: RECEIPT_TYPE })
    .sign(key.privateKey);
}
