// A thumbnailing service that hands files to worker threads. A FileHandle in a message must
// also be in the transfer list (the sender's handle is dead afterwards); a raw descriptor or a
// pty master number in a message is just copied, so both threads believe they own it.
// BroadcastChannel has no transfer list at all.
import { EventEmitter } from 'node:events';
import { type FileHandle } from 'node:fs/promises';
import { BroadcastChannel, MessageChannel, parentPort, Worker, type MessagePort } from 'node:worker_threads';
import { type Terminal } from 'node-pty-native';

export interface ThumbJob {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

const ttyEvents = new BroadcastChannel('tty-events');
export const progress = new EventEmitter();

export class ThumbWorker {
  readonly #worker: Worker;
  #closed = false;

  constructor(script: URL) {
    this.#worker = new Worker(script);
  }

  submit(job: ThumbJob, fh: FileHandle): void {
    if (this.#closed) throw new Error('worker closed');
    this.#worker.postMessage({ kind: 'file', job, handle: fh }, [fh]);
  }

  submitCopy(job: ThumbJob, fh: FileHandle): void {
    if (this.#closed) throw new Error('worker closed');
    this.#worker.postMessage({ kind: 'file', job, handle: fh }); // expect: no-handle-adoption
  }

  /** The descriptor travels nested in the job's input description. */
  submitByNumber(job: ThumbJob, fh: FileHandle): void {
    this.#worker.postMessage({ kind: 'fd', job: { ...job, input: { fd: fh.fd } } }); // expect: no-handle-adoption
  }

  /** Transfer list prepared separately: it holds the FileHandle in the message. */
  submitWithScratch(job: ThumbJob, fh: FileHandle): void {
    const scratch = new ArrayBuffer(job.width * job.height * 4);
    const transfer = [fh, scratch];
    this.#worker.postMessage({ kind: 'file', job, handle: fh, scratch }, transfer);
  }

  /** The scratch buffer is transferred; the FileHandle in the message is not. */
  submitScratchOnly(job: ThumbJob, fh: FileHandle): void {
    const scratch = new ArrayBuffer(job.width * job.height * 4);
    this.#worker.postMessage( // expect: no-handle-adoption
      { kind: 'file', job, handle: fh, scratch },
      [scratch],
    );
  }

  /** Several files for one contact sheet, all in the transfer list. */
  submitSheet(job: ThumbJob, files: readonly FileHandle[]): void {
    this.#worker.postMessage({ kind: 'sheet', job, files }, [...files]);
  }

  submitMaybe(job: ThumbJob, fh: FileHandle | undefined): void {
    if (fh !== undefined) this.#worker.postMessage({ kind: 'file', job, handle: fh }); // expect: no-handle-adoption
    else this.#worker.postMessage({ kind: 'skip', job });
  }

  close(): Promise<number> {
    this.#closed = true;
    return this.#worker.terminate();
  }
}

/** A results port per batch; the batch's file goes over the port with a transfer. */
export function batchChannel(worker: Worker, fh: FileHandle): MessagePort {
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ kind: 'batch', port: port2, handle: fh }, [port2, fh]);
  return port1;
}

export function batchChannelLeaky(worker: Worker, fh: FileHandle): MessagePort {
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ kind: 'batch', port: port2, handle: fh }, [port2]); // expect: no-handle-adoption
  return port1;
}

export function reportSize(port: MessagePort, fh: FileHandle, size: number): void {
  port.postMessage([fh.fd, size]); // expect: no-handle-adoption
}

/** Inside a worker: hands the file it was given back to the main thread by number. */
export function returnToMain(fh: FileHandle): void {
  parentPort?.postMessage({ kind: 'done', fd: fh.fd }); // expect: no-handle-adoption
}

export function returnToMainTransferred(fh: FileHandle): void {
  parentPort?.postMessage({ kind: 'done', handle: fh }, [fh]);
}

/** Announces a pty to the other tabs: the pid is plain data, the master fd is not. */
export function announcePty(term: Terminal): void {
  ttyEvents.postMessage({ kind: 'pty', pid: term.pid, cols: term.cols, rows: term.rows });
}

export function sharePty(term: Terminal): void {
  ttyEvents.postMessage({ kind: 'pty', pid: term.pid, master: term.masterFd }); // expect: no-handle-adoption
}

/** An in-process progress event: no thread boundary. */
export function emitProgress(job: ThumbJob, fh: FileHandle): void {
  progress.emit('progress', { id: job.id, fd: fh.fd });
}
