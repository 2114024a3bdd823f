// A small TCP line server with connection tracking. destroy() closes a socket; server.close()
// stops the server. Waiting for 'close', listener bookkeeping, the `destroyed` flag and plain
// property reads after a close are fine; writing to or reconfiguring a closed socket is not.
import { once } from 'node:events';
import net, { type Server, type Socket } from 'node:net';

const BYE = 'bye\n';

export function kick(sock: Socket, reason: string): void {
  sock.destroy();
  sock.write(`kicked: ${reason}\n`); // expect: no-use-after-close
}

export function kickPolitely(sock: Socket, reason: string): void {
  sock.end(`kicked: ${reason}\n`);
}

export async function hangUp(sock: Socket, sockets: Set<Socket>): Promise<string> {
  const peer = `${sock.remoteAddress ?? '?'}:${sock.remotePort ?? 0}`;
  sock.destroy();
  sockets.delete(sock);
  sock.removeAllListeners('data');
  if (!sock.destroyed) throw new Error('socket still open');
  await once(sock, 'close');
  return `${peer} wrote ${sock.bytesWritten} bytes`;
}

export function resetIdle(sock: Socket, idleMs: number): void {
  sock.setTimeout(idleMs, () => {
    sock.destroy();
  });
  sock.setKeepAlive(true, idleMs);
}

export function abortConnection(sock: Socket): void {
  sock.resetAndDestroy();
  sock.setNoDelay(false); // expect: no-use-after-close
}

export function stop(server: Server): string {
  server.close();
  const addr = server.address(); // expect: no-use-after-close
  return typeof addr === 'object' && addr !== null ? `stopped ${addr.port}` : 'stopped';
}

export function stopAndReport(server: Server): string {
  const addr = server.address();
  server.close();
  return typeof addr === 'object' && addr !== null ? `stopped ${addr.port}` : 'stopped';
}

export class LineServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #closed = false;

  constructor() {
    this.#server = net.createServer(sock => this.#accept(sock));
  }

  #accept(sock: Socket): void {
    if (this.#closed) {
      sock.destroy();
      return;
    }
    this.#sockets.add(sock);
    sock.on('close', () => this.#sockets.delete(sock));
  }

  broadcast(line: string): void {
    for (const sock of this.#sockets) {
      if (sock.writableLength > 1 << 20) {
        sock.destroy();
        continue;
      }
      sock.write(`${line}\n`);
    }
  }

  /** Drops slow peers, but keeps writing to the one it just dropped. */
  broadcastSloppy(line: string): void {
    for (const sock of this.#sockets) {
      if (sock.writableLength > 1 << 20) sock.destroy();
      sock.write(`${line}\n`); // expect: no-use-after-close
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    for (const sock of this.#sockets) {
      sock.end(BYE);
      sock.destroy();
    }
    this.#sockets.clear();
  }
}

export class Connection {
  readonly #sock: Socket;
  #closed = false;

  constructor(sock: Socket) {
    this.#sock = sock;
  }

  send(line: string): void {
    if (!this.#closed) this.#sock.write(`${line}\n`);
  }

  /** Says goodbye after tearing the socket down. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sock.destroy();
    this.#sock.write(BYE); // expect: no-use-after-close
  }
}

export class PoliteConnection {
  readonly #sock: Socket;
  #closed = false;

  constructor(sock: Socket) {
    this.#sock = sock;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sock.write(BYE);
    this.#sock.destroy();
    this.#sock.removeAllListeners();
  }
}
