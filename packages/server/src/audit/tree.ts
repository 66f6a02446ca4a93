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
 * The right edge of the tree: its size and, for each 1-bit `level` of the size, the hash of the
 * complete subtree of 2^level leaves that ends the log there. An append pairs with these only.
 */
export interface TreeHead {
  size: number;
  frontier: Map<number, Uint8Array>;
}

/**
 * Takes the log lock `lockKey` and reads the head, in one statement (the migration's
 * `lock_audit_log_head`): the size from the last entry, the frontier from the stored nodes. Throws
 * if a frontier node is missing (the tree is damaged).
 */
export async function lockAndReadHead(tx: Tx, lockKey: number): Promise<TreeHead> {
  const rows = await tx.$queryRaw<
    Array<{ head_size: bigint; frontier_level: number | null; frontier_hash: Uint8Array | null }>
  >`SELECT * FROM lock_audit_log_head(${lockKey}::bigint)`;
  const size = Number(rows[0]!.head_size);
  const frontier = new Map<number, Uint8Array>();
  for (const { frontier_level: level, frontier_hash: hash } of rows) {
    if (level === null) continue;
    if (!hash) throw new Error(`audit tree node ${level}/${Math.floor(size / 2 ** level) - 1} is missing`);
    frontier.set(level, hash);
  }
  return { size, frontier };
}

/** MTH of the tree that `head` ends: its frontier's subtrees, largest (leftmost) first. */
export const rootOfHead = (head: TreeHead): Uint8Array =>
  foldNodes([...head.frontier].sort(([a], [b]) => b - a).map(([, hash]) => hash));

/**
 * Appends leaves to `head` in memory: returns the nodes they complete (each leaf, and every parent
 * it closes) and the new head. A leaf at an odd index closes a subtree with its left sibling, which
 * is on the frontier; amortised one node per leaf, at most log2(n).
 */
export function appendLeaves(head: TreeHead, leafHashes: Uint8Array[]) {
  const frontier = new Map(head.frontier);
  const nodes: Array<{ level: number; index: number; hash: Uint8Array }> = [];
  let size = head.size;
  for (const leaf of leafHashes) {
    let hash = leaf;
    let level = 0;
    nodes.push({ level, index: size, hash });
    for (let i = size; i % 2 === 1; i = (i - 1) / 2) {
      hash = hashChildren(frontier.get(level)!, hash);
      frontier.delete(level);
      level++;
      nodes.push({ level, index: (i - 1) / 2, hash });
    }
    frontier.set(level, hash);
    size++;
  }
  return { nodes, head: { size, frontier } };
}
