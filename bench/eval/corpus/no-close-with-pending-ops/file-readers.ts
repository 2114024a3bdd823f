// Classes that keep a FileHandle operation on `this`. Aborting the controller whose signal
// the read was given cancels it; a stored write is no pending operation; otherwise the
// close method closes under a pending read (FileHandle has no cancel).
import type { FileHandle, FileReadResult } from 'node:fs/promises';

export class ConfigSource {
  private readonly ac = new AbortController();
  private loading: Promise<string> | undefined;

  constructor(private readonly fh: FileHandle) {}

  reload(): void {
    this.loading = this.fh.readFile({ encoding: 'utf8', signal: this.ac.signal });
    this.loading.catch(() => undefined);
  }

  current(): Promise<string> | undefined {
    return this.loading;
  }

  async close(): Promise<void> {
    this.ac.abort();
    await this.fh.close();
  }
}

export class SnapshotReader {
  private inflight: Promise<FileReadResult<Buffer>> | undefined;

  constructor(private readonly fh: FileHandle) {}

  prefetch(position: number): void {
    this.inflight = this.fh.read(Buffer.alloc(4096), 0, 4096, position);
  }

  take(): Promise<FileReadResult<Buffer>> | undefined {
    const p = this.inflight;
    this.inflight = undefined;
    return p;
  }

  async close(): Promise<void> {
    await this.fh.close(); // expect: no-close-with-pending-ops
  }
}

/** Stores its last write: FileHandle writes are not pending operations (close waits for them). */
export class JournalWriter {
  private lastWrite: Promise<unknown> | undefined;

  constructor(private readonly fh: FileHandle) {}

  append(entry: object): void {
    this.lastWrite = this.fh.write(`${JSON.stringify(entry)}\n`);
  }

  flushed(): Promise<unknown> | undefined {
    return this.lastWrite;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

export class TailCache {
  private refreshing: Promise<Buffer> | undefined;
  private readonly refreshAc = new AbortController();
  private readonly lifetimeAc = new AbortController();

  constructor(private readonly fh: FileHandle) {}

  refresh(): void {
    this.refreshing = this.fh.readFile({ signal: this.refreshAc.signal });
  }

  value(): Promise<Buffer> | undefined {
    return this.refreshing;
  }

  async close(): Promise<void> {
    this.lifetimeAc.abort();
    await this.fh.close(); // expect: no-close-with-pending-ops
  }
}
