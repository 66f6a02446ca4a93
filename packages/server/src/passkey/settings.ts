import type { Config } from "../config/schema.ts";

/** The WebAuthn relying party: id, display name and the origin ceremonies must come from. */
export interface WebAuthnSettings {
  rpId: string;
  rpName: string;
  origin: string;
}

/** Defaults follow the public URL: `http://localhost:8080` gives rpId `localhost` and that origin. */
export function webauthnSettings(config: Config, publicUrl: string): WebAuthnSettings {
  const url = new URL(publicUrl);
  return {
    rpId: config.webauthn.rpId ?? url.hostname,
    rpName: config.webauthn.rpName,
    origin: config.webauthn.origin ? new URL(config.webauthn.origin).origin : url.origin,
  };
}
