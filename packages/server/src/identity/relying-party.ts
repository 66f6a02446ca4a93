import * as oidc from "openid-client";
import { VergewisError } from "../errors.ts";

export interface RelyingPartySettings {
  issuer: string;
  clientId: string;
  /** Unset: a public client that authenticates with PKCE alone. */
  clientSecret?: string | undefined;
  redirectUri: string;
  scopes: string[];
  acrValues: string[];
  /** Plain http to the provider: only the local provider, or outside production. */
  allowHttp: boolean;
}

/** One authorization request's secrets (OIDC Core §3.1.2.1, RFC 7636). */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** What the provider asserted, from the validated ID token and the userinfo response. */
export interface ProviderAssertion {
  issuer: string;
  subject: string;
  acr: string | undefined;
  claims: Record<string, unknown>;
}

const FLOW_CODES = {
  flow_invalid: "verification_flow_invalid",
  cancelled: "verification_cancelled",
  provider_unavailable: "verification_provider_unavailable",
} as const;
type FlowFailure = keyof typeof FLOW_CODES;

/** Why an OIDC round trip failed, without provider detail that could help an attacker. */
export class VerificationFlowError extends VergewisError<(typeof FLOW_CODES)[FlowFailure]> {
  constructor(
    readonly reason: FlowFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(FLOW_CODES[reason], reason === "provider_unavailable" ? "unavailable" : "invalid", message, options);
  }
}

const DISCOVERY_TTL_MS = 60 * 60_000;

/**
 * The relying party (openid-client 6): discovery, then the authorization code flow with PKCE
 * (S256), state and nonce. The ID token is validated by openid-client (signature, `iss`, `aud`,
 * `exp`, `nonce`); the claims are merged with userinfo, whose `sub` must match.
 */
export class RelyingParty {
  readonly settings: RelyingPartySettings;
  #discovery: { config: Promise<oidc.Configuration>; at: number } | undefined;

  constructor(settings: RelyingPartySettings) {
    this.settings = settings;
  }

  configuration(): Promise<oidc.Configuration> {
    if (this.#discovery && Date.now() - this.#discovery.at < DISCOVERY_TTL_MS) return this.#discovery.config;
    const { issuer, clientId, clientSecret, allowHttp } = this.settings;
    const config = oidc
      .discovery(
        new URL(issuer),
        clientId,
        clientSecret === undefined ? { token_endpoint_auth_method: "none" } : undefined,
        clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(clientSecret),
        { ...(allowHttp && { execute: [oidc.allowInsecureRequests] }), timeout: 10 },
      )
      .catch((cause: unknown) => {
        this.#discovery = undefined;
        throw new VerificationFlowError("provider_unavailable", "The identity provider cannot be reached right now.", {
          cause,
        });
      });
    this.#discovery = { config, at: Date.now() };
    return config;
  }

  static newChecks(): AuthorizationChecks {
    return { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
  }

  async authorizationUrl(checks: AuthorizationChecks): Promise<URL> {
    const config = await this.configuration();
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes.join(" "),
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: "S256",
      ...(this.settings.acrValues.length && { acr_values: this.settings.acrValues.join(" ") }),
      // Age verification must be a fresh authentication, not a provider session left open.
      prompt: "login",
    });
  }

  /** Redeems the callback's code; `search` is the callback's query string. */
  async redeem(search: string, checks: AuthorizationChecks): Promise<ProviderAssertion> {
    const config = await this.configuration();
    const callbackUrl = new URL(this.settings.redirectUri);
    callbackUrl.search = search;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (cause) {
      if (cause instanceof oidc.AuthorizationResponseError && cause.error === "access_denied") {
        throw new VerificationFlowError("cancelled", "The verification was cancelled at the identity provider.", {
          cause,
        });
      }
      throw new VerificationFlowError("flow_invalid", "The answer from the identity provider could not be accepted.", {
        cause,
      });
    }
    const idToken = tokens.claims();
    if (!idToken) throw new VerificationFlowError("flow_invalid", "The identity provider sent no ID token.");
    let userinfo: Record<string, unknown> = {};
    try {
      userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
    } catch (cause) {
      throw new VerificationFlowError("flow_invalid", "The identity provider's userinfo could not be accepted.", {
        cause,
      });
    }
    return {
      issuer: idToken.iss,
      subject: idToken.sub,
      acr: typeof idToken.acr === "string" ? idToken.acr : undefined,
      // The ID token is signed; where both carry a claim, it wins.
      claims: { ...userinfo, ...idToken },
    };
  }
}
