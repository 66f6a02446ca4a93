// `npm run bench -- --soak`: mixed traffic at a fixed open-loop rate against the built server
// (`vergewis start`) in its own process, on the embedded database and then on a throwaway
// PostgreSQL cluster; latency per kind of request, statuses, and the server's memory every 10 s.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startPostgresCluster, type PostgresCluster } from "../../test/support/postgres-cluster.ts";
import { startReceiver, type Receiver } from "../../test/support/receiver.ts";
import { machine, type SoakRun, type SoakSection } from "../lib/results.ts";
import { startProcess, type ChildServer } from "../lib/server-process.ts";
import { openLoop } from "../lib/open-loop.ts";
import { MemoryProbe, PROBE_NODE_ARGS } from "./memory.ts";
import { interleave, MIX, scaleMix, type Operation } from "./schedule.ts";
import { rssGrowth } from "./summary.ts";
import { Traffic, type SoakServerInfo } from "./traffic.ts";

const CLI = new URL("../../packages/server/dist/cli.js", import.meta.url).pathname;
const SEED = new URL("../servers/soak.ts", import.meta.url).pathname;
const RSS_INTERVAL_MS = 10_000;
const SERVER_NODE_OPTIONS = "--max-old-space-size=1024";
/** The requests of each operation, as recorded (a consent is four requests, a revocation two). */
const KINDS: Record<Operation, string[]> = {
  check: ["check"],
  publication: ["publication"],
  audit: ["audit query"],
  consent: ["invitation link", "invitation claim", "consent options", "consent"],
  revocation: ["revocation options", "revocation"],
  invalid: ["invalid input"],
};

export interface SoakOptions {
  durationSeconds: number;
  /** Requests per second over all kinds. */
  rate: number;
  databases: Array<"pglite" | "postgresql">;
  /**
   * Writes a heap snapshot of the server here at the start of the growth window and at the end of
   * the sending, to compare what was retained in between. Writing one doubles the heap for a while,
   * so the RSS of such a run is not the figure the target is about.
   */
  heapSnapshotDir?: string;
  log(message: string): void;
}

export async function runSoak(options: SoakOptions): Promise<SoakSection> {
  const section: SoakSection = { date: new Date().toISOString(), node: process.version, machine: machine(), runs: [] };
  for (const database of options.databases) {
    options.log(`${database}: ${options.durationSeconds} s at ${options.rate} requests/s`);
    section.runs.push(await soakOn(database, options));
    const run = section.runs[section.runs.length - 1]!;
    for (const k of run.kinds)
      options.log(
        `${k.kind.padEnd(18)} ${String(k.requests).padStart(7)} req  p50 ${k.p50.toFixed(1).padStart(7)} ms  p99 ${k.p99
          .toFixed(1)
          .padStart(8)} ms  ${JSON.stringify(k.statuses)}${k.unexpected ? `  UNEXPECTED ${k.unexpected}` : ""}`,
      );
    const series = (of: (s: (typeof run.rss)[number]) => number | undefined) =>
      run.rss.map((s) => Math.round(of(s) ?? NaN)).join(" ");
    options.log(`server memory every 10 s (MiB):`);
    options.log(`  RSS            ${series((s) => s.mib)}`);
    options.log(`  heap total     ${series((s) => s.heap?.totalMiB)}`);
    // What V8's heap does not account for (code, buffers, the allocator's arenas): flat, or a leak outside JavaScript.
    options.log(`  RSS − heap     ${series((s) => s.heap && s.mib - s.heap.totalMiB)}`);
    options.log(`  new space      ${series((s) => s.heap?.spacesMiB?.new_space)}`);
    options.log(`  old space      ${series((s) => s.heap?.spacesMiB?.old_space)}`);
    options.log(`  heap used      ${series((s) => s.heap?.usedMiB)}`);
    options.log(`  live heap (GC) ${series((s) => s.heap?.liveMiB)}`);
    options.log(`  external       ${series((s) => s.heap?.externalMiB)}`);
    options.log(`  arrayBuffers   ${series((s) => s.heap?.arrayBuffersMiB)}`);
    const live = run.liveHeapGrowth;
    if (live)
      options.log(
        `live heap ${live.fromMiB} → ${live.toMiB} MiB (${(live.ratio * 100).toFixed(1)} %) over ${live.fromSeconds}–${live.toSeconds} s`,
      );
    options.log(
      `server RSS ${run.rssGrowth.fromMiB} → ${run.rssGrowth.toMiB} MiB; growth ${(run.rssGrowth.ratio * 100).toFixed(1)} % ` +
        `(${run.rssGrowth.fromSeconds}–${run.rssGrowth.toSeconds} s); server CPU ${Math.round(run.serverCpu.shareOfCore * 100)} % ` +
        `of a core, ${run.serverCpu.msPerRequest} ms per request, load average ${run.serverCpu.loadAverage.join(" / ")}; ${run.pass ? "PASS" : "FAIL"}`,
    );
    for (const note of run.notes) options.log(note);
  }
  return section;
}

