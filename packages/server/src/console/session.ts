import { createHmac, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "vgw_audit_session";
export const SESSION_SECONDS = 8 * 3600;

/**
 * Console sessions are stateless: the cookie holds the auditor token's id and an expiry, with an
 * HMAC under the server secret (the token itself never leaves the login request). Every request
 * re-reads the token, so revoking it ends its sessions at once.
 */
const mac = (secret: Buffer, payload: string) =>
  createHmac("sha256", secret).update(`audit-session|${payload}`).digest("base64url");

export function sessionValue(secret: Buffer, tokenId: string, now = Date.now()): string {
  const payload = `${tokenId}.${Math.floor(now / 1000) + SESSION_SECONDS}`;
  return `${payload}.${mac(secret, payload)}`;
}

/** The token id of a valid, unexpired session cookie. */
export function readSession(secret: Buffer, value: string | undefined, now = Date.now()): string | undefined {
  const match = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? "");
  if (!match) return undefined;
  const [, tokenId, expires, tag] = match as unknown as [string, string, string, string];
  const expected = Buffer.from(mac(secret, `${tokenId}.${expires}`));
  if (!timingSafeEqual(Buffer.from(tag), expected)) return undefined;
  return Number(expires) * 1000 > now ? tokenId : undefined;
}
