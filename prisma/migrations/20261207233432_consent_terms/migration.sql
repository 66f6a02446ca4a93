-- AlterTable: an earlier verification found the person an adult on the day of verification.
ALTER TABLE "AgeAttestation" ADD COLUMN     "adultOn" DATE,
ADD COLUMN     "minorOn" DATE;
UPDATE "AgeAttestation" SET "adultOn" = ("verifiedAt" AT TIME ZONE 'Europe/Amsterdam')::date;
ALTER TABLE "AgeAttestation" ALTER COLUMN "adultOn" SET NOT NULL;

-- AlterTable
ALTER TABLE "OidcTransaction" ADD COLUMN     "ageCheckOn" DATE;

-- AlterTable
ALTER TABLE "Publication" ADD COLUMN     "producedAt" DATE;

-- CreateTable
CREATE TABLE "PlatformPseudonym" (
    "pseudonym" TEXT NOT NULL,
    "performerId" UUID NOT NULL,
    "platformId" UUID NOT NULL,

    CONSTRAINT "PlatformPseudonym_pkey" PRIMARY KEY ("pseudonym")
);

-- CreateIndex
CREATE UNIQUE INDEX "PlatformPseudonym_performerId_platformId_key" ON "PlatformPseudonym"("performerId", "platformId");

-- AddForeignKey
ALTER TABLE "PlatformPseudonym" ADD CONSTRAINT "PlatformPseudonym_performerId_fkey" FOREIGN KEY ("performerId") REFERENCES "Performer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
