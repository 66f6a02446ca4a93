import pino from "pino";
import { describe, expect, test } from "vitest";
import { ConfigError } from "../../errors.ts";
import { startLocalIdp } from "./provider.ts";

const options = {
  redirectUri: "http://localhost:8080/portal/verify/callback",
  port: 0,
  acrValues: [],
  log: pino({ level: "silent" }),
};

describe("the local identity provider", () => {
  test("refuses to start in production unless explicitly enabled", async () => {
    await expect(startLocalIdp({ ...options, production: true, allowInProduction: false })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  test("starts on 127.0.0.1 and advertises the code flow with PKCE, the age scope and the eIDAS levels", async () => {
    const idp = await startLocalIdp({ ...options, production: true, allowInProduction: true });
    try {
      expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<
        string,
        unknown
      >;
      expect(discovery).toMatchObject({
        issuer: idp.issuer,
        response_types_supported: ["code"],
        code_challenge_methods_supported: ["S256"],
        acr_values_supported: expect.arrayContaining([
          "http://eidas.europa.eu/LoA/low",
          "http://eidas.europa.eu/LoA/substantial",
          "http://eidas.europa.eu/LoA/high",
        ]),
      });
      expect(discovery.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "age"]));
      expect(discovery.claims_supported).toEqual(expect.arrayContaining(["birthdate", "age_over_18", "acr"]));
    } finally {
      await idp.close();
    }
  });

  test("answers the favicon a browser asks for on its sign-in page (no 404 in the console)", async () => {
    const idp = await startLocalIdp({ ...options, production: false, allowInProduction: false });
    try {
      const icon = await fetch(`${idp.issuer}/favicon.ico`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get("content-type")).toBe("image/svg+xml");
      expect(await icon.text()).toMatch(/^<svg /);
    } finally {
      await idp.close();
    }
  });
});
