import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { NotFoundError } from "../errors.ts";
import { auditLog } from "./append.ts";
import { scopeLabel, type AuditorScope } from "./scope.ts";

/**
 * Auditor tokens: `vgw_audit_` + 256 random bits (base64url). Like API keys, only SHA-256 of the
 * token is stored, found by its prefix and compared in constant time. Read-only by construction:
 * the auditor API has no route that changes anything.
 */
const TAG = "vgw_audit_";
const PREFIX_LENGTH = TAG.length + 8;
const TOKEN_PATTERN = /^vgw_audit_[A-Za-z0-9_-]{43}$/;

export interface Auditor {
  tokenId: string;
  prefix: string;
  scope: AuditorScope;
  label: string | null;
}

export interface IssuedAuditorToken extends Auditor {
  /** The whole token: shown once, never stored. */
  token: string;
}

const sha256 = (token: string) => new Uint8Array(createHash("sha256").update(token).digest());

const scopeOf = (platformId: string | null): AuditorScope =>
  platformId === null ? { kind: "all" } : { kind: "platform", platformId };

/** Issues a token for one platform (`platformId`) or for all (`null`); recorded in the audit log. */
export async function issueAuditorToken(
  db: Db,
  args: { platformId: string | null; label?: string | undefined },
): Promise<IssuedAuditorToken> {
  return runTransaction(db, async (tx, effects) => {
    if (args.platformId !== null) {
      const platform = await tx.platform.findUnique({ where: { id: args.platformId }, select: { id: true } });
      if (!platform) throw new NotFoundError("platform");
    }
    let token: string;
    let prefix: string;
    do {
      token = TAG + randomBytes(32).toString("base64url");
      prefix = token.slice(0, PREFIX_LENGTH);
    } while (await tx.auditorToken.findUnique({ where: { prefix }, select: { id: true } }));
    const row = await tx.auditorToken.create({
      data: { prefix, hash: sha256(token), platformId: args.platformId, label: args.label ?? null },
    });
    const scope = scopeOf(row.platformId);
    effects.write(auditLog, {
      type: "auditor.token_created",
      ...(row.platformId !== null && { platformId: row.platformId }),
      data: { tokenId: row.id, prefix, scope: scopeLabel(scope) },
    });
    return { tokenId: row.id, prefix, scope, label: row.label, token };
  });
}

/** The auditor holding `token`, or undefined for a malformed, unknown or revoked token. */
export async function authenticateAuditor(db: Db, token: string): Promise<Auditor | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const row = await db.auditorToken.findUnique({ where: { prefix: token.slice(0, PREFIX_LENGTH) } });
  if (!row || row.revokedAt || !timingSafeEqual(row.hash, sha256(token))) return undefined;
  return { tokenId: row.id, prefix: row.prefix, scope: scopeOf(row.platformId), label: row.label };
}

/** The auditor of a console session, if the token is still valid. */
export async function auditorById(db: Db, tokenId: string): Promise<Auditor | undefined> {
  const row = await db.auditorToken.findUnique({ where: { id: tokenId } });
  if (!row || row.revokedAt) return undefined;
  return { tokenId: row.id, prefix: row.prefix, scope: scopeOf(row.platformId), label: row.label };
}

/** Revokes a token by its prefix; recorded in the audit log. False when no active token has it. */
export async function revokeAuditorToken(db: Db, prefix: string): Promise<boolean> {
  return runTransaction(db, async (tx, effects) => {
    const row = await tx.auditorToken.findUnique({ where: { prefix } });
    if (!row) return false;
    const { count } = await tx.auditorToken.updateMany({
      where: { id: row.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) return false;
    effects.write(auditLog, {
      type: "auditor.token_revoked",
      ...(row.platformId !== null && { platformId: row.platformId }),
      data: { tokenId: row.id, prefix },
    });
    return true;
  });
}
