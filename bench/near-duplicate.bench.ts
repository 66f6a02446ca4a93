import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { createDb, type Db } from "../packages/server/src/db/client.ts";
import { startEmbeddedDatabase } from "../packages/server/src/db/embedded/start.ts";
import { migrate } from "../packages/server/src/db/migrate/migrate.ts";
import { BAND_OFFSETS, BAND_WIDTHS, hexOf, indexedHash } from "../packages/server/src/near-duplicate/hash.ts";
import { bandProbes, bandRadii } from "../packages/server/src/near-duplicate/probes.ts";
import {
  findNearDuplicates,
  type NearDuplicateMatch,
  type NearDuplicateSearch,
} from "../packages/server/src/near-duplicate/search.ts";
import { indexPerceptualHashes } from "../packages/server/src/near-duplicate/store.ts";
import { flip, platformWithPublication } from "../test/support/perceptual.ts";
import { startPostgresCluster } from "../test/support/postgres-cluster.ts";
import { migratedDatabase } from "./lib/database.ts";
import { median, percentile } from "./lib/load.ts";
import type { BenchContext, Benchmark, BenchResult } from "./lib/types.ts";

/** 10,000,000 stored hashes take some 15 minutes to generate and index here: opt in with `=1`. */
const TEN_MILLION = "VERGEWIS_BENCH_NEAR_DUPLICATE_10M";
const SEARCH: NearDuplicateSearch = { threshold: 31, qualityFloor: 50 };
const LOOKUPS = 300;
const SCANS = 7;
/** Hashes stored through the module, that lookups search near (the rest are random). */
const PLANTED = 100;
const LOAD_CHUNK = 500_000;

const sorted = (samples: number[]) => [...samples].sort((a, b) => a - b);
const ms = (n: number) => Number(n.toFixed(3));
const mib = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1));

/**
 * `count` PDQ hashes, generated in SQL. Real hashes are not uniformly random: platforms hold
 * near-copies of the same content. So a fifth of the rows are clusters of ten copies (quality 99)
 * of a centre, each word with up to three of its bits flipped (0–12 bits from the centre, 0–24
 * from each other); the rest are uniformly random (quality 100). Words come from two 32-bit halves
 * of `random()`, or for a centre from `hashtextextended`; the bands are cut from the words as the
 * migration does. The band indexes are dropped for the load and built again after it (`CREATE
 * INDEX` on a full table is much faster than maintaining them row by row), and the load skips the
 * foreign-key triggers. Through a client of its own: the server's pool stops a statement after 10 s.
 */
