import type { Config } from "../config/schema.ts";
import type { Db } from "../db/client.ts";
import { KeyFiles } from "./files.ts";
import { KeyStore, type KeyPurpose } from "./store.ts";

/** The purposes the server signs for. */
export const KEY_PURPOSES = ["receipt", "log"] as const;
export type KeyPurposeName = (typeof KEY_PURPOSES)[number];

/**
 * The server's key purposes: the receipt key signs consent receipts and status lists (ES256); the
 * log key signs the audit log's checkpoints (Ed25519, as C2SP signed notes require).
 */
export function createKeyStore(config: Config, db: Db): KeyStore {
  return new KeyStore(db, new KeyFiles(config.dataDir, config.keys.encryptionKey), {
    receipt: { alg: "ES256", pem: config.keys.receiptSigningKey },
    // Published as a signed-note verifier key (/v1/log/key), not in the JWKS: it signs no JWS.
    log: { alg: "EdDSA", pem: config.keys.logSigningKey, jwks: false },
  } satisfies Record<KeyPurposeName, KeyPurpose>);
}
