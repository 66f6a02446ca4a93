import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  headers: IncomingHttpHeaders;
}

/**
 * What the receiver does with a request: answer with a status (after an optional delay), hang
 * without answering, or hold the request until `release()` is called.
 */
export type Behaviour = { status: number; delayMs?: number } | { hang: true };

export interface Receiver {
  url: string;
  port: number;
  /** Every request, in arrival order, duplicates included. */
  received: ReceivedWebhook[];
  /** One per webhook-id: what a receiver that de-duplicates processes. */
  unique(): Map<string, ReceivedWebhook>;
  /** Sets how each request is answered; `n` counts requests from 1. Default: 204. */
  behave(fn: (webhook: ReceivedWebhook, n: number) => Behaviour): void;
  /** Waits (polling, up to `timeoutMs`) until `predicate` holds. */
  waitFor(predicate: (r: Receiver) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** Verifies each request with the standardwebhooks reference implementation. */
  verifyAll(secret: string): unknown[];
  /** Stops listening (connections are cut) but keeps the port, to come back with `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A real webhook receiver: node:http on 127.0.0.1, a port of its own. */
export async function startReceiver(): Promise<Receiver> {
  let behaviour: (webhook: ReceivedWebhook, n: number) => Behaviour = () => ({ status: 204 });
  const received: ReceivedWebhook[] = [];
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    server = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const webhook: ReceivedWebhook = {
        id: String(req.headers["webhook-id"]),
        timestamp: String(req.headers["webhook-timestamp"]),
        signature: String(req.headers["webhook-signature"]),
        body,
        headers: req.headers,
      };
      received.push(webhook);
      const action = behaviour(webhook, received.length);
      if ("hang" in action) {
        held.add(res);
        return;
      }
      if (action.delayMs) await new Promise((resolve) => setTimeout(resolve, action.delayMs));
      if (!res.destroyed) res.writeHead(action.status).end();
    });
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(port, "127.0.0.1", () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  };

  const stop = async () => {
    const closing = server;
    server = undefined;
    if (!closing) return;
    for (const res of held) res.destroy();
    held.clear();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  await listen();
  const receiver: Receiver = {
    get url() {
      return `http://127.0.0.1:${port}/webhooks`;
    },
    get port() {
      return port;
    },
    received,
    unique: () => new Map(received.map((w) => [w.id, w])),
    behave(fn) {
      behaviour = fn;
    },
    async waitFor(predicate, timeoutMs = 15_000, what = "the receiver's condition") {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(receiver)) {
        if (Date.now() > deadline) {
          throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; received ${received.length} requests`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    verifyAll(secret) {
      const webhook = new Webhook(secret);
      return received.map((w) =>
        webhook.verify(w.body, {
          "webhook-id": w.id,
          "webhook-timestamp": w.timestamp,
          "webhook-signature": w.signature,
        }),
      );
    },
    stop,
    start: listen,
    close: stop,
  };
  return receiver;
}

/** Polls `check` until it returns a value other than undefined (or `timeoutMs` passes). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = "a condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
