import { createHash } from "node:crypto";
import type { Request, Response } from "express";
import { canonicalJson } from "@vergewis/sdk";
import type { Db, Tx } from "../db/client.ts";
import { runTransaction, type Effects } from "../db/transaction.ts";
import { IdempotencyKeyReusedError, ValidationError } from "../errors.ts";

export interface JsonResponse {
  status: number;
  body: unknown;
  /**
   * What a replay answers instead of `body`, when the first answer carries a secret that is not
   * kept (an invitation code): the idempotency record is stored data like any other.
   */
  replay?: unknown;
}

const KEY = /^[\x21-\x7e]{1,255}$/;
/** A key is remembered this long (the draft leaves it to the server; clients retry within minutes). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/**
 * Runs a POST handler at most once per `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header).
 * The key is claimed in the same transaction as the work: a concurrent request with the same key
 * waits on the row lock and then replays the committed response, and a failed request leaves
 * neither work nor key behind. A key reused with a different request is refused (422).
 */
export async function withIdempotency(
  db: Db,
  req: Request,
  platformId: string,
  run: (tx: Tx, effects: Effects) => Promise<JsonResponse>,
): Promise<JsonResponse & { replayed: boolean }> {
  const key = idempotencyKey(req);
  if (key === undefined) return { ...(await runTransaction(db, run)), replayed: false };
  const fingerprint = createHash("sha256")
    .update(`${req.method} ${req.baseUrl}${req.path}\n${canonicalJson(req.body ?? null)}`)
    .digest("hex");
  return runTransaction(db, async (tx, effects) => {
    const claimed = await tx.$executeRaw`
      INSERT INTO "IdempotencyKey" ("platformId", "key", "fingerprint", "responseStatus", "responseBody")
      VALUES (${platformId}::uuid, ${key}, ${fingerprint}, 0, 'null'::jsonb)
      ON CONFLICT DO NOTHING`;
    const where = { platformId_key: { platformId, key } };
    if (claimed === 0) {
      const earlier = await tx.idempotencyKey.findUniqueOrThrow({ where });
      if (Date.now() - earlier.createdAt.getTime() > IDEMPOTENCY_TTL_MS) {
        // Expired but not yet swept: the key is free again.
        await tx.idempotencyKey.update({ where, data: { fingerprint, createdAt: new Date() } });
      } else {
        if (earlier.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        return { status: earlier.responseStatus, body: earlier.responseBody, replayed: true };
      }
    }
    const response = await run(tx, effects);
    await tx.idempotencyKey.update({
      where,
      data: { responseStatus: response.status, responseBody: (response.replay ?? response.body) as object },
    });
    return { ...response, replayed: false };
  });
}

/** Accepts a plain token or an RFC 8941 sf-string (`"…"`), as the draft specifies. */
function idempotencyKey(req: Request): string | undefined {
  const header = req.get("idempotency-key");
  if (header === undefined) return undefined;
  const value = /^"(.*)"$/.exec(header)?.[1] ?? header;
  if (!KEY.test(value)) {
    throw new ValidationError([
      { pointer: "/headers/idempotency-key", reason: "must be 1 to 255 visible ASCII characters" },
    ]);
  }
  return value;
}

export function sendJson(res: Response, response: JsonResponse & { replayed?: boolean }): void {
  if (response.replayed) res.setHeader("Idempotent-Replayed", "true");
  res.status(response.status).json(response.body);
}

/** Forgets keys older than the retention period. */
export async function expireIdempotencyKeys(db: Db): Promise<number> {
  const { count } = await db.idempotencyKey.deleteMany({
    where: { createdAt: { lt: new Date(Date.now() - IDEMPOTENCY_TTL_MS) } },
  });
  return count;
}
