import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/main.ts", "src/system/main.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  skipNodeModulesBundle: true,
  // tsconfig.json maps the server to its sources for types only: at run time it is the built package.
  tsconfig: "tsconfig.build.json",
});
