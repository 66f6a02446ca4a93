import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { ConsistencyProofError, InclusionProofError } from "./errors.ts";
import { hashLeaf } from "./hash.ts";
import { consistencyPlan, decompose } from "./plan.ts";
import { verifyConsistency, verifyInclusion } from "./proof.ts";
import { MerkleTree } from "./tree.ts";

// An independent reference: RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 transcribed literally, with
// node:crypto, recursing on the leaf list. Memoised by range so that 300 sizes stay fast.
const sha256 = (...parts: Uint8Array[]) => new Uint8Array(createHash("sha256").update(Buffer.concat(parts)).digest());
const entries = Array.from({ length: 300 }, (_, i) => `{"i":${i},"type":"test.event"}`);
const memo = new Map<string, Uint8Array>();

function mth(start: number, end: number): Uint8Array {
  const key = `${start}:${end}`;
  let hash = memo.get(key);
  if (hash) return hash;
  const n = end - start;
  if (n === 0) hash = sha256(new Uint8Array(0));
  else if (n === 1) hash = sha256(new Uint8Array([0]), Buffer.from(entries[start]!));
  else {
    let k = 1;
    while (k * 2 < n) k *= 2;
    hash = sha256(new Uint8Array([1]), mth(start, start + k), mth(start + k, end));
  }
  memo.set(key, hash);
  return hash;
}

function path(m: number, start: number, end: number): Uint8Array[] {
  const n = end - start;
  if (n === 1) return [];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m < k
    ? [...path(m, start, start + k), mth(start + k, end)]
    : [...path(m - k, start + k, end), mth(start, start + k)];
}

function subproof(m: number, start: number, end: number, whole: boolean): Uint8Array[] {
  const n = end - start;
  if (m === n) return whole ? [] : [mth(start, end)];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m <= k
    ? [...subproof(m, start, start + k, whole), mth(start + k, end)]
    : [...subproof(m - k, start + k, end, false), mth(start, start + k)];
}

const hex = (hashes: Uint8Array[]) => hashes.map((h) => Buffer.from(h).toString("hex")).join(",");

const tree = new MerkleTree();
for (const entry of entries) tree.appendEntry(entry);

describe("MerkleTree against the RFC 9162 reference", () => {
  test("leaf hashes are SHA-256(0x00 || entry)", () => {
    expect(tree.leafHash(7)).toEqual(mth(7, 8));
    expect(hashLeaf(entries[7]!)).toEqual(mth(7, 8));
  });

  test("the root of every size 0..300", () => {
    for (let n = 0; n <= 300; n++) expect(tree.root(n), `size ${n}`).toEqual(mth(0, n));
  });

  test("inclusion proofs for every leaf of every size 1..300 equal the reference and verify", () => {
    const wrong: string[] = [];
    for (let n = 1; n <= 300; n++) {
      const rootHash = mth(0, n);
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n);
        if (hex(proof) !== hex(path(m, 0, n))) wrong.push(`leaf ${m} of ${n}`);
        verifyInclusion({ index: m, treeSize: n, leafHash: mth(m, m + 1), proof, rootHash });
      }
    }
    expect(wrong).toEqual([]);
  });

  test("consistency proofs for every pair 1 ≤ m ≤ n ≤ 300 equal the reference and verify", () => {
    const wrong: string[] = [];
    for (let n = 1; n <= 300; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        if (hex(proof) !== hex(m === n ? [] : subproof(m, 0, n, true))) wrong.push(`${m} → ${n}`);
        verifyConsistency({ oldSize: m, newSize: n, oldRoot: mth(0, m), newRoot: mth(0, n), proof });
      }
    }
    expect(wrong).toEqual([]);
  });

  test("a changed proof, leaf, index, size or root fails", () => {
    const random = seeded(42);
    for (let round = 0; round < 500; round++) {
      const n = 2 + Math.floor(random() * 298);
      const m = Math.floor(random() * n);
      const proof = tree.inclusionProof(m, n);
      const input = { index: m, treeSize: n, leafHash: tree.leafHash(m), proof, rootHash: tree.root(n) };
      const flipped = proof.map((p) => p.slice());
      const which = Math.floor(random() * flipped.length);
      flipped[which]![Math.floor(random() * 32)]! ^= 1 << Math.floor(random() * 8);
      expect(() => verifyInclusion({ ...input, proof: flipped })).toThrow(InclusionProofError);
      expect(() => verifyInclusion({ ...input, leafHash: tree.leafHash((m + 1) % n) })).toThrow(InclusionProofError);
      expect(() => verifyInclusion({ ...input, index: (m + 1) % n })).toThrow(InclusionProofError);
      expect(() => verifyInclusion({ ...input, treeSize: n + 1, rootHash: tree.root(n + 1) })).toThrow(
        InclusionProofError,
      );
      expect(() => verifyInclusion({ ...input, proof: proof.slice(1) })).toThrow(InclusionProofError);
      expect(() => verifyInclusion({ ...input, proof: [...proof, tree.leafHash(0)] })).toThrow(InclusionProofError);

      const old = 1 + Math.floor(random() * (n - 1));
      const cproof = tree.consistencyProof(old, n);
      const cinput = { oldSize: old, newSize: n, oldRoot: tree.root(old), newRoot: tree.root(n), proof: cproof };
      verifyConsistency(cinput);
      const cflipped = cproof.map((p) => p.slice());
      cflipped[Math.floor(random() * cflipped.length)]![0]! ^= 0x80;
      expect(() => verifyConsistency({ ...cinput, proof: cflipped })).toThrow(ConsistencyProofError);
      expect(() => verifyConsistency({ ...cinput, oldRoot: tree.root(old - 1 || 2) })).toThrow(ConsistencyProofError);
      expect(() => verifyConsistency({ ...cinput, newRoot: tree.root(n - 1) })).toThrow(ConsistencyProofError);
      expect(() => verifyConsistency({ ...cinput, proof: cproof.slice(0, -1) })).toThrow(ConsistencyProofError);
    }
  });

  test("refuses sizes outside the tree", () => {
    expect(() => tree.root(301)).toThrow(RangeError);
    expect(() => tree.inclusionProof(5, 5)).toThrow(RangeError);
    expect(() => consistencyPlan(0, 5)).toThrow(RangeError);
    expect(() => consistencyPlan(6, 5)).toThrow(RangeError);
  });
});

describe("decompose", () => {
  test("covers a range with complete subtrees, largest first", () => {
    expect(decompose(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(decompose(8, 14)).toEqual([
      { level: 2, index: 2 },
      { level: 1, index: 6 },
    ]);
  });
});

/** Deterministic pseudo-random numbers (mulberry32), so that a failure can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
