import type { ServerContext } from "../context.ts";
import { expireIdempotencyKeys } from "../http/idempotency.ts";
import { expireDuePublications } from "../publication/expiry.ts";
import { every, type PeriodicTask } from "./periodic.ts";

const INTERVAL_MS = 30_000;

/** Housekeeping every instance runs; each step is safe to run on several instances at once. */
export function startMaintenance(ctx: ServerContext): PeriodicTask {
  return every(
    "maintenance",
    INTERVAL_MS,
    async () => {
      while ((await expireDuePublications(ctx.db)) > 0);
      await expireIdempotencyKeys(ctx.db);
    },
    ctx.log,
  );
}
