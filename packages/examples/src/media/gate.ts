import { createGate, type Gate, type Vergewis } from "@vergewis/sdk";
import type { UploadStore } from "../store.ts";

export interface PlatformGate {
  gate: Gate;
  /**
   * Fetches Vergewis's key set and keeps it in the database; false when it could not (the kept
   * one stays in use).
   */
  refreshKeys(): Promise<boolean>;
}

/**
 * The gate in front of `/media/:id`: asks Vergewis (`POST /v1/check`), reusing answers for
 * `cacheMs`. When Vergewis cannot be asked it decides from the evidence the platform kept: the
 * consent receipts of the upload (from `publication.cleared`, or fetched by `receipts.ts` when that
 * was missed), verified against the key set last fetched, and not revoked in a status list at most
 * one `ttl` old. Without that evidence it fails closed.
 */
export async function platformGate(options: {
  vergewis: Vergewis;
  store: UploadStore;
  vergewisUrl: string;
  cacheMs: number;
}): Promise<PlatformGate> {
  const { vergewis, store, cacheMs } = options;
  const issuer = options.vergewisUrl.replace(/\/+$/, "");
  // One object for the gate's lifetime: a refresh replaces its keys in place.
  const jwks: { keys: never[] } = { keys: ((await store.keySet())?.keys ?? []) as never[] };
  const gate = createGate({
    client: vergewis,
    ...(cacheMs > 0 && { cache: { maxAgeMs: cacheMs } }),
    offline: {
      receipts: (target) => ("fingerprint" in target ? store.receiptsBySha256(target.fingerprint.value) : []),
      jwks,
      issuer,
    },
  });
  return {
    gate,
    async refreshKeys() {
      let fetched: { keys?: unknown } | undefined;
      // A second attempt on a new connection: a kept-alive one may be closed by the server just
      // as it is reused (ECONNRESET), which says nothing about Vergewis being down.
      for (let attempt = 0; attempt < 2 && !fetched; attempt++) {
        try {
          const response = await fetch(`${issuer}/.well-known/jwks.json`, { signal: AbortSignal.timeout(10_000) });
          if (!response.ok) return false;
          fetched = (await response.json()) as { keys?: unknown };
        } catch {
          // Vergewis unreachable (twice): the key set kept from before stays in use.
        }
      }
      if (!fetched) return false;
      if (!Array.isArray(fetched.keys)) return false;
      jwks.keys = fetched.keys as never[];
      await store.saveKeySet({ keys: fetched.keys });
      return true;
    },
  };
}
