import { StatusList, type BitsPerStatus } from "@sd-jwt/jwt-status-list";
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { STATUS_LIST_TYPE } from "../schemas/receipt.ts";
import { StatusListError } from "./errors.ts";
import { keyResolver, verifyConsentReceipt, type ConsentReceipt, type KeySet } from "./receipt.ts";

/** Status values (draft-ietf-oauth-status-list §7.1): 0x00 VALID, 0x01 INVALID (revoked). */
const INVALID = 1;
const DEFAULT_TTL_SECONDS = 300;

const statusListClaimsSchema = z.object({
  sub: z.url(),
  iat: z.number().int(),
  exp: z.number().int().optional(),
  ttl: z.number().int().positive().optional(),
  status_list: z.object({ bits: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)]), lst: z.string() }),
});

interface CachedList {
  list: StatusList;
  size: number;
  expiresAt: number;
}

/**
 * Fetched status lists by URI, kept for their `ttl` (at most until `exp`). Concurrent lookups of
 * one list share one request. The default cache is shared by every call in the process.
 */
export class StatusListCache {
  readonly #entries = new Map<string, CachedList>();
  readonly #inFlight = new Map<string, Promise<CachedList>>();

  /** The cached list, or a fetched one; `refresh` fetches even when the cached one is fresh. */
  async get(uri: string, load: () => Promise<CachedList>, now: number, refresh = false): Promise<CachedList> {
    const hit = this.#entries.get(uri);
    if (hit && hit.expiresAt > now && !refresh) return hit;
    let pending = this.#inFlight.get(uri);
    if (!pending) {
      pending = load().finally(() => this.#inFlight.delete(uri));
      this.#inFlight.set(uri, pending);
    }
    const entry = await pending;
    this.#entries.set(uri, entry);
    return entry;
  }

  clear(): void {
    this.#entries.clear();
  }
}

const sharedCache = new StatusListCache();
const remoteSets = new Map<string, JWTVerifyGetKey>();

export interface StatusCheckOptions {
  /** Key set of the issuer; default: its `/.well-known/jwks.json`, fetched and cached. */
  jwks?: KeySet;
  /** The Vergewis server you trust; a receipt from any other issuer is refused. */
  issuer?: string;
  cache?: StatusListCache;
  /** Fetch the list even when the cached copy is fresh (keeping a cache warm); kept if the fetch fails. */
  refresh?: boolean;
  fetch?: typeof fetch;
  currentDate?: Date;
}

/**
 * Whether a consent has been revoked, from the IETF Token Status List its receipt points at
 * (draft-ietf-oauth-status-list §8.3): the list is fetched from the issuer, its signature checked
 * against the issuer's key set, and cached for its `ttl`. Because the list is public and complete,
 * a platform that missed a webhook still learns of every revocation.
 *
 * Accepts a receipt (JWS, verified first) or the result of `verifyConsentReceipt`.
 * Throws ReceiptVerificationError for a bad receipt, StatusListError when no trustworthy list
 * can be had: treat that as "not allowed to publish".
 */
export async function isRevoked(receipt: string | ConsentReceipt, options: StatusCheckOptions = {}): Promise<boolean> {
  const jws = typeof receipt === "string" ? receipt : undefined;
  const issuer = typeof receipt === "string" ? unverifiedIssuer(receipt) : receipt.issuer;
  if (options.issuer !== undefined && options.issuer !== issuer) {
    throw new StatusListError("claims_invalid", `The receipt was issued by ${issuer}, not by ${options.issuer}.`);
  }
  const keys = options.jwks ?? remoteKeySet(issuer);
  const verified =
    jws === undefined
      ? (receipt as ConsentReceipt)
      : await verifyConsentReceipt(jws, keys, {
          ...(options.currentDate !== undefined && { currentDate: options.currentDate }),
        });
  const { idx, uri } = verified.status;
  if (new URL(uri).origin !== new URL(verified.issuer).origin) {
    throw new StatusListError("claims_invalid", "The receipt's status list is not served by its issuer.");
  }
  const now = (options.currentDate ?? new Date()).getTime();
  const entry = await (options.cache ?? sharedCache).get(
    uri,
    () => fetchList(uri, keys, options, now),
    now,
    options.refresh,
  );
  if (idx >= entry.size)
    throw new StatusListError("status_unavailable", "The status list does not cover this receipt.");
  return entry.list.getStatus(idx) === INVALID;
}

async function fetchList(uri: string, keys: KeySet, options: StatusCheckOptions, now: number): Promise<CachedList> {
  let token: string;
  try {
    const response = await (options.fetch ?? fetch)(uri, { headers: { accept: `application/${STATUS_LIST_TYPE}` } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    token = await response.text();
  } catch (cause) {
    throw new StatusListError("status_unavailable", `The status list ${uri} could not be fetched.`, { cause });
  }
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, keyResolver(keys), {
      algorithms: ["ES256"],
      typ: STATUS_LIST_TYPE,
      subject: uri,
      currentDate: new Date(now),
    }));
  } catch (cause) {
    const code = cause instanceof joseErrors.JWSSignatureVerificationFailed ? "signature_invalid" : "malformed";
    throw new StatusListError(code, `The status list ${uri} is not a valid status list token.`, { cause });
  }
  const claims = statusListClaimsSchema.safeParse(payload);
  if (!claims.success) throw new StatusListError("malformed", `The status list ${uri} lacks its claims.`);
  const { status_list, ttl, exp } = claims.data;
  let list: StatusList;
  try {
    list = StatusList.decompressStatusList(status_list.lst, status_list.bits as BitsPerStatus);
  } catch (cause) {
    throw new StatusListError("malformed", `The status list ${uri} cannot be decompressed.`, { cause });
  }
  const expiresAt = Math.min(now + (ttl ?? DEFAULT_TTL_SECONDS) * 1000, exp === undefined ? Infinity : exp * 1000);
  return { list, size: list.statusList.length, expiresAt };
}

function unverifiedIssuer(jws: string): string {
  try {
    const { iss } = decodeJwt(jws);
    if (typeof iss === "string") return iss;
  } catch {
    // reported below
  }
  throw new StatusListError("malformed", "This is not a consent receipt.");
}

function remoteKeySet(issuer: string): JWTVerifyGetKey {
  let set = remoteSets.get(issuer);
  if (!set) {
    set = createRemoteJWKSet(new URL(`${issuer.replace(/\/+$/, "")}/.well-known/jwks.json`));
    remoteSets.set(issuer, set);
  }
  return set;
}
