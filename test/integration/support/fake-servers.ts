// TCP servers on 127.0.0.1 that are not SSH servers, for the failures of pairing's connect step.
import { once } from 'node:events';
import net from 'node:net';

export interface FakeServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on a free loopback port and treats each connection with `onSocket`. */
export async function fakeServer(onSocket: (socket: net.Socket) => void): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A port nothing listens on (the kernel refuses connections to it). */
export async function closedPort(): Promise<number> {
  const server = await fakeServer(() => undefined);
  await server.close();
  return server.port;
}
