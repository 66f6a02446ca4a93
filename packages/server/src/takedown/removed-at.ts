import { ValidationError } from "../errors.ts";

/**
 * How far ahead of this server's clock a platform's `removedAt` may lie: the platform reads its own
 * clock, which may run a little fast, and "removed just now" must not be refused for that. Five
 * minutes covers ordinary drift without letting a removal be dated meaningfully into the future.
 */
export const REMOVED_AT_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A removal time the platform states, checked against what Vergewis knows: content cannot have
 * been removed for a request before that request existed (`since`), nor in the future. Refused
 * with 422 `removed_at_out_of_range` at `/body/removedAt`, before anything is stored.
 */
export function assertRemovedAt(removedAt: Date, since: { at: Date; what: string }, now = new Date()): void {
  let reason: string | undefined;
  if (removedAt.getTime() < since.at.getTime()) {
    reason = `must not be before ${since.what} (${since.at.toISOString()})`;
  } else if (removedAt.getTime() > now.getTime() + REMOVED_AT_CLOCK_SKEW_MS) {
    reason = "must not be in the future";
  }
  if (reason) {
    throw new ValidationError(
      [{ pointer: "/body/removedAt", reason }],
      `removedAt ${reason}.`,
      "removed_at_out_of_range",
      "unprocessable",
    );
  }
}
