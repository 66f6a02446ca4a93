/**
 * True when `error` is a unique-constraint violation (PostgreSQL 23505) on the named index: the
 * loser of a race that an earlier existence check could not see.
 */
export function isUniqueViolation(error: unknown, index: string): boolean {
  const meta = (error as { code?: unknown; meta?: { driverAdapterError?: { cause?: unknown } } }) ?? {};
  if (meta.code !== "P2002") return false;
  const cause = meta.meta?.driverAdapterError?.cause as { constraint?: { index?: string } } | undefined;
  return cause?.constraint?.index === index;
}
