import { checkResultSchema, type CheckResult } from "../schemas/check.ts";
import type { ContentFingerprintInput } from "../schemas/fingerprint.ts";
import type { Usage } from "../schemas/scope.ts";
import { parseOptions } from "../options.ts";
import { clientOptionsSchema, type VergewisOptions } from "./options.ts";
import { Publications } from "./publications.ts";
import { Takedowns } from "./takedowns.ts";
import { Transport, type RequestOptions } from "./transport.ts";
import { WebhookEndpoints } from "./webhook-endpoints.ts";

/**
 * The Vergewis platform API client. Every method returns data parsed by the same zod schemas the
 * server uses, throws a `VergewisSdkError` subclass with a stable `code` on failure, retries
 * 429/503 (honouring `Retry-After`), timeouts and connection failures, and sends an
 * `Idempotency-Key` with every POST that changes something, so that every retry is safe.
 *
 * @example
 * ```ts
 * const vergewis = new Vergewis({ apiKey: process.env.VERGEWIS_API_KEY!, baseUrl: "https://vergewis.example.com" });
 * const result = await vergewis.check({ alg: "sha-256", value: "9f86d0…" });
 * ```
 */
export class Vergewis {
  /** Publication requests: create, get, list, iterate. */
  readonly publications: Publications;
  /** Takedowns: list, get, iterate, acknowledge. */
  readonly takedowns: Takedowns;
  /** Webhook endpoints: create, list, get, rotate the secret, delete. */
  readonly webhookEndpoints: WebhookEndpoints;
  readonly #http: Transport;

  constructor(options: VergewisOptions) {
    const resolved = parseOptions(clientOptionsSchema, options, "Vergewis options");
    this.#http = new Transport({ ...resolved, fetch: resolved.fetch ?? globalThis.fetch.bind(globalThis) });
    this.publications = new Publications(this.#http);
    this.takedowns = new Takedowns(this.#http);
    this.webhookEndpoints = new WebhookEndpoints(this.#http);
  }

  /**
   * May this platform use the content with this fingerprint now, for `usage.purpose` (default
   * `publish`) and a viewer in `usage.territory`? `POST /v1/check`. Allowed only when one of its
   * publications with the exact fingerprint is cleared and its signed scope names the purpose and
   * the territory, and none with it was taken down; a `pdq` (with its quality) or `vpdq`
   * fingerprint is refused too when it is a near-duplicate of withdrawn, reported or taken-down
   * content (`nearDuplicate` of the result). (A `vpdq` fingerprint is sent with its frames: its
   * name alone is refused.) For serving content prefer `createGate`, which adds a fail-closed policy.
   */
  check(
    fingerprint: ContentFingerprintInput,
    usage: Partial<Usage> = {},
    options?: RequestOptions,
  ): Promise<CheckResult> {
    return this.#http.request({
      method: "POST",
      path: "v1/check",
      body: { fingerprint, ...usage },
      response: checkResultSchema,
      options,
    });
  }
}
