import { Router } from "express";
import type { Db } from "../db/client.ts";
import { DatabaseUnavailableError } from "../errors.ts";

const READY_TIMEOUT_MS = 2_000;

/** `/healthz`: the process runs. `/readyz`: it can serve, i.e. the database answers. */
export function healthRoutes(db: Db): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        db.$queryRaw`SELECT 1`,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("database did not answer in time")), READY_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      throw new DatabaseUnavailableError({ cause: error });
    } finally {
      clearTimeout(timer);
    }
    res.json({ status: "ready" });
  });
  return router;
}
