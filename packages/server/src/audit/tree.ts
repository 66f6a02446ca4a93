import {
  consistencyPlan,
  foldNodes,
  hashChildren,
  inclusionPlan,
  rootPlan,
  type NodeRef,
  type RangePlan,
} from "@vergewis/sdk";
import type { Db, Tx } from "../db/client.ts";

/**
 * The log's Merkle tree in the database (AuditNode): the hash of every complete subtree, written
 * once when it completes. The planning of roots and proofs is shared with the SDK (plan.ts); here
 * the nodes come from one indexed read per root or proof, so each costs O(log n).
 */

type Reader = Db | Tx;

const key = (n: NodeRef) => `${n.level}/${n.index}`;

/** Reads complete subtrees in one query; throws if any is missing (the tree is damaged). */
export async function readNodes(db: Reader, refs: readonly NodeRef[]): Promise<Map<string, Uint8Array>> {
  const unique = [...new Map(refs.map((r) => [key(r), r])).values()];
  const found = new Map<string, Uint8Array>();
  if (unique.length === 0) return found;
  const rows = await db.$queryRaw<Array<{ level: number; index: bigint; hash: Uint8Array }>>`
    SELECT n."level", n."index", n."hash"
    FROM unnest(${unique.map((r) => r.level)}::smallint[], ${unique.map((r) => BigInt(r.index))}::bigint[]) AS q("level", "index")
    JOIN "AuditNode" n ON n."level" = q."level" AND n."index" = q."index"`;
  for (const row of rows) found.set(key({ level: row.level, index: Number(row.index) }), row.hash);
  const missing = unique.find((r) => !found.has(key(r)));
  if (missing) throw new Error(`audit tree node ${key(missing)} is missing`);
  return found;
}

/** The number of entries: one more than the last index. */
export async function treeSize(db: Reader): Promise<number> {
  const last = await db.auditEvent.findFirst({ orderBy: { index: "desc" }, select: { index: true } });
  return last ? Number(last.index) + 1 : 0;
}

/** The number of leaves in the stored tree; equal to treeSize unless someone removed entries. */
export async function storedLeaves(db: Reader): Promise<number> {
  const last = await db.auditNode.findFirst({
    where: { level: 0 },
    orderBy: { index: "desc" },
    select: { index: true },
  });
  return last ? Number(last.index) + 1 : 0;
}

/** MTH(D[0:size]) of RFC 9162 §2.1.1. */
export async function rootAt(db: Reader, size: number): Promise<Uint8Array> {
  const plan = rootPlan(size);
  const nodes = await readNodes(db, plan);
  return foldNodes(plan.map((n) => nodes.get(key(n))!));
}

async function foldRanges(db: Reader, ranges: RangePlan[]): Promise<Uint8Array[]> {
  const nodes = await readNodes(
    db,
    ranges.flatMap((r) => r.nodes),
  );
  return ranges.map((r) => foldNodes(r.nodes.map((n) => nodes.get(key(n))!)));
}

/** RFC 9162 §2.1.3.1 audit path of leaf `index` in the tree of `size` leaves, with the leaf hash. */
export async function inclusionProof(db: Reader, index: number, size: number) {
  const ranges = inclusionPlan(index, size);
  const leaf = { level: 0, index };
  const nodes = await readNodes(db, [leaf, ...ranges.flatMap((r) => r.nodes)]);
  return {
    leafHash: nodes.get(key(leaf))!,
    proof: ranges.map((r) => foldNodes(r.nodes.map((n) => nodes.get(key(n))!))),
  };
}

/** RFC 9162 §2.1.4.1 consistency proof between two sizes of the tree. */
export const consistencyProof = (db: Reader, oldSize: number, newSize: number) =>
  foldRanges(db, consistencyPlan(oldSize, newSize));

/**
 * The nodes that leaf `index` completes: itself and, while it closes a right subtree, each parent.
 * Reads only the left siblings it pairs with (one per trailing 1-bit of `index`): amortised O(1)
 * rows, at most log2(n).
 */
export async function nodesCompletedBy(tx: Tx, index: number, leafHash: Uint8Array<ArrayBuffer>) {
  const siblings: NodeRef[] = [];
  for (let level = 0, i = index; i % 2 === 1; level++, i = (i - 1) / 2) siblings.push({ level, index: i - 1 });
  const stored = await readNodes(tx, siblings);
  const nodes = [{ level: 0, index: BigInt(index), hash: leafHash }];
  let hash: Uint8Array<ArrayBuffer> = leafHash;
  for (const sibling of siblings) {
    hash = hashChildren(stored.get(key(sibling))!, hash);
    // The sibling is a left child (even index): its parent is index / 2 one level up.
    nodes.push({ level: sibling.level + 1, index: BigInt(sibling.index / 2), hash });
  }
  return nodes;
}
