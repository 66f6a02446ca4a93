-- AlterTable
ALTER TABLE "ContentFingerprint" ADD COLUMN     "reviewUrl" TEXT;
