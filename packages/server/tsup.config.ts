import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts", "src/embedded-database.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  // Dependencies stay in node_modules; the generated Prisma client is our source and is bundled.
  skipNodeModulesBundle: true,
});
