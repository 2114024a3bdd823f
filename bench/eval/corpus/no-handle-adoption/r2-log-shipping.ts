// A log shipper that tails FileHandles into HTTP uploads. Streams and sockets built on a numeric
// `fd` own it (autoClose defaults to true for streams); built on a FileHandle's `fd` they close
// the number behind the FileHandle. `{ fd: fh }`, `fh.createReadStream()` and
// `autoClose: false` are the safe forms.
import * as fs from 'node:fs';
import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import { Socket as NetSocket } from 'net';

export interface TailTarget {
  readonly name: string;
  readonly handle: FileHandle;
}

export function tailFrom(fh: FileHandle, start: number): ReadStream {
  const opts = { fd: fh.fd, start, highWaterMark: 1 << 16 };
  return createReadStream('', opts); // expect: no-handle-adoption
}

export function chunked(target: TailTarget, start: number, end: number): ReadStream {
  const rs = createReadStream('', { // expect: no-handle-adoption
    fd: target.handle.fd,
    start,
    end,
    highWaterMark: 1 << 16,
  });
  rs.on('error', err => console.error(`${target.name}: ${err.message}`));
  return rs;
}

export function chunkedBorrowed(target: TailTarget, start: number, end: number): ReadStream {
  return createReadStream('', {
    fd: target.handle.fd,
    start,
    end,
    autoClose: false,
  });
}

export function chunkedOwner(target: TailTarget, start: number, end: number): ReadStream {
  return createReadStream('', { fd: target.handle, start, end });
}

export function headOf(handle: FileHandle): ReadStream {
  return fs.createReadStream('', { fd: handle.fd, end: 1023 }); // expect: no-handle-adoption
}

export function openTail(path: string): Promise<ReadStream> {
  return fsp.open(path, 'r').then(fh => createReadStream('', { fd: fh.fd, encoding: 'utf8' })); // expect: no-handle-adoption
}

export function openTailSafely(path: string): Promise<ReadStream> {
  return fsp.open(path, 'r').then(fh => fh.createReadStream({ encoding: 'utf8' }));
}

/** The supervisor passes the log descriptor in the environment: not an owner's handle here. */
export function inheritedLog(): ReadStream {
  return createReadStream('', { fd: Number(process.env.LOG_FD ?? '3') });
}

/** A pipe-backed log (a FIFO opened non-blocking) read through a socket. */
export async function fifoTail(path: string): Promise<NetSocket> {
  const fh = await fsp.open(path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const { fd } = fh;
  const sock = new NetSocket({ fd, readable: true, writable: false }); // expect: no-handle-adoption
  sock.setEncoding('utf8');
  return sock;
}

export class Shipper {
  #out: FileHandle | null = null;
  #closed = false;

  async open(path: string): Promise<void> {
    const fh = await fsp.open(path, 'a');
    if (this.#closed) {
      await fh.close();
      return;
    }
    this.#out = fh;
  }

  /** A write stream for the shipped batches, over the spool FileHandle's descriptor. */
  batchWriter(path: string): WriteStream {
    if (this.#out === null) throw new Error('not open');
    return createWriteStream(path, { fd: this.#out.fd, flags: 'a' }); // expect: no-handle-adoption
  }

  batchWriterNonNull(path: string): WriteStream {
    return createWriteStream(path, { fd: this.#out!.fd, flags: 'a' }); // expect: no-handle-adoption
  }

  batchWriterSafely(path: string): WriteStream {
    if (this.#out === null) throw new Error('not open');
    return createWriteStream(path, { fd: this.#out, flags: 'a' });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const out = this.#out;
    this.#out = null;
    await out?.close();
  }
}
