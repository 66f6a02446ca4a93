import { generateAuthenticationOptions } from "@simplewebauthn/server";
import type { AuthenticatorTransport, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { canonicalJson, documentChallenge, verifyConsentSignature } from "@vergewis/sdk";
import type { z } from "zod";
import type { ServerContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { recordUse } from "../passkey/assertion.ts";
import {
  CHALLENGE_TTL_MS,
  challengeOf,
  consumeChallenge,
  issueChallenge,
  type ChallengePurpose,
} from "../passkey/challenge.ts";
import { ChallengeError, SignatureError } from "../passkey/errors.ts";
import type { AuthenticationResponse } from "../passkey/schemas.ts";
import { prepare } from "./document.ts";
import { DocumentMismatchError } from "./errors.ts";
import type { Performer } from "../identity/performer.ts";

/** The stored proof of a passkey signature: what `verifyConsentSignature` re-checks offline. */
export interface StoredEvidence {
  credentialId: string;
  /** COSE_Key, base64url. */
  publicKey: string;
  authenticatorData: string;
  clientDataJSON: string;
  signature: string;
  userHandle: string | null;
  rpId: string;
  origin: string;
  flags: { userPresent: boolean; userVerified: boolean; backupEligible: boolean; backedUp: boolean };
  counter: number;
}

export interface SignedDocument {
  /** RFC 8785 canonical form: the bytes that were hashed. */
  canonical: string;
  documentHash: string;
  passkeyId: string;
  evidence: StoredEvidence;
}

/**
 * Request options whose challenge is base64url(SHA-256(document)) itself (docs/architecture.md §3, "A consent"), passed as
 * bytes (a string would be UTF-8 encoded by SimpleWebAuthn), limited to the performer's passkeys.
 */
export async function documentSignatureOptions(
  ctx: Pick<ServerContext, "db" | "webauthn">,
  ceremony: {
    sessionId: string;
    performerId: string;
    purpose: ChallengePurpose;
    subjectId: string;
    documentHash: string;
  },
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await ctx.db.passkey.findMany({
    where: { performerId: ceremony.performerId },
    select: { credentialId: true, transports: true },
  });
  const options = await generateAuthenticationOptions({
    rpID: ctx.webauthn.rpId,
    challenge: new Uint8Array(Buffer.from(ceremony.documentHash, "base64url")),
    userVerification: "required",
    timeout: CHALLENGE_TTL_MS,
    allowCredentials: passkeys.map((p) => ({
      id: p.credentialId,
      transports: p.transports as AuthenticatorTransport[],
    })),
  });
  await issueChallenge(ctx.db, {
    challenge: options.challenge,
    sessionId: ceremony.sessionId,
    purpose: ceremony.purpose,
    performerId: ceremony.performerId,
    subjectId: ceremony.subjectId,
  });
  return options;
}

/**
 * Checks that the performer's passkey signed exactly `document`: the challenge it answered was
 * issued to this session for this purpose (and is used up now), the assertion verifies with
 * expected challenge base64url(SHA-256(canonical document)), and it was issued for `subjectId`.
 * Any change to the document, the challenge or the signature fails here.
 */
export async function verifyDocumentSignature(
  ctx: Pick<ServerContext, "db" | "webauthn">,
  ceremony: { sessionId: string; performerId: string; purpose: ChallengePurpose; subjectId: string },
  document: unknown,
  response: AuthenticationResponse,
): Promise<SignedDocument> {
  let canonical: string;
  try {
    canonical = canonicalJson(document);
  } catch {
    throw new ValidationError([{ pointer: "/body/document", reason: "must be a JSON object" }]);
  }
  const documentHash = documentChallenge(canonical);
  const { issued, passkey } = await consumeChallenge(
    ctx.db,
    challengeOf(response.response.clientDataJSON),
    ceremony.sessionId,
    ceremony.purpose,
    response.id,
  );
  if (issued.performerId !== ceremony.performerId) throw new ChallengeError();
  if (passkey?.performerId !== ceremony.performerId) throw new SignatureError();
  const evidence = {
    document: canonical,
    credentialId: passkey.credentialId,
    publicKey: Buffer.from(passkey.publicKey).toString("base64url"),
    authenticatorData: response.response.authenticatorData,
    clientDataJSON: response.response.clientDataJSON,
    signature: response.response.signature,
    userHandle: response.response.userHandle ?? null,
    rpId: ctx.webauthn.rpId,
    origin: ctx.webauthn.origin,
  };
  // Checked with the SDK's own offline verifier: what is stored verifies for any auditor later.
  let verified: Awaited<ReturnType<typeof verifyConsentSignature>>;
  try {
    verified = await verifyConsentSignature(evidence, {
      expectedOrigin: ctx.webauthn.origin,
      expectedRpId: ctx.webauthn.rpId,
    });
    await recordUse(ctx.db, passkey, verified);
  } catch (cause) {
    throw new SignatureError({ cause });
  }
  // Signed, but for another request than the one it is submitted to.
  if (issued.subjectId !== ceremony.subjectId) throw new DocumentMismatchError("slot");
  const { document: _, ...stored } = evidence;
  return {
    canonical,
    documentHash,
    passkeyId: passkey.id,
    evidence: {
      ...stored,
      // The offline check demands user presence and verification.
      flags: {
        userPresent: true,
        userVerified: true,
        backupEligible: verified.backupEligible,
        backedUp: verified.backedUp,
      },
      counter: verified.counter,
    },
  };
}

export interface DocumentCeremony<D> {
  document: D;
  documentHash: string;
  /** Pass to `startAuthentication({ optionsJSON })`. */
  options: PublicKeyCredentialRequestOptionsJSON;
}

/** Step 1 of a signed decision about `subjectId`: the document and WebAuthn options whose challenge is its hash. */
export async function documentCeremony<D>(
  ctx: Pick<ServerContext, "db" | "webauthn">,
  who: Performer,
  ceremony: { purpose: ChallengePurpose; subjectId: string },
  unsigned: D,
): Promise<DocumentCeremony<D>> {
  const { document, documentHash } = prepare(unsigned);
  const options = await documentSignatureOptions(ctx, {
    sessionId: who.sessionId,
    performerId: who.performerId,
    ...ceremony,
    documentHash,
  });
  return { document, documentHash, options };
}

/**
 * Step 2: the signature over the submitted document (verifyDocumentSignature), then the document
 * read with its schema: one that is not of its kind is refused, naming `kind`.
 */
export async function verifySignedDocument<S extends z.ZodType>(
  ctx: Pick<ServerContext, "db" | "webauthn">,
  who: Performer,
  ceremony: { purpose: ChallengePurpose; subjectId: string },
  body: { document: unknown; response: AuthenticationResponse },
  schema: S,
  kind: string,
): Promise<{ signed: SignedDocument; document: z.output<S> }> {
  const signed = await verifyDocumentSignature(
    ctx,
    { sessionId: who.sessionId, performerId: who.performerId, ...ceremony },
    body.document,
    body.response,
  );
  const parsed = schema.safeParse(body.document);
  if (!parsed.success) throw new ValidationError([{ pointer: "/body/document", reason: `is not ${kind}` }]);
  return { signed, document: parsed.data };
}
