import { defineConfig } from "tsup";

export default defineConfig({
  // Entry names are the files in dist/: bin/vergewis.js loads cli.js, db/embedded/process.ts forks
  // embedded-database.js (the name `ps` shows).
  entry: {
    index: "src/index.ts",
    cli: "src/cli/main.ts",
    "embedded-database": "src/db/embedded/process-entry.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  // Dependencies stay in node_modules; the generated Prisma client is our source and is bundled.
  skipNodeModulesBundle: true,
});
