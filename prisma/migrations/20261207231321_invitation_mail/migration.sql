-- CreateEnum
CREATE TYPE "MailStatus" AS ENUM ('pending', 'retrying', 'sent', 'failed');

-- CreateTable
CREATE TABLE "InvitationMail" (
    "id" UUID NOT NULL,
    "slotId" UUID NOT NULL,
    "platformId" UUID NOT NULL,
    "language" TEXT NOT NULL,
    "status" "MailStatus" NOT NULL DEFAULT 'pending',
    "sealed" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "queuedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "nextAttemptAt" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "InvitationMail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InvitationMail_nextAttemptAt_idx" ON "InvitationMail"("nextAttemptAt");

-- CreateIndex
CREATE INDEX "InvitationMail_slotId_idx" ON "InvitationMail"("slotId");

-- AddForeignKey
ALTER TABLE "InvitationMail" ADD CONSTRAINT "InvitationMail_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "Slot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
