-- AlterTable
ALTER TABLE "Notice" ADD COLUMN     "reporter" TEXT NOT NULL DEFAULT 'anonymous';

-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "algorithm" TEXT,
ADD COLUMN     "blocking" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "distance" INTEGER;

-- Reports received before this change blocked their content while open, and keep doing so;
-- exact fingerprint matches were the only kind.
UPDATE "Report" SET "blocking" = true WHERE "status" = 'open';
UPDATE "Notice" SET "reporter" = 'trusted_flagger' WHERE "flaggerId" IS NOT NULL;
UPDATE "Report" r SET "algorithm" = n."fingerprintAlg", "distance" = 0
  FROM "Notice" n WHERE n."id" = r."noticeId" AND r."matchedBy" = 'fingerprint';
