// A pool of hashing workers. A FileHandle sent to a worker must be in the transfer list (the
// sender's handle is dead afterwards); a raw fd number in a message is copied, so both threads
// believe they own it. BroadcastChannel has no transfer list at all.
import { fstatSync, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { BroadcastChannel, MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

interface HashJob {
  readonly id: number;
  readonly path: string;
}

const status = new BroadcastChannel('hash-status');

export function hashByTransfer(worker: Worker, job: HashJob, fh: FileHandle): void {
  worker.postMessage({ job, fh }, [fh]);
}

export function hashByHandle(worker: Worker, job: HashJob, fh: FileHandle): void {
  worker.postMessage({ job, fh }); // expect: no-handle-adoption
}

export function hashByNumber(worker: Worker, job: HashJob, fh: FileHandle): void {
  worker.postMessage({ job, fd: fh.fd }); // expect: no-handle-adoption
}

/** The transfer list holds a buffer, not the FileHandle in the message. */
export function hashWithScratch(worker: Worker, job: HashJob, fh: FileHandle): void {
  const scratch = new ArrayBuffer(64 * 1024);
  worker.postMessage({ job, fh, scratch }, [scratch]); // expect: no-handle-adoption
}

export function hashWithScratchTransferred(worker: Worker, job: HashJob, fh: FileHandle): void {
  const scratch = new ArrayBuffer(64 * 1024);
  worker.postMessage({ job, fh, scratch }, [scratch, fh]);
}

/** Only derived numbers travel: the size is not a raw handle. */
export function announceSize(port: MessagePort, job: HashJob, fh: FileHandle): void {
  port.postMessage({ id: job.id, size: fstatSync(fh.fd).size });
}

export function announceDescriptor(port: MessagePort, fh: FileHandle): void {
  port.postMessage(fh.fd); // expect: no-handle-adoption
}

export function announcePath(worker: Worker, job: HashJob): void {
  worker.postMessage({ type: 'queued', path: job.path });
}

/** A descriptor this code opened itself, posted to a worker: out of this rule's scope. */
export function hashByOwnDescriptor(worker: Worker, job: HashJob): void {
  worker.postMessage({ job, fd: openSync(job.path, 'r') });
}

export function broadcastOpened(job: HashJob, fh: FileHandle): void {
  status.postMessage({ id: job.id, fd: fh.fd }); // expect: no-handle-adoption
}

export function broadcastDone(job: HashJob, digest: string): void {
  status.postMessage({ id: job.id, digest });
}

/** An in-process outbox with the same method name: not a thread boundary. */
export class Outbox {
  readonly #queue: unknown[] = [];
  postMessage(msg: unknown): void {
    this.#queue.push(msg);
  }
  drain(): unknown[] {
    return this.#queue.splice(0);
  }
}

export function queueLocally(outbox: Outbox, job: HashJob, fh: FileHandle): void {
  outbox.postMessage({ job, fh });
}

export class HashPool {
  readonly #workers: Worker[] = [];
  readonly #port: MessagePort;
  #next = 0;

  constructor(script: URL, size: number) {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    for (let i = 0; i < size; i++) this.#workers.push(new Worker(script));
    this.#pick().postMessage({ type: 'results', port: port2 }, [port2]);
  }

  #pick(): Worker {
    const worker = this.#workers[this.#next++ % this.#workers.length];
    if (worker === undefined) throw new Error('empty pool');
    return worker;
  }

  async submit(job: HashJob): Promise<void> {
    const worker = this.#pick();
    const fh = await open(job.path, 'r');
    worker.postMessage({ job, fh }, [fh]);
  }

  async submitUntransferred(job: HashJob): Promise<void> {
    const worker = this.#pick();
    const fh = await open(job.path, 'r');
    worker.postMessage({ job, fh }); // expect: no-handle-adoption
  }

  close(): void {
    this.#port.close();
    for (const w of this.#workers) void w.terminate();
  }
}
