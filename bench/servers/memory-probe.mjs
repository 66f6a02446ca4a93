// Preloaded into the server under soak (`node --expose-gc --import <this> cli.js start`, by
// bench/soak/memory.ts): answers its parent over the IPC channel with the process's memory, before
// and after a full garbage collection (and the size of each V8 heap space), and writes heap
// snapshots on request. Plain JavaScript, so that the server runs as it ships, without a TypeScript
// loader; it opens no port, and the server's own code knows nothing of it.
import v8 from "node:v8";

if (!process.send || typeof globalThis.gc !== "function") {
  throw new Error("memory-probe needs an IPC channel to its parent and node --expose-gc");
}

process.on("message", (message) => {
  if (message?.probe === "memory") {
    const before = process.memoryUsage();
    const spaces = v8.getHeapSpaceStatistics();
    globalThis.gc();
    const after = process.memoryUsage();
    process.send({ probe: "memory", id: message.id, before, after, spaces });
  } else if (message?.probe === "heap-snapshot") {
    const file = v8.writeHeapSnapshot(message.file);
    process.send({ probe: "heap-snapshot", id: message.id, file });
  }
});
// The channel must not keep the server alive once it has closed everything else.
process.channel.unref();
