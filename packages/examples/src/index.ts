export { createExampleApp, type ExampleAppOptions } from "./app.ts";
export { configFromEnv, exampleConfigSchema, type ExampleConfig, type ExampleConfigInput } from "./config.ts";
export { startExample, type RunningExample } from "./start.ts";
export { UploadStore, type Upload } from "./store.ts";
