// Connection-pool diagnostics for a libpq-based addon. The backend socket number is read for
// TCP tuning and RTT sampling; a pin() lease (with `using`) or a retain()/unretain() borrow
// keeps the client from being closed under it. Returning a client to the pool is no borrow.
import { setTimeout as sleep } from 'node:timers/promises';
import { PgClient, PgPool, setTcpUserTimeout, socketStats } from 'pg-pool-native';
import { openRemote, type FileHandle as RemoteFile } from 'remote-fs-client';

export interface PoolHealth {
  readonly total: number;
  readonly rttMicros: number[];
}

export async function withClient<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.acquire();
  try {
    return await fn(client);
  } finally {
    pool.release(client);
  }
}

export function tuneNow(client: PgClient, timeoutMs: number): void {
  setTcpUserTimeout(client.backendSocket(), timeoutMs);
}

/** The lease covers the whole function body, loop and awaits included. */
export async function sampleRtt(client: PgClient, samples: number, gapMs: number): Promise<number[]> {
  using _pin = client.pin();
  const fd = client.backendSocket();
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    await client.query('SELECT 1');
    out.push(socketStats(fd).rttMicros);
    if (i + 1 < samples) await sleep(gapMs);
  }
  return out;
}

/** The lease ended with its block; the socket is read after it. */
export async function warmThenMeasure(client: PgClient): Promise<number> {
  {
    using _pin = client.pin();
    await client.query('DISCARD ALL');
  }
  const fd = client.backendSocket(); // expect: no-unguarded-raw-handle
  await client.query('SELECT 1');
  return socketStats(fd).rttMicros;
}

/** pool.release() in the finally returns the client; it does not bracket the socket read. */
export async function rttViaPool(pool: PgPool): Promise<number> {
  const client = await pool.acquire();
  try {
    const fd = client.backendSocket(); // expect: no-unguarded-raw-handle
    await client.query('SELECT 1');
    return socketStats(fd).rttMicros;
  } finally {
    pool.release(client);
  }
}

export async function rttViaPoolRetained(pool: PgPool): Promise<number> {
  const client = await pool.acquire();
  client.retain();
  try {
    const fd = client.backendSocket();
    await client.query('SELECT 1');
    return socketStats(fd).rttMicros;
  } finally {
    client.unretain();
    pool.release(client);
  }
}

/** The borrow is released in `catch` and on the happy path, never in a `finally`. */
export async function tuneAfterHandshake(client: PgClient, timeoutMs: number): Promise<void> {
  client.retain();
  try {
    const fd = client.backendSocket(); // expect: no-unguarded-raw-handle
    await client.query('SET application_name = $1', ['shipper']);
    setTcpUserTimeout(fd, timeoutMs);
    client.unretain();
  } catch (err) {
    client.unretain();
    throw err;
  }
}

/** Pinning the primary does not keep the replica's socket alive. */
export async function replicaRtt(primary: PgClient, replica: PgClient): Promise<number> {
  using _pin = primary.pin();
  const fd = replica.backendSocket(); // expect: no-unguarded-raw-handle
  await replica.query('SELECT pg_last_wal_replay_lsn()');
  return socketStats(fd).rttMicros;
}

export async function bothRtt(primary: PgClient, replica: PgClient): Promise<[number, number]> {
  await using _p = primary.pin();
  await using _r = replica.pin();
  const fds = [primary.backendSocket(), replica.backendSocket()] as const;
  await Promise.all([primary.query('SELECT 1'), replica.query('SELECT 1')]);
  return [socketStats(fds[0]).rttMicros, socketStats(fds[1]).rttMicros];
}

export async function health(pool: PgPool, clients: readonly PgClient[]): Promise<PoolHealth> {
  const rttMicros: number[] = [];
  for (const client of clients) {
    if (client.isClosed) continue;
    await client.query('SELECT 1');
    rttMicros.push(socketStats(client.backendSocket()).rttMicros);
  }
  return { total: pool.totalCount, rttMicros };
}

export function debugLine(client: PgClient): string {
  const fd = client.backendSocket();
  const { rttMicros, sendQueue } = socketStats(fd);
  return `pid=${client.processId} fd=${fd} rtt=${rttMicros}us sendq=${sendQueue}`;
}

/** Exposes the socket to a caller that will poll it: the number leaves the class. */
export class ClientDiagnostics {
  constructor(private readonly client: PgClient) {}

  socketFd(): number {
    return this.client.backendSocket(); // expect: no-unguarded-raw-handle
  }

  rtt(): number {
    return socketStats(this.client.backendSocket()).rttMicros;
  }

  async rttAfter(sql: string): Promise<number> {
    await this.client.query(sql);
    return socketStats(this.client.backendSocket()).rttMicros;
  }
}

/** Remote files (agent protocol objects) carry an `fd` too; they are not node:fs FileHandles. */
export async function remoteSizeHint(host: string, path: string): Promise<number> {
  const f: RemoteFile = await openRemote(host, path);
  const fd = f.fd;
  await f.sync();
  await f.close();
  return fd;
}

let lastRemoteFd = -1;

export function trackRemote(f: RemoteFile): void {
  lastRemoteFd = f.fd;
}

export function lastRemote(): number {
  return lastRemoteFd;
}

export async function keepAliveLoop(client: PgClient, everyMs: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    client.retain();
    try {
      const fd = client.backendSocket();
      await client.query('SELECT 1');
      if (socketStats(fd).sendQueue > 0) setTcpUserTimeout(fd, 5_000);
    } finally {
      client.unretain();
    }
    await sleep(everyMs);
  }
}

export async function keepAliveLoopLeaky(client: PgClient, everyMs: number, signal: AbortSignal): Promise<void> {
  const fd = client.backendSocket(); // expect: no-unguarded-raw-handle
  client.retain();
  try {
    while (!signal.aborted) {
      await client.query('SELECT 1');
      await sleep(everyMs);
    }
  } finally {
    client.unretain();
  }
  setTcpUserTimeout(fd, 0);
}
