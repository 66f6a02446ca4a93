import type { Db } from "../db/client.ts";
import type { PasskeyRow } from "./assertion.ts";
import { ChallengeError } from "./errors.ts";

export type ChallengePurpose = "registration" | "authentication" | "consent" | "revocation" | "deletion" | "lift";

/** WebAuthn challenges are valid for five minutes (and the ceremony timeout says the same). */
export const CHALLENGE_TTL_MS = 5 * 60_000;

export interface IssuedChallenge {
  challenge: string;
  sessionId: string;
  purpose: ChallengePurpose;
  performerId?: string | undefined;
  subjectId?: string | undefined;
}

/** Stores a challenge server-side, bound to the session and purpose that asked for it. */
export async function issueChallenge(db: Db, issued: IssuedChallenge): Promise<void> {
  await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  await db.webAuthnChallenge.create({
    data: {
      challenge: issued.challenge,
      sessionId: issued.sessionId,
      purpose: issued.purpose,
      performerId: issued.performerId ?? null,
      subjectId: issued.subjectId ?? null,
      expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
    },
  });
}

export interface ConsumedChallenge {
  issued: { performerId: string | null; subjectId: string | null };
  /** The passkey the response names; undefined when it names none that exists. */
  passkey: PasskeyRow | undefined;
}

/**
 * Takes a challenge out of the store: it is deleted before the response is verified, so that it
 * works at most once whatever the outcome. Throws ChallengeError when it is not there for this
 * session and purpose, or has expired. A ceremony that checks a signature names the passkey that
 * answered (`credentialId`) and gets it in the same statement: one round trip for both.
 */
export async function consumeChallenge(
  db: Db,
  challenge: string,
  sessionId: string,
  purpose: ChallengePurpose,
  credentialId?: string,
): Promise<ConsumedChallenge> {
  const [row] = await db.$queryRaw<
    Array<{
      performerId: string | null;
      subjectId: string | null;
      expiresAt: Date;
      passkeyId: string | null;
      passkeyPerformerId: string;
      publicKey: Uint8Array;
      counter: bigint;
      transports: string[];
    }>
  >`
    WITH issued AS (
      DELETE FROM "WebAuthnChallenge"
      WHERE "challenge" = ${challenge} AND "sessionId" = ${sessionId}::uuid AND "purpose" = ${purpose}
      RETURNING "performerId", "subjectId", "expiresAt"
    )
    SELECT i."performerId"::text, i."subjectId"::text, i."expiresAt",
      p.id::text AS "passkeyId", p."performerId"::text AS "passkeyPerformerId", p."publicKey", p."counter", p."transports"
    FROM issued i LEFT JOIN "Passkey" p ON p."credentialId" = ${credentialId ?? null}::text`;
  if (!row || row.expiresAt.getTime() <= Date.now()) throw new ChallengeError();
  return {
    issued: { performerId: row.performerId, subjectId: row.subjectId },
    passkey:
      row.passkeyId === null || credentialId === undefined
        ? undefined
        : {
            id: row.passkeyId,
            performerId: row.passkeyPerformerId,
            credentialId,
            publicKey: row.publicKey,
            counter: row.counter,
            transports: row.transports,
          },
  };
}

/** The challenge a WebAuthn response answers, read from its clientDataJSON (WebAuthn L3 §5.8.1). */
export function challengeOf(clientDataJSON: string): string {
  try {
    const { challenge } = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as {
      challenge?: unknown;
    };
    if (typeof challenge === "string" && /^[A-Za-z0-9_-]{16,128}$/.test(challenge)) return challenge;
  } catch {
    // falls through to the same error as a missing challenge
  }
  throw new ChallengeError();
}
