import { randomUUID } from "node:crypto";
import { canonicalJson, MerkleTree } from "@vergewis/sdk";
import type { Db } from "../../packages/server/src/db/client.ts";

const BATCH = 5000;

/** A log entry of realistic size: publication requests (most of a log) and takedown events. */
function entryAt(i: number, time: Date, platform: string) {
  const publication = randomUUID();
  const fingerprint = (n: number) => ({
    alg: "sha-256",
    value: (publication.replaceAll("-", "") + n).padEnd(64, "0").slice(0, 64),
  });
  const data =
    i % 4 === 3
      ? { takedownId: randomUUID(), reason: "revocation", dueAt: new Date(time.getTime() + 86_400_000).toISOString() }
      : {
          contentFingerprints: [fingerprint(1), fingerprint(2)],
          scope: { purposes: ["publish"], territories: ["BE", "NL"], validUntil: "2030-01-01T00:00:00.000Z" },
          slots: [{ id: randomUUID(), role: "uploader", expiresAt: "2027-01-01T00:00:00.000Z" }],
        };
  const type = i % 4 === 3 ? "takedown.requested" : "publication.requested";
  const entry = canonicalJson({ type, time: time.toISOString(), platform, publication, data });
  return { type, entry, publication };
}

/**
 * Writes a log of `count` entries straight into the tables, as appendEvent would have left them
 * (entries, leaf hashes, every complete subtree), in batches: the way to reach a million entries
 * in minutes. Returns the in-memory tree of the same log, for checks.
 */
export async function bulkLoadLog(db: Db, count: number, log: (message: string) => void): Promise<MerkleTree> {
  const tree = new MerkleTree();
  const platform = randomUUID();
  const start = Date.now() - count * 1000;
  for (let first = 0; first < count; first += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, count - first) }, (_, k) => {
      const i = first + k;
      const time = new Date(start + i * 1000);
      const { type, entry, publication } = entryAt(i, time, platform);
      tree.appendEntry(entry);
      return { i, type, entry, publication, time, hash: Buffer.from(tree.leafHash(i)).toString("hex") };
    });
    await db.$executeRaw`
      INSERT INTO "AuditEvent" ("index", "type", "entry", "leafHash", "platformId", "publicationId", "createdAt")
      SELECT i, t, e, decode(h, 'hex'), ${platform}::uuid, p, c
      FROM unnest(${rows.map((r) => BigInt(r.i))}::bigint[], ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.entry)}::text[],
        ${rows.map((r) => r.hash)}::text[], ${rows.map((r) => r.publication)}::uuid[], ${rows.map((r) => r.time)}::timestamptz[])
        AS u(i, t, e, h, p, c)`;
    if ((first / BATCH) % 40 === 0)
      log(`loaded ${first.toLocaleString("en")} of ${count.toLocaleString("en")} entries`);
  }
  for (let level = 0; 2 ** level <= count; level++) {
    const nodes = Math.floor(count / 2 ** level);
    for (let first = 0; first < nodes; first += BATCH) {
      const indexes = Array.from({ length: Math.min(BATCH, nodes - first) }, (_, k) => first + k);
      await db.$executeRaw`
        INSERT INTO "AuditNode" ("level", "index", "hash")
        SELECT ${level}::smallint, i, decode(h, 'hex')
        FROM unnest(${indexes.map(BigInt)}::bigint[], ${indexes.map((index) => Buffer.from(tree.node({ level, index })).toString("hex"))}::text[]) AS u(i, h)`;
    }
  }
  log(`loaded the tree of ${count.toLocaleString("en")} leaves`);
  return tree;
}
