import { defineConfig } from "prisma/config";

// Offline: keep the CLI from downloading the native schema engine. `prisma generate` never runs it;
// migrations are applied by `vergewis migrate` through the WebAssembly engine.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "./tools/schema-engine-stub";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
