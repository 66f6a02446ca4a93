import { hash, randomBytes, timingSafeEqual } from "node:crypto";
import { ChangeAwareCache } from "../db/cache.ts";
import { changeSignal, topic } from "../db/changes.ts";
import type { Db, Tx } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";

/**
 * API keys: `vgw_live_` + 256 random bits (base64url). The first characters after the tag are a
 * lookup prefix; only SHA-256 of the whole key is stored, and it is compared in constant time.
 */
const TAG = "vgw_live_";
const PREFIX_LENGTH = TAG.length + 8;
const KEY_PATTERN = /^vgw_live_[A-Za-z0-9_-]{43}$/;
/** Verified keys are remembered this long, or until that key changes (db/changes.ts). */
const CACHE_TTL_MS = 60_000;

export interface IssuedKey {
  id: string;
  /** The whole key: shown once, never stored. */
  key: string;
  prefix: string;
}

export interface AuthenticatedPlatform {
  id: string;
  name: string;
  slaSeconds: number;
}

const sha256 = (key: string) => new Uint8Array(hash("sha256", key, "buffer"));

export async function issueApiKey(db: Tx, platformId: string): Promise<IssuedKey> {
  for (;;) {
    const key = TAG + randomBytes(32).toString("base64url");
    const prefix = key.slice(0, PREFIX_LENGTH);
    // A 48-bit prefix collides rarely; a collision just draws a new key.
    const existing = await db.apiKey.findUnique({ where: { prefix }, select: { id: true } });
    if (existing) continue;
    const row = await db.apiKey.create({ data: { platformId, prefix, hash: sha256(key) } });
    return { id: row.id, key, prefix };
  }
}

/** Looks keys up in the database, remembering verified ones for a minute or until the key is revoked. */
export class ApiKeyAuthenticator {
  readonly #db: Db;
  readonly #cache = new ChangeAwareCache<AuthenticatedPlatform | undefined>(10_000);

  constructor(db: Db) {
    this.#db = db;
  }

  /** The platform that holds `key`, or undefined for a malformed, unknown or revoked key. */
  authenticate(key: string): Promise<AuthenticatedPlatform | undefined> {
    if (!KEY_PATTERN.test(key)) return Promise.resolve(undefined);
    // One-shot hashing: every request hashes its key, and a Hash object costs several times as much.
    const digest = hash("sha256", key, "base64");
    const topics = [topic.apiKey(key.slice(0, PREFIX_LENGTH))];
    return this.#cache.get(digest, topics, async () => {
      const platform = await this.#lookup(key, Buffer.from(digest, "base64"));
      return { value: platform, ttlMs: platform ? CACHE_TTL_MS : 0 };
    });
  }

  async #lookup(key: string, hash: Uint8Array): Promise<AuthenticatedPlatform | undefined> {
    const row = await this.#db.apiKey.findUnique({
      where: { prefix: key.slice(0, PREFIX_LENGTH) },
      select: { hash: true, revokedAt: true, platform: { select: { id: true, name: true, slaSeconds: true } } },
    });
    if (!row || row.revokedAt) return undefined;
    return timingSafeEqual(row.hash, hash) ? row.platform : undefined;
  }
}

/** Revokes a key by its prefix; every instance stops accepting it at once. */
export async function revokeApiKey(db: Db, prefix: string): Promise<boolean> {
  return runTransaction(db, async (tx, effects) => {
    const { count } = await tx.apiKey.updateMany({
      where: { prefix, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count) effects.signal(changeSignal([topic.apiKey(prefix)]));
    return count > 0;
  });
}
