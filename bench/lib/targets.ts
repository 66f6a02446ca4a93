import type { ResultLine } from "./types.ts";

/** A figure an issue (or the design's §6) asks `npm run bench` for, and the line that reports it. */
export interface NamedTarget {
  issue: string;
  /** In the issue's words. */
  asked: string;
  /** Matches the name of the result line that measures it. */
  line: RegExp;
}

export const NAMED_TARGETS: readonly NamedTarget[] = [
  {
    issue: "3",
    asked: "POST /v1/check: throughput ratio ≥ 0.5 against a bare Express JSON route, on PGlite",
    line: /^check throughput \(pglite\)/,
  },
  { issue: "3", asked: "POST /v1/check: p99 < 10 ms at 500 req/s", line: /^check p99 at 500 req\/s/ },
  {
    issue: "3",
    asked: "median latency of POST /v1/publications over 1,000 requests",
    line: /^POST \/v1\/publications median/,
  },
  {
    issue: "design §6",
    asked: "server RSS < 300 MiB under the check load",
    line: /^server RSS under the 500 req\/s check load/,
  },
  {
    issue: "4",
    asked: "SDK receipt verification against raw jose compactVerify, ratio ≥ 0.8",
    line: /^SDK verifyConsentReceipt/,
  },
  {
    issue: "4",
    asked: "median latency of the consent-signing endpoint < 20 ms on PGlite",
    line: /^consent signing median \(pglite\)/,
  },
  { issue: "5", asked: "portal dashboard of a busy performer", line: /^dashboard page median/ },
  { issue: "5", asked: "data export (GDPR art. 15/20)", line: /^data export median/ },
  { issue: "5", asked: "account deletion against single revocations", line: /^account deletion per withdrawn consent/ },
  {
    issue: "6",
    asked: "revocation → first webhook at a loopback receiver, p50",
    line: /^revocation → first webhook p50/,
  },
  {
    issue: "6",
    asked: "revocation → first webhook, p99 < 1 s over 1,000 revocations",
    line: /^revocation → first webhook p99/,
  },
  { issue: "6", asked: "webhook deliveries per second with two workers", line: /^webhook deliveries\/s, two workers/ },
  { issue: "9", asked: "webhook delivery against a bare HTTP POST", line: /^webhook deliveries\/s, one worker/ },
  {
    issue: "7",
    asked: "append 100,000 events: median per append (against a raw INSERT)",
    line: /^append median, [\d,]+ events/,
  },
  { issue: "7", asked: "append 100,000 events: p99 per append", line: /^append p99/ },
  {
    issue: "design §6",
    asked: "append: O(log n) work per event (cost at 1 M entries against an empty log)",
    line: /^append median at [\d,]+ leaves/,
  },
  { issue: "7", asked: "inclusion proof at 1,000,000 leaves < 10 ms", line: /^inclusion proof p99 at [\d,]+ leaves/ },
  {
    issue: "7",
    asked: "consistency proof at 1,000,000 leaves < 10 ms",
    line: /^consistency proof p99 at [\d,]+ leaves/,
  },
  { issue: "7", asked: "export rate (events/s)", line: /^export rate/ },
  { issue: "7", asked: "verify speed of the CLI (leaves/s)", line: /^log verify speed/ },
  { issue: "8", asked: "the SDK's packed size", line: /^sdk: packed size/ },
  {
    issue: "18",
    asked: "near-duplicate lookup p99 at 1,000,000 and 10,000,000 stored hashes on PostgreSQL (< 20 ms)",
    line: /^near-duplicate lookup p99 at [\d,]+ hashes \(postgresql\)/,
  },
  {
    issue: "18",
    asked: "near-duplicate lookup p99 at 1,000,000 stored hashes on PGlite",
    line: /^near-duplicate lookup p99 at [\d,]+ hashes \(pglite\)/,
  },
];

/** Each named target with the lines that report it (none: not measured in this run). */
export const targetCoverage = (lines: readonly ResultLine[]) =>
  NAMED_TARGETS.map((target) => ({ target, lines: lines.filter((l) => target.line.test(l.name)) }));
