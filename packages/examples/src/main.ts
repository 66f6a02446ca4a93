#!/usr/bin/env node
import { configFromEnv } from "./config.ts";
import { startExample } from "./start.ts";

try {
  const example = await startExample(configFromEnv());
  console.log(`Example platform: ${example.url}`);
  const stop = () => {
    example.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
