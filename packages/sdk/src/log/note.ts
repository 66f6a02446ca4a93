import { sha256 } from "@noble/hashes/sha2.js";
import { bytesEqual, concatBytes, fromBase64, toBase64, toHex, utf8 } from "./bytes.ts";
import { CheckpointError, VerifierKeyError } from "./errors.ts";

// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys (signature type 0x01).

const ED25519 = 0x01;
const KEY_NAME = /^[^\s+]+$/u;
const SIGNATURE_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u;
const MAX_SIGNATURES = 100;

/** A public key that verifies notes, as named in signature lines. */
export interface VerifierKey {
  name: string;
  /** 4 bytes: SHA-256(name || 0x0A || 0x01 || publicKey)[:4]. */
  keyId: Uint8Array;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  signature: Uint8Array;
}

export interface SignedNote {
  /** The signed text: every line ends with a newline. */
  text: string;
  signatures: NoteSignature[];
}

/** signed-note "Ed25519": the key ID is the first 4 bytes of SHA-256(name || "\n" || 0x01 || key). */
export function noteKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(name), new Uint8Array([0x0a, ED25519]), publicKey)).slice(0, 4);
}

/** The verifier key string `name+keyid+base64(0x01 || key)` that people pin and share. */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!KEY_NAME.test(name)) throw new VerifierKeyError("a key name must be non-empty, without spaces or '+'");
  if (publicKey.length !== 32) throw new VerifierKeyError("an Ed25519 public key has 32 bytes");
  return `${name}+${toHex(noteKeyId(name, publicKey))}+${toBase64(concatBytes(new Uint8Array([ED25519]), publicKey))}`;
}

export function parseVerifierKey(vkey: string): VerifierKey {
  const parts = vkey.trim().split("+");
  if (parts.length < 3) throw new VerifierKeyError("a verifier key reads name+keyid+key");
  // The name cannot hold '+', but base64 can: split off the name and the key ID only.
  const [name, hexId] = parts as [string, string];
  const encoded = parts.slice(2).join("+");
  const key = fromBase64(encoded);
  if (!KEY_NAME.test(name)) throw new VerifierKeyError("the key name is empty or holds spaces");
  if (!/^[0-9a-f]{8}$/.test(hexId)) throw new VerifierKeyError("the key ID must be 8 lower-case hex digits");
  if (!key || key.length !== 33 || key[0] !== ED25519) {
    throw new VerifierKeyError("only Ed25519 verifier keys (type 0x01, 32 bytes) are supported");
  }
  const publicKey = key.slice(1);
  const keyId = noteKeyId(name, publicKey);
  if (toHex(keyId) !== hexId) throw new VerifierKeyError("the key ID does not match the name and key");
  return { name, keyId, publicKey };
}

/** Splits a note into its text and signature lines, without checking any signature. */
export function parseSignedNote(note: string): SignedNote {
  const split = note.lastIndexOf("\n\n");
  if (split < 0)
    throw new CheckpointError("checkpoint_malformed", "a signed note has a blank line before its signatures");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2);
  if (/[\x00-\x09\x0b-\x1f\x7f]/.test(text)) {
    throw new CheckpointError("checkpoint_malformed", "the note text holds control characters");
  }
  if (!lines.endsWith("\n"))
    throw new CheckpointError("checkpoint_malformed", "the signature lines must end with a newline");
  const signatures = lines
    .slice(0, -1)
    .split("\n")
    .map((line): NoteSignature => {
      const match = SIGNATURE_LINE.exec(line);
      const blob = match && fromBase64(match[2]!);
      if (!match || !blob || blob.length < 5) {
        throw new CheckpointError("checkpoint_malformed", `not a signature line: ${JSON.stringify(line.slice(0, 80))}`);
      }
      return { name: match[1]!, keyId: blob.slice(0, 4), signature: blob.slice(4) };
    });
  if (signatures.length > MAX_SIGNATURES) throw new CheckpointError("checkpoint_malformed", "too many signatures");
  return { text, signatures };
}

/**
 * Checks that `key` signed the note. Signatures by other keys are ignored, as the spec requires;
 * a signature that claims to be by `key` but does not verify fails the note.
 */
export async function verifyNote(note: string, key: VerifierKey): Promise<SignedNote> {
  const parsed = parseSignedNote(note);
  const mine = parsed.signatures.filter((s) => s.name === key.name && bytesEqual(s.keyId, key.keyId));
  if (mine.length === 0) {
    throw new CheckpointError("checkpoint_signature_invalid", `the note is not signed by key ${key.name}`);
  }
  const publicKey = await globalThis.crypto.subtle.importKey(
    "raw",
    new Uint8Array(key.publicKey),
    { name: "Ed25519" },
    false,
    ["verify"],
  );
  const message = utf8(parsed.text);
  for (const { signature } of mine) {
    const valid =
      signature.length === 64 &&
      (await globalThis.crypto.subtle.verify({ name: "Ed25519" }, publicKey, new Uint8Array(signature), message));
    if (!valid)
      throw new CheckpointError("checkpoint_signature_invalid", `the signature of key ${key.name} is not valid`);
  }
  return parsed;
}

/** A signature line for `text`, given the raw Ed25519 signature made by the key. */
export function signatureLine(key: { name: string; publicKey: Uint8Array }, signature: Uint8Array): string {
  return `\u2014 ${key.name} ${toBase64(concatBytes(noteKeyId(key.name, key.publicKey), signature))}\n`;
}
