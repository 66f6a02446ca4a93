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
  await recordUse(db, passkey, {
    counter: info.newCounter,
    backupEligible: info.credentialDeviceType === "multiDevice",
    backedUp: info.credentialBackedUp,
  });
  return { passkey, userVerified: info.userVerified, backedUp: info.credentialBackedUp, counter: info.newCounter };
}

/**
 * Records a verified use of a passkey. The signature counter must increase, unless the
 * authenticator keeps none (always 0): otherwise the assertion came from a clone (WebAuthn L3
 * §6.1.1). The update is conditional on the counter read, so two uses of one counter value cannot
 * both go through.
 */
export async function recordUse(
  db: Db,
  passkey: PasskeyRow,
  use: { counter: number; backupEligible: boolean; backedUp: boolean },
): Promise<void> {
  const stored = Number(passkey.counter);
  if ((use.counter > 0 || stored > 0) && use.counter <= stored) {
    throw new Error(`the signature counter did not increase (${stored} → ${use.counter}): a cloned authenticator?`);
  }
  const { count } = await db.passkey.updateMany({
    where: { id: passkey.id, counter: passkey.counter },
    data: {
      counter: BigInt(use.counter),
      backedUp: use.backedUp,
      deviceType: use.backupEligible ? "multiDevice" : "singleDevice",
      lastUsedAt: new Date(),
    },
  });
  if (count !== 1 && use.counter !== 0) throw new Error("the signature counter changed concurrently");
}
