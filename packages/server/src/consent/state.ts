import type { SlotStatus } from "@vergewis/sdk";
import { defineStateMachine } from "../state-machine.ts";

/** A slot is decided once: consented or declined by its performer, or expired unanswered. */
export const slotMachine = defineStateMachine<SlotStatus>("slot", {
  open: ["consented", "declined", "expired"],
  consented: [],
  declined: [],
  expired: [],
});

export type ConsentStatus = "active" | "revoked" | "expired";

/** Design §3: active → revoked | expired. Revocation is final; republishing needs a new consent. */
export const consentMachine = defineStateMachine<ConsentStatus>("consent", {
  active: ["revoked", "expired"],
  revoked: [],
  expired: [],
});
