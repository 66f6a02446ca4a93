import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { NotFoundError } from "../errors.ts";

/**
 * Trusted flagger tokens (DSA art. 22): `vgw_flag_` + 256 random bits, looked up by prefix and
 * stored only as SHA-256, compared in constant time: the scheme of platform API keys.
 */
const TAG = "vgw_flag_";
const PREFIX_LENGTH = TAG.length + 8;
const TOKEN_PATTERN = /^vgw_flag_[A-Za-z0-9_-]{43}$/;

const sha256 = (token: string) => new Uint8Array(createHash("sha256").update(token).digest());

export interface TrustedFlagger {
  id: string;
  name: string;
}

export interface CreatedFlagger extends TrustedFlagger {
  /** Shown once, never stored. */
  token: string;
}

/** Registers a trusted flagger (operator action, in the audit log) and issues its token. */
export async function createFlagger(db: Db, args: { name: string }): Promise<CreatedFlagger> {
  return runTransaction(db, async (tx, effects) => {
    for (;;) {
      const token = TAG + randomBytes(32).toString("base64url");
      const tokenPrefix = token.slice(0, PREFIX_LENGTH);
      if (await tx.trustedFlagger.findUnique({ where: { tokenPrefix }, select: { id: true } })) continue;
      const row = await tx.trustedFlagger.create({ data: { name: args.name, tokenPrefix, tokenHash: sha256(token) } });
      effects.write(auditLog, { type: "flagger.created", data: { flaggerId: row.id, tokenPrefix } });
      return { id: row.id, name: row.name, token };
    }
  });
}

export async function revokeFlagger(db: Db, args: { id: string }): Promise<TrustedFlagger> {
  return runTransaction(db, async (tx, effects) => {
    const { count } = await tx.trustedFlagger.updateMany({
      where: { id: args.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw new NotFoundError("trusted flagger");
    effects.write(auditLog, { type: "flagger.revoked", data: { flaggerId: args.id } });
    return tx.trustedFlagger.findUniqueOrThrow({ where: { id: args.id }, select: { id: true, name: true } });
  });
}

export async function listFlaggers(db: Db): Promise<Array<TrustedFlagger & { createdAt: string; revoked: boolean }>> {
  const rows = await db.trustedFlagger.findMany({ orderBy: { id: "asc" } });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    revoked: r.revokedAt !== null,
  }));
}

/** The flagger holding `token`, or undefined for a malformed, unknown or revoked token. */
export async function authenticateFlagger(db: Db, token: string): Promise<TrustedFlagger | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const row = await db.trustedFlagger.findUnique({ where: { tokenPrefix: token.slice(0, PREFIX_LENGTH) } });
  if (!row || row.revokedAt) return undefined;
  return timingSafeEqual(row.tokenHash, sha256(token)) ? { id: row.id, name: row.name } : undefined;
}
