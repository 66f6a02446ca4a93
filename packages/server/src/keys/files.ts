import { hkdfSync, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { CompactEncrypt, compactDecrypt, type JWK } from "jose";
import { VergewisError } from "../errors.ts";
import { keyPairOf, privateKeyFromJwk, SIGNING_ALGS, type KeyPair, type SigningAlg } from "./algorithms.ts";

/**
 * Private keys of the embedded installation, one file per key in `<dataDir>/keys/<purpose>/`
 * (directory 0700, files 0600). With a key encryption key the file is a compact JWE (`dir`,
 * A256GCM, RFC 7516) of the private JWK; without one it is the JWK itself.
 */
export class KeyFiles {
  readonly #dir: string;
  readonly #kek: Uint8Array | undefined;

  constructor(dataDir: string, encryptionKey?: string) {
    this.#dir = path.join(dataDir, "keys");
    this.#kek = encryptionKey === undefined ? undefined : deriveFileKey(encryptionKey);
  }

  /** Every key pair stored for `purpose`. */
  async list(purpose: string): Promise<KeyPair[]> {
    const dir = path.join(this.#dir, purpose);
    if (!fs.existsSync(dir)) return [];
    const pairs: KeyPair[] = [];
    for (const name of fs.readdirSync(dir).sort()) {
      const match = /^(.+)\.(jwk|jwe)$/.exec(name);
      if (match) pairs.push(await this.#read(path.join(dir, name), match[2] === "jwe"));
    }
    return pairs;
  }

  async write(purpose: string, pair: KeyPair): Promise<void> {
    const dir = path.join(this.#dir, purpose);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const jwk = JSON.stringify({ ...pair.privateKey.export({ format: "jwk" }), alg: pair.alg, kid: pair.kid });
    const content = this.#kek
      ? await new CompactEncrypt(new TextEncoder().encode(jwk))
          .setProtectedHeader({ alg: "dir", enc: "A256GCM", cty: "jwk+json" })
          .encrypt(this.#kek)
      : jwk;
    const file = path.join(dir, `${pair.kid}.${this.#kek ? "jwe" : "jwk"}`);
    // Write then rename: a crash never leaves half a key behind.
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, content, { mode: 0o600, flag: "wx" });
    fs.renameSync(temp, file);
    if (this.#kek) fs.rmSync(path.join(dir, `${pair.kid}.jwk`), { force: true });
  }

  async #read(file: string, encrypted: boolean): Promise<KeyPair> {
    const content = fs.readFileSync(file, "utf8");
    let text = content;
    if (encrypted) {
      if (!this.#kek)
        throw new KeyFileError(`${file} is encrypted: set the key encryption key (VERGEWIS_KEY_ENCRYPTION_KEY).`);
      try {
        text = new TextDecoder().decode((await compactDecrypt(content, this.#kek)).plaintext);
      } catch (cause) {
        throw new KeyFileError(`${file} cannot be decrypted with the configured key encryption key.`, { cause });
      }
    }
    const jwk = JSON.parse(text) as JWK & { alg: SigningAlg };
    if (!SIGNING_ALGS.includes(jwk.alg)) throw new KeyFileError(`${file} holds a key for an unknown algorithm.`);
    const pair = await keyPairOf(privateKeyFromJwk(jwk) as KeyObject, jwk.alg);
    // A key stored in plain text before a key encryption key was configured is encrypted now.
    if (!encrypted && this.#kek) await this.write(path.basename(path.dirname(file)), pair);
    return pair;
  }
}

export class KeyFileError extends VergewisError<"key_file_unreadable"> {
  constructor(message: string, options?: ErrorOptions) {
    super("key_file_unreadable", "unavailable", message, options);
  }
}

/** 256-bit file key from the configured secret (HKDF-SHA256, RFC 5869). */
function deriveFileKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", secret, "vergewis", "key-files/v1", 32));
}
