// A report exporter that fans files out to a pool of render workers and archives the results.
// Messages are built up before they are posted; a FileHandle anywhere in a message must be in
// that call's transfer list, and a raw descriptor in a message is a copy that two threads own.
import { createWriteStream as sink, promises as fsp, type WriteStream } from 'fs';
import { BroadcastChannel, Worker, type MessagePort } from 'node:worker_threads';

type FileHandle = fsp.FileHandle;

export interface ExportJob {
  readonly id: number;
  readonly format: 'pdf' | 'csv';
}

const exportStatus = new BroadcastChannel('export-status');

export class RenderWorker extends Worker {
  jobs = 0;
}

export function sendPrepared(worker: Worker, job: ExportJob, fh: FileHandle): void {
  const msg = { kind: 'render', job, fh };
  worker.postMessage(msg); // expect: no-handle-adoption
}

export function sendPreparedTransferred(worker: Worker, job: ExportJob, fh: FileHandle): void {
  const msg = { kind: 'render', job, fh };
  worker.postMessage(msg, [msg.fh]);
}

export function sendBare(port: MessagePort, fh: FileHandle): void {
  port.postMessage(fh); // expect: no-handle-adoption
}

export function sendBareTransferred(port: MessagePort, fh: FileHandle): void {
  port.postMessage(fh, [fh]);
}

export function sendWithEmptyTransfer(worker: Worker, job: ExportJob, fh: FileHandle): void {
  worker.postMessage({ kind: 'render', job, fh }, []); // expect: no-handle-adoption
}

export function assign(rw: RenderWorker, job: ExportJob, fh: FileHandle): void {
  rw.jobs++;
  rw.postMessage({ kind: 'render', job, fd: fh.fd }); // expect: no-handle-adoption
}

export function assignTransferred(rw: RenderWorker, job: ExportJob, fh: FileHandle): void {
  rw.jobs++;
  rw.postMessage({ kind: 'render', job, fd: fh }, [fh]);
}

export function announceOpened(job: ExportJob, fh: FileHandle): void {
  exportStatus.postMessage({ id: job.id, state: 'opened', handle: fh }); // expect: no-handle-adoption
}

export function announceDone(job: ExportJob, bytes: number): void {
  exportStatus.postMessage({ id: job.id, state: 'done', bytes });
}

/** Appends the archive index through a stream on the index FileHandle's descriptor. */
export function indexWriter(index: FileHandle): WriteStream {
  return sink('', { fd: index.fd, flags: 'a' }); // expect: no-handle-adoption
}

export function indexWriterOwned(index: FileHandle): WriteStream {
  return sink('', { fd: index, flags: 'a' });
}

export function archiveWriter(path: string): WriteStream {
  return sink(path, { flags: 'a' });
}

export async function exportAll(workers: readonly Worker[], jobs: readonly ExportJob[], dir: string): Promise<void> {
  let i = 0;
  for (const job of jobs) {
    const worker = workers[i++ % workers.length];
    if (worker === undefined) throw new Error('no workers');
    const fh = await fsp.open(`${dir}/${job.id}.${job.format}`, 'w');
    worker.postMessage({ kind: 'render', job, fh }, [fh]);
  }
}
