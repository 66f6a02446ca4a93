import { defineConfig, type Options } from "tsup";

const browserBuild = (name: string, file: string): Options => ({
  entry: { [name]: file },
  format: ["esm"],
  target: "es2022",
  platform: "browser",
  sourcemap: true,
  minify: true,
  noExternal: [/.*/],
});

export default defineConfig([
  {
    entry: ["src/index.ts", "src/express.ts", "src/fingerprint.ts"],
    format: ["esm", "cjs"],
    dts: true,
    target: "node20",
    platform: "node",
    sourcemap: true,
    // Keep the browser build, which the second build writes at the same time.
    clean: ["!log.browser.*", "!pdq.browser.*", "!sha256.browser.*"],
    // canonicalize 4 and @noble/hashes 2 are ESM-only: bundle them so that require("@vergewis/sdk") works too.
    noExternal: ["canonicalize", /^@noble\//],
  },
  // The log verifier (the auditor console loads it) and PDQ on pixels (a person hashes a picture on
  // their own device), each as one self-contained ES module for browsers.
  browserBuild("log.browser", "src/log/browser.ts"),
  browserBuild("pdq.browser", "src/fingerprint/pdq/browser.ts"),
  // Streamed SHA-256: the portal checks a content item against its fingerprint as it downloads.
  browserBuild("sha256.browser", "src/fingerprint/sha256.browser.ts"),
]);
