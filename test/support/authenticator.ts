import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { encodeCbor, type CborValue } from "./cbor.ts";

/**
 * A software passkey authenticator, written from the WebAuthn Level 3 specification: real P-256
 * keys (ES256), clientDataJSON (§5.8.1), authenticator data (§6.1) with attested credential data
 * and a COSE key (§6.5.1), `none` attestation (§8.7) and assertion signatures over
 * authenticatorData ‖ SHA-256(clientDataJSON) (§6.3.3). It plays the browser's part too: it
 * puts the origin into the client data. Tests use its overrides to forge what an attacker would.
 */

// Authenticator data flags (§6.1).
export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

const b64u = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

export interface StoredCredential {
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  rpId: string;
  /** The user handle (user.id) from registration, base64url. */
  userHandle: string;
  signCount: number;
}

export interface AuthenticatorOptions {
  /** The page origin the "browser" reports in clientDataJSON, e.g. `http://localhost:8080`. */
  origin: string;
  /** Whether the authenticator verifies the user (PIN, biometrics). Default true. */
  userVerification?: boolean;
  /** Synced passkey: backup eligible and backed up. Default true. */
  backedUp?: boolean;
  /** Whether the signature counter increases (false: always 0, as many platform passkeys do). */
  counting?: boolean;
}

export interface AssertionOverrides {
  /** Answer with this credential even if it is not in allowCredentials. */
  credentialId?: string;
  /** Put another challenge into clientDataJSON than the one in the options. */
  challenge?: string;
  origin?: string;
  type?: string;
  userVerified?: boolean;
  /** Flip a bit of the signature after signing. */
  corruptSignature?: boolean;
  signCount?: number;
}

export class SoftwareAuthenticator {
  readonly credentials = new Map<string, StoredCredential>();
  readonly origin: string;
  readonly #uv: boolean;
  readonly #backedUp: boolean;
  readonly #counting: boolean;

  constructor(options: AuthenticatorOptions) {
    this.origin = options.origin;
    this.#uv = options.userVerification ?? true;
    this.#backedUp = options.backedUp ?? true;
    this.#counting = options.counting ?? true;
  }

  #flags(userVerified: boolean, extra = 0): number {
    return FLAGS.UP | (userVerified ? FLAGS.UV : 0) | (this.#backedUp ? FLAGS.BE | FLAGS.BS : 0) | extra;
  }

  /** navigator.credentials.create(): a new discoverable credential (§6.3.2). */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    overrides: { origin?: string; challenge?: string } = {},
  ): RegistrationResponseJSON {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    if (!options.pubKeyCredParams.some((p) => p.alg === -7)) throw new Error("the relying party does not accept ES256");
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const idBytes = randomBytes(32);
    const id = b64u(idBytes);
    const jwk = publicKey.export({ format: "jwk" });
    // COSE_Key for ES256 (RFC 9053 §7.1): kty EC2, alg -7, crv P-256, x, y.
    const coseKey = encodeCbor(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, "base64url")],
        [-3, Buffer.from(jwk.y!, "base64url")],
      ]),
    );
    const credentialIdLength = Buffer.alloc(2);
    credentialIdLength.writeUInt16BE(idBytes.length);
    const authenticatorData = Buffer.concat([
      sha256(rpId),
      Uint8Array.of(this.#flags(this.#uv, FLAGS.AT)),
      Buffer.alloc(4), // signCount 0 at creation
      Buffer.alloc(16), // AAGUID: all zeros, as a `none` attestation may give
      credentialIdLength,
      idBytes,
      coseKey,
    ]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: "webauthn.create",
        challenge: overrides.challenge ?? options.challenge,
        origin: overrides.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
    const attestationObject = encodeCbor(
      new Map<string, CborValue>([
        ["fmt", "none"],
        ["attStmt", new Map<string, CborValue>()],
        ["authData", authenticatorData],
      ]),
    );
    this.credentials.set(id, { id, privateKey, publicKey, rpId, userHandle: options.user.id, signCount: 0 });
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: b64u(clientDataJSON),
        attestationObject: b64u(attestationObject),
        transports: ["internal", "hybrid"],
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  /** navigator.credentials.get(): an assertion over the options' challenge (§6.3.3). */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides: AssertionOverrides = {},
  ): AuthenticationResponseJSON {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = options.allowCredentials?.map((c) => c.id) ?? [];
    const credential = overrides.credentialId
      ? this.credentials.get(overrides.credentialId)
      : [...this.credentials.values()].find((c) => c.rpId === rpId && (allowed.length === 0 || allowed.includes(c.id)));
    if (!credential) throw new Error("NotAllowedError: no credential for this relying party");
    if (this.#counting) credential.signCount += 1;
    const signCount = Buffer.alloc(4);
    signCount.writeUInt32BE(overrides.signCount ?? (this.#counting ? credential.signCount : 0));
    const authenticatorData = Buffer.concat([
      sha256(credential.rpId),
      Uint8Array.of(this.#flags(overrides.userVerified ?? this.#uv)),
      signCount,
    ]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: overrides.type ?? "webauthn.get",
        challenge: overrides.challenge ?? options.challenge,
        origin: overrides.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
    const signature = sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJSON)]), credential.privateKey);
    if (overrides.corruptSignature) signature[signature.length - 1]! ^= 0x01;
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authenticatorData),
        signature: b64u(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }
}
