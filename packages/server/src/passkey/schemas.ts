import { z } from "zod";

const base64url = z
  .string()
  .min(1)
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]+$/, "must be base64url");
const extensions = z.record(z.string(), z.unknown()).default({});
const attachment = z.enum(["platform", "cross-platform"]).optional();

/** `PublicKeyCredential.toJSON()` of a registration (WebAuthn L3 §5.1, RegistrationResponseJSON). */
export const registrationResponseSchema = z.strictObject({
  id: base64url,
  rawId: base64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    authenticatorData: base64url.optional(),
    transports: z
      .array(z.enum(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]))
      .max(8)
      .optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url.optional(),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensions,
});

/** `PublicKeyCredential.toJSON()` of an assertion (AuthenticationResponseJSON). */
export const authenticationResponseSchema = z.strictObject({
  id: base64url,
  rawId: base64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensions,
});
export type AuthenticationResponse = z.output<typeof authenticationResponseSchema>;

export const registerPasskeyBodySchema = z.strictObject({ response: registrationResponseSchema });
export const loginBodySchema = z.strictObject({ response: authenticationResponseSchema });

export const passkeySchema = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  deviceType: z.enum(["singleDevice", "multiDevice"]),
  backedUp: z.boolean(),
  transports: z.array(z.string()),
});
export type PasskeyView = z.output<typeof passkeySchema>;
