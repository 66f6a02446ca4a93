import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const sdkSource = (file: string) => fileURLToPath(new URL(`./packages/sdk/src/${file}`, import.meta.url));
// Tests run against the SDK's source; the built package is checked by its own packaging tests.
const resolve = {
  alias: [
    { find: /^@vergewis\/sdk$/, replacement: sdkSource("index.ts") },
    { find: /^@vergewis\/sdk\/express$/, replacement: sdkSource("express.ts") },
    // The local system (scripts/local-system) composes the server from its sources too.
    {
      find: /^@vergewis\/server$/,
      replacement: fileURLToPath(new URL("packages/server/src/index.ts", import.meta.url)),
    },
  ],
};

/** Suites that touch the database run twice: on embedded PGlite and on a real PostgreSQL. */
const databaseSuites = ["test/api/**/*.test.ts", "test/db/**/*.test.ts", "test/faults/**/*.test.ts"];
/**
 * Suites of the SDK and the example platform: what they test is the same on either database, so
 * they run once, on PGlite.
 */
const serverSuites = ["test/sdk/**/*.test.ts", "test/examples/**/*.test.ts"];

export default defineConfig({
  resolve,
  test: {
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        // With the import rules between the packages and the server's layers (test/architecture).
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "bench/**/*.test.ts", "test/architecture/**/*.test.ts"],
        },
      },
      {
        extends: true,
        // The built CLI (packages/server/dist) in child processes on embedded defaults, and the docs.
        test: { name: "cli", include: ["test/cli/**/*.test.ts", "test/docs/**/*.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "pglite",
          // The attack suite needs a database but not two: it runs on the embedded one.
          include: [...databaseSuites, ...serverSuites, "test/security/**/*.test.ts"],
          env: { VERGEWIS_TEST_DB: "pglite" },
          globalSetup: ["test/support/global-setup-pglite.ts"],
        },
      },
      {
        extends: true,
        // Real Chromium (Debian's, driven by playwright-core) against the real server on PGlite.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          env: { VERGEWIS_TEST_DB: "pglite" },
          globalSetup: ["test/support/global-setup-pglite.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: [...databaseSuites, "test/postgres/**/*.test.ts"],
          env: { VERGEWIS_TEST_DB: "postgres" },
          globalSetup: ["test/support/global-setup-postgres.ts"],
        },
      },
    ],
  },
});
