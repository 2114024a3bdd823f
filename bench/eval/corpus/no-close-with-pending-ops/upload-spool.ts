// Spooling uploads from files. Awaiting something else does not settle a read; a close in
// the read's own continuation runs after it; Promise.all of the reads settles them.
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Uploader {
  put(name: string, body: Buffer): Promise<void>;
}

export async function uploadHead(path: string, up: Uploader): Promise<void> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(1024);
  const reading = fh.read(head, 0, head.length, 0);
  await up.put(`${path}.meta`, Buffer.from(JSON.stringify({ path })));
  await fh.close(); // expect: no-close-with-pending-ops
  const { bytesRead } = await reading;
  await up.put(`${path}.head`, head.subarray(0, bytesRead));
}

export async function uploadHeadInOrder(path: string, up: Uploader): Promise<void> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(1024);
  const reading = fh.read(head, 0, head.length, 0);
  await up.put(`${path}.meta`, Buffer.from(JSON.stringify({ path })));
  const { bytesRead } = await reading;
  await fh.close();
  await up.put(`${path}.head`, head.subarray(0, bytesRead));
}

export function readThenRelease(fh: FileHandle, onData: (data: Buffer) => void): Promise<void> {
  return fh.readFile().then(data => {
    onData(data);
    return fh.close();
  });
}

export function readFinallyRelease(fh: FileHandle): Promise<string> {
  return fh.readFile('utf8').finally(() => fh.close());
}

export async function headAndTail(fh: FileHandle, size: number): Promise<[Buffer, Buffer]> {
  const head = Buffer.alloc(256);
  const tail = Buffer.alloc(256);
  await Promise.all([fh.read(head, 0, 256, 0), fh.read(tail, 0, 256, Math.max(0, size - 256))]);
  await fh.close();
  return [head, tail];
}

export async function optionalPrefetch(path: string, prefetch: boolean): Promise<void> {
  const fh = await open(path, 'r');
  let warm: Promise<unknown> | undefined;
  if (prefetch) warm = fh.read(Buffer.alloc(4096), 0, 4096, 0);
  await sleep(5);
  await fh.close(); // expect: no-close-with-pending-ops
  await warm;
}

export async function spoolAll(paths: readonly string[], up: Uploader): Promise<void> {
  for (const path of paths) {
    const fh = await open(path, 'r');
    try {
      await up.put(path, await fh.readFile());
    } finally {
      await fh.close();
    }
  }
}
