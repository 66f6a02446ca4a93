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

/** Connection-level failures of pg / Prisma: the database is down, not the request wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (
      typeof code === "string" &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[123]|08\d{3}|P1001|P1002|P1017|P2024)$/.test(code)
    )
      return true;
    if (
      typeof message === "string" &&
      /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Can't reach database|Timed out fetching a new connection|Query read timeout/i.test(
        message,
      )
    )
      return true;
  }
  return false;
}

/**
 * PostgreSQL's disk_full (SQLSTATE 53100, "could not extend file"), as node-postgres, the Prisma
 * adapter (`meta.driverAdapterError.cause.originalCode`) or a raw query's message carries it.
 */
export function isStorageFull(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, meta } = e as {
      code?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
    };
    if (code === "53100" || meta?.driverAdapterError?.cause?.originalCode === "53100") return true;
    if (typeof message === "string" && /Code: `53100`/.test(message)) return true;
  }
  return false;
}
