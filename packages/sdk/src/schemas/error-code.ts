import { z } from "zod";

/**
 * Every `code` a Vergewis server gives an error, with what it means: the `code` of its RFC 9457
 * problem details, and of the errors of its start-up and command line. The one list: the
 * server's errors are typed by it, its problem type pages (`/problems/{code}`) show these
 * meanings, the SDK types `VergewisApiError.code` by it, and docs/errors.md is checked against it.
 *
 * A code is part of the API: once released it keeps its meaning, and a new meaning gets a new code.
 */
export const errorCodes = {
  // The request as HTTP
  invalid_request: "A field of the request is not valid; errors names each one by JSON Pointer with the reason.",
  malformed_json: "The request body is not valid JSON.",
  malformed_request: "The request could not be read: the body was incomplete or broken off.",
  malformed_path: "The request path is not percent-encoded UTF-8.",
  body_too_large: "The request body is larger than the server accepts.",
  unsupported_media_type:
    "The request body is not of a media type this endpoint accepts (JSON, or the form it serves).",
  unsupported_encoding: "The request body has a content encoding or charset other than identity UTF-8.",
  not_found: "No such resource or route; another platform's resources are reported absent too.",
  unauthenticated: "The API key or token is missing, malformed, unknown or revoked.",
  idempotency_key_reused: "This Idempotency-Key was already used with a different request.",
  rate_limited: "Too many requests or attempts from this client; wait as Retry-After says.",
  internal_error: "A fault on the server's side; it was logged. Try again.",
  database_unavailable: "The server cannot reach its database right now; nothing was saved. Try again shortly.",
  storage_full: "The server's storage is full, so nothing was saved. Try again later.",
  signing_key_unavailable: "The server has no usable signing key for this right now.",
  key_file_unreadable: "A key file of the server cannot be read or decrypted.",
  // Publications, takedowns, webhooks, reports
  external_id_taken: "This platform already has a publication request with this externalId.",
  content_withdrawn:
    "Content withdrawn by a performer or taken down after an upheld report, or a near-duplicate of it, cannot be requested again here; errors names each blocked or matched fingerprint.",
  concurrent_change: "The resource changed while this request was handled; try again.",
  invalid_transition: "The resource is in a state from which this change is not possible.",
  not_published: "The publication is not published, so there is nothing to take down.",
  already_acknowledged: "The takedown was already acknowledged.",
  removed_at_out_of_range: "removedAt is before the takedown was requested, or in the future.",
  too_many_endpoints: "The platform already has as many webhook endpoints as it may have.",
  endpoint_disabled: "The webhook endpoint is disabled; enable it first.",
  private_address: "Webhooks may not be sent to this private, loopback or reserved address.",
  delivery_in_progress: "The webhook delivery is still being attempted; wait for it to finish.",
  already_resolved: "The report was already resolved.",
  invalid_perceptual_hash:
    "A PDQ hash, a vPDQ frame or a near-duplicate search option is not valid; errors names each one.",
  // Performers: consent, portal sessions, identity, passkeys
  login_required: "The performer must log in with a passkey, or verify their age, first.",
  csrf_token_invalid: "The request lacks the portal session's CSRF token.",
  cross_origin_request: "A request that changes something came from another site than the portal or console itself.",
  request_not_found: "There is no such consent request for this performer.",
  invitation_invalid: "The invitation code is not valid, has expired, or was already used.",
  invitation_taken: "Someone else took this invitation at the same moment.",
  invitation_expired: "The consent request has expired.",
  age_verification_required: "The performer must verify their age before signing a consent.",
  age_verification_expired: "The performer's age verification is too old to sign a new consent; verify again.",
  under_18_at_production: "The performer was under 18 on the day the content was made: they cannot consent to it.",
  age_at_production_unverified:
    "The performer's age verification does not show their age on the day the content was made; verify again for this request.",
  document_mismatch: "The signed document does not match the request it answers.",
  item_not_verified: "The signed consent does not name every content item as viewed and verified by the performer.",
  publication_not_pending: "The publication no longer awaits consent.",
  slot_not_open: "This request was already answered.",
  already_in_publication: "The performer already holds another place in this publication.",
  consent_not_active: "The consent is no longer active: it was already revoked or has expired.",
  block_not_active: "The performer's withdrawal of this consent blocks no content (any more).",
  verification_flow_invalid: "The answer from the identity provider could not be accepted.",
  verification_cancelled: "The age verification was cancelled at the identity provider.",
  verification_provider_unavailable: "The identity provider cannot be reached right now.",
  challenge_invalid: "The passkey challenge has expired or was already used; start again.",
  passkey_registration_failed: "The passkey could not be registered.",
  login_failed: "The passkey could not be verified.",
  signature_invalid: "The passkey signature over the document could not be verified.",
  last_passkey: "This is the account's only passkey; add another before removing it.",
  reverification_required: "Adding a passkey to this account needs a fresh passkey login or identity check.",
  // Auditors
  out_of_scope: "The auditor token does not cover this platform.",
  unseal_failed: "The sealed identity could not be opened with the given key.",
  // The command line and start-up
  invalid_config: "The server's configuration is not valid; the message names each setting.",
  migration_drift: "The database's applied migrations differ from this version's, so it is not migrated.",
  database_locked: "The embedded database is in use by another process.",
  no_data_directory: "No Vergewis database where the command looked; nothing was changed.",
} as const satisfies Record<string, string>;

/** A code of the catalogue above. */
export type ErrorCode = keyof typeof errorCodes;

export const errorCodeSchema = z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]);

/** Whether a string is a catalogued code (not a property of `Object.prototype`, say). */
export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(errorCodes, code);
