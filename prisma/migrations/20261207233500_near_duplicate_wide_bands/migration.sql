-- The near-duplicate index moves from 16 bands of 16 bits to 11 bands of 23–24 bits (fewer
-- candidates a lookup: docs/near-duplicates.md). Existing rows get their bands from their words.

-- DropIndex
DROP INDEX "PerceptualHash_b0_idx";
DROP INDEX "PerceptualHash_b1_idx";
DROP INDEX "PerceptualHash_b2_idx";
DROP INDEX "PerceptualHash_b3_idx";
DROP INDEX "PerceptualHash_b4_idx";
DROP INDEX "PerceptualHash_b5_idx";
DROP INDEX "PerceptualHash_b6_idx";
DROP INDEX "PerceptualHash_b7_idx";
DROP INDEX "PerceptualHash_b8_idx";
DROP INDEX "PerceptualHash_b9_idx";
DROP INDEX "PerceptualHash_b10_idx";
DROP INDEX "PerceptualHash_b11_idx";
DROP INDEX "PerceptualHash_b12_idx";
DROP INDEX "PerceptualHash_b13_idx";
DROP INDEX "PerceptualHash_b14_idx";
DROP INDEX "PerceptualHash_b15_idx";

-- AlterTable
ALTER TABLE "PerceptualHash" DROP COLUMN "b0",
DROP COLUMN "b1",
DROP COLUMN "b2",
DROP COLUMN "b3",
DROP COLUMN "b4",
DROP COLUMN "b5",
DROP COLUMN "b6",
DROP COLUMN "b7",
DROP COLUMN "b8",
DROP COLUMN "b9",
DROP COLUMN "b10",
DROP COLUMN "b11",
DROP COLUMN "b12",
DROP COLUMN "b13",
DROP COLUMN "b14",
DROP COLUMN "b15",
ADD COLUMN "band0" INTEGER,
ADD COLUMN "band1" INTEGER,
ADD COLUMN "band2" INTEGER,
ADD COLUMN "band3" INTEGER,
ADD COLUMN "band4" INTEGER,
ADD COLUMN "band5" INTEGER,
ADD COLUMN "band6" INTEGER,
ADD COLUMN "band7" INTEGER,
ADD COLUMN "band8" INTEGER,
ADD COLUMN "band9" INTEGER,
ADD COLUMN "band10" INTEGER;

UPDATE "PerceptualHash" AS h SET "band0" = substring(w."bits" FROM 1 FOR 24)::bit(24)::integer,
  "band1" = substring(w."bits" FROM 25 FOR 24)::bit(24)::integer,
  "band2" = substring(w."bits" FROM 49 FOR 24)::bit(24)::integer,
  "band3" = substring(w."bits" FROM 73 FOR 23)::bit(23)::integer,
  "band4" = substring(w."bits" FROM 96 FOR 23)::bit(23)::integer,
  "band5" = substring(w."bits" FROM 119 FOR 23)::bit(23)::integer,
  "band6" = substring(w."bits" FROM 142 FOR 23)::bit(23)::integer,
  "band7" = substring(w."bits" FROM 165 FOR 23)::bit(23)::integer,
  "band8" = substring(w."bits" FROM 188 FOR 23)::bit(23)::integer,
  "band9" = substring(w."bits" FROM 211 FOR 23)::bit(23)::integer,
  "band10" = substring(w."bits" FROM 234 FOR 23)::bit(23)::integer
FROM (SELECT "id", "h0"::bit(64) || "h1"::bit(64) || "h2"::bit(64) || "h3"::bit(64) AS "bits" FROM "PerceptualHash") AS w
WHERE w."id" = h."id";

ALTER TABLE "PerceptualHash" ALTER COLUMN "band0" SET NOT NULL,
ALTER COLUMN "band1" SET NOT NULL,
ALTER COLUMN "band2" SET NOT NULL,
ALTER COLUMN "band3" SET NOT NULL,
ALTER COLUMN "band4" SET NOT NULL,
ALTER COLUMN "band5" SET NOT NULL,
ALTER COLUMN "band6" SET NOT NULL,
ALTER COLUMN "band7" SET NOT NULL,
ALTER COLUMN "band8" SET NOT NULL,
ALTER COLUMN "band9" SET NOT NULL,
ALTER COLUMN "band10" SET NOT NULL;

-- CreateIndex
CREATE INDEX "PerceptualHash_band0_idx" ON "PerceptualHash"("band0");

-- CreateIndex
CREATE INDEX "PerceptualHash_band1_idx" ON "PerceptualHash"("band1");

-- CreateIndex
CREATE INDEX "PerceptualHash_band2_idx" ON "PerceptualHash"("band2");

-- CreateIndex
CREATE INDEX "PerceptualHash_band3_idx" ON "PerceptualHash"("band3");

-- CreateIndex
CREATE INDEX "PerceptualHash_band4_idx" ON "PerceptualHash"("band4");

-- CreateIndex
CREATE INDEX "PerceptualHash_band5_idx" ON "PerceptualHash"("band5");

-- CreateIndex
CREATE INDEX "PerceptualHash_band6_idx" ON "PerceptualHash"("band6");

-- CreateIndex
CREATE INDEX "PerceptualHash_band7_idx" ON "PerceptualHash"("band7");

-- CreateIndex
CREATE INDEX "PerceptualHash_band8_idx" ON "PerceptualHash"("band8");

-- CreateIndex
CREATE INDEX "PerceptualHash_band9_idx" ON "PerceptualHash"("band9");

-- CreateIndex
CREATE INDEX "PerceptualHash_band10_idx" ON "PerceptualHash"("band10");
