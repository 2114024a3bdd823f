// UDP senders. dgram close() right after send() drops the datagram and the send callback is
// never called; the remedy is to close inside the callback.
import dgram from 'node:dgram';

export interface Peer {
  readonly host: string;
  readonly port: number;
}

export function sendOnce(msg: Buffer, peer: Peer): void {
  const sock = dgram.createSocket('udp4');
  sock.send(msg, peer.port, peer.host, err => {
    if (err) console.error('send failed', err);
  });
  sock.close(); // expect: no-close-with-pending-ops
}

export function sendThenClose(msg: Buffer, peer: Peer): Promise<void> {
  const sock = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    sock.send(msg, peer.port, peer.host, err => {
      sock.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

export function fireAndForget(msg: string, peer: Peer): void {
  const sock = dgram.createSocket('udp4');
  sock.send(msg, peer.port, peer.host);
  sock.close();
}

export async function sendAll(msgs: readonly Buffer[], peer: Peer): Promise<void> {
  const sock = dgram.createSocket('udp4');
  for (const m of msgs) {
    await new Promise<void>((resolve, reject) => {
      sock.send(m, peer.port, peer.host, err => (err ? reject(err) : resolve()));
    });
  }
  sock.close();
}

export function broadcast(sock: dgram.Socket, peers: readonly Peer[], msg: Buffer, done: () => void): void {
  let left = peers.length;
  for (const p of peers) {
    sock.send(msg, p.port, p.host, () => {
      if (--left === 0) done();
    });
  }
  sock.close(); // expect: no-close-with-pending-ops
}

export function broadcastThenClose(sock: dgram.Socket, peers: readonly Peer[], msg: Buffer): void {
  let left = peers.length;
  for (const p of peers) {
    sock.send(msg, p.port, p.host, () => {
      if (--left === 0) sock.close();
    });
  }
}

/** A WebSocket-like channel: same method names, not an owner. */
export interface Channel {
  send(data: string, cb: (err: Error | null) => void): void;
  close(): void;
}

export function sendAndHangUp(ch: Channel, data: string): void {
  ch.send(data, err => {
    if (err) console.error(err);
  });
  ch.close();
}
