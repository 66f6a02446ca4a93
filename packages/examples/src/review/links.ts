import { createHmac, timingSafeEqual } from "node:crypto";

/** As long as Vergewis's invitations live by default: a performer may open theirs that late. */
const LIFETIME_MS = 14 * 86_400_000;

/**
 * Short-lived review links: `<base>/review/<id>?exp=<ms>&sig=<HMAC-SHA256>`. A performer's
 * browser fetches the upload through one from the Vergewis portal, to see it and check it
 * against its fingerprint before signing; the link names nothing else and dies at `exp`.
 */
export class ReviewLinks {
  /** Where this platform answers; known once it listens. */
  base = "";
  readonly #key: Buffer;

  /** `secret`: keeps links valid across restarts (the example derives it from its API key). */
  constructor(secret: string) {
    this.#key = createHmac("sha256", secret).update("vergewis-example review links").digest();
  }

  link(id: string, now = Date.now()): string {
    const exp = String(now + LIFETIME_MS);
    const url = new URL(`/review/${encodeURIComponent(id)}`, this.base);
    url.searchParams.set("exp", exp);
    url.searchParams.set("sig", this.#sign(id, exp));
    return url.href;
  }

  /** The link is this platform's, for this id, and has not expired. */
  valid(id: string, exp: unknown, sig: unknown, now = Date.now()): boolean {
    if (typeof exp !== "string" || typeof sig !== "string" || !/^\d{1,15}$/.test(exp)) return false;
    if (Number(exp) <= now) return false;
    const expected = Buffer.from(this.#sign(id, exp));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #sign(id: string, exp: string): string {
    return createHmac("sha256", this.#key).update(`${id}\n${exp}`).digest("base64url");
  }
}
