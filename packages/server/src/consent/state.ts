import { defineStateMachine } from "../state-machine.ts";

export type ConsentStatus = "active" | "revoked" | "expired";

/** Design §3: active → revoked | expired. Revocation is final; republishing needs a new consent. */
export const consentMachine = defineStateMachine<ConsentStatus>("consent", {
  active: ["revoked", "expired"],
  revoked: [],
  expired: [],
});
