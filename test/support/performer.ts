import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { SoftwareAuthenticator, type AssertionOverrides } from "./authenticator.ts";
import { TestBrowser, type Page } from "./browser.ts";

/** What a test may change in a signed document or its assertion before sending them. */
export type DocumentTamper = { document?: (document: any) => any; assertion?: AssertionOverrides };

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A performer at the portal: a browser (cookies) with a software passkey authenticator. Verifies
 * their age at the local identity provider, registers passkeys, answers consent requests, all
 * over HTTP as the portal pages would.
 */
export class TestPerformer {
  readonly browser = new TestBrowser();
  readonly authenticator: SoftwareAuthenticator;
  csrfToken = "";

  /** `baseUrl`: the portal as the browser reaches it (`http://localhost:PORT`). */
  constructor(
    readonly baseUrl: string,
    authenticator?: SoftwareAuthenticator,
  ) {
    this.authenticator = authenticator ?? new SoftwareAuthenticator({ origin: new URL(baseUrl).origin });
  }

  async api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const page = await this.browser.request(`${this.baseUrl}/portal/api${path}`, {
      method,
      headers: {
        ...(this.csrfToken && { "x-csrf-token": this.csrfToken }),
        ...(body !== undefined && { "content-type": "application/json" }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const parsed = page.body ? (JSON.parse(page.body) as T) : (undefined as T);
    return { status: page.status, body: parsed, headers: page.headers };
  }

  /** Starts (or refreshes) the session and picks up its CSRF token. */
  async session(): Promise<ApiResponse> {
    const res = await this.api("GET", "/session");
    this.csrfToken = res.body.csrfToken;
    return res;
  }

  /**
   * Age verification through the identity provider's login page as `identity`, for the request
   * `forSlot` when given. Returns the final page: a redirect into the portal (303 with `location`)
   * or the refusal page.
   */
  async verifyAge(identity: string, returnTo?: string, forSlot?: string): Promise<Page> {
    const query = new URLSearchParams({ ...(returnTo && { returnTo }), ...(forSlot && { for: forSlot }) });
    const start = `${this.baseUrl}/portal/verify/start${query.size ? `?${query}` : ""}`;
    const login = await this.browser.navigate(start);
    if (!login.body.includes('name="login"'))
      throw new Error(`no login page at ${login.url}: ${login.status} ${login.body.slice(0, 200)}`);
    const callback = await this.loginAtProvider(login, identity);
    const result = await this.browser.navigate(
      callback,
      {},
      (url) => url.startsWith(this.baseUrl) && !url.includes("/portal/verify/"),
    );
    await this.session();
    return result;
  }

  /** Signs in at the provider and returns the callback URL it redirects to, without following it. */
  async loginAtProvider(loginPage: Page, identity: string): Promise<string> {
    let callback = "";
    await this.browser.navigate(
      loginPage.url,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ login: identity }).toString(),
      },
      (url) => {
        if (url.startsWith(`${this.baseUrl}/portal/verify/callback`)) callback = url;
        return callback !== "";
      },
    );
    if (!callback) throw new Error("the identity provider did not redirect back to the portal");
    return callback;
  }

  async registerPasskey(authenticator = this.authenticator): Promise<ApiResponse> {
    const options = await this.api<PublicKeyCredentialCreationOptionsJSON>("POST", "/passkeys/options");
    if (options.status !== 200) return options;
    return this.api("POST", "/passkeys", { response: authenticator.register(options.body) });
  }

  async login(overrides: AssertionOverrides = {}): Promise<ApiResponse> {
    if (!this.csrfToken) await this.session();
    const options = await this.api<PublicKeyCredentialRequestOptionsJSON>("POST", "/login/options");
    const res = await this.api("POST", "/login", {
      response: this.authenticator.authenticate(options.body, overrides),
    });
    if (res.status === 200) this.csrfToken = res.body.csrfToken;
    return res;
  }

  /** Onboarding: verify age as `identity`, then register a passkey. */
  async onboard(identity: string): Promise<this> {
    const result = await this.verifyAge(identity);
    if (result.status !== 303)
      throw new Error(`verification as ${identity} failed: ${result.status} ${result.body.slice(0, 300)}`);
    const passkey = await this.registerPasskey();
    if (passkey.status !== 201) throw new Error(`passkey registration failed: ${JSON.stringify(passkey.body)}`);
    return this;
  }

  /** Opens an invitation link and accepts it. */
  async acceptInvitation(url: string): Promise<ApiResponse> {
    const link = await this.browser.request(url);
    if (link.status !== 303) return { status: link.status, body: link.body, headers: link.headers };
    return this.api("POST", "/invitations/claim", {});
  }

  /** Gets the consent document and signs it with the passkey; `tamper` may change what is sent. */
  async consent(
    slotId: string,
    tamper: {
      document?: (document: any) => any;
      assertion?: AssertionOverrides;
      path?: string;
    } = {},
  ): Promise<ApiResponse & { options?: any }> {
    const options = await this.api("POST", `/requests/${slotId}/consent/options`);
    if (options.status !== 200) return options;
    const response = this.authenticator.authenticate(options.body.options, tamper.assertion);
    const document = tamper.document ? tamper.document(structuredClone(options.body.document)) : options.body.document;
    const res = await this.api("POST", tamper.path ?? `/requests/${slotId}/consent`, { document, response });
    return { ...res, options: options.body };
  }

  async revoke(consentId: string, tamper: DocumentTamper = {}): Promise<ApiResponse & { options?: any }> {
    return this.signDocument(`/consents/${consentId}/revocation`, tamper);
  }

  /** Allows content this performer withdrew again: the lift document signed with the passkey. */
  async lift(consentId: string, tamper: DocumentTamper = {}): Promise<ApiResponse & { options?: any }> {
    return this.signDocument(`/consents/${consentId}/lift`, tamper);
  }

  /** Deletes the account: the deletion document signed with the passkey; `tamper` may change what is sent. */
  async deleteAccount(tamper: DocumentTamper = {}): Promise<ApiResponse & { options?: any }> {
    return this.signDocument("/account/deletion", tamper);
  }

  /** The document from `${path}/options`, signed with the passkey and sent to `path`. */
  private async signDocument(path: string, tamper: DocumentTamper): Promise<ApiResponse & { options?: any }> {
    const options = await this.api("POST", `${path}/options`);
    if (options.status !== 200) return options;
    const response = this.authenticator.authenticate(options.body.options, tamper.assertion);
    const document = tamper.document ? tamper.document(structuredClone(options.body.document)) : options.body.document;
    const res = await this.api("POST", path, { document, response });
    return { ...res, options: options.body };
  }

  /** A portal page (HTML) as this browser sees it, without following redirects. */
  page(path: string, init: RequestInit = {}) {
    return this.browser.request(`${this.baseUrl}${path}`, init);
  }

  /**
   * Submits a portal form as a browser does from the portal's own page (`Origin: null` under
   * `Referrer-Policy: no-referrer`, `Sec-Fetch-Site: same-origin`), with this session's CSRF token
   * unless `fields` says otherwise.
   */
  async submitForm(path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
    if (!this.csrfToken) await this.session();
    return this.page(path, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "null",
        "sec-fetch-site": "same-origin",
        ...headers,
      },
      body: new URLSearchParams({ csrf: this.csrfToken, ...fields }).toString(),
    });
  }
}
