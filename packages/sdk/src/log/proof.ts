import { bytesEqual, toBase64 } from "./bytes.ts";
import { ConsistencyProofError, InclusionProofError } from "./errors.ts";
import { hashChildren, HASH_SIZE } from "./hash.ts";

// Verification follows RFC 9162 step by step, independently of how proofs are produced (plan.ts).
// Sizes and indexes are JavaScript numbers: exact up to 2^53 leaves; the shifts are divisions.

const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

export interface InclusionInput {
  /** 0-based position of the leaf. */
  index: number;
  treeSize: number;
  /** SHA-256(0x00 || entry): see hashLeaf. */
  leafHash: Uint8Array;
  proof: readonly Uint8Array[];
  rootHash: Uint8Array;
}

/**
 * RFC 9162 §2.1.3.2: the root that `proof` leads to from the leaf. Throws InclusionProofError
 * when the proof has the wrong shape for the index and size.
 */
export function rootFromInclusionProof(input: Omit<InclusionInput, "rootHash">): Uint8Array {
  const { index, treeSize, leafHash, proof } = input;
  assertHashes([leafHash, ...proof], InclusionProofError);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) {
    throw new InclusionProofError(`leaf index ${index} is not in a tree of size ${treeSize}`);
  }
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new InclusionProofError("the inclusion proof is longer than the tree is deep");
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new InclusionProofError("the inclusion proof is shorter than the tree is deep");
  return r;
}

/** RFC 9162 §2.1.3.2: throws InclusionProofError unless the leaf is in the tree with that root. */
export function verifyInclusion(input: InclusionInput): void {
  const root = rootFromInclusionProof(input);
  if (!bytesEqual(root, input.rootHash)) {
    throw new InclusionProofError(
      `leaf ${input.index} is not in the tree of size ${input.treeSize} with root ${toBase64(input.rootHash)}`,
    );
  }
}

export interface ConsistencyInput {
  oldSize: number;
  newSize: number;
  oldRoot: Uint8Array;
  newRoot: Uint8Array;
  proof: readonly Uint8Array[];
}

/**
 * RFC 9162 §2.1.4.2: throws ConsistencyProofError unless the tree of `newSize` leaves with root
 * `newRoot` holds, unchanged, the tree of `oldSize` leaves with root `oldRoot` as its prefix.
 */
export function verifyConsistency(input: ConsistencyInput): void {
  const { oldSize, newSize, oldRoot, newRoot, proof } = input;
  assertHashes(proof, ConsistencyProofError);
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) {
    throw new ConsistencyProofError(`no consistency proof exists from size ${oldSize} to size ${newSize}`);
  }
  if (oldSize === 0) {
    // RFC 9162 §2.1.4 defines proofs for 0 < oldSize only: every tree extends the empty one.
    throw new ConsistencyProofError("a consistency proof from the empty tree proves nothing");
  }
  if (oldSize === newSize) {
    if (proof.length !== 0) throw new ConsistencyProofError("the consistency proof must be empty for equal sizes");
    if (!bytesEqual(oldRoot, newRoot)) throw new ConsistencyProofError(`two different roots for tree size ${oldSize}`);
    return;
  }
  if (proof.length === 0) throw new ConsistencyProofError("the consistency proof is empty");
  // Step 2: when the old tree is a complete subtree, its root is the first element.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) throw new ConsistencyProofError("the consistency proof is longer than the tree is deep");
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ConsistencyProofError("the consistency proof is shorter than the tree is deep");
  if (!bytesEqual(fr, oldRoot)) {
    throw new ConsistencyProofError(`the proof does not lead to the old root of size ${oldSize}`);
  }
  if (!bytesEqual(sr, newRoot)) {
    throw new ConsistencyProofError(`the proof does not lead to the new root of size ${newSize}`);
  }
}

const isPowerOfTwo = (n: number) => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/** What gets hashed must be a SHA-256 value; roots are only compared, so any other length just fails. */
function assertHashes(hashes: readonly Uint8Array[], ErrorClass: new (message: string) => Error): void {
  for (const hash of hashes) {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) throw new ErrorClass("a hash must be 32 bytes");
  }
}
