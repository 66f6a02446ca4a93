import { randomUUID } from "node:crypto";
import { auditLog } from "../packages/server/src/audit/append.ts";
import { consistencyProof, inclusionProof, rootAt } from "../packages/server/src/audit/tree.ts";
import { verifyRemoteLog } from "../packages/server/src/verifier/remote-log.ts";
import { createDb, type Db } from "../packages/server/src/db/client.ts";
import { startEmbeddedDatabase } from "../packages/server/src/db/embedded/start.ts";
import { migrate } from "../packages/server/src/db/migrate/migrate.ts";
import { startPostgresCluster } from "../test/support/postgres-cluster.ts";
import { bulkLoadLog } from "./lib/audit-log.ts";
import { migratedDatabase } from "./lib/database.ts";
import { median, percentile } from "./lib/load.ts";
import { startChild } from "./lib/server-process.ts";
import type { BenchContext, Benchmark, BenchResult } from "./lib/types.ts";
import { runTransaction } from "../packages/server/src/db/transaction.ts";

const sorted = (samples: number[]) => [...samples].sort((a, b) => a - b);
const ms = (n: number) => Number(n.toFixed(3));

const append = (db: Db, platformId: string) =>
  runTransaction(db, async (_tx, effects) =>
    effects.write(auditLog, { type: "publication.cleared", platformId, publicationId: randomUUID(), data: {} }),
  );

/**
 * The baseline of an append: one INSERT of an entry of the same size into a plain table with a
 * serial key, in its own transaction through the same client, without the log's sequence lock,
 * leaf hash and tree nodes.
 */
const rawInsert = (db: Db, platformId: string) =>
  db.$transaction(
    (tx) =>
      tx.$executeRaw`INSERT INTO bench_raw_append (entry) VALUES (${JSON.stringify({
        type: "publication.cleared",
        time: new Date().toISOString(),
        platform: platformId,
        publication: randomUUID(),
        data: {},
      })})`,
  );

/**
 * Sequential appends, each in its own transaction as a state change makes them; every tenth is
 * followed by a raw INSERT (the baseline), so that both see the same machine.
 */
async function appends(db: Db, count: number, label: string, ctx: BenchContext): Promise<BenchResult[]> {
  ctx.log(`appending ${count.toLocaleString("en")} events, and ${count / 10} raw INSERTs among them (${label})`);
  await db.$executeRawUnsafe(
    "CREATE TABLE IF NOT EXISTS bench_raw_append (id bigserial PRIMARY KEY, entry text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
  );
  const platformId = randomUUID();
  const samples: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < count; i++) {
    let start = performance.now();
    await append(db, platformId);
    samples.push(performance.now() - start);
    if (i % 10 === 9) {
      start = performance.now();
      await rawInsert(db, platformId);
      raw.push(performance.now() - start);
    }
    if (i % 20_000 === 19_999) ctx.log(`${(i + 1).toLocaleString("en")} appended`);
  }
  const baseline = { name: "raw INSERT, own transaction" };
  return [
    {
      name: `append median, ${count.toLocaleString("en")} events (${label})`,
      value: ms(median(samples)),
      unit: "ms",
      baseline: { ...baseline, value: ms(median(raw)) },
      ratio: median(samples) / median(raw),
      samplesMs: samples,
      baselineSamplesMs: raw,
    },
    {
      name: `append p99 (${label})`,
      value: ms(percentile(sorted(samples), 99)),
      unit: "ms",
      baseline: { ...baseline, value: ms(percentile(sorted(raw), 99)) },
      ratio: percentile(sorted(samples), 99) / percentile(sorted(raw), 99),
    },
  ];
}

/**
 * O(log n): appends to the large log cost about what appends to an empty one cost. The two are
 * interleaved in rounds, so that the load of a shared machine weighs on both alike.
 */
async function appendCostAtSize(large: Db, empty: Db, size: number, ctx: BenchContext): Promise<BenchResult> {
  ctx.log(`appends at ${size.toLocaleString("en")} leaves against appends to an empty log, interleaved`);
  const platformId = randomUUID();
  const atSize: number[] = [];
  const atZero: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const [db, samples] of [
      [large, atSize],
      [empty, atZero],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const start = performance.now();
        await append(db, platformId);
        samples.push(performance.now() - start);
      }
    }
  }
  const ratio = median(atSize) / median(atZero);
  return {
    name: `append median at ${size.toLocaleString("en")} leaves (postgresql)`,
    value: ms(median(atSize)),
    unit: "ms",
    baseline: { name: "empty log", value: ms(median(atZero)) },
    ratio,
    target: "ratio < 1.5",
    pass: ratio < 1.5,
  };
}

async function proofs(db: Db, size: number, label: string, ctx: BenchContext): Promise<BenchResult[]> {
  const rounds = ctx.quick ? 200 : 1000;
  ctx.log(`${rounds} inclusion and ${rounds} consistency proofs at ${size.toLocaleString("en")} leaves (${label})`);
  await rootAt(db, size);
  const inclusion: number[] = [];
  const consistency: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let start = performance.now();
    await inclusionProof(db, Math.floor(Math.random() * size), size);
    inclusion.push(performance.now() - start);
    const a = 1 + Math.floor(Math.random() * size);
    start = performance.now();
    await consistencyProof(db, a, size);
    consistency.push(performance.now() - start);
  }
  const line = (name: string, samples: number[]): BenchResult => {
    const p99 = percentile(sorted(samples), 99);
    return {
      name: `${name} proof p99 at ${size.toLocaleString("en")} leaves (${label})`,
      value: ms(p99),
      unit: "ms",
      baseline: { name: "median", value: ms(median(samples)) },
      target: "< 10 ms",
      pass: p99 < 10,
      samplesMs: samples,
    };
  };
  return [line("inclusion", inclusion), line("consistency", consistency)];
}

