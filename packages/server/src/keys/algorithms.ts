import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";

/** JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1) the key store can hold keys for. */
export const SIGNING_ALGS = ["ES256", "EdDSA"] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export interface KeyPair {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyObject;
  /** The public JWK as published: with `kid`, `alg` and `use`. */
  publicJwk: JWK;
}

/** A fresh key pair for `alg`: P-256 for ES256, Ed25519 for EdDSA. */
export function generateKeyPair(alg: SigningAlg): Promise<KeyPair> {
  const { privateKey } =
    alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
  return keyPairOf(privateKey, alg);
}

/** The key pair of a private key; its `kid` is the RFC 7638 thumbprint of the public key. */
export async function keyPairOf(privateKey: KeyObject, alg: SigningAlg): Promise<KeyPair> {
  assertKeyFits(privateKey, alg);
  const { kty, crv, x, y } = createPublicKey(privateKey).export({ format: "jwk" });
  const bare: JWK = { kty, crv, x, ...(y !== undefined && { y }) };
  const kid = await calculateJwkThumbprint(bare, "sha256");
  return { kid, alg, privateKey, publicJwk: { ...bare, kid, alg, use: "sig" } };
}

export const privateKeyFromPem = (pem: string) => createPrivateKey({ key: pem, format: "pem" });
export const privateKeyFromJwk = (jwk: JWK) =>
  createPrivateKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" });
export const privateKeyToPem = (key: KeyObject) => key.export({ format: "pem", type: "pkcs8" }).toString();

function assertKeyFits(key: KeyObject, alg: SigningAlg): void {
  const fits =
    alg === "ES256"
      ? key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1"
      : key.asymmetricKeyType === "ed25519";
  if (!fits) throw new TypeError(`the key is not a ${alg === "ES256" ? "P-256" : "Ed25519"} private key (${alg})`);
}
