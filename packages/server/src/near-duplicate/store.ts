import type { Tx } from "../db/client.ts";
import { BANDS, indexedHash } from "./hash.ts";
import { checkPerceptualHashes, type PerceptualHashes } from "./input.ts";

/** The file whose hashes these are: its fingerprint (erasing it erases them) and its platform. */
export interface IndexedFile {
  platformId: string;
  fingerprintId: string;
}

const BAND_COLUMNS = Array.from({ length: BANDS }, (_, i) => `"band${i}"`).join(", ");
const BAND_PARAMS = Array.from({ length: BANDS }, (_, i) => `$${i + 10}::int[]`).join(", ");
const INSERT = `INSERT INTO "PerceptualHash"
  ("platformId", "fingerprintId", "alg", "h0", "h1", "h2", "h3", "frameTime", "quality", ${BAND_COLUMNS})
SELECT $1::uuid, $2::uuid, $3::"PerceptualHashAlg", u.*
FROM unnest($4::int8[], $5::int8[], $6::int8[], $7::int8[], $8::float8[], $9::smallint[], ${BAND_PARAMS}) AS u`;

/**
 * Adds a file's perceptual hashes to the near-duplicate index inside the caller's transaction (the
 * one that records the file), in one statement whatever the number of frames. Throws
 * `InvalidPerceptualHashError` before writing anything when a hash, quality or time is malformed.
 * Returns the number of rows written.
 */
export async function indexPerceptualHashes(tx: Tx, file: IndexedFile, hashes: PerceptualHashes): Promise<number> {
  checkPerceptualHashes(hashes);
  const rows =
    hashes.alg === "pdq"
      ? [{ value: hashes.value, quality: hashes.quality, t: null }]
      : hashes.frames.map((f) => ({ value: f.value, quality: f.quality, t: f.t }));
  const indexed = rows.map((r) => indexedHash(r.value));
  return tx.$executeRawUnsafe(
    INSERT,
    file.platformId,
    file.fingerprintId,
    hashes.alg,
    ...[0, 1, 2, 3].map((w) => indexed.map((h) => h.words[w]!)),
    rows.map((r) => r.t),
    rows.map((r) => r.quality),
    ...Array.from({ length: BANDS }, (_, b) => indexed.map((h) => h.bands[b]!)),
  );
}

/**
 * Erases the perceptual hashes of some files, or of every file of a publication, inside the
 * caller's transaction (content erased). Deleting a fingerprint row erases its hashes as well.
 */
export async function removePerceptualHashes(
  tx: Tx,
  where: { fingerprintIds: readonly string[] } | { publicationId: string },
): Promise<number> {
  return "publicationId" in where
    ? tx.$executeRaw`DELETE FROM "PerceptualHash" WHERE "fingerprintId" IN
        (SELECT "id" FROM "ContentFingerprint" WHERE "publicationId" = ${where.publicationId}::uuid)`
    : tx.$executeRaw`DELETE FROM "PerceptualHash" WHERE "fingerprintId" = ANY(${where.fingerprintIds}::uuid[])`;
}
