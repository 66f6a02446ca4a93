import { describe, expect, test } from "vitest";
import { isPrivateAddress } from "./private-address.ts";

describe("isPrivateAddress", () => {
  test.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "::",
    "fc00::1",
    "fd12::1",
    "fe80::1",
  ])("%s is private", (address) => expect(isPrivateAddress(address)).toBe(true));

  test.each(["93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:4700::1111", "example.com"])("%s is not", (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );
});

// Each IPv6 form that carries an IPv4 address, with a private one inside and with a public one.
describe.each([
  [
    "IPv4-mapped",
    ["::ffff:10.0.0.1", "::ffff:7f00:1", "::ffff:169.254.169.254"],
    ["::ffff:8.8.8.8", "::ffff:5db8:d822"],
  ],
  ["IPv4-compatible", ["::10.0.0.1", "::127.0.0.1", "::c0a8:101"], ["::8.8.8.8", "::5db8:d822"]],
  ["IPv4-translated (RFC 6145)", ["::ffff:0:10.0.0.1", "::ffff:0:7f00:1"], ["::ffff:0:8.8.8.8"]],
  [
    "NAT64 well-known prefix 64:ff9b::/96",
    ["64:ff9b::10.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1"],
    ["64:ff9b::8.8.8.8", "64:ff9b::5db8:d822"],
  ],
  [
    "NAT64 local-use prefix 64:ff9b:1::/48",
    [
      "64:ff9b:1::10.0.0.1", // as /96
      "64:ff9b:1:0:a:0:100:0", // 10.0.0.1 as /64 (read as /96 it would be 1.0.0.0)
      "64:ff9b:1:a00:0:100::", // 10.0.0.1 as /48
      "64:ff9b:1:ffff:ff00::", // fits no RFC 6052 layout
    ],
    ["64:ff9b:1::8.8.8.8", "64:ff9b:1:0:8:808:800:0" /* 8.8.8.8 as /64 */],
  ],
  ["6to4 2002::/16", ["2002:a00:1::1", "2002:c0a8:101::1", "2002:7f00:1::"], ["2002:808:808::1", "2002:5db8:d822::1"]],
  [
    "Teredo 2001::/32",
    [
      "2001:0:a00:1::f7f7:f7f7", // server 10.0.0.1, client 8.8.8.8
      "2001:0:4136:e378:8000:63bf:3f57:fefe", // server 65.54.227.120, client 192.168.1.1
      "2001:0:4136:e378:8000:63bf:80ff:fffe", // client 127.0.0.1
    ],
    ["2001:0:4136:e378:8000:63bf:f7f7:f7f7" /* server 65.54.227.120, client 8.8.8.8 */],
  ],
])("%s", (_form, blocked, allowed) => {
  test.each(blocked)("%s embeds a private IPv4 address: private", (address) =>
    expect(isPrivateAddress(address)).toBe(true),
  );
  test.each(allowed)("%s embeds a public IPv4 address: not private", (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );
});
