import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM } from "../test/support/chromium.ts";
import type { Benchmark } from "./lib/types.ts";

const require = createRequire(import.meta.url);
const MB = 1_000_000;

/**
 * The portal's check of a content item in Chromium: a large file fetched and hashed as it
 * arrives with the streamed SHA-256 the portal loads (@noble/hashes, /assets/vendor/vergewis-sha256.js),
 * against WebCrypto's one-shot digest of the same bytes in memory, in the same page. Reported,
 * not asserted: the portal uses WebCrypto up to 32 MB and the stream above.
 */
export const reviewBenchmark: Benchmark = {
  name: "review",
  async run(ctx) {
    const size = (ctx.quick ? 20 : 100) * MB;
    const file = randomBytes(size);
    const bundle = fs.readFileSync(
      path.join(path.dirname(require.resolve("@vergewis/sdk/package.json")), "dist", "sha256.browser.js"),
    );
    const server = http.createServer((req, res) => {
      if (req.url === "/sha256.js") return void res.writeHead(200, { "Content-Type": "text/javascript" }).end(bundle);
      if (req.url === "/item") {
        return void res.writeHead(200, { "Content-Type": "video/mp4", "Content-Length": size }).end(file);
      }
      res.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><title>bench</title>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    });
    try {
      const page = await browser.newPage();
      await page.goto(base);
      ctx.log(`${size / MB} MB, fetched and hashed in Chromium, ${ctx.quick ? 1 : 3} runs each`);
      // A string, not a function: the page imports the bundle itself, as the portal does.
      const runs = (await page.evaluate(`(async () => {
        const { sha256 } = await import("/sha256.js");
        const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
        const streamed = [];
        const webcrypto = [];
        const digests = new Set();
        for (let i = 0; i < ${ctx.quick ? 1 : 3}; i++) {
          // As static/portal/review.js does for a large item: hash each chunk as it arrives.
          let t = performance.now();
          const response = await fetch("/item", { cache: "no-store" });
          const reader = response.body.getReader();
          const hash = sha256.create();
          const chunks = [];
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            chunks.push(value);
            hash.update(value);
          }
          digests.add(hex(hash.digest()));
          streamed.push(performance.now() - t);
          const bytes = await new Blob(chunks).arrayBuffer();
          t = performance.now();
          digests.add(hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))));
          webcrypto.push(performance.now() - t);
        }
        return { streamed, webcrypto, agree: digests.size === 1 };
      })()`)) as { streamed: number[]; webcrypto: number[]; agree: boolean };
      if (!runs.agree) throw new Error("the streamed and WebCrypto digests differ");
      const best = (ms: number[]) => size / MB / (Math.min(...ms) / 1000);
      const streamed = best(runs.streamed);
      const webcrypto = best(runs.webcrypto);
      return [
        {
          name: `review: item verified in the browser (${size / MB} MB, fetch + streamed SHA-256)`,
          value: Math.round(streamed),
          unit: "MB/s",
          baseline: { name: "WebCrypto digest of the same bytes", value: Math.round(webcrypto) },
          ratio: streamed / webcrypto,
        },
      ];
    } finally {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  },
};
