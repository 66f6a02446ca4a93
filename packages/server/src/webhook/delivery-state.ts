import type { DeliveryStatus } from "@vergewis/sdk";
import { defineStateMachine } from "../state-machine.ts";

/**
 * Design §3: pending → delivered | pending → retrying → … → dead. A platform may ask for a final
 * delivery (delivered or dead) to be sent again, which starts it over as pending.
 */
export const deliveryMachine = defineStateMachine<DeliveryStatus>("delivery", {
  pending: ["delivered", "retrying", "dead"],
  retrying: ["delivered", "retrying", "dead"],
  delivered: ["pending"],
  dead: ["pending"],
});
