// Socket tuning for a libpq-backed addon connection. A lease (`using`) keeps the connection
// (and so its socket pointer) alive for the rest of the block, across awaits.
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, setKeepAlive, socketInfo } from 'pgwire-native';

export async function tuneAndWarmUp(conn: Connection): Promise<void> {
  using _lease = conn.lease();
  const ptr = conn.socketPtr;
  await conn.query('SET statement_timeout = 5000');
  setKeepAlive(ptr, 30);
}

export async function tuneUnsafe(conn: Connection): Promise<void> {
  const ptr = conn.socketPtr; // expect: no-unguarded-raw-handle
  await conn.query('SELECT 1');
  setKeepAlive(ptr, 30);
}

export async function sampleRtt(conn: Connection, samples: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    using _lease = conn.lease();
    const ptr = conn.socketPtr;
    await sleep(100);
    out.push(socketInfo(ptr).rttMicros);
  }
  return out;
}

export async function healthCheck(conn: Connection): Promise<boolean> {
  await using _lease = conn.lease();
  const ptr = conn.socketPtr;
  const rows = await conn.query('SELECT now()');
  return rows.length === 1 && socketInfo(ptr).unacked === 0;
}

export async function* rttStream(conn: Connection, everyMs: number): AsyncGenerator<number> {
  const ptr = conn.socketPtr; // expect: no-unguarded-raw-handle
  for (;;) {
    yield socketInfo(ptr).rttMicros;
    await sleep(everyMs);
  }
}

export function keepAliveAfterFirstQuery(conn: Connection): Promise<void> {
  return conn.query('SELECT 1').then(() => {
    setKeepAlive(conn.socketPtr, 15);
  });
}

export function keepAliveAfterFirstQueryCaptured(conn: Connection): Promise<void> {
  const ptr = conn.socketPtr; // expect: no-unguarded-raw-handle
  return conn.query('SELECT 1').then(() => {
    setKeepAlive(ptr, 15);
  });
}

export function debugSocket(conn: Connection): string {
  const ptr = conn.socketPtr;
  const info = socketInfo(ptr);
  return `socket 0x${ptr.toString(16)} rtt=${info.rttMicros}us unacked=${info.unacked}`;
}
