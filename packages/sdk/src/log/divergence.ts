import { bytesEqual } from "./bytes.ts";
import { LogDivergenceError, LogVerificationError } from "./errors.ts";
import { inclusionPlan } from "./plan.ts";
import { rootFromInclusionProof } from "./proof.ts";
import type { MerkleTree } from "./tree.ts";

/** What the log serves for one leaf: its stored hash and audit path (not trusted by itself). */
export interface ServedInclusion {
  leafHash: Uint8Array;
  proof: Uint8Array[];
}

/**
 * Names the first leaf at which a local copy of a log differs from a signed root. The copy's
 * root for `treeSize` no longer matches `rootHash`; the log's own inclusion proofs say where.
 *
 * A served proof that leads to the signed root is authentic (SHA-256 is collision resistant):
 * its leaf hash is the signed leaf and its left siblings are the signed hashes of every leaf
 * before it. So "the copy agrees on leaves [0, i]" can be decided for any i with one proof, and
 * a binary search finds the first disagreement in log2(n) proofs. A copy shorter than the signed
 * tree that agrees as far as it goes diverges at its end: the first missing entry. When the log
 * cannot produce authentic proofs (its stored tree was rewritten too), only a range can be named.
 */
export async function findFirstDivergence(
  copy: MerkleTree,
  signed: { treeSize: number; rootHash: Uint8Array },
  fetchInclusion: (index: number, treeSize: number) => Promise<ServedInclusion>,
): Promise<number> {
  const { treeSize, rootHash } = signed;
  const common = Math.min(copy.size, treeSize);
  if (common === 0) return 0;
  const agreesUpTo = async (index: number): Promise<boolean> => {
    const served = await fetchInclusion(index, treeSize);
    let root: Uint8Array;
    try {
      root = rootFromInclusionProof({ index, treeSize, leafHash: served.leafHash, proof: served.proof });
    } catch (error) {
      if (error instanceof LogVerificationError) root = new Uint8Array(0);
      else throw error;
    }
    if (!bytesEqual(root, rootHash)) {
      throw new LogDivergenceError(
        `the log's stored tree does not match its signed root either: it cannot show which of leaves 0..${treeSize - 1} changed`,
        { from: 0, to: treeSize },
      );
    }
    if (!bytesEqual(copy.leafHash(index), served.leafHash)) return false;
    const plan = inclusionPlan(index, treeSize);
    return plan.every((range, i) => range.end > index || bytesEqual(copy.rangeHash(range), served.proof[i]!));
  };
  let lo = 0;
  let hi = common - 1;
  if (await agreesUpTo(hi)) {
    if (common < treeSize) return common;
    throw new LogDivergenceError("the copy agrees with every signed leaf, yet not with the signed root", {
      from: 0,
      to: treeSize,
    });
  }
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (await agreesUpTo(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
