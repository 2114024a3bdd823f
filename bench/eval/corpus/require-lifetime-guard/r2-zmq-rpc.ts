// An RPC client over a ZeroMQ-style DEALER socket from a tagged addon. close() may run while
// a call is suspended at an await; the socket's own `closed` flag and the client's
// `closed` getter / ensureOpen() are the liveness checks. assertFrame() validates input only.
import type { EventEmitter } from 'node:events';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { Dealer } from 'zmq-native';

const deflateAsync = promisify(deflate);

export class RpcClosedError extends Error {}

function header(id: number, method: string): Buffer {
  return Buffer.from(`${id}:${method}`);
}

async function encode(method: string, body: Buffer): Promise<Buffer> {
  return Buffer.concat([Buffer.from(`${method}\n`), await deflateAsync(body)]);
}

export class RpcClient {
  readonly #sock: Dealer;
  #closed = false;
  #nextId = 0;
  readonly #connected: Promise<void>;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(
    endpoint: string,
    private readonly bus: EventEmitter,
  ) {
    this.#sock = new Dealer({ linger: 0 });
    this.#sock.connect(endpoint);
    this.#connected = sleep(10);
    this.#heartbeat = setInterval(() => {
      void this.#sock.send(Buffer.from('PING')); // expect: require-lifetime-guard
    }, 5000);
    bus.on('endpoint', (next: string) => {
      if (this.#closed) return;
      this.#sock.disconnect(endpoint);
      this.#sock.connect(next);
    });
  }

  static async connect(endpoint: string, bus: EventEmitter): Promise<RpcClient> {
    const client = new RpcClient(endpoint, bus);
    await client.#connected;
    await client.#sock.send(Buffer.from('HELLO'));
    return client;
  }

  get closed(): boolean {
    return this.#closed;
  }

  private ensureOpen(): void {
    if (this.#closed) throw new RpcClosedError('rpc client closed');
  }

  /** Input validation: throws on an oversized frame, says nothing about liveness. */
  private assertFrame(frame: Buffer): void {
    if (frame.length > 1 << 20) throw new RangeError('frame too large');
  }

  private async probe(endpoint: string): Promise<boolean> {
    await sleep(1);
    return endpoint.startsWith('tcp://');
  }

  async call(method: string, body: Buffer): Promise<Buffer[]> {
    await this.#connected;
    this.ensureOpen();
    await this.#sock.send([header(this.#nextId++, method), body]);
    return this.#sock.receive(); // expect: require-lifetime-guard
  }

  async callGuarded(method: string, body: Buffer): Promise<Buffer[]> {
    await this.#connected;
    this.ensureOpen();
    await this.#sock.send([header(this.#nextId++, method), body]);
    if (this.closed) throw new RpcClosedError(`${method}: client closed while sending`);
    return this.#sock.receive();
  }

  async notify(method: string, body: Buffer): Promise<void> {
    const frame = await encode(method, body);
    this.assertFrame(frame);
    await this.#sock.send(frame); // expect: require-lifetime-guard
  }

  async notifyChecked(method: string, body: Buffer): Promise<void> {
    const frame = await encode(method, body);
    this.assertFrame(frame);
    this.ensureOpen();
    await this.#sock.send(frame);
  }

  async poll(): Promise<Buffer[] | undefined> {
    await this.#connected;
    return this.#closed ? undefined : this.#sock.receive();
  }

  async ping(): Promise<void> {
    await sleep(1);
    if (!this.#closed && !this.#sock.closed) await this.#sock.send(Buffer.from('PING'));
  }

  async echo(body: Buffer): Promise<Buffer[]> {
    await this.#connected;
    if (this.#sock.closed) throw new RpcClosedError('socket closed');
    await this.#sock.send(body);
    const reply = await this.#sock.receive(); // expect: require-lifetime-guard
    return reply;
  }

  async drainReplies(max: number): Promise<Buffer[][]> {
    this.ensureOpen();
    const out: Buffer[][] = [];
    while (out.length < max) {
      out.push(await this.#sock.receive()); // expect: require-lifetime-guard
    }
    return out;
  }

  async *replies(): AsyncGenerator<Buffer[]> {
    while (!this.#closed) {
      const frames = await this.#sock.receive();
      yield frames;
    }
  }

  async rebind(from: string, to: string): Promise<void> {
    await this.#connected;
    this.#sock.disconnect(from); // expect: require-lifetime-guard
    this.#sock.connect(to);
  }

  async rebindGuarded(from: string, to: string): Promise<void> {
    await this.#connected;
    if (this.#closed) return;
    this.#sock.disconnect(from);
    this.#sock.connect(to);
  }

  async reconnect(endpoint: string): Promise<boolean> {
    if (!(await this.probe(endpoint))) return false;
    this.#sock.connect(endpoint); // expect: require-lifetime-guard
    return true;
  }

  async resubscribe(topics: readonly string[]): Promise<void> {
    await this.#connected;
    if (this.#closed) return;
    topics.forEach(t => void this.#sock.send(Buffer.from(`SUB ${t}`)));
  }

  async handshake(name: string): Promise<string> {
    await this.#connected;
    this.ensureOpen();
    await this.#sock.send(Buffer.from(`HELLO ${name}`));
    await sleep(5);
    if (this.#closed) return '';
    await this.#sock.send(Buffer.from('READY'));
    const [ack] = await this.#sock.receive(); // expect: require-lifetime-guard
    return ack?.toString() ?? '';
  }

  announce(name: string): void {
    void this.#connected.then(() => {
      if (this.#closed) return;
      return this.#sock.send(Buffer.from(`ANNOUNCE ${name}`));
    });
  }

  followBus(): void {
    this.bus.on('flush', () => {
      void this.#sock.send(Buffer.from('FLUSH')); // expect: require-lifetime-guard
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#sock.close();
  }
}

/** Telemetry publisher the process keeps until it dies: no close-role method, no owner class. */
export class TelemetryPublisher {
  constructor(private readonly sock: Dealer) {}

  async publish(topic: string, body: Buffer): Promise<void> {
    const payload = await deflateAsync(body);
    await this.sock.send([Buffer.from(topic), payload]);
  }

  later(topic: string, body: Buffer, ms: number): void {
    setTimeout(() => void this.sock.send([Buffer.from(topic), body]), ms);
  }

  shutdown(): void {
    this.sock.close();
  }
}

/** Frames queued for a socket owned elsewhere; `close()` closes only the queue. */
export class OutboundQueue {
  readonly #frames: Buffer[] = [];
  #closed = false;

  constructor(private readonly sink: { send(frame: Buffer): Promise<void> }) {}

  push(frame: Buffer): void {
    if (!this.#closed) this.#frames.push(frame);
  }

  async flush(): Promise<void> {
    while (this.#frames.length > 0) {
      const frame = this.#frames.shift()!;
      await this.sink.send(frame);
    }
  }

  close(): void {
    this.#closed = true;
    this.#frames.length = 0;
  }
}
