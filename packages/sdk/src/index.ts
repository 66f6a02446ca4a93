export { canonicalJson } from "./canonical.ts";
export { Vergewis } from "./client/client.ts";
export type { VergewisOptions } from "./client/options.ts";
export type { Publications } from "./client/publications.ts";
export type { Takedowns } from "./client/takedowns.ts";
export type { WebhookEndpoints } from "./client/webhook-endpoints.ts";
export type { RequestOptions, WriteOptions } from "./client/transport.ts";
export {
  AuthenticationError,
  ConflictError,
  GoneError,
  InternalServerError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  VergewisApiError,
  VergewisConnectionError,
  VergewisResponseError,
  VergewisSdkError,
  VergewisTimeoutError,
  type FieldError,
} from "./errors.ts";
export { fingerprintFile, type FileSource } from "./fingerprint/file.ts";
export {
  matchVpdq,
  VPDQ_DEFAULTS,
  type VpdqFrame,
  type VpdqMatchOptions,
  type VpdqMatchResult,
} from "./fingerprint/vpdq-match.ts";
export { denialStatus, type GateDecision, type GateReason, type GateSource } from "./gate/decision.ts";
export { createGate, type Gate, type GateClient, type GateOptions, type GateTarget } from "./gate/gate.ts";
export type { OfflineOptions, OfflineTarget } from "./gate/offline.ts";
export type { OfflineRefusal } from "./gate/receipt-set.ts";
export * from "./schemas/index.ts";
export {
  documentChallenge,
  verifyConsentSignature,
  type VerifiedSignature,
  type VerifySignatureOptions,
} from "./verification/consent-signature.ts";
export {
  ReceiptVerificationError,
  SignatureVerificationError,
  StatusListError,
  VerificationError,
  type VerificationErrorCode,
} from "./verification/errors.ts";
export {
  verifyConsentReceipt,
  type ConsentReceipt,
  type KeySet,
  type VerifyReceiptOptions,
} from "./verification/receipt.ts";
export { isRevoked, StatusListCache, type StatusCheckOptions } from "./verification/status-list.ts";
export * from "./log/index.ts";
export {
  verifyWebhook,
  WebhookVerificationError,
  type VerifyWebhookInput,
  type WebhookVerificationErrorCode,
} from "./webhook/verify.ts";
