import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/** Standard Webhooks secrets: `whsec_` + base64 of random bytes (the spec asks for 24 to 64). */
const PREFIX = "whsec_";
const SECRET_BYTES = 32;

export const generateWebhookSecret = () => PREFIX + randomBytes(SECRET_BYTES).toString("base64");

/** The HMAC key a secret stands for. */
export const secretKey = (secret: string) => Buffer.from(secret.slice(PREFIX.length), "base64");

// Sealed form: version (1) || IV (12) || GCM tag (16) || ciphertext.
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keys = new WeakMap<Buffer, Buffer>();

/** AES-256 key for webhook secrets, derived from the server secret (HKDF-SHA256, RFC 5869). */
function encryptionKey(serverSecret: Buffer): Buffer {
  let key = keys.get(serverSecret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", serverSecret, Buffer.alloc(0), "vergewis/webhook-secret/v1", 32));
    keys.set(serverSecret, key);
  }
  return key;
}

// The platform id is authenticated data: a sealed secret copied into another platform's row fails to open.
const aad = (platformId: string) => Buffer.from(`webhook-secret:${platformId}`);

/**
 * Encrypts a webhook secret for storage (AES-256-GCM). Unlike API keys it cannot be stored as a
 * hash: the server needs it in clear to sign every delivery.
 */
export function sealSecret(serverSecret: Buffer, platformId: string, secret: string): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(serverSecret), iv);
  cipher.setAAD(aad(platformId));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]));
}

/** Decrypts a sealed secret; throws when it was tampered with or sealed under another server secret. */
export function openSecret(serverSecret: Buffer, platformId: string, sealed: Uint8Array): string {
  const bytes = Buffer.from(sealed);
  if (bytes[0] !== VERSION) throw new Error("unknown sealed webhook secret version");
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(serverSecret), iv);
  decipher.setAAD(aad(platformId));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}
