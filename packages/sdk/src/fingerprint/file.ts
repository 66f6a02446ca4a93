import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { PipelineSource, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Fingerprint } from "../schemas/fingerprint.ts";

/**
 * What `fingerprintFile` reads: a file path (string or `file:` URL), a Node stream, a WHATWG
 * `ReadableStream` (e.g. `blob.stream()` or a `fetch` body) or any async iterable of bytes.
 */
export type FileSource = string | URL | Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

const CHUNK_BYTES = 256 * 1024;

/**
 * SHA-256 of a file, read as a stream: memory stays at a few chunks whatever the file's size, and
 * the source is read only as fast as it is hashed (backpressure). A stream passed in is consumed;
 * a path is opened and closed here.
 *
 * @example
 * ```ts
 * const fingerprint = await fingerprintFile("./uploads/scene-3.mp4");
 * // { alg: "sha-256", value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }
 * ```
 */
export async function fingerprintFile(
  source: FileSource,
  options: { signal?: AbortSignal } = {},
): Promise<Fingerprint & { alg: "sha-256" }> {
  const input =
    typeof source === "string" || source instanceof URL
      ? createReadStream(source, { highWaterMark: CHUNK_BYTES })
      : source;
  // pipeline takes WHATWG streams since Node 18.13; the @types/node 20 signature does not list them.
  const hash = createHash("sha256");
  await pipeline(
    input as PipelineSource<Uint8Array>,
    async (chunks: AsyncIterable<Uint8Array | string>) => {
      for await (const chunk of chunks) {
        if (typeof chunk === "string")
          throw new TypeError("fingerprintFile needs bytes, not text: open the stream without an encoding");
        hash.update(chunk);
      }
    },
    options.signal ? { signal: options.signal } : {},
  );
  return { alg: "sha-256", value: hash.digest("hex") };
}
