import { createHmac, randomBytes } from "node:crypto";

// Crockford base32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_CHARS = 26; // 130 random bits

export interface InvitationSecret {
  /** Grouped for people: `ABCD-EFGH-…`. */
  code: string;
  hash: Uint8Array<ArrayBuffer>;
}

/** A new invitation secret: ≥ 128 random bits, stored only as an HMAC under the server secret. */
export function newInvitation(serverSecret: Buffer): InvitationSecret {
  const bytes = randomBytes(CODE_CHARS);
  let raw = "";
  for (const byte of bytes) raw += ALPHABET[byte & 31]; // 256 is a multiple of 32: no bias
  return { code: raw.match(/.{1,4}/g)!.join("-"), hash: hashInvitation(serverSecret, raw)! };
}

/**
 * The hash to look a typed or linked code up by, or undefined when it cannot be a code.
 * Accepts lower case, spaces and dashes, and the usual look-alikes (I/L → 1, O → 0).
 */
export function hashInvitation(serverSecret: Buffer, input: string): Uint8Array<ArrayBuffer> | undefined {
  const normalised = input.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  if (normalised.length !== CODE_CHARS || [...normalised].some((c) => !ALPHABET.includes(c))) return undefined;
  return new Uint8Array(createHmac("sha256", serverSecret).update(`invitation:${normalised}`).digest());
}

/** The portal link for a code. */
export const invitationUrl = (publicUrl: string, code: string) => `${publicUrl}/portal/i/${code.replaceAll("-", "")}`;
