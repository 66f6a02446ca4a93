import { createHash } from "node:crypto";
import { StatusList } from "@sd-jwt/jwt-status-list";
import { STATUS_LIST_TYPE } from "@vergewis/sdk";
import { SignJWT } from "jose";
import type { Db } from "../db/client.ts";
import type { KeyStore } from "../keys/store.ts";

export const statusListUri = (publicUrl: string, id: number) => `${publicUrl}/v1/status-lists/${id}`;

const LIFETIME_S = 24 * 3600;

interface Cached {
  token: string;
  updatedAt: number;
  kid: string;
  issuedAt: number;
}

/**
 * Status list tokens (draft-ietf-oauth-status-list §5.1): a JWT of type `statuslist+jwt`, signed
 * with the receipt key, whose `status_list` is the zlib-compressed bit string (`bits: 1`) and whose
 * `sub` is the URI it is served at. A token is re-signed when the list changes, when the signing
 * key rotates, or when half its `ttl` has passed; meanwhile every request gets the same bytes.
 */
export class StatusListTokens {
  readonly #cache = new Map<number, Cached>();

  constructor(
    private readonly db: Db,
    private readonly keys: KeyStore,
    private readonly publicUrl: string,
    readonly ttlSeconds: number,
  ) {}

  /** The current token of list `id`, or undefined when there is no such list. */
  async token(id: number): Promise<string | undefined> {
    const head = await this.db.statusList.findUnique({ where: { id }, select: { updatedAt: true } });
    if (!head) return undefined;
    const key = await this.keys.current("receipt");
    const now = Math.floor(Date.now() / 1000);
    const cached = this.#cache.get(id);
    if (
      cached &&
      cached.updatedAt === head.updatedAt.getTime() &&
      cached.kid === key.kid &&
      now - cached.issuedAt < this.ttlSeconds / 2
    ) {
      return cached.token;
    }
    const row = await this.db.statusList.findUniqueOrThrow({
      where: { id },
      select: { bits: true, size: true, updatedAt: true },
    });
    const statuses = new Array<number>(row.size);
    for (let i = 0; i < row.size; i++) statuses[i] = (row.bits[i >> 3]! >> (i & 7)) & 1;
    const uri = statusListUri(this.publicUrl, id);
    const token = await new SignJWT({
      status_list: { bits: 1, lst: new StatusList(statuses, 1).compressStatusList() },
      ttl: this.ttlSeconds,
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: STATUS_LIST_TYPE })
      .setIssuer(this.publicUrl)
      .setSubject(uri)
      .setIssuedAt(now)
      .setExpirationTime(now + LIFETIME_S)
      .sign(key.privateKey);
    this.#cache.set(id, { token, updatedAt: row.updatedAt.getTime(), kid: key.kid, issuedAt: now });
    return token;
  }
}

/** A strong validator for a token's bytes. */
export const etagOf = (token: string) => `"${createHash("sha256").update(token).digest("base64url").slice(0, 27)}"`;
