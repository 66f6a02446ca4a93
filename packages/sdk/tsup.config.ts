import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/express.ts"],
  format: ["esm", "cjs"],
  dts: true,
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  // canonicalize 4 is ESM-only: bundle it so that require("@vergewis/sdk") works too.
  noExternal: ["canonicalize"],
});
