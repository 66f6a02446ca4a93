import { verifyAuthenticationResponse } from "@simplewebauthn/server";
import type { AuthenticatorTransport } from "@simplewebauthn/server";
import type { Db } from "../db/client.ts";
import type { AuthenticationResponse } from "./schemas.ts";
import type { WebAuthnSettings } from "./settings.ts";

export interface PasskeyRow {
  id: string;
  performerId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: bigint;
  transports: string[];
}

export interface VerifiedAssertion {
  passkey: PasskeyRow;
  userVerified: boolean;
  backedUp: boolean;
  counter: number;
}

/**
 * Verifies an assertion (WebAuthn L3 §7.2) against a stored passkey with @simplewebauthn/server:
 * origin, RP id, challenge, user presence and verification, signature and the signature counter
 * (a counter that does not increase marks a cloned authenticator). Updates counter, backup state
 * and last use. Throws what SimpleWebAuthn throws; callers map it to their own error.
 */
export async function verifyAssertion(
  db: Db,
  settings: WebAuthnSettings,
  passkey: PasskeyRow,
  response: AuthenticationResponse,
  expectedChallenge: string,
): Promise<VerifiedAssertion> {
  const result = await verifyAuthenticationResponse({
    response: { ...response, response: { ...response.response } },
    expectedChallenge,
    expectedOrigin: settings.origin,
    expectedRPID: settings.rpId,
    expectedType: "webauthn.get",
    requireUserVerification: true,
    credential: {
      id: passkey.credentialId,
      publicKey: new Uint8Array(passkey.publicKey),
      counter: Number(passkey.counter),
      transports: passkey.transports as AuthenticatorTransport[],
    },
  });
  if (!result.verified) throw new Error("assertion not verified");
  const info = result.authenticationInfo;
  // Conditional on the counter read: two concurrent uses of one counter cannot both go through.
  const { count } = await db.passkey.updateMany({
    where: { id: passkey.id, counter: passkey.counter },
    data: {
      counter: BigInt(info.newCounter),
      backedUp: info.credentialBackedUp,
      deviceType: info.credentialDeviceType,
      lastUsedAt: new Date(),
    },
  });
  if (count !== 1 && info.newCounter !== 0) throw new Error("the signature counter changed concurrently");
  return { passkey, userVerified: info.userVerified, backedUp: info.credentialBackedUp, counter: info.newCounter };
}

export const passkeySelect = {
  id: true,
  performerId: true,
  credentialId: true,
  publicKey: true,
  counter: true,
  transports: true,
} as const;

/** A performer's passkey by credential id; undefined for an unknown one or another performer's. */
export async function findPasskey(db: Db, credentialId: string, performerId?: string): Promise<PasskeyRow | undefined> {
  const row = await db.passkey.findUnique({ where: { credentialId }, select: passkeySelect });
  if (!row || (performerId !== undefined && row.performerId !== performerId)) return undefined;
  return row;
}