async function soakOn(database: "pglite" | "postgresql", options: SoakOptions): Promise<SoakRun> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-soak-"));
  let cluster: PostgresCluster | undefined;
  const logFile = path.join(dataDir, "server.log");
  const secret = randomBytes(32).toString("base64url");
  // Test mode: the embedded local identity provider verifies the performers' ages, and webhooks may
  // go to the loopback receiver. Rate limits are lifted: every request comes from 127.0.0.1.
  const env: Record<string, string> = {
    NODE_ENV: "test",
    VERGEWIS_DATA_DIR: dataDir,
    VERGEWIS_SECRET: secret,
    LOG_LEVEL: "warn",
    VERGEWIS_HOST: "127.0.0.1",
    VERGEWIS_PORT: "0",
    VERGEWIS_RATE_LIMIT_LOGIN: "1000000",
    VERGEWIS_RATE_LIMIT_INVITATIONS: "1000000",
    VERGEWIS_RATE_LIMIT_VERIFICATION: "1000000",
    DATABASE_URL: "",
    // As docs/operator.md has production run it: without a bound V8 lets the old generation grow
    // to four times its live size between full collections, and RSS follows where in that cycle
    // a sample falls rather than what the server holds.
    NODE_OPTIONS: [process.env.NODE_OPTIONS, SERVER_NODE_OPTIONS].filter(Boolean).join(" "),
  };
  try {
    if (database === "postgresql") {
      options.log("starting a throwaway PostgreSQL cluster");
      cluster = await startPostgresCluster();
      const admin = new pg.Client(cluster.adminUrl);
      await admin.connect();
      await admin.query("CREATE DATABASE soak");
      await admin.end();
      const url = new URL(cluster.adminUrl);
      url.pathname = "/soak";
      env.DATABASE_URL = url.toString();
    }
    const seeded = execFileSync(process.execPath, ["--import", "tsx", SEED], {
      env: { ...process.env, BENCH_DATA_DIR: dataDir, VERGEWIS_SECRET: secret, DATABASE_URL: env.DATABASE_URL! },
      encoding: "utf8",
    });
    const keys = JSON.parse(seeded.trim().split("\n").pop()!) as Omit<SoakServerInfo, "url">;
    const server = await startProcess(
      [...PROBE_NODE_ARGS, CLI, "start"],
      env,
      (line) => /^Vergewis API: (\S+)$/.exec(line)?.[1],
      { ipc: true, output: fs.createWriteStream(logFile) },
    );
    const receiver = await startReceiver();
    let run: SoakRun;
    try {
      run = await drive(server, { url: server.info, ...keys }, receiver, database, options);
    } finally {
      await server.stop();
      await receiver.close();
    }
    // The server's own account of what went wrong: how many error lines, and the first few.
    const errors = fs
      .readFileSync(logFile, "utf8")
      .split("\n")
      .filter((line) => /"level":(50|60)/.test(line));
    if (errors.length) run.notes.push(`${errors.length} error lines in the server log; the first:`);
    for (const line of errors.slice(0, 3)) run.notes.push(`server log: ${line.slice(0, 400)}`);
    if (server.child.exitCode !== null && server.child.exitCode !== 0) {
      run.notes.push(`the server exited with ${server.child.exitCode}`);
      run.pass = false;
    }
    return run;
  } finally {
    cluster?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function drive(
  server: ChildServer<unknown>,
  info: SoakServerInfo,
  receiver: Receiver,
  database: SoakRun["database"],
  options: SoakOptions,
): Promise<SoakRun> {
  const mix = scaleMix(MIX, options.rate);
  const rates: Record<string, number> = {};
  for (const entry of mix) for (const kind of KINDS[entry.operation]) rates[kind] = entry.perSecond;
  const traffic = new Traffic(info, rates);
  const probe = new MemoryProbe(server.child);
  const endpoint = await fetch(`${info.url}/v1/webhook-endpoints`, {
    method: "POST",
    headers: { authorization: `Bearer ${info.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ url: receiver.url }),
  });
  if (endpoint.status !== 201) throw new Error(`webhook endpoint: ${endpoint.status} ${await endpoint.text()}`);
  options.log("onboarding 20 performers and a stock of publications and consents");
  await traffic.setup(20, 100);

  const operations = interleave(mix);
  const perSecond = mix.reduce((sum, e) => sum + e.perSecond, 0);
  const durationMs = options.durationSeconds * 1000;
  let lateStarts = 0;
  const rss: SoakRun["rss"] = [];
  const begin = performance.now();
  const cpuBefore = server.cpuSeconds();
  const windowStart = options.durationSeconds - Math.min(240, 0.8 * options.durationSeconds);
  const snapshot = async (name: string) => {
    if (!options.heapSnapshotDir) return;
    const file = await probe.heapSnapshot(path.join(options.heapSnapshotDir, `${database}-${name}.heapsnapshot`));
    options.log(`heap snapshot: ${file}`);
  };
  // RSS first, as the traffic left it; then the heap, whose reading ends with a full collection.
  const sample = async () => {
    const atSeconds = Math.round((performance.now() - begin) / 1000);
    const mib = Number(server.rssMiB().toFixed(1));
    const databaseMiB = Number(server.descendantsRssMiB().toFixed(1));
    const { heap } = await probe.read();
    rss.push({ atSeconds, mib, ...(databaseMiB > 0 && { databaseMiB }), heap });
  };
  let sampling = sample();
  const sampler = setInterval(() => {
    sampling = sampling.then(sample);
  }, RSS_INTERVAL_MS);
  const snapshotAtWindow = setTimeout(() => {
    sampling = sampling.then(() => snapshot("window-start"));
  }, windowStart * 1000);
  const progress = setInterval(
    () =>
      options.log(
        `${Math.round((performance.now() - begin) / 1000)} s: ${traffic.started} requests, ${traffic.inFlight.size} operations in flight, RSS ${Math.round(server.rssMiB())} MiB`,
      ),
    60_000,
  );
  try {
    await openLoop(perSecond, durationMs, (_slot, lateMs) => {
      if (lateMs > 100) lateStarts++;
      traffic.start(operations.next().value as Operation);
    });
    const sentSeconds = (performance.now() - begin) / 1000;
    const sent = traffic.started;
    const cpuSeconds = server.cpuSeconds() - cpuBefore;
    // The last sample at the end of the sending, before the stragglers are awaited.
    clearInterval(sampler);
    await sampling;
    if (rss[rss.length - 1]!.atSeconds < options.durationSeconds) await sample();
    await snapshot("end");
    const drained = await Promise.race([
      Promise.all(traffic.inFlight).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 60_000).unref()),
    ]);
    const kinds = [...traffic.kinds.values()].map((k) => k.summary());
    const growth = rssGrowth(rss, options.durationSeconds);
    const liveHeapGrowth = rssGrowth(rss, options.durationSeconds, (s) => s.heap!.liveMiB);
    const notes: string[] = [];
    for (const [operation, n] of Object.entries(traffic.skipped))
      notes.push(`${n} ${operation} operations found no work (no invitation or consent left) and sent nothing`);
    if (!drained) notes.push(`${traffic.inFlight.size} operations still unanswered 60 s after the last was started`);
    const first = rss.find((r) => r.atSeconds === growth.fromSeconds)!.databaseMiB;
    const last = rss[rss.length - 1]!.databaseMiB;
    if (first && last)
      notes.push(
        `embedded database process: RSS ${first.toFixed(1)} → ${last.toFixed(1)} MiB over the same window (${(((last - first) / first) * 100).toFixed(1)} %)`,
      );
    if (lateStarts)
      notes.push(`${lateStarts} operations started more than 100 ms after their slot (load generator busy)`);
    notes.push(`${receiver.unique().size} webhooks (distinct ids) received at the loopback receiver`);
    const unexpected = kinds.reduce((sum, k) => sum + k.unexpected, 0);
    return {
      database,
      durationSeconds: options.durationSeconds,
      targetRate: options.rate,
      sentRate: Number((sent / sentSeconds).toFixed(1)),
      lateStarts,
      serverCpu: {
        seconds: Number(cpuSeconds.toFixed(2)),
        shareOfCore: Number((cpuSeconds / sentSeconds).toFixed(3)),
        msPerRequest: Number(((cpuSeconds * 1000) / sent).toFixed(2)),
        loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))),
      },
      requests: kinds.reduce((sum, k) => sum + k.requests, 0),
      kinds,
      rss,
      rssGrowth: growth,
      liveHeapGrowth,
      pass: unexpected === 0 && drained && growth.ratio < 0.1,
      notes,
    };
  } finally {
    clearInterval(sampler);
    clearTimeout(snapshotAtWindow);
    clearInterval(progress);
  }
}
