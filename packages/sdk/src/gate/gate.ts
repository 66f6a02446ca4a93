import { z } from "zod";
import type { Vergewis } from "../client/client.ts";
import {
  InternalServerError,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
  VergewisConnectionError,
  VergewisResponseError,
  type VergewisSdkError,
} from "../errors.ts";
import { parseOptions } from "../options.ts";
import { contentFingerprintSchema, type ContentFingerprintInput, type Fingerprint } from "../schemas/fingerprint.ts";
import { PURPOSES, territorySchema, type Usage } from "../schemas/scope.ts";
import { DecisionCache } from "./cache.ts";
import { decideFromPublication, type GateDecision } from "./decision.ts";
import { OfflineEvidence, offlineOptionsSchema, type OfflineTarget } from "./offline.ts";

/**
 * What to decide about: the content by its fingerprint (preferred: it also catches a re-upload
 * of content that was taken down under another publication), or one publication by its id; and
 * the use: `purpose` (default `publish`; serve a download as `download`) and the viewer's
 * `territory` (ISO 3166-1 alpha-2, e.g. from your geolocation), both judged against the signed
 * scope. Without a territory the gate does not judge it.
 */
export type GateTarget = ({ fingerprint: ContentFingerprintInput } | { publicationId: string }) & Partial<Usage>;

/** The part of the client the gate uses; any object with these methods will do. */
export type GateClient = Pick<Vergewis, "check"> & { publications: Pick<Vergewis["publications"], "get"> };

const MAX_CACHE_AGE_MS = 5 * 60_000;

export const gateOptionsSchema = z.strictObject({
  /** The client that asks the server. */
  client: z.custom<GateClient>(
    (v) =>
      typeof (v as GateClient | null)?.check === "function" &&
      typeof (v as GateClient).publications?.get === "function",
    "must be a Vergewis client",
  ),
  /**
   * When the server cannot be reached (after the client's retries), or answers 429 or 5xx: deny
   * (`true`, the default) or allow (`false`). Failing open keeps content online during an outage,
   * including content whose consent was revoked meanwhile; decide that with your legal team.
   */
  failClosed: z.boolean().default(true),
  /**
   * Reuse an answer for up to `maxAgeMs` (at most 5 minutes). This bounds how long a revoked item
   * can stay visible through this gate; without `cache` every call asks the server.
   */
  cache: z
    .strictObject({
      maxAgeMs: z.number().int().min(1).max(MAX_CACHE_AGE_MS),
      /** Entries kept at most; the oldest go first. Default 10 000. */
      maxEntries: z.number().int().min(1).default(10_000),
    })
    .optional(),
  /**
   * Decide from kept consent receipts when the server cannot be asked: one receipt for every slot
   * of one publication, verified against a cached key set, within scope, and not revoked according
   * to a status list at most one `ttl` old. Without that evidence the `failClosed` policy decides,
   * as without this option, and the decision's `offlineRefusal` says what was missing.
   */
  offline: offlineOptionsSchema.optional(),
});

/** Options of `createGate`. */
export type GateOptions = z.input<typeof gateOptionsSchema>;

/**
 * Decides whether content may be shown now. Call it for every request that serves the content.
 * It throws only for errors that retrying cannot fix (a wrong API key, a malformed target);
 * every other failure becomes a decision with `reason: "unavailable"`.
 */
export interface Gate {
  (target: GateTarget): Promise<GateDecision>;
  /**
   * Drops the cached answers for `target`'s content (every purpose and territory), e.g. when a
   * `takedown.requested` webhook arrives.
   */
  forget(target: GateTarget): void;
}

/**
 * A framework-free publish gate over `POST /v1/check` (or `GET /v1/publications/{id}`), with a
 * fail-closed default and an optional, bounded decision cache.
 *
 * @example
 * ```ts
 * const gate = createGate({ client: vergewis, cache: { maxAgeMs: 5_000 } });
 * const decision = await gate({ fingerprint });
 * if (!decision.allowed) return res.status(denialStatus(decision)).end();
 * ```
 */
