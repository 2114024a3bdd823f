// Request/reply over a dedicated MessageChannel to a worker thread. The channel owns the
// Worker and one MessagePort; a listener on one of them that uses the other can run after
// close(). A pooled worker uses a `_destroyed` flag; a relay holds an optional port.
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

interface Request {
  readonly id: number;
  readonly op: string;
  readonly payload: unknown;
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
}

export class WorkerChannel {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  #closed = false;
  #nextId = 1;
  readonly #waiting = new Map<number, (r: Reply) => void>();
  readonly #online: Promise<unknown>;

  constructor(script: URL) {
    const { port1, port2 } = new MessageChannel();
    this.#worker = new Worker(script, { workerData: { port: port2 }, transferList: [port2] });
    this.#port = port1;
    this.#online = once(this.#worker, 'online');
    this.#port.on('message', (reply: Reply) => {
      this.#waiting.get(reply.id)?.(reply);
      this.#waiting.delete(reply.id);
      this.#port.postMessage({ type: 'ack', id: reply.id });
    });
    this.#port.on('message', (reply: Reply) => {
      if (!reply.ok) this.#worker.postMessage({ type: 'diagnose', id: reply.id }); // expect: require-lifetime-guard
    });
    this.#worker.on('message', (msg: { type: string }) => {
      if (msg.type === 'ping') this.#worker.postMessage({ type: 'pong' });
    });
    this.#worker.once('error', err => {
      if (this.#closed) return;
      this.#port.postMessage({ type: 'abort-all', reason: String(err) });
    });
    this.#worker.once('exit', () => {
      this.#closed = true;
    });
  }

  static async start(script: URL): Promise<WorkerChannel> {
    const channel = new WorkerChannel(script);
    await channel.#online;
    channel.#port.postMessage({ type: 'init' });
    return channel;
  }

  throwIfClosed(): void {
    if (this.#closed) throw new Error('worker channel closed');
  }

  #expect(id: number): Promise<Reply> {
    return new Promise<Reply>(resolve => this.#waiting.set(id, resolve));
  }

  async request(op: string, payload: unknown): Promise<Reply> {
    await this.#online;
    this.throwIfClosed();
    const id = this.#nextId++;
    const reply = this.#expect(id);
    this.#port.postMessage({ id, op, payload } satisfies Request);
    return reply;
  }

  async requestUnchecked(op: string, payload: unknown): Promise<Reply> {
    await this.#online;
    const id = this.#nextId++;
    const reply = this.#expect(id);
    this.#port.postMessage({ id, op, payload } satisfies Request); // expect: require-lifetime-guard
    return reply;
  }

  async requestWithDeadline(op: string, payload: unknown, ms: number): Promise<Reply | undefined> {
    this.throwIfClosed();
    const result = await Promise.race([this.request(op, payload), sleep(ms, undefined)]);
    if (result === undefined) this.#worker.postMessage({ type: 'cancel', op }); // expect: require-lifetime-guard
    return result;
  }

  async upload(data: ArrayBuffer): Promise<Reply> {
    await this.#online;
    if (this.#closed) throw new Error('worker channel closed');
    const id = this.#nextId++;
    const reply = this.#expect(id);
    this.#port.postMessage({ id, op: 'upload', payload: data } satisfies Request, [data]);
    return reply;
  }

  startHeartbeat(everyMs: number): NodeJS.Timeout {
    const timer = setInterval(() => {
      if (this.#closed) {
        clearInterval(timer);
        return;
      }
      this.#port.postMessage({ type: 'heartbeat' });
    }, everyMs);
    timer.unref();
    return timer;
  }

  warmCaches(keys: readonly string[]): void {
    void this.#online.then(() => {
      for (const key of keys) this.#port.postMessage({ type: 'warm', key }); // expect: require-lifetime-guard
    });
  }

  async control(cmd: 'pause' | 'resume' | 'stats'): Promise<unknown> {
    await this.#online;
    switch (cmd) {
      case 'pause':
      case 'resume':
        if (this.#closed) return undefined;
        this.#port.postMessage({ type: cmd });
        return undefined;
      case 'stats':
        return this.#worker.performance.eventLoopUtilization(); // expect: require-lifetime-guard
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.postMessage({ type: 'shutdown' });
    await sleep(10);
    this.#port.close();
    await this.#worker.terminate();
  }
}

export class PooledWorker {
  private _destroyed = false;
  private busy = false;

  constructor(private readonly worker: Worker) {}

  async run<T>(task: unknown): Promise<T> {
    if (this._destroyed) throw new Error('worker destroyed');
    this.busy = true;
    try {
      this.worker.postMessage(task);
      const [result] = (await once(this.worker, 'message')) as [T];
      return result;
    } finally {
      this.busy = false;
    }
  }

  async runPair<T>(a: unknown, b: unknown): Promise<[T, T]> {
    if (this._destroyed) throw new Error('worker destroyed');
    this.worker.postMessage(a);
    const [first] = (await once(this.worker, 'message')) as [T];
    this.worker.postMessage(b); // expect: require-lifetime-guard
    const [second] = (await once(this.worker, 'message')) as [T];
    return [first, second];
  }

  recycleAfter(ms: number): void {
    setTimeout(() => {
      if (this._destroyed || this.busy) return;
      this.worker.postMessage({ type: 'gc' });
    }, ms).unref();
  }

  destroy(): Promise<number> {
    this._destroyed = true;
    return this.worker.terminate();
  }
}

/** Forwards messages to a port that may not be attached yet. */
export class PortRelay {
  #port: MessagePort | undefined;
  #disposed = false;

  attach(port: MessagePort): void {
    this.#port = port;
  }

  async forward(source: AsyncIterable<unknown>): Promise<number> {
    let n = 0;
    for await (const msg of source) {
      this.#port?.postMessage(msg); // expect: require-lifetime-guard
      n++;
    }
    return n;
  }

  async forwardChecked(source: AsyncIterable<unknown>): Promise<number> {
    let n = 0;
    for await (const msg of source) {
      if (this.#disposed) break;
      this.#port?.postMessage(msg);
      n++;
    }
    return n;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#disposed = true;
    await sleep(0);
    this.#port?.close();
    this.#port = undefined;
  }
}
