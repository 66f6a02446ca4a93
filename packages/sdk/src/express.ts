// `@vergewis/sdk/express`: the Express integration, apart so that the main entry needs no Express types.
export { requireConsent, type RequireConsentOptions } from "./gate/require-consent.ts";
