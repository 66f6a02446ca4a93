import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fingerprintSchema } from "../schemas/fingerprint.ts";
import { fingerprintFile } from "./file.ts";

let dir: string;
let file: string;
/** What coreutils' sha256sum says about `file`: an implementation independent of ours. */
let sha256sum: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-fingerprint-"));
  file = path.join(dir, "scene 3 (final).mp4");
  // Not a multiple of any chunk size, so that the last partial chunk counts.
  fs.writeFileSync(file, randomBytes(3 * 1024 * 1024 + 12_345));
  sha256sum = execFileSync("sha256sum", ["--binary", file], { encoding: "utf8" }).split(" ")[0]!;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("fingerprintFile", () => {
  test("matches sha256sum for a path, a file URL, a Node stream, a web stream and an async iterable", async () => {
    const expected = { alg: "sha-256", value: sha256sum };
    expect(await fingerprintFile(file)).toEqual(expected);
    expect(await fingerprintFile(pathToFileURL(file))).toEqual(expected);
    expect(await fingerprintFile(fs.createReadStream(file, { highWaterMark: 1000 }))).toEqual(expected);
    expect(await fingerprintFile(Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>)).toEqual(
      expected,
    );
    expect(await fingerprintFile(new Blob([fs.readFileSync(file)]).stream())).toEqual(expected);
    const bytes = fs.readFileSync(file);
    async function* inPieces() {
      for (let i = 0; i < bytes.length; i += 7919) yield bytes.subarray(i, i + 7919);
    }
    expect(await fingerprintFile(inPieces())).toEqual(expected);
  });

  test("gives a fingerprint the API accepts, and the known digest of nothing", async () => {
    const empty = path.join(dir, "empty");
    fs.writeFileSync(empty, "");
    const fingerprint = await fingerprintFile(empty);
    expect(fingerprint.value).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(fingerprintSchema.parse(fingerprint)).toEqual(fingerprint);
  });

  test("hashes 1 GiB from a stream with memory bounded by a few chunks, not by the size", async () => {
    const chunkBytes = 1024 * 1024;
    const chunks = 1024;
    const reference = createHash("sha256");
    let produced = 0;
    let peakGrowth = 0;
    const baseline = process.memoryUsage().arrayBuffers;
    // Every chunk is a new allocation: if fingerprintFile kept chunks, memory would grow by 1 GiB.
    async function* generated() {
      for (let i = 0; i < chunks; i++) {
        const chunk = Buffer.alloc(chunkBytes, i % 251);
        reference.update(chunk);
        produced++;
        peakGrowth = Math.max(peakGrowth, process.memoryUsage().arrayBuffers - baseline);
        yield chunk;
      }
    }
    const fingerprint = await fingerprintFile(generated());
    expect(produced).toBe(chunks);
    expect(fingerprint.value).toBe(reference.digest("hex"));
    expect(peakGrowth).toBeLessThan(256 * chunkBytes);
  });

  test("rejects for a missing file and for a text stream", async () => {
    await expect(fingerprintFile(path.join(dir, "missing"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(fingerprintFile(fs.createReadStream(file, { encoding: "utf8" }))).rejects.toThrow(/bytes, not text/);
  });

  test("stops when the signal aborts", async () => {
    const controller = new AbortController();
    let reads = 0;
    // An endless source; the caller gives up after a few chunks.
    const endless = new Readable({
      read() {
        if (++reads === 10) controller.abort();
        this.push(Buffer.alloc(64 * 1024));
      },
    });
    await expect(fingerprintFile(endless, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
    expect(endless.destroyed).toBe(true);
  });
});
