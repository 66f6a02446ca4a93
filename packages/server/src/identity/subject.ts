import { createHmac, randomBytes } from "node:crypto";

/**
 * HMAC-SHA256(server secret, iss|sub): recognises a returning identity (one identity holds at most
 * one performer) without storing who it is. The `subject:` prefix separates it from the other
 * HMACs under the same secret. Changing the server secret breaks the link to existing accounts.
 */
export const subjectHash = (secret: Buffer, issuer: string, subject: string) =>
  createHmac("sha256", secret).update(`subject:${issuer}|${subject}`).digest("base64url");

/** A new performer pseudonym: `prf_` and 128 random bits. */
export const newPseudonym = () => `prf_${randomBytes(16).toString("base64url")}`;
