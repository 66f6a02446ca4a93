import { generateAuthenticationOptions } from "@simplewebauthn/server";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Db } from "../db/client.ts";
import type { WebAuthnSettings } from "./settings.ts";
import { verifyAssertion } from "./assertion.ts";
import { challengeOf, consumeChallenge, issueChallenge, CHALLENGE_TTL_MS } from "./challenge.ts";
import { LoginFailedError } from "./errors.ts";
import type { AuthenticationResponse } from "./schemas.ts";

/** What passkey ceremonies use of the server: its database and the WebAuthn relying party. */
interface CeremonyContext {
  db: Db;
  webauthn: WebAuthnSettings;
}

/** Options for a usernameless login: any discoverable passkey of this RP may answer. */
export async function loginOptions(
  ctx: CeremonyContext,
  sessionId: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: ctx.webauthn.rpId,
    userVerification: "required",
    timeout: CHALLENGE_TTL_MS,
  });
  await issueChallenge(ctx.db, { challenge: options.challenge, sessionId, purpose: "authentication" });
  return options;
}

/**
 * Verifies a login assertion and returns the performer it proves. Every failure (unknown passkey,
 * wrong user handle, bad signature) is the same LoginFailedError.
 */
export async function verifyLogin(
  ctx: CeremonyContext,
  sessionId: string,
  response: AuthenticationResponse,
): Promise<string> {
  const challenge = challengeOf(response.response.clientDataJSON);
  const { passkey } = await consumeChallenge(ctx.db, challenge, sessionId, "authentication", response.id);
  if (!passkey) throw new LoginFailedError();
  const performer = await ctx.db.performer.findUnique({
    where: { id: passkey.performerId },
    select: { webauthnUserId: true, deletedAt: true },
  });
  const userHandle = response.response.userHandle;
  if (
    !performer ||
    performer.deletedAt ||
    (userHandle !== undefined && userHandle !== Buffer.from(performer.webauthnUserId).toString("base64url"))
  ) {
    throw new LoginFailedError();
  }
  try {
    await verifyAssertion(ctx.db, ctx.webauthn, passkey, response, challenge);
  } catch (cause) {
    throw new LoginFailedError({ cause });
  }
  return passkey.performerId;
}
