import { describe, expect, test } from "vitest";
import { fromBase64 } from "./bytes.ts";
import { emptyRoot, hashChildren, hashLeaf } from "./hash.ts";
import { verifyConsistency, verifyInclusion } from "./proof.ts";
import { MerkleTree } from "./tree.ts";
import probes from "./testdata/merkle-probes.json" with { type: "json" };

// Fixtures from transparency-dev/merkle (the Go reference used by Certificate Transparency and
// Sigstore): every probe there must be accepted or refused exactly as that library does.
const b64 = (s: string | null) => (s === null ? new Uint8Array(0) : (fromBase64(s) ?? new Uint8Array(1)));
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));

describe("transparency-dev/merkle probes", () => {
  test.each(probes.inclusion.map((p) => [p.file, p] as const))("inclusion %s", (_file, p) => {
    const run = () =>
      verifyInclusion({
        index: p.leafIdx,
        treeSize: p.treeSize,
        leafHash: b64(p.leafHash),
        proof: (p.proof ?? []).map(b64),
        rootHash: b64(p.root),
      });
    if (p.wantErr) expect(run).toThrow();
    else expect(run).not.toThrow();
  });

  test.each(probes.consistency.map((p) => [p.file, p] as const))("consistency %s", (_file, p) => {
    const run = () =>
      verifyConsistency({
        oldSize: p.size1,
        newSize: p.size2,
        oldRoot: b64(p.root1),
        newRoot: b64(p.root2),
        proof: (p.proof ?? []).map(b64),
      });
    if (p.wantErr) expect(run).toThrow();
    else expect(run).not.toThrow();
  });
});

describe("RFC 6962 test vectors (transparency-dev/merkle testonly)", () => {
  const leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
  const roots = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  ];

  test("roots of the trees of 0..8 leaves", () => {
    const tree = new MerkleTree();
    expect(tree.root()).toEqual(hex(roots[0]!));
    expect(emptyRoot()).toEqual(hex(roots[0]!));
    leaves.forEach((leaf, i) => {
      tree.appendEntry(hex(leaf));
      expect(tree.root(), `size ${i + 1}`).toEqual(hex(roots[i + 1]!));
    });
    expect(hashChildren(hashLeaf(hex("")), hashLeaf(hex("00")))).toEqual(hex(roots[2]!));
  });
});
