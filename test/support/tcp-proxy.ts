import net from "node:net";

export interface TcpProxy {
  /** host:port of the proxy. */
  host: string;
  port: number;
  /**
   * A network partition: nothing passes either way and new connections get no answer, but no
   * connection is closed (as when packets are dropped, not refused).
   */
  freeze(): void;
  /** The partition heals: held data and connections go through. */
  thaw(): void;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 in front of `upstream` (host:port) that can stall like a partition. */
export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const held: Array<() => void> = [];
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    if (frozen) socket.pause();
  };
  const server = net.createServer((client) => {
    track(client);
    const connect = () => {
      const target = net.connect(upstream.port, upstream.host);
      track(target);
      client.pipe(target);
      target.pipe(client);
      client.on("close", () => target.destroy());
      target.on("close", () => client.destroy());
    };
    if (frozen) held.push(connect);
    else connect();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: "127.0.0.1",
    port: (server.address() as net.AddressInfo).port,
    freeze() {
      frozen = true;
      for (const socket of sockets) socket.pause();
    },
    thaw() {
      frozen = false;
      for (const socket of sockets) socket.resume();
      for (const connect of held.splice(0)) connect();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
