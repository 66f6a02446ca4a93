import {
  takedownListSchema,
  takedownSchema,
  type Takedown,
  type TakedownAckRequest,
  type TakedownList,
  type TakedownListQuery,
} from "../schemas/takedown.ts";
import { paginate } from "./paginate.ts";
import type { RequestOptions, Transport, WriteOptions } from "./transport.ts";

/** `vergewis.takedowns`: content this platform must remove, and its acknowledgement (docs/architecture.md §3, "A withdrawal"). */
export class Takedowns {
  readonly #http: Transport;

  /** @internal Created by `Vergewis`; use `vergewis.takedowns`. */
  constructor(http: Transport) {
    this.#http = http;
  }

  /**
   * One page of this platform's takedowns, oldest first: `GET /v1/takedowns`. Poll
   * `{ status: ["open", "overdue"] }` as a fallback for a missed `takedown.requested` webhook.
   */
  list(query: TakedownListQuery = {}, options?: RequestOptions): Promise<TakedownList> {
    return this.#http.request({
      method: "GET",
      path: "v1/takedowns",
      query: { ...query, status: typeof query.status === "string" ? query.status : query.status?.join(",") },
      response: takedownListSchema,
      options,
    });
  }

  /** Every takedown that matches `query`, fetching pages as the loop asks for them. */
  iterate(
    query: Omit<TakedownListQuery, "cursor"> = {},
    options?: RequestOptions,
  ): AsyncGenerator<Takedown, void, undefined> {
    return paginate((at) => this.list({ ...query, ...at }, options));
  }

  /**
   * One takedown: `GET /v1/takedowns/{id}`.
   *
   * @throws {NotFoundError} `not_found`, also for another platform's takedown.
   */
  get(id: string, options?: RequestOptions): Promise<Takedown> {
    return this.#http.request({
      method: "GET",
      path: `v1/takedowns/${encodeURIComponent(id)}`,
      response: takedownSchema,
      options,
    });
  }

  /**
   * Confirms that the content is no longer available: `POST /v1/takedowns/{id}/ack`. Acknowledging
   * again answers with the first acknowledgement, so a retry after a crash is safe.
   *
   * @throws {NotFoundError} `not_found`, also for another platform's takedown.
   * @throws {InvalidRequestError} `invalid_request`, e.g. a `removedAt` in the future.
   */
  ack(id: string, ack: TakedownAckRequest, options?: WriteOptions): Promise<Takedown> {
    return this.#http.request({
      method: "POST",
      path: `v1/takedowns/${encodeURIComponent(id)}/ack`,
      body: ack,
      response: takedownSchema,
      idempotent: true,
      options,
    });
  }
}
