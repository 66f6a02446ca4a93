-- CreateEnum
CREATE TYPE "ContentBlockSource" AS ENUM ('withdrawal', 'report');

-- CreateTable
CREATE TABLE "ContentBlock" (
    "id" UUID NOT NULL,
    "platformId" UUID NOT NULL,
    "alg" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "source" "ContentBlockSource" NOT NULL,
    "publicationId" UUID NOT NULL,
    "consentId" UUID,
    "reportId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "liftedAt" TIMESTAMPTZ(3),
    "lift" JSONB,

    CONSTRAINT "ContentBlock_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ContentBlock_platformId_alg_value_idx" ON "ContentBlock"("platformId", "alg", "value");

-- CreateIndex
CREATE INDEX "ContentBlock_publicationId_idx" ON "ContentBlock"("publicationId");

-- CreateIndex
CREATE UNIQUE INDEX "ContentBlock_consentId_alg_value_key" ON "ContentBlock"("consentId", "alg", "value");

-- CreateIndex
CREATE UNIQUE INDEX "ContentBlock_reportId_alg_value_key" ON "ContentBlock"("reportId", "alg", "value");

-- AddForeignKey
ALTER TABLE "ContentBlock" ADD CONSTRAINT "ContentBlock_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentBlock" ADD CONSTRAINT "ContentBlock_publicationId_fkey" FOREIGN KEY ("publicationId") REFERENCES "Publication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A withdrawal names its consent, an upheld report its report.
ALTER TABLE "ContentBlock" ADD CONSTRAINT "ContentBlock_source_check" CHECK (
  ("source" = 'withdrawal' AND "consentId" IS NOT NULL AND "reportId" IS NULL)
  OR ("source" = 'report' AND "reportId" IS NOT NULL AND "consentId" IS NULL));

-- What was withdrawn or reported before blocks existed stays refused: every revoked consent and
-- every upheld report blocks its publication's fingerprints.
INSERT INTO "ContentBlock" ("id", "platformId", "alg", "value", "source", "publicationId", "consentId", "createdAt")
SELECT gen_random_uuid(), p."platformId", f."alg", f."value", 'withdrawal', p."id", c."id", COALESCE(c."revokedAt", now())
FROM "Consent" c
JOIN "Publication" p ON p."id" = c."publicationId"
JOIN "ContentFingerprint" f ON f."publicationId" = p."id"
WHERE c."status" = 'revoked';

INSERT INTO "ContentBlock" ("id", "platformId", "alg", "value", "source", "publicationId", "reportId", "createdAt")
SELECT gen_random_uuid(), r."platformId", f."alg", f."value", 'report', r."publicationId", r."id", COALESCE(r."resolvedAt", now())
FROM "Report" r
JOIN "ContentFingerprint" f ON f."publicationId" = r."publicationId"
WHERE r."status" = 'upheld';
