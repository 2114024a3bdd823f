// Descriptor bookkeeping for a long-running file server: cached FileHandles, lock files the
// server opened itself, and FIFOs read through sockets. Whatever number came from a FileHandle
// (however it was carried: a local, an optional chain, an array) is still that FileHandle's,
// and a descriptor handed to a socket belongs to the socket.
import fs from 'node:fs';
import { type FileHandle } from 'node:fs/promises';
import { Socket } from 'node:net';

const { closeSync: closeNow, openSync: openNow } = fs;

export class HandleCache {
  readonly #handles = new Map<string, FileHandle>();
  readonly #locks = new Map<string, number>();
  #fallback: FileHandle | undefined;
  #closed = false;

  add(path: string, fh: FileHandle): void {
    if (this.#closed) throw new Error('cache closed');
    this.#handles.set(path, fh);
  }

  lock(name: string): void {
    if (this.#locks.has(name)) return;
    this.#locks.set(name, openNow(`/run/fileserver/${name}.lock`, 'w'));
  }

  unlock(name: string): void {
    const fd = this.#locks.get(name);
    if (fd === undefined) return;
    this.#locks.delete(name);
    closeNow(fd);
  }

  useFallback(fh: FileHandle): void {
    this.#fallback = fh;
  }

  /** Under descriptor pressure: drops the fallback file by number. */
  shedFallback(): void {
    const fd = this.#fallback?.fd;
    if (fd !== undefined) fs.closeSync(fd); // expect: no-raw-handle-close
    this.#fallback = undefined;
  }

  /** Under descriptor pressure: closes every cached file's number in one sweep. */
  shedAll(): number {
    const fds: number[] = [];
    for (const fh of this.#handles.values()) fds.push(fh.fd);
    this.#handles.clear();
    for (const fd of fds) closeNow(fd); // expect: no-raw-handle-close
    return fds.length;
  }

  async shedAllProperly(): Promise<number> {
    const handles = [...this.#handles.values()];
    this.#handles.clear();
    await Promise.all(handles.map(fh => fh.close()));
    return handles.length;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const fd of this.#locks.values()) closeNow(fd);
    this.#locks.clear();
    await Promise.all([...this.#handles.values()].map(fh => fh.close()));
    this.#handles.clear();
    await this.#fallback?.close();
  }
}

/** Drops a handle on the next tick, by number. */
export function dropLater(fh: FileHandle): void {
  process.nextTick(() => closeNow(fh.fd)); // expect: no-raw-handle-close
}

export function dropNow(fh: FileHandle): void {
  fs.closeSync(fh.fd); // expect: no-raw-handle-close
}

/** A FIFO read through a socket; when the socket closes, its descriptor is closed again. */
export function readFifo(path: string, onLine: (line: string) => void): Socket {
  const fd = openNow(path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const sock = new Socket({ fd, readable: true, writable: false });
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => chunk.split('\n').forEach(l => l && onLine(l)));
  sock.once('close', () => closeNow(fd)); // expect: no-raw-handle-close
  return sock;
}

export function readFifoProperly(path: string, onLine: (line: string) => void): Socket {
  const fd = openNow(path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const sock = new Socket({ fd, readable: true, writable: false });
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => chunk.split('\n').forEach(l => l && onLine(l)));
  return sock;
}

/** Lock descriptors this module opened itself and never handed to anyone. */
export function releaseLocks(fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      closeNow(fd);
    } catch {
      // already closed
    }
  }
}
