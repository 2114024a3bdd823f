// Runs jobs on a worker thread. Listeners on the worker itself are fine; a process signal
// listener and the batch loop can touch the worker after it was terminated (a timer only unrefs it).
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface Job {
  readonly id: number;
  readonly payload: unknown;
}

export interface Result {
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
}

export class JobRunner {
  readonly #worker: Worker;
  #disposed = false;
  readonly #ready: Promise<void>;
  readonly #waiting = new Map<number, (r: Result) => void>();

  constructor(script: URL) {
    this.#worker = new Worker(script);
    this.#ready = once(this.#worker, 'online').then(() => undefined);
    this.#worker.on('message', (msg: Result) => {
      this.#waiting.get(msg.id)?.(msg);
      this.#waiting.delete(msg.id);
      this.#worker.postMessage({ type: 'ack', id: msg.id });
    });
    process.on('SIGUSR2', () => {
      this.#worker.postMessage({ type: 'dump-heap' }); // expect: require-lifetime-guard
    });
  }

  private assertLive(): void {
    if (this.#disposed) throw new Error('job runner disposed');
  }

  #waitFor(id: number): Promise<Result> {
    return new Promise(resolve => this.#waiting.set(id, resolve));
  }

  async run(job: Job): Promise<Result> {
    await this.#ready;
    this.assertLive();
    this.#worker.postMessage(job);
    return this.#waitFor(job.id);
  }

  async runBatch(jobs: readonly Job[]): Promise<Result[]> {
    await this.#ready;
    const results: Result[] = [];
    for (const job of jobs) {
      this.#worker.postMessage(job); // expect: require-lifetime-guard
      results.push(await this.#waitFor(job.id));
    }
    return results;
  }

  warmUp(): void {
    void this.#ready.then(() => {
      if (this.#disposed) return;
      this.#worker.postMessage({ type: 'warmup' });
    });
  }

  allowExitAfter(ms: number): void {
    // unref() is teardown-safe (spec §2.5): harmless on a terminated Worker.
    setTimeout(() => this.#worker.unref(), ms);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#worker.terminate();
  }
}
