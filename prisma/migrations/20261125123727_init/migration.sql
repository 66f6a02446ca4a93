-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "PublicationStatus" AS ENUM ('pending', 'cleared', 'takedown_required', 'taken_down', 'declined', 'expired');

-- CreateEnum
CREATE TYPE "SlotStatus" AS ENUM ('open', 'consented', 'declined', 'expired');

-- CreateEnum
CREATE TYPE "ConsentStatus" AS ENUM ('active', 'revoked', 'expired');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'delivered', 'retrying', 'dead');

-- CreateEnum
CREATE TYPE "TakedownReason" AS ENUM ('revocation', 'report');

-- CreateTable
CREATE TABLE "Platform" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slaSeconds" INTEGER NOT NULL DEFAULT 86400,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Platform_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "platformId" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Performer" (
    "id" UUID NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "subjectHash" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Performer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Publication" (
    "id" UUID NOT NULL,
    "platformId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "previewUrl" TEXT,
    "status" "PublicationStatus" NOT NULL DEFAULT 'pending',
    "purposes" TEXT[],
    "territories" TEXT[],
    "validUntil" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Publication_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentFingerprint" (
    "id" UUID NOT NULL,
    "publicationId" UUID NOT NULL,
    "alg" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "ContentFingerprint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Slot" (
    "id" UUID NOT NULL,
    "publicationId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "contact" TEXT,
    "status" "SlotStatus" NOT NULL DEFAULT 'open',
    "codeHash" BYTEA NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "performerId" UUID,
    "decidedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Slot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Consent" (
    "id" UUID NOT NULL,
    "slotId" UUID NOT NULL,
    "publicationId" UUID NOT NULL,
    "performerId" UUID NOT NULL,
    "status" "ConsentStatus" NOT NULL DEFAULT 'active',
    "document" TEXT NOT NULL,
    "documentHash" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "receipt" TEXT,
    "statusListId" INTEGER,
    "statusListIndex" INTEGER,
    "validUntil" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),
    "revocation" JSONB,

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "platformId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "responseStatus" INTEGER NOT NULL,
    "responseBody" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyKey_pkey" PRIMARY KEY ("platformId","key")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "index" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "entry" TEXT NOT NULL,
    "leafHash" BYTEA NOT NULL,
    "platformId" UUID,
    "publicationId" UUID,
    "performerPseudonym" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("index")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL,
    "platformId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Takedown" (
    "id" UUID NOT NULL,
    "publicationId" UUID NOT NULL,
    "platformId" UUID NOT NULL,
    "reason" "TakedownReason" NOT NULL,
    "consentId" UUID,
    "reportId" UUID,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "acknowledgedAt" TIMESTAMPTZ(3),
    "removedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Takedown_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE INDEX "ApiKey_platformId_idx" ON "ApiKey"("platformId");

-- CreateIndex
CREATE UNIQUE INDEX "Performer_pseudonym_key" ON "Performer"("pseudonym");

-- CreateIndex
CREATE UNIQUE INDEX "Performer_subjectHash_key" ON "Performer"("subjectHash");

-- CreateIndex
CREATE INDEX "Publication_platformId_status_id_idx" ON "Publication"("platformId", "status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Publication_platformId_externalId_key" ON "Publication"("platformId", "externalId");

-- CreateIndex
CREATE INDEX "ContentFingerprint_alg_value_idx" ON "ContentFingerprint"("alg", "value");

-- CreateIndex
CREATE UNIQUE INDEX "ContentFingerprint_publicationId_alg_value_key" ON "ContentFingerprint"("publicationId", "alg", "value");

-- CreateIndex
CREATE UNIQUE INDEX "Slot_codeHash_key" ON "Slot"("codeHash");

-- CreateIndex
CREATE INDEX "Slot_performerId_idx" ON "Slot"("performerId");

-- CreateIndex
CREATE UNIQUE INDEX "Slot_publicationId_position_key" ON "Slot"("publicationId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Consent_slotId_key" ON "Consent"("slotId");

-- CreateIndex
CREATE UNIQUE INDEX "Consent_documentHash_key" ON "Consent"("documentHash");

-- CreateIndex
CREATE INDEX "Consent_performerId_idx" ON "Consent"("performerId");

-- CreateIndex
CREATE INDEX "Consent_publicationId_idx" ON "Consent"("publicationId");

-- CreateIndex
CREATE INDEX "IdempotencyKey_createdAt_idx" ON "IdempotencyKey"("createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_leafHash_idx" ON "AuditEvent"("leafHash");

-- CreateIndex
CREATE INDEX "AuditEvent_platformId_index_idx" ON "AuditEvent"("platformId", "index");

-- CreateIndex
CREATE INDEX "AuditEvent_publicationId_index_idx" ON "AuditEvent"("publicationId", "index");

-- CreateIndex
CREATE INDEX "AuditEvent_performerPseudonym_index_idx" ON "AuditEvent"("performerPseudonym", "index");

-- CreateIndex
CREATE INDEX "AuditEvent_type_index_idx" ON "AuditEvent"("type", "index");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_platformId_id_idx" ON "OutboxMessage"("platformId", "id");

-- CreateIndex
CREATE INDEX "Takedown_platformId_acknowledgedAt_dueAt_idx" ON "Takedown"("platformId", "acknowledgedAt", "dueAt");

-- CreateIndex
CREATE INDEX "Takedown_publicationId_idx" ON "Takedown"("publicationId");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Publication" ADD CONSTRAINT "Publication_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentFingerprint" ADD CONSTRAINT "ContentFingerprint_publicationId_fkey" FOREIGN KEY ("publicationId") REFERENCES "Publication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Slot" ADD CONSTRAINT "Slot_publicationId_fkey" FOREIGN KEY ("publicationId") REFERENCES "Publication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Slot" ADD CONSTRAINT "Slot_performerId_fkey" FOREIGN KEY ("performerId") REFERENCES "Performer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "Slot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_publicationId_fkey" FOREIGN KEY ("publicationId") REFERENCES "Publication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_performerId_fkey" FOREIGN KEY ("performerId") REFERENCES "Performer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdempotencyKey" ADD CONSTRAINT "IdempotencyKey_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Takedown" ADD CONSTRAINT "Takedown_publicationId_fkey" FOREIGN KEY ("publicationId") REFERENCES "Publication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Takedown" ADD CONSTRAINT "Takedown_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
