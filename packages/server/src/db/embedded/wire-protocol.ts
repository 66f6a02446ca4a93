import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

// PostgreSQL frontend/backend protocol 3.0 (PostgreSQL docs, "Message Formats").
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]); // 'S'

export interface WireServer {
  /** Where it listens: a Unix socket path, or the TCP address and the port it got. */
  address: string | net.AddressInfo;
  /**
   * Settles when a call into PGlite fails: PGlite then never answers again, so every connection is
   * closed at once, and the owner should stop rather than let its clients hang.
   */
  failed: Promise<Error>;
  close(): Promise<void>;
}

/**
 * PGlite behind the PostgreSQL wire protocol, listening on `listen` (a Unix socket path, or a TCP
 * host and port). Written for two faults of @electric-sql/pglite-socket: it hands PGlite one
 * protocol message at a time, each through its queue and a write of its own, and one failed call
 * stops that queue for good, so that every later query waits forever (upstream issue #1046).
 *
 * Here each run of complete messages that arrives goes to PGlite in one call and its answer to the
 * client in one write: an extended-protocol query (Bind, Describe, Execute, Sync) costs one pass
 * instead of four. PGlite has a single session, shared by all connections: a connection holds it
 * from its first message until PGlite is ready for a query outside a transaction again; the others
 * wait. A connection that closes is rolled back and lets go.
 */
export async function serveWireProtocol(db: PGlite, listen: net.ListenOptions): Promise<WireServer> {
  let holder: net.Socket | undefined;
  const waiting: Array<() => void> = [];
  const sockets = new Set<net.Socket>();
  let broken: Error | undefined;
  let reportFailure: (error: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => (reportFailure = resolve));

  const breakDown = (error: unknown) => {
    broken ??= error instanceof Error ? error : new Error(String(error));
    for (const socket of sockets) socket.destroy();
    reportFailure(broken);
  };

  const release = () => {
    holder = undefined;
    for (const wake of waiting.splice(0)) wake();
  };

  /** Runs messages for `socket` once the session is free, and writes PGlite's answer. */
  const run = async (socket: net.Socket, messages: Uint8Array): Promise<void> => {
    while (holder && holder !== socket) await new Promise<void>((wake) => waiting.push(wake));
    if (broken) throw broken;
    holder = socket;
    const chunks: Buffer[] = [];
    try {
      await db.runExclusive(() =>
        db.execProtocolRawStream(messages, { onRawData: (data) => void chunks.push(Buffer.from(data)) }),
      );
    } catch (error) {
      breakDown(error);
      throw error;
    }
    const answer = Buffer.concat(chunks);
    if (answer.length > 0 && socket.writable) socket.write(answer);
    // ReadyForQuery ('Z', length 5) with status idle: no transaction and no unsynced batch is open.
    const end = answer.length - 6;
    const ready = end >= 0 && answer[end] === READY_FOR_QUERY && answer.readInt32BE(end + 1) === 5;
    if (ready && answer[end + 5] === IDLE) release();
  };

  /** What the connection left open in the session is closed, so that the next one starts clean. */
  const abandon = async (socket: net.Socket) => {
    if (holder !== socket) return;
    if (broken) return release();
    try {
      await db.runExclusive(() => db.execProtocolRawStream(SYNC, { onRawData: () => {} }));
      if (db.isInTransaction()) await db.exec("ROLLBACK");
    } finally {
      release();
    }
  };

  const serve = (socket: net.Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let started = false;
    let draining = false;
    let ended = false;

    const finish = () => {
      if (ended) return;
      ended = true;
      sockets.delete(socket);
      socket.destroy();
      void abandon(socket).catch(() => {});
    };

    const take = (end: number) => {
      const messages = buffer.subarray(0, end);
      buffer = buffer.subarray(end);
      return messages;
    };

    /** The next unit to run: the startup message, or every complete message received. */
    const next = (): Uint8Array | "terminate" | undefined => {
      while (!started && buffer.length >= 8) {
        const length = buffer.readInt32BE(0);
        const code = buffer.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          socket.write("N");
          buffer = buffer.subarray(8);
          continue;
        }
        // Cancellation is not supported; the connection asking for it is closed at once.
        if (code === CANCEL_REQUEST) return "terminate";
        if (buffer.length < length) return undefined;
        started = true;
        return take(length);
      }
      if (!started) return undefined;
      let end = 0;
      while (buffer.length - end >= 5) {
        if (buffer[end] === TERMINATE) return end === 0 ? "terminate" : take(end);
        const length = 1 + buffer.readInt32BE(end + 1);
        // A length below its own four bytes breaks the framing: PostgreSQL, too, hangs up.
        if (length < 5) return "terminate";
        if (buffer.length - end < length) break;
        end += length;
      }
      return end > 0 ? take(end) : undefined;
    };

    const drain = async () => {
      if (draining) return;
      draining = true;
      try {
        for (let unit = next(); unit !== undefined && !ended; unit = next()) {
          if (unit === "terminate") return finish();
          await run(socket, unit);
        }
      } catch {
        finish();
      } finally {
        draining = false;
      }
    };

    socket.on("data", (data) => {
      buffer = buffer.length === 0 ? data : Buffer.concat([buffer, data]);
      void drain();
    });
    socket.on("error", finish);
    socket.on("close", finish);
  };

  const server = net.createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen, () => resolve());
  });
  return {
    address: server.address()!,
    failed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
