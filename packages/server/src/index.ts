export { createApp } from "./app.ts";
export { configFromEnv, loadConfig } from "./config/load.ts";
export { configSchema, type Config, type ConfigInput } from "./config/schema.ts";
export type { ServerContext } from "./context.ts";
export { startServer, type RunningServer } from "./runtime/start.ts";
export { runOperatorCommand, type OperatorContext } from "./operator/commands.ts";
export type { CreatedPlatform } from "./platform/create.ts";
export type { IssuedAuditorToken } from "./audit/auditor-token.ts";
