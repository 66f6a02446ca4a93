export { createExampleApp, type ExampleAppOptions } from "./app.ts";
export { configFromEnv, exampleConfigSchema, type ExampleConfig, type ExampleConfigInput } from "./config.ts";
export { startExample, type RunningExample } from "./start.ts";
export { UploadStore, type Upload } from "./store.ts";
export { platformGate, type PlatformGate } from "./media/gate.ts";
export { ensureWebhookEndpoint } from "./takedowns/endpoint.ts";
export { startTakedownPoll, type TakedownPoll } from "./takedowns/poll.ts";
export { WEBHOOK_PATH, webhookReceiver, type ReceiverOptions } from "./takedowns/receiver.ts";
export { takeDown, type TakeDown, type TakedownNotice, type TakeDownOptions } from "./takedowns/take-down.ts";
