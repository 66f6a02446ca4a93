import { createHash, createPublicKey, verify as verifySignature } from "node:crypto";
import { verifyAuthenticationResponse } from "@simplewebauthn/server";
import { cose, decodeCredentialPublicKey, isoCBOR } from "@simplewebauthn/server/helpers";
import { canonicalJson } from "../canonical.ts";
import { signatureEvidenceSchema, type SignatureEvidence } from "../schemas/consent.ts";
import { SignatureVerificationError } from "./errors.ts";

export interface VerifySignatureOptions {
  /** The portal origin you expect (e.g. `https://vergewis.example`); default: the one in the evidence. */
  expectedOrigin?: string;
  /** The WebAuthn relying party id you expect; default: the one in the evidence. */
  expectedRpId?: string;
}

export interface VerifiedSignature {
  /** The signed document, parsed. */
  document: unknown;
  /** base64url(SHA-256(document)): the challenge the passkey signed. */
  documentHash: string;
  credentialId: string;
  /** Signature counter the authenticator reported. */
  counter: number;
  /** Authenticator data flags (WebAuthn L3 §6.1): backup eligible (a synced passkey), backed up. */
  backupEligible: boolean;
  backedUp: boolean;
}

/** base64url(SHA-256(canonical document)): the WebAuthn challenge for a document (docs/architecture.md §3, "A consent"). */
export const documentChallenge = (canonicalDocument: string) =>
  createHash("sha256").update(canonicalDocument, "utf8").digest("base64url");

/**
 * Re-checks a passkey signature over a consent or revocation document offline, from the stored
 * evidence alone (WebAuthn L3 §7.2 steps 11-21): the client data is a `webauthn.get` for this
 * origin whose challenge is the document's hash, the authenticator data is for this RP id with
 * user presence and user verification, and the signature over authenticatorData ‖
 * SHA-256(clientDataJSON) verifies with the credential's public key. No server is needed.
 *
 * Throws SignatureVerificationError (`malformed`, `not_canonical`, `challenge_mismatch`,
 * `origin_mismatch`, `user_not_verified`, `signature_invalid`).
 */
export async function verifyConsentSignature(
  evidence: SignatureEvidence,
  options: VerifySignatureOptions = {},
): Promise<VerifiedSignature> {
  const parsed = signatureEvidenceSchema.safeParse(evidence);
  if (!parsed.success)
    throw new SignatureVerificationError("malformed", "The evidence is incomplete or not base64url.");
  const e = parsed.data;
  let document: unknown;
  try {
    document = JSON.parse(e.document);
  } catch (cause) {
    throw new SignatureVerificationError("malformed", "The signed document is not JSON.", { cause });
  }
  if (canonicalJson(document) !== e.document) {
    throw new SignatureVerificationError("not_canonical", "The signed document is not in RFC 8785 canonical form.");
  }
  const documentHash = documentChallenge(e.document);
  const clientData = decodeClientData(e.clientDataJSON);
  if (clientData.challenge !== documentHash) {
    throw new SignatureVerificationError("challenge_mismatch", "The passkey signed a different document.");
  }
  const origin = options.expectedOrigin ?? e.origin;
  const rpId = options.expectedRpId ?? e.rpId;
  if (clientData.origin !== origin || rpId !== e.rpId) {
    throw new SignatureVerificationError(
      "origin_mismatch",
      `The signature was made for ${clientData.origin}, not ${origin}.`,
    );
  }
  const publicKey = new Uint8Array(Buffer.from(e.publicKey, "base64url"));
  if (!isCanonicalCoseKey(publicKey)) {
    throw new SignatureVerificationError("malformed", "The public key is not a well-formed COSE key.");
  }
  const flags = Buffer.from(e.authenticatorData, "base64url")[32] ?? 0;
  if ((flags & 0x04) === 0) {
    throw new SignatureVerificationError("user_not_verified", "The authenticator did not verify the user.");
  }
  try {
    const result = await verifyAuthenticationResponse({
      response: {
        id: e.credentialId,
        rawId: e.credentialId,
        type: "public-key",
        response: {
          authenticatorData: e.authenticatorData,
          clientDataJSON: e.clientDataJSON,
          signature: e.signature,
          ...(e.userHandle && { userHandle: e.userHandle }),
        },
        clientExtensionResults: {},
      },
      expectedChallenge: documentHash,
      expectedOrigin: origin,
      expectedRPID: rpId,
      expectedType: "webauthn.get",
      requireUserVerification: true,
      // The counter is checked by the server at signing time; offline, any value is accepted.
      credential: { id: e.credentialId, publicKey, counter: 0 },
    });
    if (!result.verified) throw new Error("the assertion did not verify");
    if (!isCanonicalEcdsa(publicKey, e.authenticatorData, e.clientDataJSON, e.signature)) {
      throw new Error("the ECDSA signature is not in canonical DER");
    }
    return {
      document,
      documentHash,
      credentialId: e.credentialId,
      counter: result.authenticationInfo.newCounter,
      backupEligible: (flags & 0x08) !== 0,
      backedUp: result.authenticationInfo.credentialBackedUp,
    };
  } catch (cause) {
    throw new SignatureVerificationError("signature_invalid", "The passkey signature does not verify.", { cause });
  }
}

