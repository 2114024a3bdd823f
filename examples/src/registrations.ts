// A tailer that follows a log file for a caller, with a leak backstop for its FileHandle, a
// periodic flush and cancellation by the caller's AbortSignal. `require-unregister` reports the
// registrations that outlive close(): a FinalizationRegistry entry with no token, an 'abort'
// listener left on the caller's long-lived signal, and an interval close() never clears. Each
// hazard sits next to its correct twin.
import { closeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

// The backstop closes a leaked fd if a tailer is collected without close(). Only a raw fd can be
// held (the held value must not reference the FileHandle, or it is never collected).
const leakedFds = new FinalizationRegistry<number>(fd => {
  console.warn(`log tailer collected without close(): closing fd ${fd}`);
  closeSync(fd);
});

// ❌ Three registrations outlive close(): the finalizer can still run after close() and close
// the fd number again, when it may belong to another file by then; the
// 'abort' listener stays on the caller's signal and keeps this tailer reachable; the interval
// keeps calling sync() on a closed FileHandle. (Autofix: the token and `leakedFds.unregister(this)`.)
export class LeakyTailer {
  private readonly flusher: NodeJS.Timeout;

  private constructor(
    private readonly fh: FileHandle,
    signal: AbortSignal,
  ) {
    leakedFds.register(this, fh.fd);
    signal.addEventListener('abort', () => void this.close());
    this.flusher = setInterval(() => void this.fh.sync(), 1_000);
  }

  static async open(path: string, signal: AbortSignal): Promise<LeakyTailer> {
    return new LeakyTailer(await open(path, 'r'), signal);
  }

  async close(): Promise<void> {
    this.flusher.unref();
    await this.fh.close();
  }
}

// ✅ The registration has a token that close() unregisters, the listener goes away with this
// tailer's own controller, and close() clears the interval.
export class Tailer {
  readonly #closing = new AbortController();
  private readonly flusher: NodeJS.Timeout;

  private constructor(
    private readonly fh: FileHandle,
    signal: AbortSignal,
  ) {
    leakedFds.register(this, fh.fd, this);
    signal.addEventListener('abort', () => void this.close(), { signal: this.#closing.signal });
    this.flusher = setInterval(() => void this.fh.sync(), 1_000);
  }

  static async open(path: string, signal: AbortSignal): Promise<Tailer> {
    return new Tailer(await open(path, 'r'), signal);
  }

  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    clearInterval(this.flusher);
    leakedFds.unregister(this);
    await this.fh.close();
  }
}

// ✅ A read the caller can cancel: the listener is removed whatever happens (the caller owns fh).
export async function readUnlessAborted(fh: FileHandle, signal: AbortSignal): Promise<Buffer> {
  const onAbort = (): void => void fh.close();
  signal.addEventListener('abort', onAbort);
  try {
    return await fh.readFile();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
