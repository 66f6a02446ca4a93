export * from "./audit.ts";
export * from "./check.ts";
export * from "./consent.ts";
export * from "./fingerprint.ts";
export * from "./problem.ts";
export * from "./publication.ts";
export * from "./receipt.ts";
export * from "./scope.ts";
