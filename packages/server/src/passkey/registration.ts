import { generateRegistrationOptions, verifyRegistrationResponse } from "@simplewebauthn/server";
import type {
  AuthenticatorTransport,
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { z } from "zod";
import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import type { WebAuthnSettings } from "./settings.ts";
import { challengeOf, consumeChallenge, issueChallenge, CHALLENGE_TTL_MS } from "./challenge.ts";
import type { PortalSession } from "../session/store.ts";
import { assertMayAddPasskey } from "./enrolment.ts";
import { RegistrationError } from "./errors.ts";
import type { PasskeyView, registrationResponseSchema } from "./schemas.ts";
import { toView } from "./manage.ts";
import { runTransaction } from "../db/transaction.ts";

/** What passkey ceremonies use of the server: its database and the WebAuthn relying party. */
interface CeremonyContext {
  db: Db;
  webauthn: WebAuthnSettings;
}

/** COSE algorithms accepted (RFC 9053): ES256, EdDSA, RS256, in order of preference. */
const ALGORITHMS = [-7, -8, -257];

/**
 * Options for a new passkey (WebAuthn L3 §5.4): discoverable (so login needs no user name), user
 * verification required, no attestation (nothing here depends on the authenticator's make), and
 * the performer's existing passkeys excluded. Only for a session that may add one (enrolment.ts).
 */
export async function registrationOptions(
  ctx: CeremonyContext,
  session: PortalSession,
  performerId: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const performer = await ctx.db.performer.findUniqueOrThrow({
    where: { id: performerId },
    select: { pseudonym: true, webauthnUserId: true, passkeys: { select: { credentialId: true, transports: true } } },
  });
  assertMayAddPasskey(session, performer.passkeys.length);
  const options = await generateRegistrationOptions({
    rpName: ctx.webauthn.rpName,
    rpID: ctx.webauthn.rpId,
    userID: new Uint8Array(performer.webauthnUserId),
    userName: performer.pseudonym,
    userDisplayName: `${ctx.webauthn.rpName} ${performer.pseudonym.slice(4, 10)}`,
    timeout: CHALLENGE_TTL_MS,
    attestationType: "none",
    excludeCredentials: performer.passkeys.map((p) => ({
      id: p.credentialId,
      transports: p.transports as AuthenticatorTransport[],
    })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    supportedAlgorithmIDs: ALGORITHMS,
  });
  await issueChallenge(ctx.db, {
    challenge: options.challenge,
    sessionId: session.id,
    purpose: "registration",
    performerId,
  });
  return options;
}

/**
 * Verifies the new credential (WebAuthn L3 §7.1) and stores it, if the session may still add one
 * (the options may have been asked for just before the window after re-verification closed).
 */
export async function registerPasskey(
  ctx: CeremonyContext,
  session: PortalSession,
  performerId: string,
  response: z.output<typeof registrationResponseSchema>,
): Promise<PasskeyView> {
  const challenge = challengeOf(response.response.clientDataJSON);
  const { issued } = await consumeChallenge(ctx.db, challenge, session.id, "registration");
  if (issued.performerId !== performerId) throw new RegistrationError();
  let info;
  try {
    const result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: ctx.webauthn.origin,
      expectedRPID: ctx.webauthn.rpId,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!result.verified) throw new Error("registration not verified");
    info = result.registrationInfo;
  } catch (cause) {
    throw new RegistrationError({ cause });
  }
  const { credential } = info;
  return runTransaction(ctx.db, async (tx, effects) => {
    const performer = await tx.performer.findUniqueOrThrow({
      where: { id: performerId },
      select: { pseudonym: true, _count: { select: { passkeys: true } } },
    });
    assertMayAddPasskey(session, performer._count.passkeys);
    const passkey = await tx.passkey.create({
      data: {
        performerId,
        credentialId: credential.id,
        publicKey: new Uint8Array(credential.publicKey),
        counter: BigInt(credential.counter),
        transports: credential.transports ?? response.response.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        aaguid: info.aaguid,
      },
    });
    effects.write(auditLog, {
      type: "passkey.registered",
      performerPseudonym: performer.pseudonym,
      data: { passkeyId: passkey.id, deviceType: info.credentialDeviceType, backedUp: info.credentialBackedUp },
    });
    return toView(passkey);
  });
}
