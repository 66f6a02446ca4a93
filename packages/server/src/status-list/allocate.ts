import { randomInt } from "node:crypto";
import type { Db, Tx } from "../db/client.ts";

export interface StatusEntry {
  listId: number;
  idx: number;
}

/**
 * Hands out the next free entry of a status list. One UPDATE claims it under the row lock, so any
 * number of server instances on one database never hand out an entry twice; when every list is
 * full a new one is made. Runs outside the caller's transaction so that the lock is held for
 * microseconds: an entry whose consent then fails stays unused (status 0), which is harmless.
 */
export async function allocateStatusEntry(db: Db, size: number): Promise<StatusEntry> {
  for (;;) {
    const [row] = await db.$queryRaw<Array<{ id: number; entry: Uint8Array }>>`
      UPDATE "StatusList" SET "allocated" = "allocated" + 1
      WHERE "id" = (SELECT "id" FROM "StatusList" WHERE "allocated" < "size" ORDER BY "id" LIMIT 1 FOR UPDATE)
      RETURNING "id", substring("order" from ("allocated" - 1) * 4 + 1 for 4) AS "entry"`;
    if (row) return { listId: row.id, idx: Buffer.from(row.entry).readUInt32BE(0) };
    await createStatusList(db, size);
  }
}

/**
 * A new list with every entry VALID and a random order of allocation (Fisher-Yates over a CSPRNG):
 * sequential indexes would tell a platform how many consents were signed before and after theirs
 * (draft-ietf-oauth-status-list, Privacy Considerations: herd privacy, linkability).
 */
async function createStatusList(db: Db, size: number): Promise<void> {
  const order = new Uint32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const bytes = Buffer.alloc(size * 4);
  for (let i = 0; i < size; i++) bytes.writeUInt32BE(order[i]!, i * 4);
  await db.statusList.create({ data: { size, bits: new Uint8Array(size / 8), order: new Uint8Array(bytes) } });
}

/**
 * Sets an entry to INVALID (0x01) in the caller's transaction. PostgreSQL's set_bit numbers bits
 * from the least significant bit of each byte, exactly as the status list encodes 1-bit statuses.
 */
export async function markInvalid(tx: Tx, entry: StatusEntry): Promise<void> {
  const updated = await tx.$executeRaw`
    UPDATE "StatusList" SET "bits" = set_bit("bits", ${entry.idx}::int, 1), "updatedAt" = now()
    WHERE "id" = ${entry.listId}::int`;
  if (updated !== 1) throw new Error(`status list ${entry.listId} does not exist`);
}
