// A metrics sink writing to a file and forwarding to a socket. A guard on one resource does
// not protect another; a guard inside an unrelated branch does not cover the use; immediate
// callbacks run later too. Free functions are not owner classes.
import type { FileHandle } from 'node:fs/promises';
import type { Socket } from 'node:net';

export class MetricsSink {
  private closed = false;
  private fh?: FileHandle;

  constructor(private readonly forward: Socket) {}

  attach(fh: FileHandle): void {
    this.fh = fh;
  }

  private async render(name: string, value: number): Promise<string> {
    await Promise.resolve();
    return `${name} ${value} ${Date.now()}\n`;
  }

  async record(name: string, value: number): Promise<void> {
    const line = await this.render(name, value);
    if (this.forward.destroyed) return;
    this.forward.write(line);
    await this.fh?.appendFile(line); // expect: require-lifetime-guard
  }

  async recordGuarded(name: string, value: number): Promise<void> {
    const line = await this.render(name, value);
    if (this.closed) return;
    this.forward.write(line);
    await this.fh?.appendFile(line);
  }

  async recordSampled(name: string, value: number, strict: boolean): Promise<void> {
    const line = await this.render(name, value);
    if (strict) {
      if (this.closed) return;
    }
    this.forward.write(line); // expect: require-lifetime-guard
  }

  flushSoon(): void {
    setImmediate(() => {
      void this.fh?.sync(); // expect: require-lifetime-guard
    });
  }

  flushSoonGuarded(): void {
    setImmediate(() => {
      if (!this.closed) void this.fh?.sync();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.forward.destroy();
    await this.fh?.close();
  }
}

/** A free function: only owner classes are in scope. */
export async function recordOnce(sink: { fh: FileHandle }, line: string): Promise<void> {
  await Promise.resolve();
  await sink.fh.appendFile(line);
}
