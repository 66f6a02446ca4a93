-- CreateEnum
CREATE TYPE "PerceptualHashAlg" AS ENUM ('pdq', 'vpdq');

-- CreateTable
CREATE TABLE "PerceptualHash" (
    "id" BIGSERIAL NOT NULL,
    "h0" BIGINT NOT NULL,
    "h1" BIGINT NOT NULL,
    "h2" BIGINT NOT NULL,
    "h3" BIGINT NOT NULL,
    "frameTime" DOUBLE PRECISION,
    "platformId" UUID NOT NULL,
    "fingerprintId" UUID NOT NULL,
    "alg" "PerceptualHashAlg" NOT NULL,
    "quality" SMALLINT NOT NULL,
    "b0" SMALLINT NOT NULL,
    "b1" SMALLINT NOT NULL,
    "b2" SMALLINT NOT NULL,
    "b3" SMALLINT NOT NULL,
    "b4" SMALLINT NOT NULL,
    "b5" SMALLINT NOT NULL,
    "b6" SMALLINT NOT NULL,
    "b7" SMALLINT NOT NULL,
    "b8" SMALLINT NOT NULL,
    "b9" SMALLINT NOT NULL,
    "b10" SMALLINT NOT NULL,
    "b11" SMALLINT NOT NULL,
    "b12" SMALLINT NOT NULL,
    "b13" SMALLINT NOT NULL,
    "b14" SMALLINT NOT NULL,
    "b15" SMALLINT NOT NULL,

    CONSTRAINT "PerceptualHash_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PerceptualHash_fingerprintId_idx" ON "PerceptualHash"("fingerprintId");

-- CreateIndex
CREATE INDEX "PerceptualHash_b0_idx" ON "PerceptualHash"("b0");

-- CreateIndex
CREATE INDEX "PerceptualHash_b1_idx" ON "PerceptualHash"("b1");

-- CreateIndex
CREATE INDEX "PerceptualHash_b2_idx" ON "PerceptualHash"("b2");

-- CreateIndex
CREATE INDEX "PerceptualHash_b3_idx" ON "PerceptualHash"("b3");

-- CreateIndex
CREATE INDEX "PerceptualHash_b4_idx" ON "PerceptualHash"("b4");

-- CreateIndex
CREATE INDEX "PerceptualHash_b5_idx" ON "PerceptualHash"("b5");

-- CreateIndex
CREATE INDEX "PerceptualHash_b6_idx" ON "PerceptualHash"("b6");

-- CreateIndex
CREATE INDEX "PerceptualHash_b7_idx" ON "PerceptualHash"("b7");

-- CreateIndex
CREATE INDEX "PerceptualHash_b8_idx" ON "PerceptualHash"("b8");

-- CreateIndex
CREATE INDEX "PerceptualHash_b9_idx" ON "PerceptualHash"("b9");

-- CreateIndex
CREATE INDEX "PerceptualHash_b10_idx" ON "PerceptualHash"("b10");

-- CreateIndex
CREATE INDEX "PerceptualHash_b11_idx" ON "PerceptualHash"("b11");

-- CreateIndex
CREATE INDEX "PerceptualHash_b12_idx" ON "PerceptualHash"("b12");

-- CreateIndex
CREATE INDEX "PerceptualHash_b13_idx" ON "PerceptualHash"("b13");

-- CreateIndex
CREATE INDEX "PerceptualHash_b14_idx" ON "PerceptualHash"("b14");

-- CreateIndex
CREATE INDEX "PerceptualHash_b15_idx" ON "PerceptualHash"("b15");

-- AddForeignKey
ALTER TABLE "PerceptualHash" ADD CONSTRAINT "PerceptualHash_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PerceptualHash" ADD CONSTRAINT "PerceptualHash_fingerprintId_fkey" FOREIGN KEY ("fingerprintId") REFERENCES "ContentFingerprint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- PDQ's quality is 0–100; a vPDQ frame has a time from the start of the video, a PDQ hash none.
ALTER TABLE "PerceptualHash" ADD CONSTRAINT "PerceptualHash_quality_check" CHECK ("quality" BETWEEN 0 AND 100);
ALTER TABLE "PerceptualHash" ADD CONSTRAINT "PerceptualHash_frameTime_check" CHECK (
  CASE "alg" WHEN 'pdq' THEN "frameTime" IS NULL ELSE "frameTime" >= 0 END);
