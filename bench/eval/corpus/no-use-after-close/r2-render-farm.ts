// A render farm coordinator over worker threads. terminate() ends a Worker and close() a
// MessagePort: messages posted afterwards are silently lost. Waiting for 'exit', listener
// bookkeeping and plain property reads (threadId) after the close are not uses; reassigning
// the field or variable to a new Worker starts a new lifetime.
import { once } from 'node:events';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

export interface Frame {
  readonly index: number;
  readonly scene: string;
}

export function cancelFrame(worker: Worker, frame: Frame): void {
  worker.terminate().catch(err => console.error('terminate failed', err));
  worker.postMessage({ type: 'cancelled', index: frame.index }); // expect: no-use-after-close
}

export async function cancelFrameCleanly(worker: Worker, frame: Frame): Promise<void> {
  worker.postMessage({ type: 'cancelled', index: frame.index });
  const id = worker.threadId;
  await worker.terminate();
  console.debug(`worker ${id} stopped (threadId still ${worker.threadId})`);
}

/** One side of a channel is closed; the other side is a different port. */
export function handOff(worker: Worker, frame: Frame): MessagePort {
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ type: 'frame', frame, reply: port2 }, [port2]);
  port1.close();
  port1.postMessage({ type: 'frame-sent', index: frame.index }); // expect: no-use-after-close
  return port1;
}

export function handOffCorrectly(worker: Worker, frame: Frame): MessagePort {
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ type: 'frame', frame, reply: port2 }, [port2]);
  return port1;
}

export async function renderAll(script: URL, frames: readonly Frame[]): Promise<void> {
  let worker = new Worker(script);
  for (const frame of frames) {
    worker.postMessage({ type: 'frame', frame });
    const [result] = (await once(worker, 'message')) as [{ ok: boolean }];
    if (!result.ok) {
      await worker.terminate();
      worker = new Worker(script);
    }
  }
  await worker.terminate();
}

/** Gives up on a worker after a failed frame, but the next frame goes to the same worker. */
export async function renderAllSloppy(script: URL, frames: readonly Frame[]): Promise<void> {
  const worker = new Worker(script);
  for (const frame of frames) {
    worker.postMessage({ type: 'frame', frame }); // expect: no-use-after-close
    const [result] = (await once(worker, 'message')) as [{ ok: boolean }];
    if (!result.ok) {
      await worker.terminate();
      continue;
    }
  }
  await worker.terminate();
}

export class Coordinator {
  #worker: Worker | undefined;
  readonly #control: MessagePort;
  readonly #peer: MessagePort;
  #closed = false;

  constructor(
    private readonly script: URL,
    control: MessageChannel,
  ) {
    this.#control = control.port1;
    this.#peer = control.port2;
    this.#worker = new Worker(script);
  }

  /** Restarts the worker, but notifies the one just terminated. */
  restart(): void {
    if (this.#closed) return;
    void this.#worker?.terminate();
    this.#worker?.postMessage({ type: 'restarted' }); // expect: no-use-after-close
    this.#worker = new Worker(this.script);
  }

  restartCorrectly(): void {
    if (this.#closed) return;
    void this.#worker?.terminate();
    this.#worker = new Worker(this.script);
    this.#worker.postMessage({ type: 'restarted' });
  }

  /** Resets the control channel by closing it and sending on it again. */
  resetControl(): void {
    this.#control.close();
    this.#control.postMessage({ type: 'reset' }); // expect: no-use-after-close
  }

  peerDone(onMessage: (msg: unknown) => void): void {
    this.#peer.close();
    this.#peer.off('message', onMessage);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#control.postMessage({ type: 'closing' });
    this.#control.close();
    this.#peer.close();
    void this.#worker?.terminate();
    this.#worker = undefined;
  }
}
