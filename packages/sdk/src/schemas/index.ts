export * from "./audit.ts";
export * from "./check.ts";
export * from "./consent.ts";
export * from "./error-code.ts";
export * from "./fingerprint.ts";
export * from "./problem.ts";
export * from "./publication.ts";
export * from "./receipt.ts";
export * from "./report.ts";
export * from "./scope.ts";
export * from "./takedown.ts";
/** Free text from people, as the API checks it: platforms may use it to check titles before sending. */
export { text as freeTextSchema } from "./text.ts";
export * from "./webhook-endpoint.ts";
export * from "./webhook-event.ts";
