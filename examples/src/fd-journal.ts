// A journal that writes through a raw file descriptor it opened itself. close() may run while
// append() of another caller is suspended at an await: the number is then free, and the next
// open() anywhere in the process may already have it, so the write lands in an unrelated file.
// `require-lifetime-guard` reports a raw-handle read after an await with `configs.recommended`.
import * as fs from 'node:fs';

async function stamp(): Promise<string> {
  await new Promise(resolve => setImmediate(resolve));
  return new Date().toISOString();
}

export class FdJournal {
  #closed = false;
  private readonly fd: number;

  constructor(path: string) {
    this.fd = fs.openSync(path, 'a');
  }

  private throwIfClosed(): void {
    if (this.#closed) throw new Error('FdJournal is closed');
  }

  // ❌ The fd is read after the await with no check that the journal is still open.
  // (Autofix: `this.throwIfClosed();` after the await.)
  async append(record: string): Promise<void> {
    const at = await stamp();
    fs.writeSync(this.fd, `${at} ${record}\n`);
  }

  // ✅ The same, re-checking after the await.
  async appendChecked(record: string): Promise<void> {
    const at = await stamp();
    this.throwIfClosed();
    fs.writeSync(this.fd, `${at} ${record}\n`);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    fs.closeSync(this.fd);
  }
}
