import type { JSONWebKeySet, JWK } from "jose";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { VergewisError } from "../errors.ts";
import { auditLog } from "../audit/append.ts";
import {
  generateKeyPair,
  keyPairOf,
  privateKeyFromPem,
  privateKeyToPem,
  type KeyPair,
  type SigningAlg,
} from "./algorithms.ts";
import type { KeyFiles } from "./files.ts";

/** What each purpose signs with. */
export interface KeyPurpose {
  alg: SigningAlg;
  /** A private key from configuration (PKCS#8 PEM): then no key files are used for this purpose. */
  pem?: string | undefined;
  /** Published in the JWKS (default): false for a key that signs no JWS (the log's checkpoints). */
  jwks?: boolean;
}

export interface RotatedKey {
  kid: string;
  alg: SigningAlg;
  /** Set when the purpose's key comes from configuration: install this PEM, it is not stored. */
  privateKeyPem?: string;
}

const REFRESH_MS = 60_000;

/**
 * The server's signing keys. Public halves live in the database (`SigningKey`), so that every
 * instance publishes the same JWKS and retired keys stay published; private halves come from
 * configuration (production) or from key files in the data directory (embedded). The key in use
 * for a purpose is the newest one whose private half this instance holds, re-read every minute so
 * that a rotation by another process is picked up.
 */
export class KeyStore {
  readonly #db: Db;
  readonly #files: KeyFiles;
  readonly #purposes: Record<string, KeyPurpose>;
  readonly #held = new Map<string, KeyPair>();
  readonly #current = new Map<string, { pair: KeyPair; checkedAt: number }>();
  #jwks: { value: JSONWebKeySet; at: number } | undefined;

  constructor(db: Db, files: KeyFiles, purposes: Record<string, KeyPurpose>) {
    this.#db = db;
    this.#files = files;
    this.#purposes = purposes;
  }

  /** Loads every purpose's private keys, creating a first key where there is none. Call at start. */
  async init(): Promise<void> {
    for (const [purpose, { alg, pem }] of Object.entries(this.#purposes)) {
      const pairs = pem ? [await keyPairOf(privateKeyFromPem(pem), alg)] : await this.#files.list(purpose);
      for (const pair of pairs) {
        if (pair.alg !== alg) throw new KeyStoreError(`The ${purpose} key ${pair.kid} is not an ${alg} key.`);
        this.#held.set(pair.kid, pair);
        await this.#record(purpose, pair);
      }
      if (pairs.length === 0) await this.#create(purpose);
    }
  }

  /** The key to sign with now. */
  async current(purpose: string): Promise<KeyPair> {
    const cached = this.#current.get(purpose);
    if (cached && Date.now() - cached.checkedAt < REFRESH_MS) return cached.pair;
    const rows = await this.#db.signingKey.findMany({
      where: { purpose },
      orderBy: [{ createdAt: "desc" }, { kid: "desc" }],
      select: { kid: true },
    });
    let pair: KeyPair | undefined;
    for (const { kid } of rows) {
      pair = this.#held.get(kid) ?? (await this.#loadFile(purpose, kid));
      if (pair) break;
    }
    if (!pair) throw new KeyStoreError(`No private ${purpose} key is available to this instance.`);
    this.#current.set(purpose, { pair, checkedAt: Date.now() });
    return pair;
  }

  /** Every public key of every purpose, as published at `/.well-known/jwks.json`. */
  async jwks(): Promise<JSONWebKeySet> {
    if (this.#jwks && Date.now() - this.#jwks.at < REFRESH_MS) return this.#jwks.value;
    const published = Object.keys(this.#purposes).filter((p) => this.#purposes[p]!.jwks !== false);
    const rows = await this.#db.signingKey.findMany({
      where: { purpose: { in: published } },
      orderBy: [{ createdAt: "desc" }, { kid: "desc" }],
    });
    const value = { keys: rows.map((r) => r.publicJwk as JWK) };
    this.#jwks = { value, at: Date.now() };
    return value;
  }

  /**
   * Adds a new key for `purpose` and signs with it from now on; older public keys stay published.
   * For a purpose whose key comes from configuration the new private key is returned as a PEM
   * for the operator to install, and instances switch once they hold it.
   */
  async rotate(purpose: string): Promise<RotatedKey> {
    const settings = this.#purpose(purpose);
    if (settings.pem) {
      const pair = await generateKeyPair(settings.alg);
      await this.#record(purpose, pair);
      return { kid: pair.kid, alg: pair.alg, privateKeyPem: privateKeyToPem(pair.privateKey) };
    }
    const pair = await this.#create(purpose);
    return { kid: pair.kid, alg: pair.alg };
  }

  async #create(purpose: string): Promise<KeyPair> {
    const pair = await generateKeyPair(this.#purpose(purpose).alg);
    await this.#files.write(purpose, pair);
    this.#held.set(pair.kid, pair);
    await this.#record(purpose, pair);
    this.#current.delete(purpose);
    this.#jwks = undefined;
    return pair;
  }

  async #record(purpose: string, pair: KeyPair): Promise<void> {
    await runTransaction(this.#db, async (tx, effects) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO "SigningKey" ("kid", "purpose", "alg", "publicJwk")
        VALUES (${pair.kid}, ${purpose}, ${pair.alg}, ${JSON.stringify(pair.publicJwk)}::jsonb)
        ON CONFLICT DO NOTHING`;
      if (inserted === 1) {
        effects.write(auditLog, { type: "signing_key.created", data: { kid: pair.kid, alg: pair.alg, purpose } });
      }
    });
    this.#current.delete(purpose);
    this.#jwks = undefined;
  }

  async #loadFile(purpose: string, kid: string): Promise<KeyPair | undefined> {
    if (this.#purpose(purpose).pem) return undefined;
    const pair = (await this.#files.list(purpose)).find((p) => p.kid === kid);
    if (pair) this.#held.set(kid, pair);
    return pair;
  }

  #purpose(purpose: string): KeyPurpose {
    const settings = this.#purposes[purpose];
    if (!settings) throw new KeyStoreError(`Unknown key purpose "${purpose}".`);
    return settings;
  }
}

export class KeyStoreError extends VergewisError<"signing_key_unavailable"> {
  constructor(message: string) {
    super("signing_key_unavailable", "unavailable", message);
  }
}
