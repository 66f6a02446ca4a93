-- Takes the audit log's lock and reads its head (size and frontier, see audit/tree.ts) in one
-- statement, so that an append costs one round trip less. The head must be read after the lock is
-- held, as it may have been released by a commit that appended: a VOLATILE function's queries each
-- take a fresh snapshot (PostgreSQL docs, "Function Volatility Categories"), where a single
-- statement would read the head as of before it waited. The query is planned at each call
-- (EXECUTE), as a statement sent by the client would be: PL/pgSQL would otherwise keep the plan made
-- while the log was empty, and a scan that grows with the log.
CREATE FUNCTION "lock_audit_log_head"(lock_key bigint)
RETURNS TABLE ("head_size" bigint, "frontier_level" integer, "frontier_hash" bytea)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  RETURN QUERY EXECUTE '
    WITH head AS (SELECT coalesce(max(e."index") + 1, 0) AS size FROM "AuditEvent" e)
    SELECT head.size, f.level, n."hash"
    FROM head
    LEFT JOIN generate_series(0, 62) AS f(level) ON (head.size >> f.level) & 1 = 1
    LEFT JOIN "AuditNode" n ON n."level" = f.level AND n."index" = (head.size >> f.level) - 1';
END $$;
