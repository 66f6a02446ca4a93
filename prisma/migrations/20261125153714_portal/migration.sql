-- AlterTable
ALTER TABLE "AgeAttestation" ALTER COLUMN "subjectHash" DROP NOT NULL;
