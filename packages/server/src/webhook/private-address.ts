import { BlockList, isIP } from "node:net";
import ipaddr from "ipaddr.js";
import type { Config } from "../config/schema.ts";

const subnets = (type: "ipv4" | "ipv6", list: ReadonlyArray<readonly [string, number]>) => {
  const blocks = new BlockList();
  for (const [network, prefix] of list) blocks.addSubnet(network, prefix, type);
  return blocks;
};

// Addresses a webhook must not reach in production (SSRF): RFC 6890 special-purpose ranges.
const PRIVATE_V4 = subnets("ipv4", [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
]);
const PRIVATE_V6 = subnets("ipv6", [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
]);

/**
 * IPv6 forms that carry an IPv4 address, which a router, a translator or a tunnel reaches for the
 * sender: each is judged by the IPv4 addresses it embeds, or `10.0.0.1` would pass as
 * `64:ff9b::a00:1`. `embedded` reads them from the address's 16 bytes.
 */
const EMBEDDING: Array<{ prefix: BlockList; embedded: (bytes: number[]) => string[] | undefined }> = [
  // IPv4-compatible (::/96, deprecated), IPv4-translated (RFC 6145) and IPv4-mapped: the last 32 bits.
  {
    prefix: subnets("ipv6", [
      ["::", 96],
      ["::ffff:0:0:0", 96],
      ["::ffff:0:0", 96],
    ]),
    embedded: (b) => [ipv4(b, 12)],
  },
  // NAT64's well-known prefix (RFC 6052): the last 32 bits.
  { prefix: subnets("ipv6", [["64:ff9b::", 96]]), embedded: (b) => [ipv4(b, 12)] },
  // NAT64's local-use prefix (RFC 8215): the network may use any RFC 6052 prefix length within it.
  { prefix: subnets("ipv6", [["64:ff9b:1::", 48]]), embedded: (b) => rfc6052(b, [48, 56, 64, 96]) },
  // 6to4 (RFC 3056): bits 16–47.
  { prefix: subnets("ipv6", [["2002::", 16]]), embedded: (b) => [ipv4(b, 2)] },
  // Teredo (RFC 4380): the server in bits 32–63, the client's public address inverted in the last 32.
  {
    prefix: subnets("ipv6", [["2001::", 32]]),
    embedded: (b) => [
      ipv4(b, 4),
      ipv4(
        b.map((byte) => byte ^ 0xff),
        12,
      ),
    ],
  },
];

const ipv4 = (bytes: number[], at: number) => bytes.slice(at, at + 4).join(".");

/** Which bytes hold the IPv4 address, by prefix length (RFC 6052 §2.2); byte 8 is always zero. */
const RFC6052_BYTES: Record<number, number[]> = {
  48: [6, 7, 9, 10],
  56: [7, 9, 10, 11],
  64: [9, 10, 11, 12],
  96: [12, 13, 14, 15],
};

/**
 * The address's reading under each prefix length that fits it: byte 8 and every byte after the
 * IPv4 address zero. Which length the network uses is not known here, so every reading counts
 * (a public address written as /48 or /56 also reads as 0.0.0.0 as /96, and is refused). None
 * fits: undefined, and the address counts as private.
 */
function rfc6052(bytes: number[], lengths: number[]): string[] | undefined {
  const readings = lengths
    .map((length) => RFC6052_BYTES[length]!)
    .filter((at) => bytes[8] === 0 && bytes.slice(at.at(-1)! + 1).every((byte) => byte === 0))
    .map((at) => at.map((i) => bytes[i]).join("."));
  return readings.length ? readings : undefined;
}

/** Loopback, private, link-local, carrier-grade NAT, multicast or reserved, or an IPv6 form of one. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return PRIVATE_V4.check(address, "ipv4");
  if (PRIVATE_V6.check(address, "ipv6")) return true;
  const form = EMBEDDING.find(({ prefix }) => prefix.check(address, "ipv6"));
  if (!form) return false;
  const embedded = form.embedded(ipaddr.IPv6.parse(address).toByteArray());
  return !embedded || embedded.some((v4) => PRIVATE_V4.check(v4, "ipv4"));
}

/** Whether webhooks may reach such addresses: as configured, by default everywhere but in production. */
export const allowPrivateNetworks = (config: Pick<Config, "mode" | "webhooks">) =>
  config.webhooks.allowPrivateNetworks ?? config.mode !== "production";
