// A framed TCP client. Timers and listeners on other emitters run later, like code after an
// await; a listener on the socket itself cannot outlive it. Guards on the socket itself
// (`destroyed`) count.
import type { EventEmitter } from 'node:events';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

const PING = Buffer.from([0, 0, 0, 0]);
const BYE = Buffer.from([0xff, 0xff, 0xff, 0xff]);

function encode(frame: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(frame.length);
  return Buffer.concat([header, frame]);
}

export class FramedConnection {
  private closed = false;
  private readonly sock: Socket;

  constructor(host: string, port: number, onFrame: (frame: Buffer) => void) {
    this.sock = connect(port, host);
    this.sock.setNoDelay(true);
    this.sock.on('data', chunk => {
      onFrame(chunk);
      this.sock.write(PING);
    });
    setTimeout(() => {
      this.sock.write(encode(Buffer.from(`HELLO ${process.pid}`))); // expect: require-lifetime-guard
    }, 50);
  }

  private async ready(): Promise<void> {
    if (!this.sock.connecting) return;
    await once(this.sock, 'connect');
  }

  async send(frame: Buffer): Promise<void> {
    await this.ready();
    this.sock.write(encode(frame)); // expect: require-lifetime-guard
  }

  async sendGuarded(frame: Buffer): Promise<void> {
    await this.ready();
    if (this.sock.destroyed) throw new Error('connection lost');
    this.sock.write(encode(frame));
  }

  async pingWhenDrained(): Promise<void> {
    if (this.sock.write(PING)) return;
    await once(this.sock, 'drain');
    if (this.closed) return;
    this.sock.write(PING);
  }

  hello(name: string): void {
    void this.ready().then(() => this.sock.write(encode(Buffer.from(name)))); // expect: require-lifetime-guard
  }

  schedulePing(delayMs: number): void {
    setTimeout(() => {
      if (this.closed) return;
      this.sock.write(PING);
    }, delayMs);
  }

  followShutdown(bus: EventEmitter): void {
    bus.on('shutdown', () => {
      this.sock.end(BYE); // expect: require-lifetime-guard
    });
  }

  destroy(): void {
    this.closed = true;
    this.sock.destroy();
  }
}
