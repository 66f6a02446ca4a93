import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts", "src/express.ts", "src/fingerprint.ts"],
    format: ["esm", "cjs"],
    dts: true,
    target: "node20",
    platform: "node",
    sourcemap: true,
    // Keep the browser build, which the second build writes at the same time.
    clean: ["!log.browser.*", "!pdq.browser.*"],
    // canonicalize 4 and @noble/hashes 2 are ESM-only: bundle them so that require("@vergewis/sdk") works too.
    noExternal: ["canonicalize", /^@noble\//],
  },
  {
    // The log verifier as one self-contained ES module for browsers: the auditor console loads it.
    entry: { "log.browser": "src/log/browser.ts" },
    format: ["esm"],
    target: "es2022",
    platform: "browser",
    sourcemap: true,
    minify: true,
    noExternal: [/.*/],
  },
  {
    // PDQ on pixels as one ES module for browsers: the portal hashes pictures on the device.
    entry: { "pdq.browser": "src/fingerprint/pdq/browser.ts" },
    format: ["esm"],
    target: "es2022",
    platform: "browser",
    sourcemap: true,
    minify: true,
    noExternal: [/.*/],
  },
]);
