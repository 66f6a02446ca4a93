import { hkdfSync } from "node:crypto";
import { CompactEncrypt, compactDecrypt } from "jose";

/** What an invitation mail waiting in the database carries: the code, for this mail only. */
export interface MailSecret {
  mailId: string;
  code: string;
}

const keys = new WeakMap<Buffer, Uint8Array>();

/** 256-bit key for waiting invitation mails, derived from the server secret (HKDF-SHA256, RFC 5869). */
function mailKey(serverSecret: Buffer): Uint8Array {
  let key = keys.get(serverSecret);
  if (!key) {
    key = new Uint8Array(hkdfSync("sha256", serverSecret, Buffer.alloc(0), "vergewis/invitation-mail/v1", 32));
    keys.set(serverSecret, key);
  }
  return key;
}

/**
 * Seals an invitation code for the mail outbox as a compact JWE (`dir`, A256GCM, RFC 7516): the
 * code is never at rest in clear, and the row is emptied once the mail is sent.
 */
export async function sealMailSecret(serverSecret: Buffer, secret: MailSecret): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(secret)))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .encrypt(mailKey(serverSecret));
}

/**
 * Opens a sealed code; throws when it was tampered with, sealed under another server secret, or
 * copied from another mail's row (the mail id is inside the ciphertext).
 */
export async function openMailSecret(serverSecret: Buffer, mailId: string, sealed: string): Promise<string> {
  const { plaintext } = await compactDecrypt(sealed, mailKey(serverSecret));
  const secret = JSON.parse(new TextDecoder().decode(plaintext)) as MailSecret;
  if (secret.mailId !== mailId) throw new Error("the sealed invitation belongs to another mail");
  return secret.code;
}
