import { randomInt } from "node:crypto";
import type { Db, Tx } from "../db/client.ts";

export interface StatusEntry {
  listId: number;
  idx: number;
}

/**
 * Claims up to `count` free entries of a status list. One UPDATE takes them under the row lock, so
 * any number of server instances on one database never hand out an entry twice; when every list
 * is full a new one is made. It runs outside the callers' transactions, so the lock is held for
 * microseconds; an entry whose consent then fails stays unused (status 0), which is harmless.
 */
export async function claimStatusEntries(db: Db, size: number, count: number): Promise<StatusEntry[]> {
  for (;;) {
    const [row] = await db.$queryRaw<Array<{ id: number; entries: Uint8Array }>>`
      WITH list AS (
        SELECT "id", "allocated" FROM "StatusList" WHERE "allocated" < "size" ORDER BY "id" LIMIT 1 FOR UPDATE
      )
      UPDATE "StatusList" s SET "allocated" = least(s."allocated" + ${count}::int, s."size")
      FROM list WHERE s."id" = list."id"
      RETURNING s."id", substring(s."order" from list."allocated" * 4 + 1 for (s."allocated" - list."allocated") * 4) AS "entries"`;
    if (row) {
      const bytes = Buffer.from(row.entries);
      return Array.from({ length: bytes.length / 4 }, (_, i) => ({ listId: row.id, idx: bytes.readUInt32BE(i * 4) }));
    }
    await createStatusList(db, size);
  }
}

/**
 * Status-list entries for this instance, claimed a batch at a time: a consent takes one from
 * memory instead of a round trip to the database. Entries left when the process ends are never
 * used, which only leaves their bits at 0.
 */
export class StatusEntries {
  readonly #free: StatusEntry[] = [];
  #claiming: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly size: number,
    private readonly batch = 32,
  ) {}

  async next(): Promise<StatusEntry> {
    for (;;) {
      const entry = this.#free.shift();
      if (entry) return entry;
      this.#claiming ??= claimStatusEntries(this.db, this.size, this.batch)
        .then((entries) => void this.#free.push(...entries))
        .finally(() => (this.#claiming = undefined));
      await this.#claiming;
    }
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
