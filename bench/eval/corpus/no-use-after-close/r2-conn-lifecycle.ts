// Connection lifecycle helpers for an agent that talks UDP to a collector, TCP to peers, serves a
// health endpoint and supervises helper processes. destroy()/resetAndDestroy() close a socket,
// dgram close() closes a UDP socket, server.close() a server, kill() a child process. end() only
// half-closes a socket, and closeAllConnections() cancels: neither is a close.
import { type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Socket } from 'node:net';

export class FramedSocket extends Socket {
  sendFrame(payload: Buffer): boolean {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(payload.length, 0);
    return this.write(Buffer.concat([header, payload]));
  }
}

/** Reports the final counters after closing the UDP socket. */
export function finalReport(udp: UdpSocket, port: number, host: string, counters: Buffer): void {
  udp.close();
  udp.send(counters, port, host); // expect: no-use-after-close
}

export function finalReportFirst(port: number, host: string, counters: Buffer): void {
  const udp = createSocket('udp4');
  udp.send(counters, port, host, () => udp.close());
}

/** end() is a half-close: writing afterwards is a different bug, not a use after close. */
export function endThenLog(sock: Socket, trailer: string): void {
  sock.end();
  sock.write(trailer);
}

export function greetOrDrop(sock: FramedSocket, allowed: boolean, hello: Buffer): void {
  if (!allowed) {
    sock.destroy();
  }
  sock.sendFrame(hello); // expect: no-use-after-close
}

export function greetOrDropCorrectly(sock: FramedSocket, allowed: boolean, hello: Buffer): void {
  if (!allowed) {
    sock.destroy();
    return;
  }
  sock.sendFrame(hello);
}

/** Hands the peer a protocol error after a failed handshake, but forgets to return. */
export async function accept(sock: Socket, handshake: (s: Socket) => Promise<void>): Promise<void> {
  try {
    await handshake(sock);
  } catch (err) {
    console.warn('handshake failed', err);
    sock.destroy();
  }
  sock.setEncoding('utf8'); // expect: no-use-after-close
}

export async function acceptCorrectly(sock: Socket, handshake: (s: Socket) => Promise<void>): Promise<boolean> {
  try {
    await handshake(sock);
  } catch (err) {
    console.warn('handshake failed', err);
    sock.destroy();
    return false;
  }
  sock.setEncoding('utf8');
  return true;
}

/** A request on a connection that is being reset: the socket comes from the request. */
export function rejectRequest(req: IncomingMessage): void {
  const { socket } = req;
  socket.resetAndDestroy();
  socket.setTimeout(0); // teardown-safe (spec §2.5): it only arms an idle timer a destroyed socket never fires
}

export function rejectRequestQuietly(req: IncomingMessage): void {
  const { socket } = req;
  socket.resetAndDestroy();
  socket.removeAllListeners('timeout');
  if (socket.destroyed) return;
  socket.resetAndDestroy();
}

/** Stops the health server and then force-closes what is left: the latter is a cancel. */
export async function stopHealth(server: HttpServer): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
}

export async function stopHelper(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  child.stdout?.removeAllListeners('data');
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/** Tells the helper to flush after it has been killed. */
export function stopHelperAndFlush(child: ChildProcess): void {
  child.kill('SIGTERM');
  child.send({ type: 'flush' }); // expect: no-use-after-close
}

export function flushThenStopHelper(child: ChildProcess): void {
  child.send({ type: 'flush' }, () => {
    child.kill('SIGTERM');
  });
}

export class Peer {
  constructor(
    private readonly sock: Socket,
    readonly id: string,
  ) {}

  write(line: string): void {
    if (!this.sock.destroyed) this.sock.write(`${line}\n`);
  }

  /** Closes the connection, then turns keep-alive off on the closed socket. */
  close(): void {
    if (this.sock.destroyed) return;
    this.sock.destroy();
    this.sock.setKeepAlive(false); // expect: no-use-after-close
  }
}

export class QuietPeer {
  constructor(private readonly sock: Socket) {}

  close(): void {
    if (this.sock.destroyed) return;
    this.sock.setKeepAlive(false);
    this.sock.destroy();
    this.sock.on('close', () => console.debug('peer closed'));
  }
}
