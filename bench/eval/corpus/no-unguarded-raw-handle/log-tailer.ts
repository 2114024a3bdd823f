// A `tail -f` utility around a FileHandle. The fd is used for cheap synchronous fstat/read
// calls; the hazards are the places where the number outlives the statement that read it.
import { fstatSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TailOptions {
  readonly pollMs: number;
  onLine(line: string): void;
}

export class LogTailer {
  private offset = 0;
  private closed = false;
  private partial = '';

  private constructor(
    private readonly fh: FileHandle,
    private readonly opts: TailOptions,
  ) {}

  static async open(path: string, opts: TailOptions): Promise<LogTailer> {
    const fh = await open(path, 'r');
    return new LogTailer(fh, opts);
  }

  /** Current size of the file; the fd goes straight into a synchronous call. */
  size(): number {
    return fstatSync(this.fh.fd).size;
  }

  /** The raw descriptor, for callers that want to poll it themselves. */
  get descriptor(): number {
    return this.fh.fd; // expect: no-unguarded-raw-handle
  }

  /** First bytes of the file: the fd is kept in a local, used only synchronously. */
  peek(length: number): Buffer {
    const fd = this.fh.fd;
    const { size } = fstatSync(fd);
    const buf = Buffer.alloc(Math.min(length, size));
    readSync(fd, buf, 0, buf.length, 0);
    return buf;
  }

  async follow(): Promise<void> {
    const fd = this.fh.fd; // expect: no-unguarded-raw-handle
    while (!this.closed) {
      await sleep(this.opts.pollMs);
      const { size } = fstatSync(fd);
      if (size > this.offset && !this.closed) this.drain(size);
    }
  }

  /** Calls `onRotate` once the file has been unlinked (logrotate moved it away). */
  watchRotation(onRotate: () => void): NodeJS.Timeout {
    const fd = this.fh.fd; // expect: no-unguarded-raw-handle
    return setInterval(() => {
      if (fstatSync(fd).nlink === 0) onRotate();
    }, 1000);
  }

  /** Same check, reading the fd inside the timer callback at each tick. */
  watchTruncation(onTruncate: () => void): NodeJS.Timeout {
    return setInterval(() => {
      if (fstatSync(this.fh.fd).size < this.offset) onTruncate(); // expect: require-lifetime-guard
    }, 1000);
  }

  private drain(size: number): void {
    const buf = Buffer.alloc(size - this.offset);
    const n = readSync(this.fh.fd, buf, 0, buf.length, this.offset);
    this.offset += n;
    const lines = (this.partial + buf.toString('utf8', 0, n)).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.opts.onLine(line);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}
