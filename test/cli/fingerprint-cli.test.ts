import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fileFingerprintsSchema } from "@vergewis/sdk";
import { fingerprintFile } from "@vergewis/sdk/fingerprint";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../support/cli.ts";
import { makeVideo } from "../support/video.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/pdq/", import.meta.url));
let cwd: string;
beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-fingerprint-"));
  fs.copyFileSync(path.join(FIXTURES, "bridge-1-original.jpg"), path.join(cwd, "photo.jpg"));
  makeVideo(path.join(cwd, "clip.mp4"));
  fs.writeFileSync(path.join(cwd, "notes.txt"), "not a picture\n");
  fs.writeFileSync(path.join(cwd, "broken.jpg"), fs.readFileSync(path.join(cwd, "photo.jpg")).subarray(0, 900));
}, 60_000);
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

describe("vergewis fingerprint FILE...", () => {
  test("prints one JSON line a file, in the order given, equal to the SDK's fingerprintFile", async () => {
    const files = ["photo.jpg", "clip.mp4", "notes.txt"];
    const result = await runCli(["fingerprint", ...files], { cwd });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    for (const [i, line] of lines.entries()) {
      const parsed = fileFingerprintsSchema.parse(JSON.parse(line));
      expect(parsed).toEqual(await fingerprintFile(path.join(cwd, files[i]!)).then((f) => ({ ...f, file: files[i] })));
    }
    expect(JSON.parse(lines[0]!).fingerprints.map((f: { alg: string }) => f.alg)).toEqual(["sha-256", "pdq"]);
    expect(JSON.parse(lines[1]!).fingerprints.map((f: { alg: string }) => f.alg)).toEqual(["sha-256", "vpdq"]);
    expect(JSON.parse(lines[2]!).fingerprints.map((f: { alg: string }) => f.alg)).toEqual(["sha-256"]);
  }, 120_000);

  test("a file it cannot read is named on stderr and the exit code is 1; the other files still print", async () => {
    const result = await runCli(["fingerprint", "broken.jpg", "missing.png", "notes.txt"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("broken.jpg:");
    expect(result.stderr).toContain("missing.png:");
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(result.stdout).file).toBe("notes.txt");
  }, 60_000);

  test("without a FILE it is a usage error (exit 2); other commands still refuse extra words", async () => {
    const none = await runCli(["fingerprint"], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("fingerprint needs at least one FILE");
    expect(none.stderr).toContain("Usage: vergewis fingerprint FILE...");
    const extra = await runCli(["migrate", "now"], { cwd });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("unknown command: migrate now");
    expect(fs.existsSync(path.join(cwd, ".vergewis"))).toBe(false);
  }, 60_000);
});
