import { z } from "zod";
import { ReceiptVerificationError, StatusListError } from "../verification/errors.ts";
import { verifyConsentReceipt, type ConsentReceipt, type KeySet } from "../verification/receipt.ts";
import { isRevoked, StatusListCache } from "../verification/status-list.ts";
import type { GateDecision } from "./decision.ts";
import { scopeRefusal } from "../schemas/scope.ts";
import { coversTarget, receiptSetProblem, type OfflineRefusal, type OfflineTarget } from "./receipt-set.ts";

export type { OfflineTarget } from "./receipt-set.ts";

export const offlineOptionsSchema = z.strictObject({
  /**
   * The consent receipts (JWS) you kept for the target: every consent of its publication, from
   * the `publication.cleared` webhook or `vergewis.publications.consents(id)`. Only a complete set
   * (one receipt per slot of one publication) is evidence; receipts issued before receipts named
   * their slot are not.
   */
  receipts: z.custom<(target: OfflineTarget) => Promise<readonly string[]> | readonly string[]>(
    (v) => typeof v === "function",
    "must be a function that returns the target's receipts",
  ),
  /** The server's key set as you cached it (`/.well-known/jwks.json`), or a jose key resolver. */
  jwks: z.custom<KeySet>(
    (v) => typeof v === "function" || Array.isArray((v as { keys?: unknown } | null)?.keys),
    "must be a JWKS document or a key resolver",
  ),
  /** The Vergewis server you trust (its public URL): receipts of any other issuer are refused. */
  issuer: z.string().min(1),
  /** Your platform id: receipts issued to another platform are refused. */
  platformId: z.string().min(1).optional(),
  /**
   * Where status lists are cached for their `ttl`. The gate refreshes them while the server
   * answers (at most once a minute), so an outage is bridged for up to one `ttl`.
   */
  statusLists: z.instanceof(StatusListCache).optional(),
});

export type OfflineOptions = z.input<typeof offlineOptionsSchema>;
type Resolved = z.output<typeof offlineOptionsSchema> & { statusLists: StatusListCache };

const REFRESH_INTERVAL_MS = 60_000;

/** What the kept evidence says: a decision, or why it cannot make one. */
export type OfflineOutcome = { decision: GateDecision } | { refused: OfflineRefusal };

/**
 * Decisions from kept evidence while the server cannot be asked: one receipt for every slot of one
 * publication (`receiptSetProblem`), each verified against the cached key set, for this content,
 * within its scope (not expired, the purpose and territory asked about signed), and not revoked according to a status list that is itself still
 * within its `ttl`. Anything less is no decision but a refusal with its reason, and the gate's
 * fail-closed policy applies.
 */
export class OfflineEvidence {
  readonly #options: Resolved;
  #refreshedAt = -Infinity;

  constructor(options: z.output<typeof offlineOptionsSchema>) {
    this.#options = { ...options, statusLists: options.statusLists ?? new StatusListCache() };
  }

  async decide(target: OfflineTarget, checkedAt: Date): Promise<OfflineOutcome> {
    const { jwks, issuer, platformId, statusLists } = this.#options;
    let kept: readonly string[];
    try {
      kept = await this.#options.receipts(target);
    } catch {
      return { refused: "no_receipts" };
    }
    const receipts: ConsentReceipt[] = [];
    for (const jws of kept) {
      try {
        receipts.push(
          await verifyConsentReceipt(jws, jwks, {
            issuer,
            ...(platformId !== undefined && { platformId }),
            currentDate: checkedAt,
          }),
        );
      } catch (error) {
        if (!(error instanceof ReceiptVerificationError)) throw error;
        if (error.code === "expired")
          return { decision: { allowed: false, reason: "expired", source: "offline", checkedAt } };
        return { refused: "invalid_receipt" };
      }
    }
    if (!receipts.every((receipt) => coversTarget(receipt, target))) return { refused: "other_content" };
    // Revocation first: a revoked consent to this content refuses it however incomplete the set.
    for (const receipt of receipts) {
      try {
        if (await isRevoked(receipt, { jwks, issuer, cache: statusLists, currentDate: checkedAt })) {
          const { publicationId } = receipt;
          return { decision: { allowed: false, reason: "revoked", publicationId, source: "offline", checkedAt } };
        }
      } catch (error) {
        if (error instanceof ReceiptVerificationError || error instanceof StatusListError) {
          return { refused: "status_unavailable" };
        }
        throw error;
      }
    }
    const problem = receiptSetProblem(receipts);
    if (problem) return { refused: problem };
    const { publicationId } = receipts[0]!;
    // Every receipt signs the publication's one scope; a use outside any of them is refused.
    const outside = receipts.map((r) => scopeRefusal(r.scope, target.usage ?? {})).find((r) => r !== undefined);
    if (outside) return { decision: { allowed: false, reason: outside, publicationId, source: "offline", checkedAt } };
    return {
      decision: { allowed: true, reason: "cleared", status: "cleared", publicationId, source: "offline", checkedAt },
    };
  }

  /** Keeps the status lists fresh while the server answers: at most one refresh a minute. */
  refresh(target: OfflineTarget): void {
    const now = Date.now();
    if (now - this.#refreshedAt < REFRESH_INTERVAL_MS) return;
    this.#refreshedAt = now;
    const { jwks, issuer, statusLists } = this.#options;
    void (async () => {
      const [first] = await this.#options.receipts(target);
      if (first) await isRevoked(first, { jwks, issuer, cache: statusLists, refresh: true });
    })().catch(() => {
      this.#refreshedAt = -Infinity;
    });
  }
}
