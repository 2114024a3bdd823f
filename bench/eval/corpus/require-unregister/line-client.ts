// A line-protocol client over a Unix socket, cancellable through AbortSignals that callers pass
// in (and a process-wide shutdown signal). An 'abort' listener left on a long-lived signal
// keeps the client (and its socket) reachable long after close() (NODE-FACTS §7).
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

const shutdown = new AbortController();

export function shutdownAll(): void {
  shutdown.abort();
}

/** Rejects when the signal aborts: a helper that owns nothing. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason));
    work.then(resolve, reject);
  });
}

export class LineClient {
  readonly #sock: Socket;
  readonly #ac = new AbortController();
  #closed = false;

  constructor(path: string, stop: AbortSignal) {
    this.#sock = connect(path);
    stop.addEventListener('abort', () => this.close()); // expect: require-unregister
    shutdown.signal.addEventListener('abort', () => this.close(), { signal: this.#ac.signal });
    this.#ac.signal.addEventListener('abort', () => console.debug(`client ${path} closing`));
  }

  async request(line: string, signal: AbortSignal): Promise<string> {
    const onAbort = (): void => this.close();
    signal.addEventListener('abort', onAbort);
    try {
      this.#sock.write(`${line}\n`);
      const [chunk] = (await once(this.#sock, 'data')) as [Buffer];
      return chunk.toString('utf8');
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async requestLeaky(line: string, signal: AbortSignal): Promise<string> {
    signal.addEventListener('abort', () => this.close()); // expect: require-unregister
    this.#sock.write(`${line}\n`);
    const [chunk] = (await once(this.#sock, 'data')) as [Buffer];
    return chunk.toString('utf8');
  }

  async requestOnce(line: string, signal: AbortSignal): Promise<string> {
    signal.addEventListener('abort', () => this.close(), { once: true });
    this.#sock.write(`${line}\n`);
    const [chunk] = (await once(this.#sock, 'data')) as [Buffer];
    return chunk.toString('utf8');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ac.abort();
    this.#sock.destroy();
  }
}

/** Follows the process-wide shutdown signal, and never stops following it. */
export class PushClient {
  readonly #sock: Socket;
  #closed = false;

  constructor(path: string) {
    this.#sock = connect(path);
    shutdown.signal.addEventListener('abort', () => this.close()); // expect: require-unregister
  }

  push(line: string): void {
    if (!this.#closed) this.#sock.write(`${line}\n`);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sock.destroy();
  }
}

/** Keeps the listener and the signal, and removes the listener in close(). */
export class WatchedClient {
  readonly #sock: Socket;
  readonly #stop: AbortSignal;
  readonly #onStop = (): void => this.close();
  #closed = false;

  constructor(path: string, stop: AbortSignal) {
    this.#sock = connect(path);
    this.#stop = stop;
    stop.addEventListener('abort', this.#onStop);
  }

  push(line: string): void {
    if (!this.#closed) this.#sock.write(`${line}\n`);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.removeEventListener('abort', this.#onStop);
    this.#sock.destroy();
  }
}

/** A one-shot call on a fresh socket: the listener destroys the socket, and is never removed. */
export async function callOnce(path: string, line: string, signal: AbortSignal): Promise<string> {
  const sock = connect(path);
  signal.addEventListener('abort', () => sock.destroy()); // expect: require-unregister
  sock.write(`${line}\n`);
  const [chunk] = (await once(sock, 'data')) as [Buffer];
  sock.end();
  return chunk.toString('utf8');
}

export async function callOnceCleanly(path: string, line: string, signal: AbortSignal): Promise<string> {
  const sock = connect(path);
  const onAbort = (): void => {
    sock.destroy();
  };
  signal.addEventListener('abort', onAbort);
  try {
    sock.write(`${line}\n`);
    const [chunk] = (await once(sock, 'data')) as [Buffer];
    return chunk.toString('utf8');
  } finally {
    signal.removeEventListener('abort', onAbort);
    sock.end();
  }
}
