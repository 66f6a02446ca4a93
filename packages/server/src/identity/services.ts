import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import { resolveEscrowKey, type EscrowKey } from "./escrow.ts";
import { startLocalIdp } from "./local-idp/provider.ts";
import { RelyingParty } from "./relying-party.ts";

export interface IdentityServices {
  relyingParty: RelyingParty;
  /** The auditors' escrow key, when identities are sealed. */
  escrow: EscrowKey | undefined;
}

export const callbackPath = "/portal/verify/callback";

/**
 * The relying party for the configured issuer; without one, the local provider is started first
 * and the relying party pointed at it.
 */
export async function startIdentityServices(
  config: Config,
  publicUrl: string,
  log: Logger,
): Promise<{ services: IdentityServices; close(): Promise<void> }> {
  const { identity } = config;
  const redirectUri = identity.redirectUri ?? `${publicUrl}${callbackPath}`;
  const escrow = identity.sealIdentity
    ? await resolveEscrowKey(identity.escrowPublicKey, config.dataDir, log)
    : undefined;
  const common = { redirectUri, scopes: identity.scopes, acrValues: identity.acrValues };
  if (identity.issuer) {
    const relyingParty = new RelyingParty({
      ...common,
      issuer: identity.issuer,
      clientId: identity.clientId!,
      clientSecret: identity.clientSecret,
      allowHttp: config.mode !== "production",
    });
    return { services: { relyingParty, escrow }, close: async () => {} };
  }
  const idp = await startLocalIdp({
    redirectUri,
    port: identity.localIdp.port,
    acrValues: identity.acrValues,
    production: config.mode === "production",
    allowInProduction: identity.localIdp.allowInProduction,
    log,
  });
  const relyingParty = new RelyingParty({
    ...common,
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    allowHttp: true,
  });
  return { services: { relyingParty, escrow }, close: idp.close };
}
