// The soak's traffic plan: which operations, in what proportion (started by the open-loop
// scheduler of bench/lib/open-loop.ts).

export type Operation = "check" | "publication" | "audit" | "consent" | "revocation" | "invalid";

export interface MixEntry {
  operation: Operation;
  /** Operations started per second at the nominal rate of 500 requests/s. */
  perSecond: number;
  /** HTTP requests one operation makes (a consent is link, claim, options and the signature). */
  requests: number;
}

/**
 * 500 requests/s: mostly publish checks (a platform's gate asks on every upload and on serving),
 * a steady stream of publication requests, performers signing (fewer than there are requests, so
 * that pending publications remain to be checked) and revoking (fewer than sign, so that the pool
 * of consents to revoke never runs dry), auditors querying the log, and some intended bad input.
 */
export const MIX: readonly MixEntry[] = [
  { operation: "check", perSecond: 400, requests: 1 },
  { operation: "publication", perSecond: 20, requests: 1 },
  { operation: "audit", perSecond: 20, requests: 1 },
  { operation: "consent", perSecond: 10, requests: 4 },
  { operation: "revocation", perSecond: 8, requests: 2 },
  { operation: "invalid", perSecond: 4, requests: 1 },
];

export const requestsPerSecond = (mix: readonly MixEntry[]) =>
  mix.reduce((sum, e) => sum + e.perSecond * e.requests, 0);

/** The mix scaled to `rate` requests/s. */
export const scaleMix = (mix: readonly MixEntry[], rate: number): MixEntry[] =>
  mix.map((e) => ({ ...e, perSecond: (e.perSecond * rate) / requestsPerSecond(mix) }));

/**
 * The operations in order, interleaved by smooth weighted round-robin (as nginx balances
 * upstreams): every window of Σ weights slots holds each operation exactly its weight times, spread
 * evenly rather than in bursts.
 */
export function* interleave(mix: readonly MixEntry[]): Generator<Operation> {
  const current = mix.map(() => 0);
  const total = mix.reduce((sum, e) => sum + e.perSecond, 0);
  for (;;) {
    let best = 0;
    for (let i = 0; i < mix.length; i++) {
      current[i]! += mix[i]!.perSecond;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    yield mix[best]!.operation;
  }
}

/** `300`, `300s`, `5m`, `1m30s` → seconds. */
export function parseDuration(text: string): number {
  const match = /^(?:(\d+)m)?(?:(\d+)s?)?$/.exec(text.trim());
  const seconds = match && (match[1] || match[2]) ? Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) : NaN;
  if (!(seconds > 0)) throw new Error(`--duration ${text}: expected e.g. 300, 90s, 5m or 1m30s`);
  return seconds;
}
