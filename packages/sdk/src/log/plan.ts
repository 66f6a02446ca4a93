/**
 * Which stored subtrees make up a root or a proof. Logs store the hashes of complete subtrees
 * (RFC 9162 §2.1.1 builds every tree from them); each proof element of RFC 9162 §2.1.3.1 and
 * §2.1.4.1 is the hash of a range of leaves, and every such range is a handful of complete
 * subtrees. Planning first lets a store fetch all nodes of a proof in one read: O(log n).
 */

/** The complete subtree at `level` number `index`: leaves [index·2^level, (index+1)·2^level). */
export interface NodeRef {
  level: number;
  index: number;
}

/** A proof element: the hash of leaves [start, end), folded from `nodes` (left to right). */
export interface RangePlan {
  start: number;
  end: number;
  nodes: NodeRef[];
}

/** The largest power of two strictly less than n (n ≥ 2), the split point k of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The complete subtrees that cover [start, end), left to right: largest first. For the ranges
 * that occur in RFC 9162 trees (start aligned to a power of two ≥ the length), right-folding
 * their hashes gives MTH of the range.
 */
export function decompose(start: number, end: number): NodeRef[] {
  const nodes: NodeRef[] = [];
  while (start < end) {
    let size = 1;
    let level = 0;
    while (start % (size * 2) === 0 && start + size * 2 <= end) {
      size *= 2;
      level++;
    }
    nodes.push({ level, index: start / size });
    start += size;
  }
  return nodes;
}

const range = (start: number, end: number): RangePlan => ({ start, end, nodes: decompose(start, end) });

/** The nodes whose hashes, right-folded, give the root of a tree of `size` leaves. */
export const rootPlan = (size: number): NodeRef[] => decompose(0, size);

/** RFC 9162 §2.1.3.1 PATH(index, D[size]): the ranges of the audit path, leaf level first. */
export function inclusionPlan(index: number, size: number): RangePlan[] {
  assertSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf index ${index} is not in a tree of size ${size}`);
  }
  const path: RangePlan[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      path.push(range(lo + k, hi));
      hi = lo + k;
    } else {
      path.push(range(lo, lo + k));
      lo += k;
    }
  }
  return path.reverse();
}

/** RFC 9162 §2.1.4.1 PROOF(oldSize, D[newSize]): the ranges of the consistency proof. */
export function consistencyPlan(oldSize: number, newSize: number): RangePlan[] {
  assertSize(oldSize);
  assertSize(newSize);
  if (oldSize === 0 || oldSize > newSize)
    throw new RangeError(`no consistency proof from size ${oldSize} to ${newSize}`);
  if (oldSize === newSize) return [];
  const proof: RangePlan[] = [];
  let lo = 0;
  let hi = newSize;
  let whole = true; // SUBPROOF's b: the old tree is the whole current subtree
  while (oldSize !== hi) {
    const k = splitPoint(hi - lo);
    if (oldSize - lo <= k) {
      proof.push(range(lo + k, hi));
      hi = lo + k;
    } else {
      proof.push(range(lo, lo + k));
      lo += k;
      whole = false;
    }
  }
  if (!whole) proof.push(range(lo, hi));
  return proof.reverse();
}

function assertSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid tree size ${size}`);
}
