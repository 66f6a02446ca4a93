import { z } from "zod";
import {
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
  type RotateSecretRequest,
  type WebhookEndpoint,
  type WebhookEndpointList,
  type WebhookEndpointRequest,
  type WebhookEndpointWithSecret,
} from "../schemas/webhook-endpoint.ts";
import type { RequestOptions, Transport, WriteOptions } from "./transport.ts";

/** `vergewis.webhookEndpoints`: where Vergewis sends this platform's events (Standard Webhooks). */
export class WebhookEndpoints {
  readonly #http: Transport;

  /** @internal Created by `Vergewis`; use `vergewis.webhookEndpoints`. */
  constructor(http: Transport) {
    this.#http = http;
  }

  /**
   * Registers an endpoint: `POST /v1/webhook-endpoints`. The answer carries the signing secret
   * (`whsec_…`) for `verifyWebhook`: store it, it is shown only now (and on rotation).
   *
   * @throws {InvalidRequestError} `invalid_request`, e.g. a plain-http URL on a production server.
   */
  create(request: WebhookEndpointRequest, options?: WriteOptions): Promise<WebhookEndpointWithSecret> {
    return this.#http.request({
      method: "POST",
      path: "v1/webhook-endpoints",
      body: request,
      response: webhookEndpointWithSecretSchema,
      idempotent: true,
      options,
    });
  }

  /** This platform's endpoints: `GET /v1/webhook-endpoints`. */
  list(options?: RequestOptions): Promise<WebhookEndpointList> {
    return this.#http.request({
      method: "GET",
      path: "v1/webhook-endpoints",
      response: webhookEndpointListSchema,
      options,
    });
  }

  /** @throws {NotFoundError} `not_found`, also for another platform's endpoint. */
  get(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.#http.request({
      method: "GET",
      path: `v1/webhook-endpoints/${encodeURIComponent(id)}`,
      response: webhookEndpointSchema,
      options,
    });
  }

  /**
   * A new signing secret: `POST /v1/webhook-endpoints/{id}/rotate-secret`. Deliveries are signed
   * with the old one too for `overlapSeconds` (default 24 hours; 0 retires it at once).
   */
  rotateSecret(
    id: string,
    request: RotateSecretRequest = {},
    options?: WriteOptions,
  ): Promise<WebhookEndpointWithSecret> {
    return this.#http.request({
      method: "POST",
      path: `v1/webhook-endpoints/${encodeURIComponent(id)}/rotate-secret`,
      body: request,
      response: webhookEndpointWithSecretSchema,
      idempotent: true,
      options,
    });
  }

  /**
   * Sends to an endpoint again after it was disabled (it answered 410 Gone):
   * `POST /v1/webhook-endpoints/{id}/enable`. Recover what it missed with the takedown list.
   */
  enable(id: string, options?: WriteOptions): Promise<WebhookEndpoint> {
    return this.#http.request({
      method: "POST",
      path: `v1/webhook-endpoints/${encodeURIComponent(id)}/enable`,
      body: {},
      response: webhookEndpointSchema,
      idempotent: true,
      options,
    });
  }

  /** Deletes an endpoint; its pending deliveries become dead. `DELETE /v1/webhook-endpoints/{id}`. */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.#http.request({
      method: "DELETE",
      path: `v1/webhook-endpoints/${encodeURIComponent(id)}`,
      response: z.undefined(),
      options,
    });
  }
}
