import { createHash, randomBytes } from "node:crypto";
import { auditLog } from "../audit/append.ts";
import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { rotateSession, type IssuedSession, type PortalSession } from "../session/store.ts";
import { amsterdamDate, decideAge } from "./age.ts";
import { ageOutcome } from "./production-age.ts";
import { sealIdentity } from "./escrow.ts";
import { RelyingParty, VerificationFlowError, type ProviderAssertion } from "./relying-party.ts";
import type { IdentityServices } from "./services.ts";
import { newPseudonym, subjectHash } from "./subject.ts";

/** What age verification uses of the server: its database, log, settings, secret and identity services. */
interface VerificationContext {
  db: Db;
  log: Logger;
  config: Config;
  secret: Buffer;
  identity: IdentityServices;
}

/** Why a verification was refused; each has its own page. */
export type RefusalReason =
  | "under_18"
  | "age_unknown"
  | "conflicting_claims"
  | "acr_not_accepted"
  | "missing_claims"
  | "identity_mismatch"
  | "flow_invalid"
  | "cancelled"
  | "provider_unavailable";

export type VerificationOutcome =
  | { verified: true; session: IssuedSession; returnTo: string; newAccount: boolean }
  | { verified: false; reason: RefusalReason };

const TRANSACTION_TTL_MS = 10 * 60_000;
const stateHash = (state: string) => createHash("sha256").update(state).digest("base64url");

/**
 * Begins an authorization request bound to `session`; returns where to send the browser. The
 * verification is for a request when `slotId` names one of the performer's, or the browser holds
 * an invitation: the claims are then checked against that content's production date too.
 */
export async function startVerification(
  ctx: VerificationContext,
  session: PortalSession,
  returnTo: string,
  slotId?: string,
): Promise<URL> {
  const checks = RelyingParty.newChecks();
  const url = await ctx.identity.relyingParty.authorizationUrl(checks);
  await ctx.db.oidcTransaction.create({
    data: {
      stateHash: stateHash(checks.state),
      sessionId: session.id,
      nonce: checks.nonce,
      codeVerifier: checks.codeVerifier,
      returnTo,
      ageCheckOn: await productionDate(ctx.db, session, slotId),
      expiresAt: new Date(Date.now() + TRANSACTION_TTL_MS),
    },
  });
  await ctx.db.oidcTransaction.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  return url;
}

/**
 * Completes a verification from the provider's callback. The transaction is consumed first, so a
 * callback works once, in the browser that started it. Only an adult at an accepted level of
 * assurance gets an attestation (and, on first verification, an account); nothing else is kept.
 */
