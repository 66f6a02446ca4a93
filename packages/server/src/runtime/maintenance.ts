import type { ServerContext } from "../context.ts";
import { vacuumWhereDue } from "../db/embedded/vacuum.ts";
import { expireIdempotencyKeys } from "../http/idempotency.ts";
import { expireDuePublications } from "../publication/expiry.ts";
import { every, type PeriodicTask } from "../periodic.ts";

const INTERVAL_MS = 30_000;
/** As often as autovacuum looks (autovacuum_naptime). */
const UPKEEP_INTERVAL_MS = 60_000;

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

/**
 * What autovacuum does on PostgreSQL, for the embedded database, which has none (db/embedded/vacuum.ts):
 * soon after the start, as a restarted installation may hold tables grown since their last
 * analysis, then every minute.
 */
export function startEmbeddedUpkeep(ctx: ServerContext): PeriodicTask {
  return every("embedded database upkeep", UPKEEP_INTERVAL_MS, () => vacuumWhereDue(ctx.db), ctx.log, 1_000);
}