export function createGate(options: GateOptions): Gate {
  const { client, failClosed, cache, offline } = parseOptions(gateOptionsSchema, options, "gate options");
  const decisions = cache ? new DecisionCache(cache) : undefined;
  const evidence = offline ? new OfflineEvidence(offline) : undefined;

  async function ask(target: Normalised, startedAt: number): Promise<GateDecision> {
    const checkedAt = new Date(startedAt);
    try {
      if ("fingerprint" in target) {
        const result = await client.check(target.sent, target.usage);
        if (result.allowed) evidence?.refresh(offlineTarget(target));
        return {
          allowed: result.allowed,
          reason: result.reason,
          status: result.status,
          ...(result.publicationId !== undefined && { publicationId: result.publicationId }),
          ...(result.nearDuplicate !== undefined && { nearDuplicate: result.nearDuplicate }),
          source: "online",
          checkedAt,
        };
      }
      const publication = await client.publications.get(target.publicationId);
      const decision = decideFromPublication(publication, Date.now(), target.usage);
      if (decision.allowed) evidence?.refresh(offlineTarget(target));
      return { ...decision, source: "online", checkedAt };
    } catch (error) {
      if (error instanceof NotFoundError && "publicationId" in target) {
        return { allowed: false, reason: "unknown", status: "unknown", source: "online", checkedAt };
      }
      if (!isUnavailable(error)) throw error;
      const offline = await evidence?.decide(offlineTarget(target), checkedAt);
      if (offline && "decision" in offline) return offline.decision;
      return {
        allowed: !failClosed,
        reason: "unavailable",
        source: "fallback",
        checkedAt,
        error,
        ...(offline && { offlineRefusal: offline.refused }),
      };
    }
  }

  const gate = async (target: GateTarget): Promise<GateDecision> => {
    const normalised = normalise(target);
    if (!decisions) return ask(normalised, Date.now());
    const now = Date.now();
    const cached = decisions.get(normalised.key, now);
    if (cached) {
      const decision = await cached;
      return decision.source === "online" ? { ...decision, source: "cache" } : decision;
    }
    const pending = ask(normalised, now);
    decisions.set(normalised.key, now, pending);
    // Only the server's answers are reused: after a failure the next call asks again.
    pending.then(
      (decision) => decision.source !== "online" && decisions.delete(normalised.key, pending),
      () => decisions.delete(normalised.key, pending),
    );
    return pending;
  };
  return Object.assign(gate, {
    forget: (target: GateTarget) => decisions?.deletePrefix(`${normalise(target).content}|`),
  });
}

/** A fingerprint target: its name (`vpdq`: the digest of its frames) and what is sent to the server. */
type Normalised = { key: string; content: string; usage: GateUsage } & (
  | { fingerprint: Fingerprint; sent: ContentFingerprintInput }
  | { publicationId: string }
);
type GateUsage = Pick<Usage, "purpose"> & Partial<Pick<Usage, "territory">>;

const offlineTarget = (target: Normalised): OfflineTarget => ({
  ...("fingerprint" in target ? { fingerprint: target.fingerprint } : { publicationId: target.publicationId }),
  usage: target.usage,
});

function normalise(target: GateTarget): Normalised {
  if (typeof target !== "object" || target === null) {
    throw new TypeError("gate: the target must be { fingerprint } or { publicationId }");
  }
  const usage = normaliseUsage(target);
  const use = `|${usage.purpose}:${usage.territory ?? "*"}`;
  if ("fingerprint" in target) {
    const parsed = contentFingerprintSchema.safeParse(target.fingerprint);
    if (!parsed.success)
      throw new TypeError(
        'gate: target.fingerprint must be { alg: "sha-256" | "pdq", value: 64 hex characters, quality?: 0–100 }' +
          ' or { alg: "vpdq", frames: [{ t, value, quality }] }',
      );
    const { data } = parsed;
    const content = `fingerprint:${data.alg}:${data.value}`;
    return {
      key: content + use,
      content,
      fingerprint: { alg: data.alg, value: data.value },
      sent: data.alg === "vpdq" ? { alg: data.alg, frames: data.frames } : data,
      usage,
    };
  }
  if (typeof target.publicationId === "string" && target.publicationId !== "") {
    const content = `publication:${target.publicationId}`;
    return { key: content + use, content, publicationId: target.publicationId, usage };
  }
  throw new TypeError("gate: the target must be { fingerprint } or { publicationId }");
}

function normaliseUsage(target: Partial<Usage>): GateUsage {
  const { purpose = "publish", territory } = target;
  if (!(PURPOSES as readonly string[]).includes(purpose))
    throw new TypeError(`gate: target.purpose must be one of ${PURPOSES.join(", ")}`);
  if (territory !== undefined && !territorySchema.safeParse(territory).success)
    throw new TypeError("gate: target.territory must be an ISO 3166-1 alpha-2 country code, e.g. NL");
  return { purpose, ...(territory !== undefined && { territory }) };
}

/** Failures that say nothing about the content: the gate's fail-closed policy decides. */
function isUnavailable(error: unknown): error is VergewisSdkError {
  return (
    error instanceof VergewisConnectionError ||
    error instanceof VergewisResponseError ||
    error instanceof RateLimitError ||
    error instanceof ServiceUnavailableError ||
    error instanceof InternalServerError
  );
}
