import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Fingerprint, ReviewItem } from "@vergewis/sdk";

export interface ServedItem {
  fingerprint: Fingerprint & { alg: "sha-256" };
  reviewItem: ReviewItem;
}

/**
 * A platform's review endpoint, as a real HTTP server on 127.0.0.1: each content item at an
 * unguessable URL, answered with CORS for the portal's origin only. `tamper` makes it serve other
 * bytes for an item than those its fingerprint names.
 */
export class ReviewServer {
  private readonly files = new Map<string, { body: Buffer; type: string }>();
  private readonly items = new Map<string, ServedItem>();
  private readonly held = new Map<string, Promise<void>>();
  /** Review URLs fetched, in order. */
  readonly fetched: string[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly portalOrigin: string,
  ) {}

  static async start(portalOrigin: string): Promise<ReviewServer> {
    let self: ReviewServer | undefined;
    const server = http.createServer((req, res) => self!.answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    self = new ReviewServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, portalOrigin);
    return self;
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.fetched.push(req.url ?? "");
    await this.held.get(req.url ?? "");
    if (req.headers.origin === this.portalOrigin) {
      res.setHeader("Access-Control-Allow-Origin", this.portalOrigin);
      res.setHeader("Vary", "Origin");
    }
    const file = this.files.get(req.url ?? "");
    if (req.method !== "GET" || !file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": file.type, "Content-Length": file.body.length, "Cache-Control": "no-store" });
    res.end(file.body);
  }

  /** Serves `body` and returns its fingerprint and review item for a publication request. */
  add(body: Buffer, type: string): ServedItem {
    const sha256 = createHash("sha256").update(body).digest("hex");
    const path = `/review/${randomBytes(16).toString("base64url")}`;
    this.files.set(path, { body, type });
    const item: ServedItem = {
      fingerprint: { alg: "sha-256", value: sha256 },
      reviewItem: { sha256, url: `${this.url}${path}` },
    };
    this.items.set(sha256, item);
    return item;
  }

  /** The review items of content served here, for a new request about it. */
  reviewItemsOf(fingerprints: ReadonlyArray<{ alg: string; value: string }>): ReviewItem[] {
    return fingerprints.flatMap((f) => (f.alg === "sha-256" ? [this.items.get(f.value)!.reviewItem] : []));
  }

  /** Holds the item's answers until the returned function is called. */
  hold(item: ServedItem): () => void {
    let release!: () => void;
    this.held.set(new URL(item.reviewItem.url).pathname, new Promise((resolve) => (release = resolve)));
    return release;
  }

  /** A new small picture, different each time. */
  addPicture(): ServedItem {
    const label = randomBytes(6).toString("hex");
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180" viewBox="0 0 320 180"><rect width="320" height="180" fill="#146c2e"/><text x="160" y="98" font-family="sans-serif" font-size="22" fill="#fff" text-anchor="middle">item ${label}</text></svg>`;
    return this.add(Buffer.from(svg), "image/svg+xml");
  }

  /** From now on the item's URL answers with `body` instead of the fingerprinted bytes. */
  tamper(item: ServedItem, body: Buffer): void {
    const path = new URL(item.reviewItem.url).pathname;
    this.files.set(path, { ...this.files.get(path)!, body });
  }

  /** The request fields for items served here. */
  static content(items: readonly ServedItem[]) {
    return { contentFingerprints: items.map((i) => i.fingerprint), reviewItems: items.map((i) => i.reviewItem) };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
