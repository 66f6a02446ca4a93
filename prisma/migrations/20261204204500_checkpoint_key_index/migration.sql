-- CreateIndex
CREATE INDEX "AuditCheckpoint_keyId_idx" ON "AuditCheckpoint"("keyId");
