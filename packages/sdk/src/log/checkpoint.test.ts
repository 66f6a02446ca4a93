import { createPrivateKey, sign } from "node:crypto";
import { describe, expect, test } from "vitest";
import { fromBase64 } from "./bytes.ts";
import { formatCheckpoint, parseCheckpoint, verifyCheckpoint } from "./checkpoint.ts";
import { CheckpointError, VerifierKeyError } from "./errors.ts";
import { formatVerifierKey, parseVerifierKey, signatureLine, verifyNote } from "./note.ts";

// Fixtures from golang.org/x/mod/sumdb/note (note_test.go, example_test.go), the reference
// implementation of signed notes.
const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SEED = fromBase64("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")!.slice(1);
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG =
  "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

const peter = parseVerifierKey(PETER_VKEY);
const peterPrivate = createPrivateKey({
  key: {
    kty: "OKP",
    crv: "Ed25519",
    d: Buffer.from(PETER_SEED).toString("base64url"),
    x: Buffer.from(peter.publicKey).toString("base64url"),
  },
  format: "jwk",
});
const signAs = (text: string) => signatureLine(peter, sign(null, Buffer.from(text), peterPrivate));

describe("signed notes (golang.org/x/mod/sumdb/note fixtures)", () => {
  test("parses and re-encodes the verifier key", () => {
    expect(formatVerifierKey(peter.name, peter.publicKey)).toBe(PETER_VKEY);
    expect(Buffer.from(peter.keyId).toString("hex")).toBe("c74f20a3");
  });

  test("signs exactly as the reference does (Ed25519 is deterministic)", () => {
    expect(signAs(TEXT)).toBe(PETER_SIG);
  });

  test("verifies the reference note and ignores signatures of unknown keys", async () => {
    const note = await verifyNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, peter);
    expect(note.text).toBe(TEXT);
    expect(note.signatures.map((s) => s.name)).toEqual(["PeterNeumann", "EnochRoot"]);
    await verifyNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, parseVerifierKey(ENOCH_VKEY));
  });

  test.each([
    ["only another key signed", `${TEXT}\n${ENOCH_SIG}`, "checkpoint_signature_invalid"],
    ["the text changed", `${TEXT.replace("problem,", "problem!")}\n${PETER_SIG}`, "checkpoint_signature_invalid"],
    [
      "the signature is under another name",
      `${TEXT}\n${PETER_SIG.replace("PeterNeumann", "CarmenSandiego")}`,
      "checkpoint_signature_invalid",
    ],
    ["the signature is cut short", `${TEXT}\n${PETER_SIG.slice(0, 40)}==\n`, "checkpoint_malformed"],
    ["there is no blank line", `${TEXT}${PETER_SIG}`, "checkpoint_malformed"],
    ["the last line lacks its newline", `${TEXT}\n${PETER_SIG.trimEnd()}`, "checkpoint_malformed"],
    [
      "a name holds a space",
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      "checkpoint_malformed",
    ],
    ["the text holds a control character", `${TEXT}\t\n\n${PETER_SIG}`, "checkpoint_malformed"],
  ])("refuses a note when %s", async (_why, note, code) => {
    await expect(verifyNote(note, peter)).rejects.toMatchObject({ name: "CheckpointError", code });
  });

  test.each([
    "PeterNeumann+c74f20a3",
    "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
    "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
  ])("refuses the verifier key %s", (vkey) => {
    expect(() => parseVerifierKey(vkey)).toThrow(VerifierKeyError);
  });
});

describe("checkpoints (C2SP tlog-checkpoint)", () => {
  const origin = "PeterNeumann";
  const rootHash = new Uint8Array(32).fill(7);
  const body = formatCheckpoint({ origin, treeSize: 1234, rootHash, extensions: [] });
  const note = `${body}\n${signAs(body)}`;

  test("formats the three lines of the spec", () => {
    expect(body).toBe(`PeterNeumann\n1234\n${Buffer.from(rootHash).toString("base64")}\n`);
  });

  test("verifies and returns origin, size and root", async () => {
    await expect(verifyCheckpoint(note, PETER_VKEY)).resolves.toEqual({
      origin,
      treeSize: 1234,
      rootHash,
      extensions: [],
    });
  });

  test("refuses a checkpoint of another log", async () => {
    await expect(verifyCheckpoint(note, PETER_VKEY, { origin: "other.example/log" })).rejects.toMatchObject({
      code: "checkpoint_origin_mismatch",
    });
  });

  test("refuses a changed size or root", async () => {
    await expect(verifyCheckpoint(note.replace("\n1234\n", "\n1235\n"), PETER_VKEY)).rejects.toMatchObject({
      code: "checkpoint_signature_invalid",
    });
    const otherRoot = Buffer.alloc(32, 8).toString("base64");
    await expect(
      verifyCheckpoint(note.replace(Buffer.from(rootHash).toString("base64"), otherRoot), PETER_VKEY),
    ).rejects.toThrow(CheckpointError);
  });

  test.each([
    ["no size", `${origin}\n`],
    ["a size with a leading zero", `${origin}\n01\n${Buffer.alloc(32).toString("base64")}\n`],
    ["a negative size", `${origin}\n-1\n${Buffer.alloc(32).toString("base64")}\n`],
    ["a short root", `${origin}\n1\n${Buffer.alloc(31).toString("base64")}\n`],
    ["an empty extension line", `${origin}\n1\n${Buffer.alloc(32).toString("base64")}\n\n`],
    ["an empty origin", `\n1\n${Buffer.alloc(32).toString("base64")}\n`],
  ])("refuses a body with %s, even when signed", async (_why, text) => {
    expect(() => parseCheckpoint(text)).toThrow(CheckpointError);
    await expect(verifyCheckpoint(`${text}\n${signAs(text)}`, PETER_VKEY)).rejects.toMatchObject({
      code: "checkpoint_malformed",
    });
  });
});
