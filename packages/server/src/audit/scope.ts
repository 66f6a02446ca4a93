import { VergewisError } from "../errors.ts";

/** What an auditor may read: one platform's events, or every event (a regulator). */
export type AuditorScope = { kind: "all" } | { kind: "platform"; platformId: string };

export class OutOfScopeError extends VergewisError<"out_of_scope"> {
  constructor() {
    super("out_of_scope", "forbidden", "Your auditor token does not cover this platform.");
  }
}

/**
 * The platform a query is limited to: a platform auditor's own (asking for another is refused),
 * or, for an all-platforms auditor, the one asked for, if any.
 */
export function scopedPlatform(scope: AuditorScope, requested: string | undefined): string | undefined {
  if (scope.kind === "all") return requested;
  if (requested !== undefined && requested !== scope.platformId) throw new OutOfScopeError();
  return scope.platformId;
}

/** Whether an entry with this platform (null: not about a platform) is visible in the scope. */
export const inScope = (scope: AuditorScope, platformId: string | null) =>
  scope.kind === "all" || platformId === scope.platformId;

export const scopeLabel = (scope: AuditorScope) => (scope.kind === "all" ? "all" : scope.platformId);
