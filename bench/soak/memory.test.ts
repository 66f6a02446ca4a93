import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startProcess, type ChildServer } from "../lib/server-process.ts";
import { MemoryProbe, PROBE_NODE_ARGS } from "./memory.ts";

// A process that holds about 40 MiB of objects until its parent says "drop".
const HOLDER = `
globalThis.kept = Array.from({ length: 400_000 }, (_, i) => ({ i, text: "held " + i }));
process.on("message", (m) => { if (m === "drop") { globalThis.kept = undefined; process.send("dropped"); } });
setInterval(() => {}, 1000);
console.log("ready");
`;

let child: ChildServer<true> | undefined;
afterEach(async () => {
  await child?.stop();
  child = undefined;
});

const startHolder = async () => {
  child = await startProcess([...PROBE_NODE_ARGS, "-e", HOLDER], {}, (line) => line === "ready" || undefined, {
    ipc: true,
  });
  return child;
};

describe("memory probe", () => {
  it("tells the heap still in use after a full collection from the heap as found", async () => {
    const holder = await startHolder();
    const probe = new MemoryProbe(holder.child);
    const held = await probe.read();
    expect(held.rssMiB).toBeGreaterThan(held.heap.liveMiB);
    expect(held.heap.liveMiB).toBeGreaterThan(20);
    expect(held.heap.liveMiB).toBeLessThanOrEqual(held.heap.totalMiB);
    // The held objects have outlived two scavenges: they are in the old space.
    expect(held.heap.spacesMiB!.old_space).toBeGreaterThan(20);
    expect(held.heap.spacesMiB!.new_space).toBeGreaterThan(0);

    holder.child.send("drop");
    await once(holder.child, "message");
    const dropped = await probe.read();
    expect(held.heap.liveMiB - dropped.heap.liveMiB).toBeGreaterThan(20);
  });

  it("writes a heap snapshot where it is asked to", async () => {
    const holder = await startHolder();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-probe-"));
    try {
      const file = await new MemoryProbe(holder.child).heapSnapshot(path.join(dir, "a.heapsnapshot"));
      expect(file).toBe(path.join(dir, "a.heapsnapshot"));
      const head = fs.readFileSync(file, "utf8").slice(0, 200);
      expect(head).toMatch(/^\{"snapshot":\{"meta":/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("does not keep a process alive that has nothing else to do", async () => {
    const done = spawn(process.execPath, [...PROBE_NODE_ARGS, "-e", "0"], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    const timer = setTimeout(() => done.kill(), 10_000);
    const [code] = await once(done, "exit");
    clearTimeout(timer);
    expect(code).toBe(0);
  });
});
