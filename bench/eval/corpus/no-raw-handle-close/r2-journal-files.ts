// A write-ahead journal and its maintenance tools. Segments are fs/promises FileHandles; the
// lock file is a plain descriptor the journal opened itself. Streams built on a descriptor
// (autoClose left on) close it themselves when they finish.
import { closeSync as shut, createWriteStream, fstatSync, ftruncateSync, fsyncSync, openSync } from 'node:fs';
import * as fs from 'fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import * as net from 'node:net';

export interface Segment {
  readonly seq: number;
  readonly fh: FileHandle;
}

/** A descriptor this code opened and wrapped itself; it is the only owner of the number. */
export class RawFile {
  constructor(readonly fd: number) {}

  static open(path: string): RawFile {
    return new RawFile(openSync(path, 'r'));
  }

  close(): void {
    shut(this.fd);
  }
}

export class Journal {
  #fh: FileHandle | null = null;
  readonly #lockFd: number;
  #closed = false;

  constructor(readonly dir: string) {
    this.#lockFd = openSync(`${dir}/LOCK`, 'w');
  }

  async open(): Promise<void> {
    const fh = await fsp.open(`${this.dir}/journal`, 'a');
    if (this.#closed) {
      await fh.close();
      return;
    }
    this.#fh = fh;
  }

  /** Crash path: drop the segment descriptor synchronously and forget the handle. */
  abort(): void {
    if (this.#fh !== null) {
      shut(this.#fh.fd); // expect: no-raw-handle-close
      this.#fh = null;
    }
    shut(this.#lockFd);
  }

  size(): number {
    return this.#fh === null ? 0 : fstatSync(this.#fh.fd).size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    shut(this.#lockFd);
    const fh = this.#fh;
    this.#fh = null;
    await fh?.close();
  }
}

/** Truncates a torn segment and closes it through its number, inside a promise chain. */
export function truncateTorn(path: string): Promise<void> {
  return fsp.open(path, 'r+').then(fh => {
    ftruncateSync(fh.fd, 0);
    fs.closeSync(fh.fd); // expect: no-raw-handle-close
  });
}

export function truncateTornProperly(path: string): Promise<void> {
  return fsp.open(path, 'r+').then(async fh => {
    try {
      await fh.truncate(0);
    } finally {
      await fh.close();
    }
  });
}

export async function seal(path: string): Promise<number> {
  const fh = await fsp.open(path, 'r+');
  const { fd } = fh;
  fsyncSync(fd);
  const size = fstatSync(fd).size;
  shut(fd); // expect: no-raw-handle-close
  return size;
}

export function dropSegments<T extends Segment>(segments: readonly T[], keepFrom: number): T[] {
  const kept: T[] = [];
  for (const seg of segments) {
    if (seg.seq >= keepFrom) {
      kept.push(seg);
      continue;
    }
    fs.closeSync(seg.fh.fd); // expect: no-raw-handle-close
  }
  return kept;
}

/** Exports a segment through a write stream on a descriptor of our own, then closes it too. */
export function exportTo(path: string, chunks: readonly Buffer[], done: () => void): void {
  const fd = openSync(path, 'w');
  const ws = createWriteStream('', { fd });
  for (const c of chunks) ws.write(c);
  ws.end();
  ws.on('finish', () => shut(fd)); // expect: no-raw-handle-close
  ws.on('close', done);
}

export function exportToBorrowed(path: string, chunks: readonly Buffer[], done: () => void): void {
  const fd = openSync(path, 'w');
  const ws = createWriteStream('', { fd, autoClose: false });
  for (const c of chunks) ws.write(c);
  ws.end();
  ws.on('finish', () => {
    shut(fd);
    done();
  });
}

/** Follows a replication FIFO through a socket; the descriptor is closed only if no socket took it. */
export function followFifo(path: string, onData: (chunk: Buffer) => void): net.Socket | undefined {
  const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  let sock: net.Socket | undefined;
  try {
    sock = new net.Socket({ fd, readable: true, writable: false });
    sock.on('data', onData);
  } finally {
    if (sock === undefined) fs.closeSync(fd);
  }
  return sock;
}

/** Replays a FIFO once; the socket owns the descriptor, which is then closed again by number. */
export function replayFifo(path: string, onData: (chunk: Buffer) => void): void {
  const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const sock = new net.Socket({ fd, readable: true, writable: false });
  sock.on('data', onData);
  sock.on('end', () => {
    sock.destroy();
    fs.close(fd); // expect: no-raw-handle-close
  });
}

export function lockOwner(path: string): number {
  const f = RawFile.open(path);
  try {
    return fstatSync(f.fd).uid;
  } finally {
    f.close();
  }
}

export function closeRaw(files: readonly RawFile[]): void {
  for (const f of files) shut(f.fd);
}
