import type { ReportStatus } from "@vergewis/sdk";
import { defineStateMachine } from "../state-machine.ts";

/** A report is open until the platform decides (DSA art. 17): upheld or rejected, both final. */
export const reportMachine = defineStateMachine<ReportStatus>("report", {
  open: ["upheld", "rejected"],
  upheld: [],
  rejected: [],
});
