export { canonicalJson } from "./canonical.ts";
export * from "./schemas/index.ts";
