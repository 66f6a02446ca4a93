import { consentListSchema, type ConsentList } from "../schemas/consent.ts";
import {
  createdPublicationSchema,
  publicationListSchema,
  publicationSchema,
  reissuedInvitationSchema,
  type CreatedPublication,
  type Publication,
  type PublicationList,
  type PublicationListQuery,
  type PublicationRequest,
  type ReissuedInvitation,
} from "../schemas/publication.ts";
import { paginate } from "./paginate.ts";
import type { RequestOptions, Transport, WriteOptions } from "./transport.ts";

/** `vergewis.publications`: publication requests (docs/architecture.md §3, "A consent"). */
export class Publications {
  readonly #http: Transport;

  /** @internal Created by `Vergewis`; use `vergewis.publications`. */
  constructor(http: Transport) {
    this.#http = http;
  }

  /**
   * Asks every depicted person for consent: `POST /v1/publications`. Vergewis mails each
   * co-performer's invitation to the slot's `contact` itself; the answer holds the uploader slot's
   * invitation (link and code) only, shown only now: hand it to your logged-in uploader.
   *
   * @throws {ConflictError} `external_id_taken` when this platform already used `externalId`;
   *   `content_withdrawn` when a performer withdrew the content or a report on it was upheld, with
   *   `errors` naming each blocked fingerprint (`/body/contentFingerprints/0`).
   * @throws {InvalidRequestError} `invalid_request`, with `errors` naming each refused field.
   */
  create(request: PublicationRequest, options?: WriteOptions): Promise<CreatedPublication> {
    return this.#http.request({
      method: "POST",
      path: "v1/publications",
      body: request,
      response: createdPublicationSchema,
      idempotent: true,
      options,
    });
  }

  /**
   * A new invitation for an open slot whose mail was lost: `POST
   * /v1/publications/{id}/slots/{slotId}/invitation`. The old code stops working; a co-performer
   * gets a new mail, the uploader slot's new invitation is in the answer.
   *
   * @throws {NotFoundError} `not_found` for an unknown publication or slot.
   * @throws {ConflictError} `slot_not_open` when the slot was already answered;
   *   `publication_not_pending` when the publication no longer awaits consent.
   * @throws {RateLimitError} `rate_limited` after too many reissues.
   */
  reissueInvitation(id: string, slotId: string, options?: WriteOptions): Promise<ReissuedInvitation> {
    return this.#http.request({
      method: "POST",
      path: `v1/publications/${encodeURIComponent(id)}/slots/${encodeURIComponent(slotId)}/invitation`,
      response: reissuedInvitationSchema,
      idempotent: true,
      options,
    });
  }

  /**
   * One of this platform's publications: `GET /v1/publications/{id}`.
   *
   * @throws {NotFoundError} `not_found`, also for another platform's publication.
   */
  get(id: string, options?: RequestOptions): Promise<Publication> {
    return this.#http.request({
      method: "GET",
      path: `v1/publications/${encodeURIComponent(id)}`,
      response: publicationSchema,
      options,
    });
  }

  /**
   * The consents given to one of this platform's publications, each with its JWS receipt:
   * `GET /v1/publications/{id}/consents`. Verify and keep the receipts (`verifyConsentReceipt`) to
   * show, offline, that every depicted person consented to this content and scope.
   *
   * @throws {NotFoundError} `not_found`, also for another platform's publication.
   */
  consents(id: string, options?: RequestOptions): Promise<ConsentList> {
    return this.#http.request({
      method: "GET",
      path: `v1/publications/${encodeURIComponent(id)}/consents`,
      response: consentListSchema,
      options,
    });
  }

  /** One page of this platform's publications, newest first: `GET /v1/publications`. */
  list(query: PublicationListQuery = {}, options?: RequestOptions): Promise<PublicationList> {
    return this.#http.request({
      method: "GET",
      path: "v1/publications",
      query: { ...query },
      response: publicationListSchema,
      options,
    });
  }

  /**
   * Every publication that matches `query`, newest first, fetching pages of `limit` as the loop
   * asks for them. Breaking out of the loop stops fetching.
   */
  iterate(
    query: Omit<PublicationListQuery, "cursor"> = {},
    options?: RequestOptions,
  ): AsyncGenerator<Publication, void, undefined> {
    return paginate((at) => this.list({ ...query, ...at }, options));
  }
}