export async function completeVerification(
  ctx: VerificationContext,
  session: PortalSession | undefined,
  search: string,
): Promise<VerificationOutcome> {
  const state = new URLSearchParams(search).get("state");
  // A callback without a flow of this browser behind it is answered, not recorded: anyone can
  // send one, and the audit log is not theirs to fill.
  if (!session || !state) return { verified: false, reason: "flow_invalid" };
  const [transaction] = await ctx.db.$queryRaw<
    Array<{ nonce: string; codeVerifier: string; returnTo: string; ageCheckOn: string | null; expiresAt: Date }>
  >`
    DELETE FROM "OidcTransaction" WHERE "stateHash" = ${stateHash(state)} AND "sessionId" = ${session.id}::uuid
    RETURNING "nonce", "codeVerifier", "returnTo", to_char("ageCheckOn", 'YYYY-MM-DD') AS "ageCheckOn", "expiresAt"`;
  if (!transaction || transaction.expiresAt.getTime() <= Date.now()) return { verified: false, reason: "flow_invalid" };

  let assertion: ProviderAssertion;
  try {
    assertion = await ctx.identity.relyingParty.redeem(search, {
      state,
      nonce: transaction.nonce,
      codeVerifier: transaction.codeVerifier,
    });
  } catch (error) {
    if (error instanceof VerificationFlowError) {
      // Only the error's name and code: the errors of openid-client carry the ID token's claims.
      const cause = error.cause as { name?: unknown; code?: unknown } | undefined;
      ctx.log.info(
        { reason: error.reason, errorType: cause?.name, errorCode: cause?.code },
        "age verification flow failed",
      );
      return refuse(ctx, error.reason);
    }
    throw error;
  }

  const { acrValues, requiredClaims, sealIdentity: seal } = ctx.config.identity;
  if (!assertion.acr || !acrValues.includes(assertion.acr)) return refuse(ctx, "acr_not_accepted", assertion);
  if (requiredClaims.some((claim) => assertion.claims[claim] === undefined || assertion.claims[claim] === null)) {
    return refuse(ctx, "missing_claims", assertion);
  }
  const today = amsterdamDate();
  const decision = decideAge(assertion.claims, today);
  if (!decision.over18) return refuse(ctx, decision.reason, assertion);
  // The birthdate stays in this function: only the outcome for the dates asked about is kept.
  const age = ageOutcome(assertion.claims, today, transaction.ageCheckOn ?? undefined);

  const hash = subjectHash(ctx.secret, assertion.issuer, assertion.subject);
  const verifiedAt = new Date();
  let outcome: VerificationOutcome;
  try {
    outcome = await runTransaction(ctx.db, async (tx, effects): Promise<VerificationOutcome> => {
      let performer = await tx.performer.findUnique({
        where: { subjectHash: hash },
        select: { id: true, pseudonym: true },
      });
      if (session.performerId && session.performerId !== performer?.id)
        return { verified: false, reason: "identity_mismatch" };
      const newAccount = !performer;
      performer ??= await tx.performer.create({
        data: { pseudonym: newPseudonym(), subjectHash: hash, webauthnUserId: new Uint8Array(randomBytes(32)) },
        select: { id: true, pseudonym: true },
      });
      const escrow = ctx.identity.escrow;
      const sealed =
        seal && escrow
          ? await sealIdentity(escrow, {
              performer: performer.pseudonym,
              issuer: assertion.issuer,
              subject: assertion.subject,
              ...stringClaim("name", assertion.claims.name),
              ...stringClaim("givenName", assertion.claims.given_name),
              ...stringClaim("familyName", assertion.claims.family_name),
              ...stringClaim("birthdate", assertion.claims.birthdate),
              verifiedAt: verifiedAt.toISOString(),
            })
          : null;
      const attestation = await tx.ageAttestation.create({
        data: {
          performerId: performer.id,
          issuer: assertion.issuer,
          subjectHash: hash,
          over18: true,
          acr: assertion.acr!,
          verifiedAt,
          adultOn: new Date(age.adultOn),
          minorOn: age.minorOn === null ? null : new Date(age.minorOn),
          sealedIdentity: sealed,
          escrowKid: sealed ? escrow!.kid : null,
        },
        select: { id: true },
      });
      effects.write(auditLog, {
        type: "identity.verified",
        performerPseudonym: performer.pseudonym,
        data: {
          attestationId: attestation.id,
          issuer: assertion.issuer,
          acr: assertion.acr!,
          basis: decision.basis,
          newAccount,
          sealed: sealed !== null,
          ...(age.production && { production: age.production }),
        },
      });
      const issued = await rotateSession(tx, session, { performerId: performer.id, authMethod: "oidc" });
      return { verified: true, session: issued, returnTo: transaction.returnTo, newAccount };
    });
  } catch (error) {
    // Two first verifications of one identity at once: the loser starts again and finds the account.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return refuse(ctx, "flow_invalid");
    throw error;
  }
  return outcome.verified ? outcome : refuse(ctx, outcome.reason, assertion);
}

/** The production date of the request the browser holds: one of its performer's, or its invitation's. */
async function productionDate(db: Db, session: PortalSession, slotId: string | undefined): Promise<Date | null> {
  const id = slotId ?? session.pendingSlotId;
  if (!id) return null;
  const slot = await db.slot.findUnique({
    where: { id },
    select: { performerId: true, publication: { select: { producedAt: true } } },
  });
  const held =
    slot && (id === session.pendingSlotId || (slot.performerId !== null && slot.performerId === session.performerId));
  return held ? slot.publication.producedAt : null;
}

const stringClaim = <K extends string>(key: K, value: unknown): Partial<Record<K, string>> =>
  typeof value === "string" && value !== "" ? ({ [key]: value } as Record<K, string>) : {};

/** Records the refusal (issuer, reason and level only: nothing about the person) and returns it. */
async function refuse(
  ctx: VerificationContext,
  reason: RefusalReason,
  assertion?: ProviderAssertion,
): Promise<VerificationOutcome> {
  await runTransaction(ctx.db, async (_tx, effects) =>
    effects.write(auditLog, {
      type: "identity.verification_refused",
      data: {
        reason,
        issuer: ctx.identity.relyingParty.settings.issuer,
        ...(assertion?.acr !== undefined && { acr: assertion.acr }),
      },
    }),
  );
  return { verified: false, reason };
}
