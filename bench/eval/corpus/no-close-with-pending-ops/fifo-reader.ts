// Reading from paths that may be FIFOs or ttys, with timeouts. FileHandle.close() waits for
// a read already running in the thread pool; on a FIFO nobody writes to, forever.
import type { FileReadResult } from 'node:fs/promises';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export async function readWithTimeout(path: string, ms: number): Promise<Buffer | null> {
  const fh = await open(path, 'r');
  const buf = Buffer.alloc(4096);
  const pending = fh.read(buf, 0, buf.length, null);
  const winner = await Promise.race([pending.then(r => buf.subarray(0, r.bytesRead)), sleep(ms, null)]);
  await fh.close(); // expect: no-close-with-pending-ops
  return winner;
}

export async function readAllAbortable(path: string, ms: number): Promise<string> {
  const fh = await open(path, 'r');
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  try {
    return await fh.readFile({ encoding: 'utf8', signal: ac.signal });
  } finally {
    clearTimeout(timer);
    await fh.close();
  }
}

export async function readOrGiveUp(path: string, ms: number): Promise<string | null> {
  const fh = await open(path, 'r');
  const ac = new AbortController();
  const reading = fh.readFile({ encoding: 'utf8', signal: ac.signal });
  const result = await Promise.race([reading, sleep(ms, null)]);
  ac.abort();
  await fh.close();
  return result;
}

export async function readOrGiveUpWrongController(path: string, shutdown: AbortController): Promise<string | null> {
  const fh = await open(path, 'r');
  const perRead = new AbortController();
  const reading = fh.readFile({ encoding: 'utf8', signal: perRead.signal });
  const result = await Promise.race([reading, sleep(1000, null)]);
  shutdown.abort();
  await fh.close(); // expect: no-close-with-pending-ops
  return result;
}

export async function readHeader(fh: FileHandle): Promise<Buffer> {
  const buf = Buffer.alloc(512);
  const { bytesRead } = await fh.read(buf, 0, 512, 0);
  await fh.close();
  return buf.subarray(0, bytesRead);
}

export async function prefetchAndClose(fh: FileHandle, wait: boolean): Promise<FileReadResult<Buffer> | undefined> {
  const p = fh.read(Buffer.alloc(16), 0, 16, 0);
  let result: FileReadResult<Buffer> | undefined;
  if (wait) result = await p;
  await fh.close(); // expect: no-close-with-pending-ops
  return result;
}

export async function scatterRead(fh: FileHandle, parts: Buffer[]): Promise<void> {
  void fh.readv(parts, 0);
  await fh[Symbol.asyncDispose](); // expect: no-close-with-pending-ops
}

export async function readWithCallerSignal(fh: FileHandle, signal: AbortSignal): Promise<void> {
  const text = fh.readFile({ encoding: 'utf8', signal });
  text.catch(() => undefined);
  await fh.close(); // expect: no-close-with-pending-ops
}

export async function appendAndClose(fh: FileHandle, lines: readonly string[]): Promise<void> {
  for (const line of lines) void fh.write(`${line}\n`);
  await fh.close();
}
