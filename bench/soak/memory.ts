// The server's memory as its own process sees it, asked over the IPC channel of a server started
// with bench/servers/memory-probe.mjs preloaded: what the heap holds at the moment, and what is
// still alive after a full garbage collection (live data, as opposed to garbage not yet collected
// and room the allocator keeps).
import type { ChildProcess } from "node:child_process";
import type { HeapSpaceInfo } from "node:v8";
import type { HeapReading } from "../lib/results.ts";

const PROBE = new URL("../servers/memory-probe.mjs", import.meta.url).pathname;
/** A full collection of a few hundred MiB takes well under a second; a probe that has not answered is stuck. */
const TIMEOUT_MS = 30_000;

/** Node options that load the probe: with them, `node … script` answers a `MemoryProbe`. */
export const PROBE_NODE_ARGS = ["--expose-gc", "--import", PROBE];

type Reply =
  | { probe: "memory"; id: number; before: NodeJS.MemoryUsage; after: NodeJS.MemoryUsage; spaces: HeapSpaceInfo[] }
  | { probe: "heap-snapshot"; id: number; file: string };

/** The probe's answers; anything else on the channel is not for us. */
const isReply = (message: unknown): message is Reply =>
  typeof message === "object" &&
  message !== null &&
  "probe" in message &&
  "id" in message &&
  typeof message.id === "number";

const mib = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));

export class MemoryProbe {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, (reply: Reply) => void>();
  #next = 0;

  constructor(child: ChildProcess) {
    if (!child.send) throw new Error("the memory probe needs a child started with an IPC channel");
    this.#child = child;
    child.on("message", (message) => {
      if (isReply(message)) this.#waiting.get(message.id)?.(message);
    });
  }

  /** Reads the memory, forces a full garbage collection and reads the heap again. */
  async read(): Promise<{ rssMiB: number; heap: HeapReading }> {
    const { before, after, spaces } = (await this.#ask({ probe: "memory" })) as Extract<Reply, { probe: "memory" }>;
    return {
      rssMiB: mib(before.rss),
      heap: {
        totalMiB: mib(before.heapTotal),
        usedMiB: mib(before.heapUsed),
        externalMiB: mib(before.external),
        arrayBuffersMiB: mib(before.arrayBuffers),
        liveMiB: mib(after.heapUsed),
        liveExternalMiB: mib(after.external),
        spacesMiB: Object.fromEntries(spaces.map((s) => [s.space_name, mib(s.space_size)])),
      },
    };
  }

  /** Writes a heap snapshot (after the collection V8 makes for one) and resolves with its path. */
  async heapSnapshot(file: string): Promise<string> {
    return ((await this.#ask({ probe: "heap-snapshot", file }, 600_000)) as Extract<Reply, { probe: "heap-snapshot" }>)
      .file;
  }

  #ask(message: { probe: string; file?: string }, timeoutMs = TIMEOUT_MS): Promise<Reply> {
    const id = this.#next++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`the memory probe did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(id, (answer) => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(answer);
      });
      this.#child.send({ ...message, id }, (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.#waiting.delete(id);
        reject(error);
      });
    });
  }
}
