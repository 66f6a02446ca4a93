import { emptyRoot, hashChildren, hashLeaf, HASH_SIZE } from "./hash.ts";
import { consistencyPlan, inclusionPlan, rootPlan, type NodeRef, type RangePlan } from "./plan.ts";

/** Right fold of subtree hashes, largest (leftmost) first: MTH of the range they cover. */
export function foldNodes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return emptyRoot();
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i]!, acc);
  return acc;
}

/** A growable array of 32-byte hashes in one buffer. */
class HashList {
  #buffer = new Uint8Array(HASH_SIZE * 1024);
  length = 0;

  push(hash: Uint8Array): void {
    if ((this.length + 1) * HASH_SIZE > this.#buffer.length) {
      const bigger = new Uint8Array(this.#buffer.length * 2);
      bigger.set(this.#buffer);
      this.#buffer = bigger;
    }
    this.#buffer.set(hash, this.length * HASH_SIZE);
    this.length++;
  }

  /** A view, valid until the next push. */
  at(index: number): Uint8Array {
    return this.#buffer.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  /** A copy of hashes [start, end), back to back. */
  copy(start: number, end: number): Uint8Array {
    return this.#buffer.slice(start * HASH_SIZE, end * HASH_SIZE);
  }
}

/**
 * An RFC 9162 Merkle tree held in memory: every complete subtree is kept (about 64 bytes per
 * leaf), so roots of any earlier size and proofs cost O(log n). Appends cost amortised O(1).
 * For a verifier's copy of a log; the server keeps the same nodes in its database.
 */
export class MerkleTree {
  readonly #levels: HashList[] = [new HashList()];

  get size(): number {
    return this.#levels[0]!.length;
  }

  /** Appends an entry; returns its leaf index. */
  appendEntry(entry: string | Uint8Array): number {
    return this.appendLeafHash(hashLeaf(entry));
  }

  /** Appends a leaf by its hash (SHA-256(0x00 || entry)); returns its leaf index. */
  appendLeafHash(leafHash: Uint8Array): number {
    if (leafHash.length !== HASH_SIZE) throw new RangeError("a leaf hash has 32 bytes");
    const index = this.size;
    this.#levels[0]!.push(leafHash);
    let hash = leafHash;
    // A right child completes its parent: climb while the new node is a right child.
    for (let level = 0, i = index; i % 2 === 1; level++, i = (i - 1) / 2) {
      hash = hashChildren(this.#levels[level]!.at(i - 1), hash);
      (this.#levels[level + 1] ??= new HashList()).push(hash);
    }
    return index;
  }

  /** The hash of a complete subtree of the current tree. */
  node({ level, index }: NodeRef): Uint8Array {
    const list = this.#levels[level];
    if (!list || index >= list.length) throw new RangeError(`no complete subtree ${level}/${index} yet`);
    return list.at(index).slice();
  }

  leafHash(index: number): Uint8Array {
    return this.node({ level: 0, index });
  }

  /** The leaf hashes of [start, end) back to back (32 bytes each): to keep a copy of the log. */
  leafHashes(start = 0, end = this.size): Uint8Array {
    if (start < 0 || start > end || end > this.size) throw new RangeError(`no leaves [${start}, ${end})`);
    return this.#levels[0]!.copy(start, end);
  }

  /** MTH(D[0:size]) of RFC 9162 §2.1.1, for the current size or any earlier one. */
  root(size = this.size): Uint8Array {
    this.#assertSize(size);
    return foldNodes(rootPlan(size).map((n) => this.node(n)));
  }

  /** MTH of leaves [start, end) as planned by plan.ts. */
  rangeHash(range: RangePlan): Uint8Array {
    return foldNodes(range.nodes.map((n) => this.node(n)));
  }

  /** RFC 9162 §2.1.3.1 audit path of `index` in the tree of `size` leaves. */
  inclusionProof(index: number, size = this.size): Uint8Array[] {
    this.#assertSize(size);
    return inclusionPlan(index, size).map((r) => this.rangeHash(r));
  }

  /** RFC 9162 §2.1.4.1 consistency proof from `oldSize` to `newSize`. */
  consistencyProof(oldSize: number, newSize = this.size): Uint8Array[] {
    this.#assertSize(newSize);
    return consistencyPlan(oldSize, newSize).map((r) => this.rangeHash(r));
  }

  #assertSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`tree size ${size} is not between 0 and ${this.size}`);
    }
  }
}
