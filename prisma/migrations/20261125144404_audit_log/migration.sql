-- CreateTable
CREATE TABLE "AuditNode" (
    "level" SMALLINT NOT NULL,
    "index" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "AuditNode_pkey" PRIMARY KEY ("level","index")
);

-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "treeSize" BIGINT NOT NULL,
    "rootHash" BYTEA NOT NULL,
    "note" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("treeSize")
);

-- CreateTable
CREATE TABLE "AuditorToken" (
    "id" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" BYTEA NOT NULL,
    "platformId" UUID,
    "label" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AuditorToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditorToken_prefix_key" ON "AuditorToken"("prefix");

-- CreateIndex
CREATE INDEX "AuditorToken_platformId_idx" ON "AuditorToken"("platformId");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- AddForeignKey
ALTER TABLE "AuditorToken" ADD CONSTRAINT "AuditorToken_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Backfill: build the Merkle tree of events appended before this migration, level by level,
-- exactly as appendEvent does (RFC 9162 §2.1.1: node = SHA-256(0x01 || left || right)).
DO $$
DECLARE
  lvl smallint := 0;
  added bigint;
BEGIN
  INSERT INTO "AuditNode" ("level", "index", "hash") SELECT 0, "index", "leafHash" FROM "AuditEvent";
  LOOP
    INSERT INTO "AuditNode" ("level", "index", "hash")
      SELECT lvl + 1, l."index" / 2, sha256('\x01'::bytea || l."hash" || r."hash")
      FROM "AuditNode" l JOIN "AuditNode" r ON r."level" = lvl AND r."index" = l."index" + 1
      WHERE l."level" = lvl AND l."index" % 2 = 0;
    GET DIAGNOSTICS added = ROW_COUNT;
    EXIT WHEN added = 0;
    lvl := lvl + 1;
  END LOOP;
END;
$$;

-- The audit log is append-only: rows of the log, its Merkle tree and its signed checkpoints can
-- be inserted and read, never changed or removed. Only a superuser who disables these triggers
-- can alter history, and the signed checkpoints then expose it (vergewis log verify).
CREATE FUNCTION "audit_log_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % on "%" is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_refuse_change"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"();
CREATE TRIGGER "AuditNode_append_only" BEFORE UPDATE OR DELETE ON "AuditNode"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_refuse_change"();
CREATE TRIGGER "AuditNode_no_truncate" BEFORE TRUNCATE ON "AuditNode"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"();
CREATE TRIGGER "AuditCheckpoint_append_only" BEFORE UPDATE OR DELETE ON "AuditCheckpoint"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_refuse_change"();
CREATE TRIGGER "AuditCheckpoint_no_truncate" BEFORE TRUNCATE ON "AuditCheckpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"();

-- The indexed columns of AuditEvent repeat fields of the entry, for search. They must say what
-- the entry says, or a filtered query or a metric could silently miss a signed entry.
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_columns_match_entry" CHECK (
  "type" = ("entry"::jsonb ->> 'type')
  AND "createdAt" = ("entry"::jsonb ->> 'time')::timestamptz
  AND "platformId" IS NOT DISTINCT FROM ("entry"::jsonb ->> 'platform')::uuid
  AND "publicationId" IS NOT DISTINCT FROM ("entry"::jsonb ->> 'publication')::uuid
  AND "performerPseudonym" IS NOT DISTINCT FROM ("entry"::jsonb ->> 'performer')
);
