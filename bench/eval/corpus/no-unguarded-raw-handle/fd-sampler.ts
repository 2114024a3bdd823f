// Generators over an open FileHandle: progress sampling, chunk planning, line counting.
// A `yield` hands control back to the consumer, which may close the handle meanwhile; an
// iteration of `for await` is an await.
import { fstatSync, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export async function* sampleSizes(fh: FileHandle, intervalMs: number): AsyncGenerator<number> {
  const fd = fh.fd; // expect: no-unguarded-raw-handle
  for (;;) {
    yield fstatSync(fd).size;
    await sleep(intervalMs);
  }
}

export async function* sizesFresh(fh: FileHandle, intervalMs: number): AsyncGenerator<number> {
  for (;;) {
    yield fstatSync(fh.fd).size;
    await sleep(intervalMs);
  }
}

export function* chunkOffsets(fh: FileHandle, chunk: number): Generator<number> {
  const fd = fh.fd; // expect: no-unguarded-raw-handle
  const { size } = fstatSync(fd);
  for (let off = 0; off < size; off += chunk) {
    yield off;
    if (fstatSync(fd).size !== size) return;
  }
}

export function* headerWords(fh: FileHandle): Generator<number> {
  const fd = fh.fd;
  const buf = Buffer.alloc(16);
  readSync(fd, buf, 0, 16, 0);
  yield buf.readUInt32LE(0);
  yield buf.readUInt32LE(4);
  yield buf.readUInt32LE(8);
}

export async function countLines(
  fh: FileHandle,
  progress: (lines: number, totalBytes: number) => void,
): Promise<number> {
  const fd = fh.fd; // expect: no-unguarded-raw-handle
  let n = 0;
  for await (const _line of fh.readLines({ autoClose: false })) {
    n++;
    if (n % 10_000 === 0) progress(n, fstatSync(fd).size);
  }
  return n;
}

export async function countLinesFresh(
  fh: FileHandle,
  progress: (lines: number, totalBytes: number) => void,
): Promise<number> {
  let n = 0;
  for await (const _line of fh.readLines({ autoClose: false })) {
    n++;
    if (n % 10_000 === 0) progress(n, fstatSync(fh.fd).size);
  }
  return n;
}

export async function sizeBeforeAndAfter(fh: FileHandle, work: () => Promise<void>): Promise<[number, number]> {
  const before = fstatSync(fh.fd).size;
  await work();
  const after = fstatSync(fh.fd).size;
  return [before, after];
}
