import type { AddressInfo } from "node:net";
import express from "express";

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The baseline of every HTTP figure: a bare Express 5 app on 127.0.0.1 with the JSON body parser
 * Vergewis uses, answering each route with a small JSON body and no work, so that a ratio against it
 * is the cost of what Vergewis does beyond HTTP and JSON.
 */
export async function startBareServer(): Promise<BareServer> {
  const app = express();
  app.use(express.json({ limit: "100kb" }));
  app.post("/check", (req, res) => {
    res.json({ allowed: true, echo: typeof req.body });
  });
  app.post("/json", (req, res) => {
    res.status(201).json({ id: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e5f", received: typeof req.body });
  });
  app.get("/json", (_req, res) => {
    res.json({ ok: true });
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
