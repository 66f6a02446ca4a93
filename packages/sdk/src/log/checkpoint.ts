import { fromBase64, toBase64 } from "./bytes.ts";
import { CheckpointError } from "./errors.ts";
import { HASH_SIZE } from "./hash.ts";
import { parseVerifierKey, verifyNote, type VerifierKey } from "./note.ts";

// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed note body is the origin,
// the tree size in decimal and the base64 root hash, one per line, then any extension lines.

export interface Checkpoint {
  /** Names the log, e.g. `audit.example.com/log`. */
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
  extensions: string[];
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  const lines = [
    checkpoint.origin,
    String(checkpoint.treeSize),
    toBase64(checkpoint.rootHash),
    ...checkpoint.extensions,
  ];
  return lines.map((line) => `${line}\n`).join("");
}

export function parseCheckpoint(text: string): Checkpoint {
  const bad = (why: string) => new CheckpointError("checkpoint_malformed", `not a checkpoint: ${why}`);
  if (!text.endsWith("\n")) throw bad("the body must end with a newline");
  const [origin, size, root, ...extensions] = text.slice(0, -1).split("\n");
  if (!origin) throw bad("the origin line is empty");
  if (size === undefined || !/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw bad("the second line must be the tree size in decimal");
  }
  const rootHash = root === undefined ? undefined : fromBase64(root);
  if (!rootHash || rootHash.length !== HASH_SIZE) throw bad("the third line must be a base64 SHA-256 root hash");
  if (extensions.some((line) => line === "")) throw bad("extension lines must not be empty");
  return { origin, treeSize: Number(size), rootHash, extensions };
}

export interface VerifyCheckpointOptions {
  /** The origin the checkpoint must name; by default the verifier key's name. */
  origin?: string;
}

/**
 * Verifies a signed checkpoint with a pinned key (`name+keyid+base64` or parsed) and returns its
 * contents. Throws CheckpointError (`code` says why) for anything else.
 */
export async function verifyCheckpoint(
  note: string,
  key: string | VerifierKey,
  options: VerifyCheckpointOptions = {},
): Promise<Checkpoint> {
  const verifier = typeof key === "string" ? parseVerifierKey(key) : key;
  const { text } = await verifyNote(note, verifier);
  const checkpoint = parseCheckpoint(text);
  const origin = options.origin ?? verifier.name;
  if (checkpoint.origin !== origin) {
    throw new CheckpointError(
      "checkpoint_origin_mismatch",
      `the checkpoint is for log "${checkpoint.origin}", not "${origin}"`,
    );
  }
  return checkpoint;
}
