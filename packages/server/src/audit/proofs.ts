import type {
  ConsistencyProof,
  consistencyProofQuerySchema,
  InclusionProof,
  inclusionProofQuerySchema,
  LogEntries,
} from "@vergewis/sdk";
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { publishCheckpoint, type LogSigner } from "./checkpoint.ts";
import { eventWhere } from "./query.ts";
import { inScope, type AuditorScope } from "./scope.ts";
import { consistencyProof, inclusionProof, storedLeaves, treeSize } from "./tree.ts";

interface LogContext {
  db: Db;
  logSigner: LogSigner;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

async function noteOf(db: Db, size: number): Promise<string | null> {
  const row = await db.auditCheckpoint.findUnique({ where: { treeSize: BigInt(size) }, select: { note: true } });
  return row?.note ?? null;
}

/** A size given by the client must exist already; by default, a checkpoint of the current log. */
async function resolveSize(ctx: LogContext, requested: number | undefined, pointer: string, atLeast: number) {
  if (requested === undefined) return Number((await publishCheckpoint(ctx.db, ctx.logSigner)).treeSize);
  const current = await treeSize(ctx.db);
  if (requested > current) throw new ValidationError([{ pointer, reason: `the log holds only ${current} entries` }]);
  if (requested < atLeast) throw new ValidationError([{ pointer, reason: `must be at least ${atLeast}` }]);
  return requested;
}

/**
 * RFC 9162 inclusion proof for an event in the auditor's scope (others are reported absent), by
 * index or leaf hash, against the given size or the newest checkpoint.
 */
export async function inclusionFor(
  ctx: LogContext,
  scope: AuditorScope,
  query: z.output<typeof inclusionProofQuerySchema>,
): Promise<InclusionProof> {
  const match =
    query.index !== undefined
      ? { index: query.index }
      : { leafHash: new Uint8Array(Buffer.from(query.leafHash!, "base64")) };
  const event = await ctx.db.auditEvent.findFirst({
    where: { AND: [eventWhere(scope, {}), match] },
    orderBy: { index: "asc" },
    select: { index: true },
  });
  if (!event) throw new NotFoundError("log entry");
  const index = Number(event.index);
  const size = await resolveSize(ctx, query.treeSize, "/query/treeSize", index + 1);
  const { leafHash, proof } = await inclusionProof(ctx.db, index, size);
  return {
    index,
    treeSize: size,
    leafHash: b64(leafHash),
    proof: proof.map(b64),
    checkpoint: await noteOf(ctx.db, size),
  };
}

/** RFC 9162 consistency proof from an earlier size to a later one (default: the newest checkpoint). */
export async function consistencyFor(
  ctx: LogContext,
  query: z.output<typeof consistencyProofQuerySchema>,
): Promise<ConsistencyProof> {
  const current = await treeSize(ctx.db);
  if (query.from > current)
    throw new ValidationError([{ pointer: "/query/from", reason: `the log holds only ${current} entries` }]);
  const to = await resolveSize(ctx, query.to, "/query/to", query.from);
  const proof = await consistencyProof(ctx.db, query.from, to);
  return { from: query.from, to, proof: proof.map(b64), checkpoint: await noteOf(ctx.db, to) };
}

/**
 * Any leaf's audit path from the stored tree, in any scope: it reveals hashes only. It reads the
 * tree alone, so that a verifier can still locate entries that were removed from the log.
 */
export async function logInclusion(db: Db, index: number, size: number): Promise<InclusionProof> {
  const current = await storedLeaves(db);
  if (size > current)
    throw new ValidationError([{ pointer: "/query/treeSize", reason: `the log holds only ${current} entries` }]);
  const { leafHash, proof } = await inclusionProof(db, index, size);
  return { index, treeSize: size, leafHash: b64(leafHash), proof: proof.map(b64), checkpoint: await noteOf(db, size) };
}

/** A page of the raw log: the entry where the auditor may read it, otherwise only its leaf hash. */
export async function logEntries(db: Db, scope: AuditorScope, start: number, limit: number): Promise<LogEntries> {
  const rows = await db.auditEvent.findMany({
    where: { index: { gte: start, lt: start + limit } },
    orderBy: { index: "asc" },
    select: { index: true, entry: true, leafHash: true, platformId: true },
  });
  return {
    entries: rows.map((row) =>
      inScope(scope, row.platformId)
        ? { index: Number(row.index), entry: row.entry }
        : { index: Number(row.index), leafHash: b64(row.leafHash) },
    ),
  };
}
