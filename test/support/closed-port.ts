import net from "node:net";

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago): connections are refused. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
