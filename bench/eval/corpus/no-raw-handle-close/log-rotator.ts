// A size-based log rotator. The active log is a FileHandle; the rotation index is a plain
// descriptor the rotator opened itself (openSync) and is the only owner of. Closing the
// FileHandle's fd behind its back leaves the FileHandle to close that number again later, when
// it may already belong to another file.
import fs, { closeSync as closeFd, fstatSync, openSync, renameSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

interface SpoolEntry {
  readonly fd: number;
  readonly name: string;
}

export class RotatingLog {
  #fh: FileHandle;
  readonly #indexFd: number;
  #closed = false;

  private constructor(
    fh: FileHandle,
    indexFd: number,
    readonly path: string,
  ) {
    this.#fh = fh;
    this.#indexFd = indexFd;
  }

  static async open(path: string): Promise<RotatingLog> {
    const fh = await open(path, 'a');
    return new RotatingLog(fh, openSync(`${path}.index`, 'a'), path);
  }

  size(): number {
    return fstatSync(this.#fh.fd).size;
  }

  /** Swaps in a fresh file and drops the old FileHandle through its raw number. */
  async rotate(): Promise<void> {
    if (this.#closed) return;
    const old = this.#fh;
    renameSync(this.path, `${this.path}.${Date.now()}`);
    const next = await open(this.path, 'a');
    if (this.#closed) {
      await next.close();
      return;
    }
    this.#fh = next;
    writeSync(this.#indexFd, `${Date.now()} rotated\n`);
    fs.closeSync(old.fd); // expect: no-raw-handle-close
  }

  /** Same rotation, closing the old FileHandle itself. */
  async rotateSafely(): Promise<void> {
    if (this.#closed) return;
    const old = this.#fh;
    renameSync(this.path, `${this.path}.${Date.now()}`);
    const next = await open(this.path, 'a');
    if (this.#closed) {
      await next.close();
      return;
    }
    this.#fh = next;
    writeSync(this.#indexFd, `${Date.now()} rotated\n`);
    await old.close();
  }

  /** The index descriptor was opened by this class with openSync; nothing else owns it. */
  resetIndex(): void {
    closeFd(this.#indexFd);
  }

  /** Emergency stop from a synchronous error path. */
  abandon(): void {
    this.#closed = true;
    closeFd(this.#fh.fd); // expect: no-raw-handle-close
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    closeFd(this.#indexFd);
    await this.#fh.close();
  }
}

export function truncateAndDrop(fh: FileHandle): void {
  fs.ftruncateSync(fh.fd, 0);
  fs.closeSync(fh.fd); // expect: no-raw-handle-close
}

export async function truncateAndClose(fh: FileHandle): Promise<void> {
  fs.ftruncateSync(fh.fd, 0);
  await fh.close();
}

/** Keeps the number in a local first: it is still the FileHandle's number. */
export async function sealArchive(path: string): Promise<number> {
  const fh = await open(path, 'r+');
  const fd = fh.fd;
  fs.fsyncSync(fd);
  const { size } = fstatSync(fd);
  fs.closeSync(fd); // expect: no-raw-handle-close
  return size;
}

export async function sealArchiveSafely(path: string): Promise<number> {
  const fh = await open(path, 'r+');
  try {
    const fd = fh.fd;
    fs.fsyncSync(fd);
    return fstatSync(fd).size;
  } finally {
    await fh.close();
  }
}

/** A descriptor opened here and handed to no one: closing it is the only correct thing. */
export function indexSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
}

/** Spool entries carry numbers from an external registry: not raw handles of an owner. */
export function dropEntry(entry: SpoolEntry): void {
  fs.closeSync(entry.fd);
}

export function dropAll(entries: readonly SpoolEntry[]): number {
  let n = 0;
  for (const e of entries) {
    closeFd(e.fd);
    n++;
  }
  return n;
}

/** The number is reused: the variable is reassigned to a descriptor opened here. */
export async function reopenPlain(fh: FileHandle, path: string): Promise<number> {
  let fd = fh.fd;
  const before = fstatSync(fd).size;
  fd = openSync(path, 'r');
  const after = fstatSync(fd).size;
  closeFd(fd);
  await fh.close();
  return after - before;
}
