import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchServerConfig } from "./lib/config.ts";
import { createLogger } from "../packages/server/src/log.ts";
import { createPlatform } from "../packages/server/src/platform/create.ts";
import { startServer, type RunningServer } from "../packages/server/src/runtime/start.ts";
import { TestPerformer } from "../test/support/performer.ts";
import { TestPlatform } from "../test/support/platform.ts";
import { freshIdentity } from "../test/support/portal.ts";
import type { TestServer } from "../test/support/server.ts";
import { startBareServer, type BareServer } from "./lib/bare.ts";
import { median, percentile } from "./lib/load.ts";
import type { Benchmark, BenchContext, BenchResult } from "./lib/types.ts";

/**
 * The performer portal on embedded PGlite, for a busy performer: a dashboard of many consents
 * across platforms (some withdrawn, with their takedowns), the data export with every signature
 * and receipt, and account deletion, which withdraws every consent in one transaction.
 */
export const portalBenchmark: Benchmark = {
  name: "portal",
  async run(ctx) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-portal-"));
    const config = benchServerConfig(dataDir);
    ctx.log("starting a server on a new embedded PGlite");
    const server = await startServer(config, { log: createLogger(config) });
    try {
      const consents = ctx.quick ? 20 : 50;
      const platforms = await Promise.all(
        ["Alpha", "Bravo", "Charlie", "Delta", "Echo"].map((n) => platformOf(server, n)),
      );
      ctx.log(`a performer with ${consents} consents on ${platforms.length} platforms, a fifth withdrawn`);
      const performer = await performerWith(server, platforms, consents);
      const samples = ctx.quick ? 30 : 100;
      const bare = await startBareServer();
      const results: BenchResult[] = [];
      try {
        results.push(
          await timed(ctx, performer, bare, "/portal", samples, "dashboard page", `${consents} consents`, 25),
          await timed(ctx, performer, bare, "/portal/data/export", samples, "data export", `${consents} consents`, 100),
        );
      } finally {
        await bare.close();
      }
      results.push(await deletion(ctx, server, platforms, ctx.quick ? 10 : 25));
      return results;
    } finally {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

async function platformOf(server: RunningServer, name: string): Promise<TestPlatform> {
  const platform = await createPlatform(server.ctx.db, { name });
  return new TestPlatform(server as TestServer, platform.id, platform.apiKey);
}

async function performerWith(server: RunningServer, platforms: TestPlatform[], consents: number) {
  const performer = await new TestPerformer(server.url).onboard(freshIdentity("adult"));
  for (let i = 0; i < consents; i++) {
    const publication = await platforms[i % platforms.length]!.publish({ slots: [{ role: "uploader" }] });
    await performer.acceptInvitation(publication.invitations[0]!.url);
    const signed = await performer.consent(publication.slots[0]!.id);
    if (signed.status !== 201) throw new Error(`consent failed: ${JSON.stringify(signed.body)}`);
    if (i % 5 === 0) await performer.revoke(signed.body.consentId);
  }
  return performer;
}

/**
 * Sequential GETs of a portal page as the logged-in performer, each followed by a GET of the bare
 * route (the baseline); the median is compared with `targetMs`.
 */
async function timed(
  ctx: BenchContext,
  performer: TestPerformer,
  bare: BareServer,
  path: string,
  samples: number,
  what: string,
  size: string,
  targetMs: number,
): Promise<BenchResult> {
  ctx.log(`${what}: 5 warm-up + ${samples} timed requests`);
  const latencies: number[] = [];
  const bareLatencies: number[] = [];
  for (let i = 0; i < samples + 5; i++) {
    let started = performance.now();
    const page = await performer.page(path);
    const elapsed = performance.now() - started;
    if (page.status !== 200) throw new Error(`${path} answered ${page.status}`);
    started = performance.now();
    await (await fetch(`${bare.url}/json`)).arrayBuffer();
    if (i >= 5) {
      latencies.push(elapsed);
      bareLatencies.push(performance.now() - started);
    }
  }
  ctx.log(
    `p99 ${percentile(
      [...latencies].sort((a, b) => a - b),
      99,
    ).toFixed(1)} ms`,
  );
  const value = median(latencies);
  return {
    name: `${what} median, ${size} (pglite)`,
    value,
    unit: "ms",
    baseline: { name: "bare Express JSON route", value: median(bareLatencies) },
    ratio: value / median(bareLatencies),
    target: `< ${targetMs} ms`,
    pass: value < targetMs,
    samplesMs: latencies,
    baselineSamplesMs: bareLatencies,
  };
}

/**
 * Account deletion of a performer with `consents` active consents to published content (one
 * transaction), per withdrawn consent, against withdrawing the same number one by one through the
 * revocation endpoint (the baseline, same run): deleting must not cost more per consent.
 */
async function deletion(
  ctx: BenchContext,
  server: RunningServer,
  platforms: TestPlatform[],
  consents: number,
): Promise<BenchResult> {
  const runs = ctx.quick ? 2 : 3;
  ctx.log(`${runs} × (${consents} revocations one by one, and an account deletion withdrawing ${consents})`);
  const perConsent: number[] = [];
  const revocations: number[] = [];
  for (let run = 0; run < runs; run++) {
    const single = await withConsents(server, platforms, consents);
    for (const consentId of single.consentIds) {
      const options = await single.performer.api("POST", `/consents/${consentId}/revocation/options`);
      const response = single.performer.authenticator.authenticate(options.body.options);
      const started = performance.now();
      const res = await single.performer.api("POST", `/consents/${consentId}/revocation`, {
        document: options.body.document,
        response,
      });
      revocations.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`revocation failed: ${JSON.stringify(res.body)}`);
    }
    const { performer } = await withConsents(server, platforms, consents);
    const options = await performer.api("POST", "/account/deletion/options");
    const response = performer.authenticator.authenticate(options.body.options);
    const started = performance.now();
    const res = await performer.api("POST", "/account/deletion", { document: options.body.document, response });
    const elapsed = performance.now() - started;
    if (res.status !== 200) throw new Error(`deletion failed: ${JSON.stringify(res.body)}`);
    perConsent.push(elapsed / consents);
  }
  const value = median(perConsent);
  const baseline = median(revocations);
  return {
    name: `account deletion per withdrawn consent, ${consents} consents (pglite)`,
    value,
    unit: "ms",
    baseline: { name: "one revocation request", value: baseline },
    ratio: value / baseline,
    target: "ratio ≤ 1",
    pass: value <= baseline,
  };
}

async function withConsents(server: RunningServer, platforms: TestPlatform[], consents: number) {
  const performer = await new TestPerformer(server.url).onboard(freshIdentity("adult"));
  const consentIds: string[] = [];
  for (let i = 0; i < consents; i++) {
    const publication = await platforms[i % platforms.length]!.publish({ slots: [{ role: "uploader" }] });
    await performer.acceptInvitation(publication.invitations[0]!.url);
    consentIds.push((await performer.consent(publication.slots[0]!.id)).body.consentId);
  }
  return { performer, consentIds };
}
