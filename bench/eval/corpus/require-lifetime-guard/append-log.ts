// An append-only log over a FileHandle. Another caller may close() the log while append()
// is suspended at an await; the write then fails with EBADF "file closed".
import { open, type FileHandle } from 'node:fs/promises';

export class AppendLog {
  private closed = false;
  private queued = 0;

  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<AppendLog> {
    return new AppendLog(await open(path, 'a'), path);
  }

  private throwIfClosed(): void {
    if (this.closed) throw new Error(`log ${this.path} is closed`);
  }

  private async format(line: string): Promise<string> {
    await Promise.resolve();
    return `${new Date().toISOString()} ${line}\n`;
  }

  private async flushQueue(): Promise<void> {
    while (this.queued > 0) await new Promise(resolve => setImmediate(resolve));
  }

  async append(line: string): Promise<void> {
    const data = await this.format(line);
    await this.fh.write(data); // expect: require-lifetime-guard
  }

  async appendChecked(line: string): Promise<void> {
    const data = await this.format(line);
    this.throwIfClosed();
    await this.fh.write(data);
    this.throwIfClosed();
    await this.fh.datasync();
  }

  async appendMany(lines: readonly string[]): Promise<void> {
    this.throwIfClosed();
    for (const line of lines) {
      const data = await this.format(line);
      await this.fh.write(data); // expect: require-lifetime-guard
    }
  }

  async truncateTo(size: number): Promise<void> {
    await this.flushQueue();
    if (this.closed) return;
    await this.fh.truncate(size);
  }

  async size(): Promise<number> {
    await this.flushQueue();
    if (!this.closed) {
      const st = await this.fh.stat();
      return st.size;
    }
    return -1;
  }

  async sync(): Promise<void> {
    await this.flushQueue();
    if (this.closed) console.warn(`sync() on closed log ${this.path}`);
    await this.fh.sync(); // expect: require-lifetime-guard
  }

  async rotate(maxBytes: number): Promise<boolean> {
    const st = await this.fh.stat();
    if (st.size < maxBytes) return false;
    await this.flushQueue();
    const truncating = this.fh.truncate(0); // expect: require-lifetime-guard
    const syncing = this.fh.datasync();
    await Promise.all([truncating, syncing]);
    await this.fh.write(`-- rotated at ${new Date().toISOString()}\n`); // expect: require-lifetime-guard
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushQueue();
    await this.fh.close();
  }
}
