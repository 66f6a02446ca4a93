declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    pgliteSnapshot: string;
    pgliteEmptySnapshot: string;
  }
}
export {};
