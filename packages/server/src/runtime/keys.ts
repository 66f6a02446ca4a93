import type { Config } from "../config/schema.ts";
import type { Db } from "../db/client.ts";
import { KeyFiles } from "../keys/files.ts";
import { KeyStore } from "../keys/store.ts";

/** The server's key purposes: the receipt key signs consent receipts and status lists (ES256). */
export function createKeyStore(config: Config, db: Db): KeyStore {
  return new KeyStore(db, new KeyFiles(config.dataDir, config.keys.encryptionKey), {
    receipt: { alg: "ES256", pem: config.keys.receiptSigningKey },
  });
}
