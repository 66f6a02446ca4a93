import { sign, type KeyObject } from "node:crypto";
import {
  formatCheckpoint,
  formatVerifierKey,
  noteKeyId,
  signatureLine,
  type CheckpointResource,
  type LogKey,
} from "@vergewis/sdk";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { every, type PeriodicTask } from "../periodic.ts";
import type { AuditCheckpoint } from "../db/generated/client.ts";
import { appendEvent, lockLog } from "./append.ts";
import { rootOfHead } from "./tree.ts";

/** The key that signs checkpoints, in signed-note terms (its name is the log's origin). */
export interface NoteKey {
  readonly publicKey: Uint8Array;
  /** signed-note key ID, 8 hex digits. */
  readonly keyId: string;
  /** `origin+keyid+base64(0x01 || publicKey)`: what auditors pin. */
  readonly verifierKey: string;
  /** The signed note for a checkpoint body. */
  signNote(text: string): string;
}

function noteKey(privateKey: KeyObject, origin: string): NoteKey {
  const jwk = privateKey.export({ format: "jwk" });
  const publicKey = new Uint8Array(Buffer.from(jwk.x!, "base64url"));
  return {
    publicKey,
    keyId: Buffer.from(noteKeyId(origin, publicKey)).toString("hex"),
    verifierKey: formatVerifierKey(origin, publicKey),
    signNote: (text) =>
      `${text}\n${signatureLine({ name: origin, publicKey }, sign(null, Buffer.from(text), privateKey))}`,
  };
}

/** Where the `log` key comes from: the key store (`keys/store.ts`), which itself appends to the log. */
export interface LogKeys {
  current(purpose: "log"): Promise<{ kid: string; privateKey: KeyObject }>;
}

/**
 * Signs checkpoints as C2SP signed notes with the key store's current `log` key (Ed25519): from
 * configuration in production, a key file in the data directory otherwise, replaced by
 * `vergewis keys rotate --purpose log`.
 */
export class LogSigner {
  readonly origin: string;
  readonly #keys: LogKeys;
  #current: { kid: string; key: NoteKey } | undefined;

  constructor(keys: LogKeys, origin: string) {
    this.#keys = keys;
    this.origin = origin;
  }

  async key(): Promise<NoteKey> {
    const pair = await this.#keys.current("log");
    if (this.#current?.kid !== pair.kid) this.#current = { kid: pair.kid, key: noteKey(pair.privateKey, this.origin) };
    return this.#current.key;
  }
}

/** The origin line: configured, or the public URL's host name (not its port, which may change) and `/log`. */
export const logOrigin = (configured: string | undefined, publicUrl: string) =>
  configured ?? `${new URL(publicUrl).hostname}/log`;

export async function logKeyResource(signer: LogSigner): Promise<LogKey> {
  const key = await signer.key();
  return {
    origin: signer.origin,
    algorithm: "Ed25519",
    keyName: signer.origin,
    keyId: key.keyId,
    publicKey: Buffer.from(key.publicKey).toString("base64"),
    verifierKey: key.verifierKey,
  };
}

/**
 * Signs a checkpoint of the current tree, unless the newest one already covers it; returns the
 * newest. Holds the log lock, so the size and root it signs belong together. A key's first
 * checkpoint is preceded by a `log.key_activated` entry: the log itself records its keys.
 */
export async function publishCheckpoint(db: Db, signer: LogSigner): Promise<AuditCheckpoint> {
  const key = await signer.key();
  return runTransaction(db, async (tx, effects) => {
    let head = await lockLog(tx, effects);
    const newest = await tx.auditCheckpoint.findFirst({ orderBy: { treeSize: "desc" } });
    // The newest checkpoint's key has signed before; another one (after a rotation) may not have.
    const used =
      newest?.keyId === key.keyId ||
      (await tx.auditCheckpoint.findFirst({ where: { keyId: key.keyId }, select: { treeSize: true } })) !== null;
    if (!used) {
      await appendEvent(tx, effects, {
        type: "log.key_activated",
        data: {
          keyName: signer.origin,
          keyId: key.keyId,
          publicKey: Buffer.from(key.publicKey).toString("base64"),
        },
      });
      head = await lockLog(tx, effects);
    }
    if (newest && Number(newest.treeSize) === head.size) return newest;
    const rootHash = rootOfHead(head);
    const note = key.signNote(
      formatCheckpoint({ origin: signer.origin, treeSize: head.size, rootHash, extensions: [] }),
    );
    return tx.auditCheckpoint.create({
      data: { treeSize: BigInt(head.size), rootHash: new Uint8Array(rootHash), note, keyId: key.keyId },
    });
  });
}

export function checkpointResource(row: AuditCheckpoint, origin: string): CheckpointResource {
  return {
    origin,
    treeSize: Number(row.treeSize),
    rootHash: Buffer.from(row.rootHash).toString("base64"),
    keyId: row.keyId,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Signs a checkpoint now, then every `intervalMs` whenever the log has grown. */
export async function startCheckpointSchedule(
  ctx: { db: Db; logSigner: LogSigner; log: Logger },
  intervalMs: number,
): Promise<PeriodicTask> {
  const publish = () => publishCheckpoint(ctx.db, ctx.logSigner);
  await publish();
  return every("log checkpoint", intervalMs, publish, ctx.log);
}
