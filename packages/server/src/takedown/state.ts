import { defineStateMachine } from "../state-machine.ts";

/**
 * A takedown is open until the platform acknowledges removal, which is final. Being overdue is not
 * a state of its own: it follows from the clock (`dueAt`) and is escalated by notices (sla.ts).
 */
export type TakedownState = "open" | "acknowledged";

export const takedownMachine = defineStateMachine<TakedownState>("takedown", {
  open: ["acknowledged"],
  acknowledged: [],
});
