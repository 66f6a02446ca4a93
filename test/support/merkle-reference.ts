import { createHash } from "node:crypto";

/**
 * An independent reference for the audit log's tree: RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and
 * §2.1.4.1 (PROOF) transcribed literally, recursing over the entries with node:crypto. It shares
 * no code with the server or the SDK. Memoised by range, so that hundreds of sizes stay fast.
 */
export class ReferenceTree {
  readonly #memo = new Map<string, Buffer>();

  constructor(private readonly entries: readonly string[]) {}

  mth(start: number, end: number): Buffer {
    const key = `${start}:${end}`;
    const known = this.#memo.get(key);
    if (known) return known;
    const n = end - start;
    let hash: Buffer;
    if (n === 0) hash = sha256();
    else if (n === 1) hash = sha256(Buffer.from([0]), Buffer.from(this.entries[start]!, "utf8"));
    else {
      const k = split(n);
      hash = sha256(Buffer.from([1]), this.mth(start, start + k), this.mth(start + k, end));
    }
    this.#memo.set(key, hash);
    return hash;
  }

  root(size: number): Buffer {
    return this.mth(0, size);
  }

  inclusion(m: number, size: number): Buffer[] {
    const path = (m: number, start: number, end: number): Buffer[] => {
      if (end - start === 1) return [];
      const k = split(end - start);
      return m < k
        ? [...path(m, start, start + k), this.mth(start + k, end)]
        : [...path(m - k, start + k, end), this.mth(start, start + k)];
    };
    return path(m, 0, size);
  }

  consistency(m: number, size: number): Buffer[] {
    const subproof = (m: number, start: number, end: number, whole: boolean): Buffer[] => {
      if (m === end - start) return whole ? [] : [this.mth(start, end)];
      const k = split(end - start);
      return m <= k
        ? [...subproof(m, start, start + k, whole), this.mth(start + k, end)]
        : [...subproof(m - k, start + k, end, false), this.mth(start, start + k)];
    };
    return subproof(m, 0, size, true);
  }
}

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The largest power of two smaller than n. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export const hexList = (hashes: ReadonlyArray<Uint8Array>) =>
  hashes.map((h) => Buffer.from(h).toString("hex")).join(",");
