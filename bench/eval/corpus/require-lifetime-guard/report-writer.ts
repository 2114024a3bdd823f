// Classes that look like owners but are not (no close method; no owner field), locals
// after awaits, synchronous callbacks, and one real owner with Promise.all and an
// asyncDispose close method.
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Reads a config file once; the handle never outlives load(), so no close method. */
export class ConfigLoader {
  private fh: FileHandle | null = null;

  async load(path: string): Promise<Record<string, unknown>> {
    this.fh = await open(path, 'r');
    try {
      const text = await this.fh.readFile('utf8');
      return JSON.parse(text) as Record<string, unknown>;
    } finally {
      await this.fh.close();
      this.fh = null;
    }
  }
}

export interface RowSource {
  next(): Promise<string[] | undefined>;
  close(): void;
}

/** Has a close method, but its field is a plain interface, not an owner. */
export class CsvPipeline {
  constructor(private readonly source: RowSource) {}

  async *rows(): AsyncGenerator<string> {
    for (;;) {
      const row = await this.source.next();
      if (row === undefined) return;
      yield row.join(',');
    }
  }

  close(): void {
    this.source.close();
  }
}

export class ReportWriter {
  private isClosed = false;
  private readonly out: WriteStream;

  constructor(path: string) {
    this.out = createWriteStream(path, { flags: 'a' });
  }

  writeAll(lines: readonly string[]): void {
    lines.forEach(line => this.out.write(`${line}\n`));
  }

  async exportCopy(path: string, lines: readonly string[]): Promise<void> {
    const copy = await open(path, 'w');
    await copy.write(lines.join('\n'));
    await copy.close();
    if (this.isClosed) return;
    this.out.write(`exported ${lines.length} lines to ${path}\n`);
  }

  async writeSections(sections: readonly (() => Promise<string>)[]): Promise<void> {
    const texts = await Promise.all(sections.map(render => render()));
    this.out.write(texts.join('\n')); // expect: require-lifetime-guard
  }

  whenIdle(): Promise<void> {
    return new Promise<void>(resolve => setImmediate(resolve)).then(() => {
      this.out.write('# idle\n'); // expect: require-lifetime-guard
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.isClosed = true;
    await new Promise<void>(resolve => setImmediate(resolve));
    this.out.end();
  }
}
