import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { compactVerify, importJWK, type JSONWebKeySet } from "jose";
import { verifyConsentReceipt } from "@vergewis/sdk";
import { benchServerConfig } from "./lib/config.ts";
import { signReceipt } from "../packages/server/src/consent/receipt.ts";
import { keyPairOf } from "../packages/server/src/keys/algorithms.ts";
import { createLogger } from "../packages/server/src/log.ts";
import { startServer } from "../packages/server/src/runtime/start.ts";
import { TestPlatform } from "../test/support/platform.ts";
import { freshIdentity } from "../test/support/portal.ts";
import { TestPerformer } from "../test/support/performer.ts";
import type { TestServer } from "../test/support/server.ts";
import { startBareServer } from "./lib/bare.ts";
import { median, percentile } from "./lib/load.ts";
import type { Benchmark, BenchContext, BenchResult } from "./lib/types.ts";

/**
 * Issue 4 targets: offline receipt verification in the SDK against raw `jose` ES256 verification
 * (same receipt, same key, same run), and the latency of the consent-signing endpoint on PGlite.
 */
export const identityBenchmark: Benchmark = {
  name: "identity",
  async run(ctx) {
    return [await receiptVerification(ctx), await consentSigning(ctx)];
  },
};

/**
 * Both verifiers in short batches, alternating which goes first (ABBA), so that the noise of a
 * shared machine (another process, a GC) falls on both alike; the ratio is the median of the
 * per-round ratios, which a disturbed round cannot move. Same receipt and public key: the baseline
 * gets jose's fastest path, the key imported once.
 */
async function receiptVerification(ctx: BenchContext): Promise<BenchResult> {
  const pair = await keyPairOf(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey, "ES256");
  const jwks: JSONWebKeySet = { keys: [pair.publicJwk] };
  const key = await importJWK(pair.publicJwk, "ES256");
  const receipt = await signReceipt(pair, {
    iss: "https://vergewis.example",
    sub: `prf_${randomBytes(16).toString("base64url")}`,
    aud: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e5f",
    jti: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e60",
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 365 * 86_400,
    publicationId: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e61",
    slotId: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e62",
    slotPosition: 0,
    slotCount: 1,
    documentHash: randomBytes(32).toString("base64url"),
    contentFingerprints: [{ alg: "sha-256", value: randomBytes(32).toString("hex") }],
    scope: {
      purposes: ["publish", "promote"],
      territories: ["BE", "DE", "NL"],
      validUntil: "2030-01-01T00:00:00.000Z",
    },
    auditIndex: 4_711,
    status: { status_list: { idx: 31_337, uri: "https://vergewis.example/v1/status-lists/1" } },
  });
  const sides = {
    raw: () => compactVerify(receipt, key),
    sdk: () => verifyConsentReceipt(receipt, jwks),
  };
  /** Verifications per second of one batch. */
  const batch = async (verify: () => Promise<unknown>, size: number) => {
    const t = performance.now();
    for (let i = 0; i < size; i++) await verify();
    return (size / (performance.now() - t)) * 1000;
  };
  const size = 50;
  const rounds = ctx.quick ? 60 : 200;
  for (let i = 0; i < 10; i++) {
    await batch(sides.raw, size);
    await batch(sides.sdk, size);
  }
  ctx.log(`receipt verification: ${rounds} rounds of ${size} of each, ABBA order`);
  const raw: number[] = [];
  const sdk: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const sdkFirst = round % 4 === 1 || round % 4 === 2;
    const first = await batch(sdkFirst ? sides.sdk : sides.raw, size);
    const second = await batch(sdkFirst ? sides.raw : sides.sdk, size);
    const [r, s] = sdkFirst ? [second, first] : [first, second];
    raw.push(r);
    sdk.push(s);
    ratios.push(s / r);
  }
  const ratio = median(ratios);
  return {
    name: "SDK verifyConsentReceipt",
    value: Math.round(median(sdk)),
    unit: "verifications/s",
    baseline: { name: "jose compactVerify, ES256", value: Math.round(median(raw)) },
    ratio,
    target: "ratio ≥ 0.8",
    pass: ratio >= 0.8,
  };
}

/**
 * POST /portal/api/requests/{id}/consent on embedded PGlite: signature check, consent, evidence,
 * status-list entry, audit event, receipt and (one slot each) the publication cleared. Each
 * sample is a new publication request, claimed and prepared beforehand; only the signing request
 * is timed.
 */
async function consentSigning(ctx: BenchContext): Promise<BenchResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-bench-identity-"));
  const config = benchServerConfig(dataDir);
  ctx.log("starting a server on a new embedded PGlite");
  const server = await startServer(config, { log: createLogger(config) });
  const bare = await startBareServer();
  try {
    const platform = new TestPlatform(server as TestServer, ...(await platformOf(server as TestServer)));
    const performer = await new TestPerformer(server.url).onboard(freshIdentity("adult"));
    const warmup = 5;
    const samples = ctx.quick ? 30 : 100;
    const latencies: number[] = [];
    const bareLatencies: number[] = [];
    ctx.log(
      `consent signing: ${warmup} warm-up + ${samples} timed requests, each followed by its body to the bare route`,
    );
    for (let i = 0; i < warmup + samples; i++) {
      const publication = await platform.publish({ slots: [{ role: "uploader" }] });
      await performer.acceptInvitation(publication.invitations[0]!.url);
      const slotId = publication.slots[0]!.id;
      const options = await performer.api("POST", `/requests/${slotId}/consent/options`);
      const response = performer.authenticator.authenticate(options.body.options);
      const started = performance.now();
      const res = await performer.api("POST", `/requests/${slotId}/consent`, {
        document: options.body.document,
        response,
      });
      const elapsed = performance.now() - started;
      if (res.status !== 201) throw new Error(`consent failed: ${res.status} ${JSON.stringify(res.body)}`);
      const bareStarted = performance.now();
      const echoed = await fetch(`${bare.url}/json`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ document: options.body.document, response }),
      });
      await echoed.arrayBuffer();
      if (i >= warmup) {
        latencies.push(elapsed);
        bareLatencies.push(performance.now() - bareStarted);
      }
    }
    const value = median(latencies);
    ctx.log(
      `p90 ${percentile(
        [...latencies].sort((a, b) => a - b),
        90,
      ).toFixed(1)} ms`,
    );
    return {
      name: "consent signing median (pglite)",
      value,
      unit: "ms",
      baseline: { name: "bare Express JSON route, same body", value: median(bareLatencies) },
      ratio: value / median(bareLatencies),
      target: "< 20 ms",
      pass: value < 20,
      samplesMs: latencies,
      baselineSamplesMs: bareLatencies,
    };
  } finally {
    await bare.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function platformOf(server: TestServer): Promise<[string, string]> {
  const { createPlatform } = await import("../packages/server/src/platform/create.ts");
  const platform = await createPlatform(server.ctx.db, { name: "Bench platform" });
  return [platform.id, platform.apiKey];
}
