// A session recorder for a web terminal. The pty addon's Terminal owns its master fd; the
// recordings are FileHandles. Streams and sockets on a descriptor own it; a child process
// given a descriptor in `stdio` gets its own duplicate, which is no adoption.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import net from 'node:net';
import { Terminal } from 'node-pty-native';

export interface Recording {
  readonly term: Terminal;
  readonly log: FileHandle;
}

/** Mirrors the pty output through a read stream on the master fd. */
export function ptyOutput(term: Terminal): ReadStream {
  return createReadStream('', { fd: term.masterFd, encoding: 'utf8' }); // expect: no-handle-adoption
}

export function ptyInput(term: Terminal): WriteStream {
  return createWriteStream('', { fd: term.masterFd, autoClose: false });
}

export function ptySocket<T extends Terminal>(term: T): net.Socket {
  return new net.Socket({ fd: term.masterFd, readable: true, writable: true }); // expect: no-handle-adoption
}

export function recorder(rec: Recording): WriteStream {
  return createWriteStream('', { fd: rec.log.fd, flags: 'a' }); // expect: no-handle-adoption
}

export function recorderOwned(rec: Recording): WriteStream {
  return createWriteStream('', { fd: rec.log, flags: 'a' });
}

/** Compresses a finished recording: the child gets a duplicate of the descriptor. */
export function compress(rec: Recording, outPath: string): ChildProcess {
  return spawn('gzip', ['-c'], { stdio: [rec.log.fd, 'pipe', 'inherit'], env: { GZIP_OUT: outPath } });
}

/** Replays a recording from the start, reopening it by path. */
export async function replay(path: string): Promise<ReadStream> {
  const fh = await open(path, 'r');
  return fh.createReadStream({ start: 0 });
}

export async function replayRaw(path: string): Promise<ReadStream> {
  const fh = await open(path, 'r');
  const stream = createReadStream(path, { fd: fh.fd, start: 0 }); // expect: no-handle-adoption
  return stream;
}

export class LiveRecorder {
  readonly #term: Terminal;
  readonly #log: FileHandle;
  readonly #tee: net.Socket;
  #closed = false;

  constructor(rec: Recording) {
    this.#term = rec.term;
    this.#log = rec.log;
    this.#tee = new net.Socket({ fd: this.#term.masterFd, readable: true, writable: false }); // expect: no-handle-adoption
  }

  size(): number {
    return this.#tee.bytesRead;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#tee.destroy();
    this.#term.kill('SIGHUP');
    void this.#log.close();
  }
}
