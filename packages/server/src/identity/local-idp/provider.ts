import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Configuration, JWK, KoaContextWithOIDC } from "oidc-provider";
import { EIDAS_LOA } from "../../config/schema.ts";
import { ConfigError } from "../../errors.ts";
import { FAVICON_SVG } from "../../web/favicon.ts";
import { findTestIdentity, testIdentities } from "./identities.ts";
import { loginPage } from "./login-page.ts";

export interface LocalIdpOptions {
  /** Where the provider sends people back to: the portal's callback. */
  redirectUri: string;
  port: number;
  acrValues: string[];
  production: boolean;
  allowInProduction: boolean;
  log: Logger;
}

export interface LocalIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

const CLIENT_ID = "vergewis-portal";
const TTL_SECONDS = 600;
const FORM_LIMIT = 4096;

/**
 * The embedded OpenID Provider (oidc-provider 9) with test identities, on its own 127.0.0.1 port:
 * what a development installation verifies ages against when no real issuer is configured. It
 * supports the code flow with PKCE, the `age` scope (`birthdate`, `age_over_18`), `profile` and the
 * eIDAS `acr` values. Its state lives in memory: it is a stand-in, not a service.
 */
export async function startLocalIdp(options: LocalIdpOptions): Promise<LocalIdp> {
  if (options.production && !options.allowInProduction) {
    throw new ConfigError([
      {
        pointer: "identity.localIdp.allowInProduction (VERGEWIS_LOCAL_IDP_IN_PRODUCTION)",
        reason: "the local identity provider hands out test identities and does not start in production unless enabled",
      },
    ]);
  }
  // Imported on demand: an installation with a real issuer never loads the provider.
  const { default: Provider } = await import("oidc-provider");
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientSecret = randomBytes(32).toString("base64url");
  const { kty, crv, x, y, d } = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  const signingKey: JWK = { kty, crv, x, y, d, kid: "local-idp", use: "sig", alg: "ES256" };

  const configuration: Configuration = {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        token_endpoint_auth_method: "client_secret_basic",
        id_token_signed_response_alg: "ES256",
      },
    ],
    // The authorization code flow only (OAuth 2.0 Security BCP, RFC 9700 §2.1.2: no implicit).
    responseTypes: ["code"],
    pkce: { required: () => true },
    claims: {
      openid: ["sub"],
      profile: ["name", "given_name", "family_name", "birthdate"],
      age: ["birthdate", "age_over_18", "age_over_21"],
    },
    acrValues: options.acrValues.length ? [...new Set([...options.acrValues, ...allLevels()])] : allLevels(),
    // Scope claims go into the ID token too, so that the age decision needs no userinfo call.
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => {
      const identity = findTestIdentity(id);
      if (!identity) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...identity.claims }) };
    },
    // A first-party test client: consent is implied, there is no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, params } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(String(params?.scope ?? "openid"));
      await grant.save();
      return grant;
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    jwks: { keys: [signingKey] },
    ttl: {
      AccessToken: TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: TTL_SECONDS,
      Interaction: TTL_SECONDS,
      Session: TTL_SECONDS,
      Grant: TTL_SECONDS,
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url === "/favicon.ico") {
      res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" });
      return void res.end(FAVICON_SVG);
    }
    if (!req.url?.startsWith("/interaction/")) return void callback(req, res);
    interaction(req, res).catch((error: unknown) => {
      options.log.warn({ err: error }, "local identity provider: interaction failed");
      if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
      res.end("This sign-in request is no longer valid. Start again from the portal.");
    });
  });

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const identities = testIdentities();
    const send = (status: number, body: string): void => {
      res
        .writeHead(status, {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
          "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
          "x-content-type-options": "nosniff",
        })
        .end(body);
    };
    if (details.prompt.name !== "login") {
      // Consent is implied (loadExistingGrant); any other prompt cannot be satisfied here.
      return provider.interactionFinished(
        req,
        res,
        { error: "interaction_required" },
        { mergeWithLastSubmission: false },
      );
    }
    if (req.method === "GET") return send(200, loginPage(identities).value);
    if (req.method !== "POST") return send(405, loginPage(identities).value);
    const form = await readForm(req);
    if (form.get("action") === "cancel") {
      return provider.interactionFinished(
        req,
        res,
        { error: "access_denied", error_description: "The person cancelled the sign-in." },
        { mergeWithLastSubmission: false },
      );
    }
    const login =
      form
        .getAll("login")
        .find((v) => v.trim() !== "")
        ?.trim() ?? "";
    const identity = findTestIdentity(login);
    if (!identity) return send(200, loginPage(identities, { error: `There is no test identity "${login}".` }).value);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: identity.subject, acr: identity.acr } },
      { mergeWithLastSubmission: false },
    );
  }

  options.log.warn(
    { issuer },
    "local identity provider with TEST identities is running; configure a real issuer for production",
  );
  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const allLevels = (): string[] => Object.values(EIDAS_LOA);

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > FORM_LIMIT) throw new Error("form too large");
  }
  return new URLSearchParams(body);
}
