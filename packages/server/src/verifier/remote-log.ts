import fs from "node:fs";
import path from "node:path";
import {
  findFirstDivergence,
  hashLeaf,
  inclusionProofSchema,
  logEntriesSchema,
  logKeySchema,
  LogDivergenceError,
  LogVerificationError,
  MerkleTree,
  consistencyProofSchema,
  verifyCheckpoint,
  verifyConsistency,
  type Checkpoint,
} from "@vergewis/sdk";
import type { z } from "zod";

/**
 * `vergewis log verify`: downloads the whole log from a server, recomputes its Merkle tree and
 * checks it against the signed checkpoint, and against the checkpoint and leaf hashes saved by the
 * previous run. Trusts nothing the server says that a signature or a hash does not prove.
 */
export interface VerifyLogOptions {
  /** The server's base URL. */
  url: string;
  /** An auditor token: entries outside its scope come as leaf hashes only. */
  token: string;
  /** The pinned verifier key; by default the one saved in `statePath`, else the server's (trust on first use). */
  verifierKey?: string | undefined;
  /** Saved checkpoint (JSON) of the previous run; its leaf hashes are kept in `<statePath>.leaves`. */
  statePath?: string | undefined;
  pageSize?: number;
  onProgress?: (verified: number, total: number) => void;
}

export interface LogProblem {
  code: string;
  message: string;
  /** The first entry that is missing or differs, when it can be named. */
  index?: number;
  /** Otherwise the range [from, to) that holds it. */
  from?: number;
  to?: number;
}

export interface VerifyLogResult {
  ok: boolean;
  origin: string;
  treeSize: number;
  rootHash: string;
  verifierKey: string;
  /** The key came from the server on this run (nothing was pinned yet). */
  keyFromServer: boolean;
  /** The size of the checkpoint saved by the previous run, when there was one. */
  previousSize?: number;
  problem?: LogProblem;
}

interface SavedState {
  origin: string;
  verifierKey: string;
  checkpoint: string;
  verifiedAt: string;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, "base64"));

export class RemoteError extends Error {}

async function getJson<S extends z.ZodType>(schema: S, url: string, token?: string): Promise<z.output<S>> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 200);
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? detail;
    } catch {
      // Not problem+json: the raw start of the body says enough.
    }
    throw new RemoteError(`${new URL(url).pathname} answered ${res.status}: ${detail}`);
  }
  return schema.parse(JSON.parse(text));
}

function readState(statePath: string | undefined): { state: SavedState; leaves: Buffer | undefined } | undefined {
  if (!statePath || !fs.existsSync(statePath)) return undefined;
  const state = JSON.parse(fs.readFileSync(statePath, "utf8")) as SavedState;
  const leavesFile = `${statePath}.leaves`;
  return { state, leaves: fs.existsSync(leavesFile) ? fs.readFileSync(leavesFile) : undefined };
}

function writeState(statePath: string, state: SavedState, leaves: Uint8Array): void {
  fs.mkdirSync(path.dirname(path.resolve(statePath)), { recursive: true });
  for (const [file, data] of [
    [`${statePath}.leaves`, leaves],
    [statePath, `${JSON.stringify(state, null, 2)}\n`],
  ] as const) {
    fs.writeFileSync(`${file}.tmp`, data, { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
  }
}

const problemOf = (error: unknown): LogProblem | undefined => {
  if (error instanceof LogDivergenceError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.index !== undefined ? { index: error.index } : { from: error.from, to: error.to }),
    };
  }
  if (error instanceof LogVerificationError) return { code: error.code, message: error.message };
  return undefined;
};