/**
 * Authenticators encode COSE keys in CTAP2 canonical CBOR; a lenient decoder would accept other
 * byte strings for the same key, so the evidence must be exactly the re-encoding of what it holds.
 */
function isCanonicalCoseKey(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    // The decoded COSE key is a CBOR map at run time; its type only narrows the known labels.
    const key = decodeCredentialPublicKey(bytes) as unknown as Parameters<typeof isoCBOR.encode>[0];
    return Buffer.from(isoCBOR.encode(key)).equals(bytes);
  } catch {
    return false;
  }
}

/** COSE EC2 curves and ECDSA hashes (RFC 9053 §2.1, §7.1). */
const EC2_CURVES: Record<number, string> = { 1: "P-256", 2: "P-384", 3: "P-521" };
const ECDSA_HASHES: Record<number, string> = { [-7]: "sha256", [-35]: "sha384", [-36]: "sha512" };

/**
 * An ECDSA signature is DER (WebAuthn L3 §6.5.6), and DER has one encoding per (r, s). A lenient
 * ASN.1 reader also accepts others, so that altered evidence would still verify; OpenSSL (through
 * node:crypto) accepts only the canonical one. Other key types have fixed-length signatures.
 */
function isCanonicalEcdsa(
  publicKey: Uint8Array<ArrayBuffer>,
  authenticatorData: string,
  clientDataJSON: string,
  signature: string,
): boolean {
  const key = decodeCredentialPublicKey(publicKey) as cose.COSEPublicKeyEC2;
  if (key.get(cose.COSEKEYS.kty) !== cose.COSEKTY.EC2) return true;
  const crv = EC2_CURVES[key.get(cose.COSEKEYS.crv) ?? 0];
  const hash = ECDSA_HASHES[key.get(cose.COSEKEYS.alg) ?? 0];
  const x = key.get(cose.COSEKEYS.x);
  const y = key.get(cose.COSEKEYS.y);
  if (!crv || !hash || !x || !y) return false;
  const jwk = { kty: "EC", crv, x: Buffer.from(x).toString("base64url"), y: Buffer.from(y).toString("base64url") };
  const signed = Buffer.concat([
    Buffer.from(authenticatorData, "base64url"),
    createHash("sha256").update(Buffer.from(clientDataJSON, "base64url")).digest(),
  ]);
  return verifySignature(
    hash,
    signed,
    { key: createPublicKey({ key: jwk, format: "jwk" }), dsaEncoding: "der" },
    Buffer.from(signature, "base64url"),
  );
}

function decodeClientData(clientDataJSON: string): { type?: unknown; challenge?: unknown; origin?: unknown } {
  try {
    const value: unknown = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    if (typeof value === "object" && value !== null) return value;
  } catch {
    // reported below
  }
  throw new SignatureVerificationError("malformed", "clientDataJSON is not a JSON object.");
}
