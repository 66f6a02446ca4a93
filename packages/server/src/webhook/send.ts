import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { Agent, request } from "undici";
import { isPrivateAddress } from "./private-address.ts";

export interface SendResult {
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why no answer came: refused, timed out, address not allowed, … */
  error?: string;
}

export interface Sender {
  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult>;
  close(): Promise<void>;
}

class PrivateAddressError extends Error {
  readonly code = "EPRIVATEADDRESS";
}

/** Resolves like dns.lookup, but fails for private addresses: checked at connect time, so DNS rebinding cannot get round it. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused || addresses.length === 0) {
      return callback(
        new PrivateAddressError(
          `${hostname} resolves to ${refused?.address ?? "nothing"}, which webhooks may not reach`,
        ),
        "",
        0,
      );
    }
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/**
 * POSTs webhooks with undici: keep-alive connections per receiver, no redirects followed (a
 * redirect is a failed attempt), the whole exchange bounded by `timeout`, the response body read
 * and discarded (at most 64 kB).
 */
export function createSender(options: { timeout: number; allowPrivateNetworks: boolean }): Sender {
  const { timeout, allowPrivateNetworks } = options;
  const agent = new Agent({
    connect: { timeout, ...(!allowPrivateNetworks && { lookup: publicOnlyLookup }) },
    headersTimeout: timeout,
    bodyTimeout: timeout,
    keepAliveTimeout: 4_000,
  });
  return {
    async send(url, headers, body) {
      if (!allowPrivateNetworks && isPrivateAddress(new URL(url).hostname.replace(/^\[(.*)\]$/, "$1"))) {
        return { error: "the address is private, which webhooks may not reach" };
      }
      try {
        const response = await request(url, {
          method: "POST",
          headers,
          body,
          dispatcher: agent,
          signal: AbortSignal.timeout(timeout),
        });
        await response.body.dump({ limit: 65_536 }).catch(() => undefined);
        return { status: response.statusCode };
      } catch (error) {
        return { error: describe(error, timeout) };
      }
    },
    close: () => agent.close(),
  };
}

function describe(error: unknown, timeout: number): string {
  const { name, code, message } = error as { name?: string; code?: string; message?: string };
  if (
    name === "TimeoutError" ||
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    code === "UND_ERR_BODY_TIMEOUT" ||
    code === "UND_ERR_CONNECT_TIMEOUT"
  ) {
    return `no response within ${timeout} ms`;
  }
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection closed by the receiver";
  if (code === "ENOTFOUND") return "host not found";
  if (code === "EPRIVATEADDRESS") return message ?? "private address";
  if (typeof code === "string" && /CERT|SSL|TLS/.test(code)) return `TLS error (${code})`;
  return code ? `${code}: ${message ?? ""}`.trim() : (message ?? "request failed");
}