async function exportAndVerify(databaseUrl: string, size: number, ctx: BenchContext): Promise<BenchResult[]> {
  const server = await startChild<{ url: string; token: string }>(
    new URL("./servers/audit.ts", import.meta.url).pathname,
    {
      BENCH_DATABASE_URL: databaseUrl,
    },
  );
  try {
    const { url, token } = server.info;
    const idle = server.rssMiB();
    ctx.log(`GET /v1/audit/export of ${size.toLocaleString("en")} events (server RSS before: ${Math.round(idle)} MiB)`);
    let start = performance.now();
    const res = await fetch(`${url}/v1/audit/export?format=jsonl`, { headers: { authorization: `Bearer ${token}` } });
    let lines = 0;
    const reader = res.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      for (const byte of chunk.value) if (byte === 10) lines++;
    }
    const exportSeconds = (performance.now() - start) / 1000;
    if (lines < size) throw new Error(`the export held ${lines} events, not ${size}`);
    const rss = server.rssMiB();

    const rounds = ctx.quick ? 100 : 500;
    ctx.log(`${rounds} inclusion and consistency proofs over HTTP`);
    const headers = { authorization: `Bearer ${token}` };
    const timed = async (path: string) => {
      const begin = performance.now();
      const answer = await fetch(`${url}${path}`, { headers });
      await answer.arrayBuffer();
      if (!answer.ok) throw new Error(`${path} answered ${answer.status}`);
      return performance.now() - begin;
    };
    const httpInclusion: number[] = [];
    const httpConsistency: number[] = [];
    for (let i = 0; i < rounds; i++) {
      httpInclusion.push(
        await timed(`/v1/audit/log/inclusion?index=${Math.floor(Math.random() * size)}&treeSize=${size}`),
      );
      httpConsistency.push(
        await timed(`/v1/audit/proofs/consistency?from=${1 + Math.floor(Math.random() * size)}&to=${size}`),
      );
    }

    ctx.log(`vergewis log verify of ${lines.toLocaleString("en")} entries`);
    start = performance.now();
    const verified = await verifyRemoteLog({ url, token });
    const verifySeconds = (performance.now() - start) / 1000;
    if (!verified.ok) throw new Error(`verification failed: ${JSON.stringify(verified.problem)}`);
    const http = (name: string, samples: number[]): BenchResult => ({
      name: `${name} over HTTP, p99 at ${size.toLocaleString("en")} leaves`,
      value: ms(percentile(sorted(samples), 99)),
      unit: "ms",
      baseline: { name: "median", value: ms(median(samples)) },
      samplesMs: samples,
    });
    return [
      http("inclusion proof", httpInclusion),
      http("consistency proof", httpConsistency),
      { name: "export rate (JSONL, streamed)", value: Math.round(lines / exportSeconds), unit: "events/s" },
      // Informational: V8 collects lazily, so RSS rises while live memory stays flat (the export
      // holds one batch of 1,000 rows at a time).
      {
        name: `server RSS after exporting ${size.toLocaleString("en")} events`,
        value: Math.round(rss),
        unit: "MiB",
        baseline: { name: "before the export", value: Math.round(idle) },
      },
      {
        name: "log verify speed (download, rehash, root)",
        value: Math.round(verified.treeSize / verifySeconds),
        unit: "leaves/s",
      },
    ];
  } finally {
    await server.stop();
  }
}

/** Issue 7: appends, proofs at a million leaves, export rate and the verifier's speed. */
export const auditBenchmark: Benchmark = {
  name: "audit",
  async run(ctx) {
    const results: BenchResult[] = [];
    const appendCount = ctx.quick ? 5_000 : 100_000;
    const logSize = ctx.quick ? 100_000 : 1_000_000;

    const embedded = await startEmbeddedDatabase();
    try {
      await migrate(embedded.url);
      const db = createDb(embedded.url, 1);
      try {
        results.push(...(await appends(db, appendCount, "pglite", ctx)));
      } finally {
        await db.$disconnect();
      }
    } finally {
      await embedded.stop();
    }

    ctx.log("starting a PostgreSQL cluster");
    const cluster = await startPostgresCluster();
    try {
      const database = (name: string) => migratedDatabase(cluster.adminUrl, name);
      const appendDb = createDb(await database("bench_append"), 5);
      const logUrl = await database("bench_log");
      const db = createDb(logUrl, 5);
      try {
        results.push(...(await appends(appendDb, appendCount, "postgresql", ctx)));
        ctx.log(`loading a log of ${logSize.toLocaleString("en")} entries`);
        await bulkLoadLog(db, logSize, ctx.log);
        await db.$executeRawUnsafe(`VACUUM ANALYZE "AuditEvent", "AuditNode"`);
        results.push(...(await proofs(db, logSize, "postgresql", ctx)));
        const empty = createDb(await database("bench_empty"), 5);
        try {
          results.push(await appendCostAtSize(db, empty, logSize, ctx));
        } finally {
          await empty.$disconnect();
        }
      } finally {
        await appendDb.$disconnect();
        await db.$disconnect();
      }
      results.push(...(await exportAndVerify(logUrl, logSize, ctx)));
    } finally {
      cluster.stop();
    }
    return results;
  },
};