export async function verifyRemoteLog(options: VerifyLogOptions): Promise<VerifyLogResult> {
  const base = options.url.replace(/\/+$/, "");
  const saved = readState(options.statePath);
  let verifierKey = options.verifierKey ?? saved?.state.verifierKey;
  const keyFromServer = verifierKey === undefined;
  verifierKey ??= (await getJson(logKeySchema, `${base}/v1/log/key`)).verifierKey;

  const res = await fetch(`${base}/v1/log/checkpoint`);
  if (!res.ok) throw new RemoteError(`/v1/log/checkpoint answered ${res.status}`);
  const note = await res.text();
  let previous: Checkpoint | undefined;
  const result = (checkpoint: Checkpoint | undefined, problem?: LogProblem): VerifyLogResult => ({
    ok: problem === undefined,
    origin: checkpoint?.origin ?? verifierKey.split("+")[0]!,
    treeSize: checkpoint?.treeSize ?? 0,
    rootHash: checkpoint ? b64(checkpoint.rootHash) : "",
    verifierKey,
    keyFromServer,
    ...(previous && { previousSize: previous.treeSize }),
    ...(problem && { problem }),
  });

  let checkpoint: Checkpoint;
  try {
    checkpoint = await verifyCheckpoint(note, verifierKey);
    previous = saved && (await verifyCheckpoint(saved.state.checkpoint, verifierKey));
  } catch (error) {
    const problem = problemOf(error);
    if (!problem) throw error;
    return result(undefined, problem);
  }
  const n = checkpoint.treeSize;
  if (previous && previous.treeSize > n) {
    return result(checkpoint, {
      code: "log_rolled_back",
      message: `the log shrank from ${previous.treeSize} entries (saved checkpoint) to ${n}`,
      from: n,
      to: previous.treeSize,
    });
  }

  // Download and rehash every entry, fetching the next page while hashing this one. A missing
  // entry ends the download: what came before it is still checked below.
  const tree = new MerkleTree();
  const pageSize = options.pageSize ?? 5000;
  const page = (start: number) =>
    getJson(
      logEntriesSchema,
      `${base}/v1/audit/log/entries?start=${start}&limit=${Math.min(pageSize, n - start)}`,
      options.token,
    );
  let next = n > 0 ? page(0) : undefined;
  download: while (next) {
    const { entries } = await next;
    const end = tree.size + entries.length;
    next = entries.length > 0 && end < n ? page(end) : undefined;
    for (const item of entries) {
      const leaf =
        item.entry !== undefined
          ? hashLeaf(item.entry)
          : item.leafHash !== undefined
            ? bytes(item.leafHash)
            : undefined;
      if (item.index !== tree.size || !leaf) {
        void next?.catch(() => undefined);
        break download;
      }
      tree.appendLeafHash(leaf);
    }
    options.onProgress?.(tree.size, n);
  }

  // 1. The log as served must be the log as signed.
  if (tree.size < n || !Buffer.from(tree.root(n)).equals(Buffer.from(checkpoint.rootHash))) {
    try {
      const index = await findFirstDivergence(tree, checkpoint, async (i, size) => {
        const proof = await getJson(
          inclusionProofSchema,
          `${base}/v1/audit/log/inclusion?index=${i}&treeSize=${size}`,
          options.token,
        );
        return { leafHash: bytes(proof.leafHash), proof: proof.proof.map(bytes) };
      });
      return result(
        checkpoint,
        index === tree.size && tree.size < n
          ? { code: "entry_missing", message: `entry ${index} of the ${n} that the checkpoint signs is missing`, index }
          : {
              code: "log_diverged",
              message: `entry ${index} differs from what the log signed in its checkpoint of size ${n}`,
              index,
            },
      );
    } catch (error) {
      const problem = problemOf(error);
      if (!problem) throw error;
      return result(checkpoint, problem);
    }
  }

  // 2. And it must extend, unchanged, the log this verifier saw before.
  if (previous && saved) {
    const m = previous.treeSize;
    if (saved.leaves && saved.leaves.length === m * 32) {
      const now = tree.leafHashes(0, m);
      for (let i = 0; i < m; i++) {
        if (Buffer.compare(saved.leaves.subarray(i * 32, i * 32 + 32), now.subarray(i * 32, i * 32 + 32)) !== 0) {
          return result(checkpoint, {
            code: "history_rewritten",
            message: `entry ${i} differs from the copy saved when the log had ${m} entries`,
            index: i,
          });
        }
      }
    }
    if (m > 0 && !Buffer.from(tree.root(m)).equals(Buffer.from(previous.rootHash))) {
      return result(checkpoint, {
        code: "history_rewritten",
        message: `the first ${m} entries differ from the checkpoint saved earlier`,
        from: 0,
        to: m,
      });
    }
    if (m > 0) {
      try {
        const { proof } = await getJson(
          consistencyProofSchema,
          `${base}/v1/audit/proofs/consistency?from=${m}&to=${n}`,
          options.token,
        );
        verifyConsistency({
          oldSize: m,
          newSize: n,
          oldRoot: previous.rootHash,
          newRoot: checkpoint.rootHash,
          proof: proof.map(bytes),
        });
      } catch (error) {
        const problem = problemOf(error);
        if (!problem) throw error;
        return result(checkpoint, problem);
      }
    }
  }

  if (options.statePath) {
    writeState(
      options.statePath,
      { origin: checkpoint.origin, verifierKey, checkpoint: note, verifiedAt: new Date().toISOString() },
      tree.leafHashes(0, n),
    );
  }
  return result(checkpoint);
}
