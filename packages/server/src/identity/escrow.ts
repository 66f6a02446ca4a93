import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, CompactEncrypt, compactDecrypt, type JWK } from "jose";
import type { Logger } from "pino";
import { z } from "zod";
import { ConfigError, VergewisError } from "../errors.ts";

/** The auditors' escrow public key: identities are sealed to it; only the auditors can open them. */
export interface EscrowKey {
  kid: string;
  publicKey: KeyObject;
}

export const ESCROW_PUBLIC_FILE = "escrow-public-key.jwk";
/** Written for the local auditor of an embedded installation only; production keeps it elsewhere. */
export const ESCROW_PRIVATE_FILE = "AUDITOR-ESCROW-PRIVATE-KEY.DO-NOT-KEEP-ON-A-PRODUCTION-SERVER.jwk";

const CURVES = new Set(["prime256v1", "secp384r1", "secp521r1"]);

/** The configured escrow key (JWK or PEM), or for an embedded installation one made on first start. */
export async function resolveEscrowKey(
  configured: string | undefined,
  dataDir: string,
  log: Logger,
): Promise<EscrowKey> {
  if (configured) return escrowKeyOf(parsePublicKey(configured));
  const publicFile = path.join(dataDir, ESCROW_PUBLIC_FILE);
  if (!fs.existsSync(publicFile)) {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const privateFile = path.join(dataDir, ESCROW_PRIVATE_FILE);
    fs.writeFileSync(privateFile, JSON.stringify(privateKey.export({ format: "jwk" })), { mode: 0o600, flag: "wx" });
    fs.writeFileSync(publicFile, JSON.stringify(publicKey.export({ format: "jwk" })), { mode: 0o644, flag: "wx" });
    log.warn(
      { file: privateFile },
      "generated an auditor escrow key pair for this embedded installation; in production the auditors keep the private key, never the server",
    );
  }
  return escrowKeyOf(parsePublicKey(fs.readFileSync(publicFile, "utf8")));
}

async function escrowKeyOf(publicKey: KeyObject): Promise<EscrowKey> {
  const jwk = publicKey.export({ format: "jwk" }) as JWK;
  return { kid: await calculateJwkThumbprint(jwk, "sha256"), publicKey };
}

function parsePublicKey(text: string): KeyObject {
  let key: KeyObject;
  try {
    const trimmed = text.trim();
    key = trimmed.startsWith("{")
      ? createPublicKey({ key: publicHalf(JSON.parse(trimmed) as JWK), format: "jwk" })
      : createPublicKey(trimmed);
  } catch (cause) {
    throw new ConfigError([
      {
        pointer: "identity.escrowPublicKey (VERGEWIS_ESCROW_PUBLIC_KEY)",
        reason: `not a public key: ${(cause as Error).message}`,
      },
    ]);
  }
  const fits =
    (key.asymmetricKeyType === "ec" && CURVES.has(key.asymmetricKeyDetails?.namedCurve ?? "")) ||
    key.asymmetricKeyType === "x25519";
  if (!fits) {
    throw new ConfigError([
      {
        pointer: "identity.escrowPublicKey (VERGEWIS_ESCROW_PUBLIC_KEY)",
        reason: "must be an EC (P-256, P-384, P-521) or X25519 key for ECDH-ES",
      },
    ]);
  }
  return key;
}

/** A configured JWK might carry `d` by mistake: only the public half is ever used. */
function publicHalf(jwk: JWK): import("node:crypto").JsonWebKey {
  const { d: _d, ...rest } = jwk;
  return rest as import("node:crypto").JsonWebKey;
}

/** What is sealed: the legal identity behind a performer, for a dispute. */
export const sealedIdentitySchema = z.object({
  performer: z.string(),
  issuer: z.string(),
  subject: z.string(),
  name: z.string().optional(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  birthdate: z.string().optional(),
  verifiedAt: z.string(),
});
export type SealedIdentity = z.output<typeof sealedIdentitySchema>;

const CONTENT_TYPE = "vergewis-identity+json";

/** Compact JWE (RFC 7516) to the escrow key: ECDH-ES+A256KW key agreement, A256GCM content (RFC 7518 §4.6, §5.3). */
export async function sealIdentity(escrow: EscrowKey, identity: SealedIdentity): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(identity)))
    .setProtectedHeader({ alg: "ECDH-ES+A256KW", enc: "A256GCM", kid: escrow.kid, cty: CONTENT_TYPE })
    .encrypt(escrow.publicKey);
}

export class UnsealError extends VergewisError<"unseal_failed"> {
  constructor(message: string, options?: ErrorOptions) {
    super("unseal_failed", "invalid", message, options);
  }
}

/** Opens a sealed identity with the auditors' private key (a JWK or PKCS#8 PEM). */
export async function unsealIdentity(jwe: string, privateKeyText: string): Promise<SealedIdentity> {
  let privateKey: KeyObject;
  try {
    const trimmed = privateKeyText.trim();
    privateKey = trimmed.startsWith("{")
      ? createPrivateKey({ key: JSON.parse(trimmed) as import("node:crypto").JsonWebKey, format: "jwk" })
      : createPrivateKey(trimmed);
  } catch (cause) {
    throw new UnsealError("The key file does not hold a private key.", { cause });
  }
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, privateKey, {
      keyManagementAlgorithms: ["ECDH-ES+A256KW"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    if (protectedHeader.cty !== CONTENT_TYPE) throw new Error(`unexpected content type ${protectedHeader.cty}`);
    return sealedIdentitySchema.parse(JSON.parse(new TextDecoder().decode(plaintext)));
  } catch (cause) {
    throw new UnsealError(
      "The record cannot be opened with this key: it was sealed to another key, or it was altered.",
      { cause },
    );
  }
}
