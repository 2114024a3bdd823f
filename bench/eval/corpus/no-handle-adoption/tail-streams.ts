// Stream helpers over FileHandles for a log viewer. A stream built on `{ fd: fh.fd }` closes
// that number itself when it ends (autoClose defaults to true), and the FileHandle closes it
// again later. `{ fd: fh }`, `fh.createReadStream()` and `autoClose: false` are the safe forms.
import { createReadStream, createWriteStream, openSync, type ReadStream, type WriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

interface SavedCursor {
  readonly fd: number;
  readonly offset: number;
}

export function streamFrom(fh: FileHandle, start: number): ReadStream {
  return createReadStream('', { fd: fh.fd, start }); // expect: no-handle-adoption
}

export function streamFromBorrowed(fh: FileHandle, start: number): ReadStream {
  return createReadStream('', { fd: fh.fd, start, autoClose: false });
}

export function streamFromOwner(fh: FileHandle, start: number): ReadStream {
  return createReadStream('', { fd: fh, start });
}

export function streamViaHandle(fh: FileHandle, start: number): ReadStream {
  return fh.createReadStream({ start });
}

export function utf8Lines(fh: FileHandle): ReadStream {
  const fd = fh.fd;
  return createReadStream('', { fd, encoding: 'utf8' }); // expect: no-handle-adoption
}

export function explicitAutoClose(fh: FileHandle): ReadStream {
  return createReadStream('', { fd: fh.fd, autoClose: true }); // expect: no-handle-adoption
}

export function appender(fh: FileHandle): WriteStream {
  return createWriteStream('', { fd: fh.fd, flags: 'a' }); // expect: no-handle-adoption
}

export function appenderBorrowed(fh: FileHandle): WriteStream {
  return createWriteStream('', { fd: fh.fd, flags: 'a', autoClose: false });
}

export function appenderOwner(fh: FileHandle): WriteStream {
  return createWriteStream('', { fd: fh, flags: 'a' });
}

/** A descriptor opened here and handed over: the stream is its only owner. */
export function streamPath(path: string): ReadStream {
  return createReadStream('', { fd: openSync(path, 'r') });
}

export function streamPathByName(path: string, start: number): ReadStream {
  return createReadStream(path, { start });
}

/** Cursor numbers come from a saved session: plain data, not an owner's raw handle. */
export function resume(cursor: SavedCursor): ReadStream {
  return createReadStream('', { fd: cursor.fd, start: cursor.offset });
}

export class LogView {
  #fh: FileHandle;
  #closed = false;

  private constructor(fh: FileHandle) {
    this.#fh = fh;
  }

  static async open(path: string): Promise<LogView> {
    return new LogView(await open(path, 'r'));
  }

  tail(start: number): ReadStream {
    return createReadStream('', { fd: this.#fh.fd, start }); // expect: no-handle-adoption
  }

  tailBorrowed(start: number): ReadStream {
    return createReadStream('', { fd: this.#fh.fd, start, autoClose: false });
  }

  export(path: string): WriteStream {
    const out = createWriteStream(path);
    createReadStream('', { fd: this.#fh.fd, start: 0 }).pipe(out); // expect: no-handle-adoption
    return out;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#fh.close();
  }
}
