import { sha256 } from "@noble/hashes/sha2.js";
import { utf8 } from "./bytes.ts";

// SHA-256 from @noble/hashes: synchronous and as fast as node:crypto for 65-byte inputs, in Node
// and in browsers alike (WebCrypto's digest is asynchronous and about 30 times slower per call).

export const HASH_SIZE = 32;

/** A SHA-256 value. noble allocates a fresh ArrayBuffer for every digest. */
export type Hash = Uint8Array<ArrayBuffer>;
const digest = (data: Uint8Array) => sha256(data) as Hash;

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = 0x01;

/** RFC 9162 §2.1.1: the hash of a leaf is SHA-256(0x00 || entry). */
export function hashLeaf(entry: string | Uint8Array): Hash {
  const bytes = typeof entry === "string" ? utf8(entry) : entry;
  return sha256.create().update(LEAF_PREFIX).update(bytes).digest() as Hash;
}

const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

/** RFC 9162 §2.1.1: an interior node is SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Hash {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return digest(nodeInput);
}

/** RFC 9162 §2.1.1: the root of the empty tree is SHA-256 of the empty string. */
export const emptyRoot = (): Hash => digest(new Uint8Array(0));
