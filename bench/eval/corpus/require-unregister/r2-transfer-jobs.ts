// One-shot transfer jobs (backups, log pulls) that run under a caller's AbortSignal, which
// usually belongs to the whole batch. Each job's 'abort' listener tears down the job's socket
// or stream; unless it is removed when the job ends (in a finally, or through a per-job
// controller passed as `{ signal }`), every finished job stays reachable from the batch signal.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import fsp from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';

export interface JobOptions {
  readonly signal: AbortSignal;
  readonly timeoutMs?: number;
}

export async function pullLog(host: string, port: number, dest: string, { signal }: JobOptions): Promise<void> {
  const sock = connect(port, host);
  const out = createWriteStream(dest);
  const onAbort = (): void => {
    sock.destroy();
    out.destroy();
  };
  signal.addEventListener('abort', onAbort); // expect: require-unregister
  await pipeline(sock, out);
  signal.removeEventListener('abort', onAbort);
}

export async function pullLogCleanly(host: string, port: number, dest: string, { signal }: JobOptions): Promise<void> {
  const sock = connect(port, host);
  const out = createWriteStream(dest);
  const onAbort = (): void => {
    sock.destroy();
    out.destroy();
  };
  signal.addEventListener('abort', onAbort);
  try {
    await pipeline(sock, out);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** A per-job controller removes the listener when the job settles. */
export async function pushBackup(path: string, sock: Socket, options: JobOptions): Promise<void> {
  const done = new AbortController();
  const fh = await fsp.open(path, 'r');
  const body = fh.createReadStream();
  options.signal.addEventListener('abort', () => body.destroy(), { signal: done.signal });
  try {
    await pipeline(body, sock);
  } finally {
    done.abort();
  }
}

export async function pushBackupLeaky(path: string, sock: Socket, options: JobOptions): Promise<void> {
  const fh = await fsp.open(path, 'r');
  const body = fh.createReadStream();
  options.signal.addEventListener('abort', () => { // expect: require-unregister
    body.destroy();
    sock.destroy();
  });
  await pipeline(body, sock);
}

/** Waits for a socket to connect or the job to abort; the listener captures the socket. */
export async function connectOrAbort(path: string, signal: AbortSignal): Promise<Socket> {
  const sock = connect(path);
  signal.addEventListener('abort', () => sock.destroy(signal.reason as Error)); // expect: require-unregister
  await once(sock, 'connect');
  return sock;
}

export async function connectOrAbortCleanly(path: string, signal: AbortSignal): Promise<Socket> {
  const sock = connect(path);
  const onAbort = (): void => {
    sock.destroy(signal.reason as Error);
  };
  signal.addEventListener('abort', onAbort);
  try {
    await once(sock, 'connect');
    return sock;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Only turns an abort into a rejection; it touches no socket or stream. */
export function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason));
  });
}

/** Writes a manifest; a listener with once:true is accepted. */
export async function writeManifest(dest: string, lines: readonly string[], { signal }: JobOptions): Promise<void> {
  const out: WriteStream = createWriteStream(dest);
  signal.addEventListener('abort', () => out.destroy(), { once: true });
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** A batch of pulls: one listener per connection, none ever removed. */
export async function pullAll(hosts: readonly string[], port: number, signal: AbortSignal): Promise<Buffer[]> {
  const results: Buffer[] = [];
  for (const host of hosts) {
    const sock = connect(port, host);
    signal.addEventListener('abort', () => sock.destroy()); // expect: require-unregister
    const chunks: Buffer[] = [];
    for await (const chunk of sock) chunks.push(chunk as Buffer);
    results.push(Buffer.concat(chunks));
  }
  return results;
}

export async function pullAllCleanly(hosts: readonly string[], port: number, signal: AbortSignal): Promise<Buffer[]> {
  const results: Buffer[] = [];
  for (const host of hosts) {
    const sock = connect(port, host);
    const onAbort = (): void => {
      sock.destroy();
    };
    signal.addEventListener('abort', onAbort);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of sock) chunks.push(chunk as Buffer);
      results.push(Buffer.concat(chunks));
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
  return results;
}
