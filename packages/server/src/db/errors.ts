/**
 * True when `error` is a unique-constraint violation (PostgreSQL 23505) on the named index: the
 * loser of a race that an earlier existence check could not see. Prisma reports it as P2002 from
 * its own queries and as P2010 ("raw query failed") from raw SQL, with the same driver error.
 */
export function isUniqueViolation(error: unknown, index: string): boolean {
  const meta = (error as { code?: unknown; meta?: { driverAdapterError?: { cause?: unknown } } }) ?? {};
  if (meta.code !== "P2002" && meta.code !== "P2010") return false;
  const cause = meta.meta?.driverAdapterError?.cause as { kind?: string; constraint?: { index?: string } } | undefined;
  return cause?.kind === "UniqueConstraintViolation" && cause.constraint?.index === index;
}
