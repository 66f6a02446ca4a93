import { describe, expect, test } from "vitest";
import { findFirstDivergence, type ServedInclusion } from "./divergence.ts";
import { LogDivergenceError } from "./errors.ts";
import { MerkleTree } from "./tree.ts";

const build = (entries: string[]) => {
  const tree = new MerkleTree();
  for (const entry of entries) tree.appendEntry(entry);
  return tree;
};

const original = Array.from({ length: 1000 }, (_, i) => `entry ${i}`);
const signedTree = build(original);
const signed = { treeSize: 1000, rootHash: signedTree.root() };
const honestLog = async (index: number, size: number): Promise<ServedInclusion> => ({
  leafHash: signedTree.leafHash(index),
  proof: signedTree.inclusionProof(index, size),
});

describe("findFirstDivergence", () => {
  test.each([0, 1, 499, 512, 998, 999])("names a changed entry at %i", async (index) => {
    const copy = build(original.map((e, i) => (i === index ? `${e} (altered)` : e)));
    await expect(findFirstDivergence(copy, signed, honestLog)).resolves.toBe(index);
  });

  test("names the first of several changes, and of reordered entries", async () => {
    const changed = build(original.map((e, i) => (i === 700 || i === 300 ? `${e}!` : e)));
    await expect(findFirstDivergence(changed, signed, honestLog)).resolves.toBe(300);
    const swapped = [...original];
    [swapped[123], swapped[456]] = [swapped[456]!, swapped[123]!];
    await expect(findFirstDivergence(build(swapped), signed, honestLog)).resolves.toBe(123);
  });

  test("names the first shifted entry when one was removed and the rest renumbered", async () => {
    const shifted = build([...original.slice(0, 42), ...original.slice(43), "padding"]);
    await expect(findFirstDivergence(shifted, signed, honestLog)).resolves.toBe(42);
  });

  test("names the first missing entry of a copy that stops early, or an earlier change", async () => {
    await expect(findFirstDivergence(build(original.slice(0, 600)), signed, honestLog)).resolves.toBe(600);
    const both = build(original.slice(0, 600).map((e, i) => (i === 17 ? "x" : e)));
    await expect(findFirstDivergence(both, signed, honestLog)).resolves.toBe(17);
    await expect(findFirstDivergence(new MerkleTree(), signed, honestLog)).resolves.toBe(0);
  });

  test("asks for O(log n) proofs", async () => {
    let asked = 0;
    const copy = build(original.map((e, i) => (i === 777 ? "x" : e)));
    await findFirstDivergence(copy, signed, async (i, n) => (asked++, honestLog(i, n)));
    expect(asked).toBeLessThanOrEqual(11);
  });

  test("names only a range when the log's stored tree is rewritten as well", async () => {
    const forged = build(original.map((e, i) => (i === 5 ? "forged" : e)));
    const copy = build(original.map((e, i) => (i === 5 ? "forged" : e)));
    const forgedLog = async (index: number, size: number) => ({
      leafHash: forged.leafHash(index),
      proof: forged.inclusionProof(index, size),
    });
    const error = await findFirstDivergence(copy, signed, forgedLog).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogDivergenceError);
    expect(error).toMatchObject({ code: "log_diverged", index: undefined, from: 0, to: 1000 });
  });
});
