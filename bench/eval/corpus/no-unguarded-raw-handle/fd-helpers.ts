// Module-level helpers around FileHandles: checksums, audit logging, header copies. Covers
// outer-variable stores, returns, use after await, and the synchronous look-alikes
// (template-string logging, comparisons, a local used before any await).
import { createHash } from 'node:crypto';
import { createReadStream, fstatSync, readSync, type ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';

let lastOpenedFd = -1;

export async function openForAudit(path: string): Promise<FileHandle> {
  const fh = await open(path, 'r');
  lastOpenedFd = fh.fd; // expect: no-unguarded-raw-handle
  console.debug(`audit: opened ${path} as fd ${fh.fd}`);
  return fh;
}

export function lastFd(): number {
  return lastOpenedFd;
}

export function fdOf(fh: FileHandle): number {
  return fh.fd; // expect: no-unguarded-raw-handle
}

export function isOpen(fh: FileHandle): boolean {
  return fh.fd >= 0;
}

export async function checksum(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const fd = fh.fd;
    const { size } = fstatSync(fd);
    const buf = Buffer.alloc(size);
    readSync(fd, buf, 0, size, 0);
    return createHash('sha256').update(buf).digest('hex');
  } finally {
    await fh.close();
  }
}

export async function copyHeader(src: string, dst: FileHandle, length = 512): Promise<number> {
  const fh = await open(src, 'r');
  try {
    const fd = fh.fd; // expect: no-unguarded-raw-handle
    const header = Buffer.alloc(length);
    const n = readSync(fd, header, 0, length, 0);
    await dst.write(header, 0, n, 0);
    return fstatSync(fd).size;
  } finally {
    await fh.close();
  }
}

/** A non-closing stream over the same file (the stream does not own the fd). */
export function rangeStream(fh: FileHandle, start: number, end: number): ReadStream {
  return createReadStream('', { fd: fh.fd, start, end, autoClose: false });
}

/** Handing the number to another thread or a registry is other rules' business. */
export function announce(worker: Worker, fh: FileHandle, path: string): void {
  worker.postMessage({ kind: 'opened', path, fd: fh.fd }); // expect: no-handle-adoption
}

const leakCheck = new FinalizationRegistry<number>(fd => {
  console.warn(`fd ${fd} was never closed`);
});

export function track(owner: object, fh: FileHandle): void {
  leakCheck.register(owner, fh.fd); // expect: require-unregister
}

interface LegacyDescriptor {
  readonly fd: number;
  readonly path: string;
}

/** Either a FileHandle or a legacy `{ fd, path }` record: not known to be an owner. */
export function describe(src: FileHandle | LegacyDescriptor): number {
  return src.fd;
}

export function fromConfig(cfg: { readonly fd: number; readonly name: string }): number {
  const stored = cfg.fd;
  return stored;
}

export function fromUntyped(handle: unknown): number {
  const legacy = handle as any;
  return legacy.fd as number;
}