async function load(db: Db, url: string, count: number, ctx: BenchContext, label: string) {
  const { platformId, publicationId } = await platformWithPublication(db, "Bench");
  const fingerprints = Array.from({ length: 1_000 }, () => ({
    id: randomUUID(),
    publicationId,
    alg: "sha-256",
    value: randomBytes(32).toString("hex"),
  }));
  await db.contentFingerprint.createMany({ data: fingerprints });
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
       WHERE tablename = 'PerceptualHash' AND indexname ~ '_band[0-9]+_idx$'`,
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
    const half = "floor(random() * 4294967296)::int8";
    const flips = [1, 2, 3].map(() => "(1::int8 << floor(random() * 64)::int)").join(" | ");
    const word = (w: number) =>
      `CASE WHEN g % 5 = 0 THEN hashtextextended((g / 50)::text, ${w}) # (${flips})
            ELSE (${half} << 32) | ${half} END AS h${w}`;
    const bands = BAND_WIDTHS.map(
      (width, b) => `substring(w.bits FROM ${BAND_OFFSETS[b]! + 1} FOR ${width})::bit(${width})::int`,
    ).join(", ");
    const started = performance.now();
    await client.query("SET session_replication_role = replica");
    for (let from = 0; from < count; from += LOAD_CHUNK) {
      const to = Math.min(count, from + LOAD_CHUNK);
      await client.query(
        `INSERT INTO "PerceptualHash" ("h0", "h1", "h2", "h3", "platformId", "fingerprintId", "alg", "quality",
           ${BAND_WIDTHS.map((_, b) => `"band${b}"`).join(", ")})
         SELECT w.h0, w.h1, w.h2, w.h3, $1::uuid, ($2::uuid[])[1 + w.g % 1000], 'pdq', w.quality, ${bands}
         FROM (SELECT g, h0, h1, h2, h3, CASE WHEN g % 5 = 0 THEN 99 ELSE 100 END AS quality,
                 h0::bit(64) || h1::bit(64) || h2::bit(64) || h3::bit(64) AS bits
               FROM generate_series($3::int, $4::int) AS g,
                 LATERAL (SELECT ${[0, 1, 2, 3].map(word).join(", ")} WHERE g IS NOT NULL) AS x) AS w`,
        [platformId, fingerprints.map((f) => f.id), from, to - 1],
      );
      ctx.log(`${to.toLocaleString("en")} hashes generated (${label})`);
    }
    await client.query("SET session_replication_role = DEFAULT");
    await client.query("SET maintenance_work_mem = '256MB'");
    for (const index of indexes) await client.query(index.definition);
    await client.query(`VACUUM ANALYZE "PerceptualHash"`);
    ctx.log(`generated and indexed in ${((performance.now() - started) / 1000).toFixed(0)} s (${label})`);
  } finally {
    await client.end();
  }
  // Lookups near a cluster find its ten copies (and must find every one of them).
  const clustered = await db.$queryRawUnsafe<Array<{ h0: string; h1: string; h2: string; h3: string }>>(
    `SELECT "h0"::text, "h1"::text, "h2"::text, "h3"::text FROM "PerceptualHash" WHERE "quality" = 99 LIMIT $1`,
    PLANTED,
  );
  const planted = Array.from({ length: PLANTED }, () => randomBytes(32).toString("hex"));
  await db.$transaction(async (tx) => {
    for (const [i, value] of planted.entries()) {
      await indexPerceptualHashes(
        tx,
        { platformId, fingerprintId: fingerprints[i]!.id },
        { alg: "pdq", value, quality: 100 },
      );
    }
  });
  return [...planted, ...clustered.map((r) => hexOf([r.h0, r.h1, r.h2, r.h3]))];
}

/** The baseline: the same verification over every row, without the bands. */
const BRUTE_FORCE = `SELECT h."fingerprintId", (${[0, 1, 2, 3]
  .map((w) => `bit_count((h."h${w}" # $${w + 1}::int8)::bit(64))`)
  .join(" + ")})::int AS distance
  FROM "PerceptualHash" h WHERE h."alg" = 'pdq' AND h."quality" >= $5
  AND (${[0, 1, 2, 3].map((w) => `bit_count((h."h${w}" # $${w + 1}::int8)::bit(64))`).join(" + ")}) <= $6`;

/**
 * Half the lookups near a planted hash or a cluster's copy (0–40 bits away), half random: both
 * kinds of question.
 */
const queries = (planted: string[], n: number) =>
  Array.from({ length: n }, (_, i) =>
    i % 2 ? flip(planted[i % planted.length]!, randomBytes(1)[0]! % 41) : randomBytes(32).toString("hex"),
  );

const key = (matches: Array<Pick<NearDuplicateMatch, "fingerprintId" | "distance">>) =>
  matches
    .map((m) => `${m.fingerprintId}:${m.distance}`)
    .sort()
    .join(",");

async function measure(db: Db, url: string, count: number, label: string, ctx: BenchContext): Promise<BenchResult[]> {
  const planted = await load(db, url, count, ctx, label);
  const lookup = (value: string) => findNearDuplicates(db, { alg: "pdq", value, quality: 100 }, SEARCH);
  for (const value of queries(planted, 20)) await lookup(value);
  const samples: number[] = [];
  for (const value of queries(planted, LOOKUPS)) {
    const start = performance.now();
    await lookup(value);
    samples.push(performance.now() - start);
  }
  ctx.log(`${LOOKUPS} lookups: p99 ${ms(percentile(sorted(samples), 99))} ms (${label})`);

  // The brute-force scan, on queries near planted hashes, must give the index's answer.
  const scans: number[] = [];
  for (const value of queries(planted, SCANS * 2).filter((_, i) => i % 2)) {
    const start = performance.now();
    const scanned = await db.$queryRawUnsafe<Array<{ fingerprintId: string; distance: number }>>(
      BRUTE_FORCE,
      ...indexedHash(value).words,
      SEARCH.qualityFloor,
      SEARCH.threshold,
    );
    scans.push(performance.now() - start);
    if (key(scanned) !== key(await lookup(value))) throw new Error(`the index and the scan disagree (${label})`);
  }
  ctx.log(`${SCANS} brute-force scans: median ${ms(median(scans))} ms (${label})`);

  const candidates: number[] = [];
  for (const value of queries(planted, 20)) {
    const bands = indexedHash(value).bands.map((band, b) =>
      bandProbes(band, BAND_WIDTHS[b]!, bandRadii(SEARCH.threshold)[b]!),
    );
    const [{ n }] = await db.$queryRawUnsafe<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM "PerceptualHash" h WHERE ${bands.map((_, b) => `h."band${b}" = ANY($${b + 1}::int[])`).join(" OR ")}`,
      ...bands,
    );
    candidates.push(n);
  }
  const [size] = await db.$queryRaw<[{ table: bigint; indexes: bigint }]>`
    SELECT pg_table_size('"PerceptualHash"') AS table, pg_indexes_size('"PerceptualHash"') AS indexes`;
  const total = Number(size.table) + Number(size.indexes);
  const n = count.toLocaleString("en");
  return [
    {
      name: `near-duplicate lookup p99 at ${n} hashes (${label})`,
      value: ms(percentile(sorted(samples), 99)),
      unit: "ms",
      baseline: { name: "brute-force scan, same query", value: ms(percentile(sorted(scans), 99)) },
      ratio: percentile(sorted(samples), 99) / percentile(sorted(scans), 99),
      target: label === "postgresql" ? "< 20 ms" : undefined,
      ...(label === "postgresql" && { pass: percentile(sorted(samples), 99) < 20 }),
      samplesMs: samples,
      baselineSamplesMs: scans,
    },
    {
      name: `near-duplicate lookup median at ${n} hashes (${label})`,
      value: ms(median(samples)),
      unit: "ms",
      baseline: { name: "brute-force scan, same query", value: ms(median(scans)) },
      ratio: median(samples) / median(scans),
    },
    {
      name: `near-duplicate candidates verified per lookup at ${n} hashes (${label})`,
      value: median(candidates),
      unit: "rows",
    },
    {
      name: `near-duplicate table + indexes at ${n} hashes (${label})`,
      value: mib(total),
      unit: "MiB",
      baseline: { name: "table alone", value: mib(Number(size.table)) },
      ratio: total / Number(size.table),
    },
  ];
}

