import type { Logger } from "pino";
import type { LogSigner } from "./audit/checkpoint.ts";
import type { Config } from "./config/schema.ts";
import type { Db } from "./db/client.ts";
import type { IdentityServices } from "./identity/services.ts";
import type { KeyStore } from "./keys/store.ts";
import type { WebAuthnSettings } from "./passkey/settings.ts";
import type { ServerMetrics } from "./prometheus/registry.ts";
import type { StatusEntries } from "./status-list/allocate.ts";

/** What request handlers and workers share: built once by `start`, or by a test. */
export interface ServerContext {
  config: Config;
  db: Db;
  log: Logger;
  /** Where people and platforms reach this server, without a trailing slash. */
  publicUrl: string;
  /** Key for HMACs over secrets and identities. */
  secret: Buffer;
  /** Signing keys (receipts, status lists) and the JWKS. */
  keys: KeyStore;
  /** Age verification: the OIDC relying party and the auditors' escrow key. */
  identity: IdentityServices;
  /** The WebAuthn relying party for passkeys. */
  webauthn: WebAuthnSettings;
  /** Status-list entries for new consent receipts. */
  statusEntries: StatusEntries;
  /** Signs the audit log's checkpoints. */
  logSigner: LogSigner;
  /** The Prometheus registry behind `/metrics`. */
  metrics: ServerMetrics;
}
