export { createApp } from "./app.ts";
export { configFromEnv, loadConfig } from "./config/load.ts";
export { configSchema, type Config, type ConfigInput } from "./config/schema.ts";
export type { ServerContext } from "./context.ts";
export { startServer, type RunningServer } from "./runtime/start.ts";