/**
 * Issue 18, item 7: near-duplicate lookups (PDQ, threshold 31, every platform) through the index
 * module at 1,000,000 stored hashes on PostgreSQL and on PGlite, and at 10,000,000 on PostgreSQL
 * when `VERGEWIS_BENCH_NEAR_DUPLICATE_10M=1`; each against a brute-force scan in the same run.
 */
export const nearDuplicateBenchmark: Benchmark = {
  name: "near-duplicate",
  async run(ctx) {
    const results: BenchResult[] = [];
    const million = ctx.quick ? 100_000 : 1_000_000;
    const sizes = [million, ...(process.env[TEN_MILLION] === "1" && !ctx.quick ? [10_000_000] : [])];
    if (!ctx.quick && sizes.length === 1) ctx.log(`10,000,000 hashes on PostgreSQL: set ${TEN_MILLION}=1`);

    ctx.log("starting a PostgreSQL cluster");
    const cluster = await startPostgresCluster();
    try {
      for (const size of sizes) {
        const url = await migratedDatabase(cluster.adminUrl, `bench_near_duplicate_${size}`);
        const db = createDb(url, 5);
        try {
          results.push(...(await measure(db, url, size, "postgresql", ctx)));
        } finally {
          await db.$disconnect();
        }
      }
    } finally {
      cluster.stop();
    }

    const embedded = await startEmbeddedDatabase();
    try {
      await migrate(embedded.url);
      const db = createDb(embedded.url, 1, { embedded: true });
      try {
        results.push(...(await measure(db, embedded.url, million, "pglite", ctx)));
      } finally {
        await db.$disconnect();
      }
    } finally {
      await embedded.stop();
    }
    return results;
  },
};
