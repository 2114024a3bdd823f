// A spool uploader driven by a long-lived job signal. Each upload streams a spooled file; the
// 'abort' listener that destroys the stream must go away when the upload ends, or every
// finished upload stays reachable from the job's signal (NODE-FACTS §7).
import { once } from 'node:events';
import type { ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Server } from 'node:http';

export type Put = (name: string, body: ReadStream) => Promise<void>;

const drain = new AbortController();

export function drainAll(): void {
  drain.abort();
}

export async function upload(path: string, put: Put, signal: AbortSignal): Promise<void> {
  const fh = await open(path, 'r');
  const body = fh.createReadStream();
  signal.addEventListener('abort', () => body.destroy()); // expect: require-unregister
  await put(path, body);
}

export async function uploadOnce(path: string, put: Put, signal: AbortSignal): Promise<void> {
  const fh = await open(path, 'r');
  const body = fh.createReadStream();
  signal.addEventListener('abort', () => body.destroy(), { once: true });
  await put(path, body);
}

export async function uploadCleanly(path: string, put: Put, signal: AbortSignal): Promise<void> {
  const fh = await open(path, 'r');
  const body = fh.createReadStream();
  const onAbort = (): void => {
    body.destroy();
  };
  signal.addEventListener('abort', onAbort);
  try {
    await put(path, body);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Listens on the module-level drain signal, which lives as long as the process. */
export async function uploadUntilDrained(path: string, put: Put): Promise<void> {
  const fh = await open(path, 'r');
  const body = fh.createReadStream();
  drain.signal.addEventListener('abort', () => body.destroy()); // expect: require-unregister
  await put(path, body);
}

/** The listener only counts aborts: it touches no owner. */
let aborted = 0;
export function countAborts(signal: AbortSignal): void {
  signal.addEventListener('abort', () => {
    aborted++;
  });
}

export function abortCount(): number {
  return aborted;
}

/** Waits for the upload to finish or the signal to abort; owns nothing. */
export function finishedOrAborted(body: ReadStream, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason));
    body.once('close', () => resolve());
  });
}

/** The status server stops when the job signal aborts; the listener outlives a normal close. */
export function serveStatus(server: Server, port: number, signal: AbortSignal): void {
  server.listen(port);
  signal.addEventListener('abort', () => server.close()); // expect: require-unregister
}

export async function serveStatusUntilClosed(server: Server, port: number, signal: AbortSignal): Promise<void> {
  server.listen(port);
  const onAbort = (): void => {
    server.close();
  };
  signal.addEventListener('abort', onAbort);
  try {
    await once(server, 'close');
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
