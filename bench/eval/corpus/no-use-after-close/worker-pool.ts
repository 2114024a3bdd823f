// A worker pool with a control channel per worker. terminate() ends a Worker and close() a
// MessagePort; posting to either afterwards is lost silently. Waiting for 'exit', removing
// listeners and reading plain properties (threadId) after the close are not uses.
import { once } from 'node:events';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

export interface Task {
  readonly id: number;
  readonly input: string;
}

export async function stopWorker(worker: Worker): Promise<number> {
  const id = worker.threadId;
  await worker.terminate();
  worker.postMessage({ type: 'stopped' }); // expect: no-use-after-close
  return id;
}

export async function stopWorkerCleanly(worker: Worker, onMessage: (msg: unknown) => void): Promise<number> {
  worker.postMessage({ type: 'stopping' });
  const exited = once(worker, 'exit');
  const code = await worker.terminate();
  worker.off('message', onMessage);
  await exited;
  console.debug(`worker ${worker.threadId} exited with ${code}`);
  return code;
}

export function closeControl(port: MessagePort): void {
  port.close();
  port.postMessage({ type: 'closed' }); // expect: no-use-after-close
}

export function closeControlAfterGoodbye(port: MessagePort): void {
  port.postMessage({ type: 'closed' });
  port.close();
  port.removeAllListeners('message');
}

/** Restarts a worker that failed: the variable is reassigned before the next use. */
export function restart(script: URL, worker: Worker, task: Task): Worker {
  void worker.terminate();
  worker = new Worker(script);
  worker.postMessage(task);
  return worker;
}

export function retryOn(script: URL, worker: Worker, task: Task): void {
  void worker.terminate();
  const next = new Worker(script);
  next.postMessage(task);
  worker.postMessage({ type: 'retried', id: task.id }); // expect: no-use-after-close
}

export class Pool {
  readonly #workers: Worker[] = [];
  readonly #control: MessagePort;
  readonly #peer: MessagePort;
  #closed = false;

  constructor(script: URL, size: number) {
    const { port1, port2 } = new MessageChannel();
    this.#control = port1;
    this.#peer = port2;
    for (let i = 0; i < size; i++) this.#workers.push(new Worker(script));
  }

  run(task: Task): void {
    if (this.#closed) throw new Error('pool closed');
    this.#workers[task.id % this.#workers.length]?.postMessage(task);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#control.close();
    this.#control.postMessage({ type: 'pool-closed' }); // expect: no-use-after-close
    this.#peer.close();
    await Promise.all(this.#workers.map(w => w.terminate()));
  }
}

export class DrainingPool {
  readonly #control: MessagePort;
  #closed = false;

  constructor(control: MessagePort) {
    this.#control = control;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#control.postMessage({ type: 'pool-closed' });
    this.#control.close();
    this.#control.close();
  }
}
