import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "../../packages/server/src/db/client.ts";

/** A 256-bit perceptual hash (64 hex digits) with exactly `bits` distinct bits flipped at random. */
export function flip(hex: string, bits: number): string {
  const bytes = Buffer.from(hex, "hex");
  const positions = new Set<number>();
  while (positions.size < bits) positions.add(randomBytes(1)[0]!);
  for (const p of positions) bytes[p >> 3]! ^= 0x80 >> (p & 7);
  return bytes.toString("hex");
}

/** A new platform with one publication, written directly: what perceptual hashes hang off. */
export async function platformWithPublication(db: Db, name = "Near-duplicate platform") {
  const { id: platformId } = await db.platform.create({ data: { name } });
  const { id: publicationId } = await db.publication.create({
    data: {
      platformId,
      externalId: randomUUID(),
      title: "Content",
      purposes: ["publish"],
      territories: [],
      validUntil: new Date(Date.now() + 86_400_000),
    },
  });
  return { platformId, publicationId };
}
