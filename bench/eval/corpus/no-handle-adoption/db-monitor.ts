// A connection monitor for a native Postgres client. The backend socket number belongs to the
// PgClient; wrapping it in a net.Socket, or posting it to the monitoring thread, makes a second
// owner that will close (or keep using) a number the client may already have recycled.
import { Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { PgClient, PgPool, setTcpUserTimeout, socketStats } from 'pg-pool-native';

export interface Sample {
  readonly pid: number;
  readonly rttMicros: number;
}

export function sample(client: PgClient): Sample {
  return { pid: client.processId, rttMicros: socketStats(client.backendSocket()).rttMicros };
}

export function tune(client: PgClient, ms: number): void {
  setTcpUserTimeout(client.backendSocket(), ms);
}

/** Watches the backend socket for readability through a net.Socket built on its number. */
export function watchReadable(client: PgClient, onReadable: () => void): Socket {
  const sock = new Socket({ fd: client.backendSocket(), readable: true, writable: false }); // expect: no-handle-adoption
  sock.on('readable', onReadable);
  return sock;
}

export class MonitorThread {
  readonly #worker: Worker;
  #stopped = false;

  constructor(script: URL) {
    this.#worker = new Worker(script);
  }

  /** The thread polls the socket itself: it gets the raw number. */
  watch(client: PgClient): void {
    this.#worker.postMessage({ type: 'watch', pid: client.processId, fd: client.backendSocket() }); // expect: no-handle-adoption
  }

  /** Sends samples taken here: plain numbers, no handle. */
  report(client: PgClient): void {
    this.#worker.postMessage({ type: 'sample', ...sample(client) });
  }

  async reportPool(pool: PgPool): Promise<void> {
    const client = await pool.acquire();
    try {
      const s = sample(client);
      if (!this.#stopped) this.#worker.postMessage({ type: 'sample', ...s });
    } finally {
      pool.release(client);
    }
  }

  stop(): Promise<number> {
    this.#stopped = true;
    return this.#worker.terminate();
  }
}
