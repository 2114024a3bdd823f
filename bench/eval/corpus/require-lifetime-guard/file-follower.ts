// Follows a file with fs.watch and reads what was appended. Every `for await` iteration
// resumes after an await; the handle is a #private field.
import { watch, type FileHandle } from 'node:fs/promises';

export class FileFollower {
  #fh: FileHandle;
  #closed = false;
  #position = 0;
  readonly #ac = new AbortController();

  constructor(fh: FileHandle) {
    this.#fh = fh;
  }

  ensureOpen(): void {
    if (this.#closed) throw new Error('follower is closed');
  }

  async *changes(path: string): AsyncGenerator<string> {
    for await (const _event of watch(path, { signal: this.#ac.signal })) {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await this.#fh.read(buf, 0, buf.length, this.#position); // expect: require-lifetime-guard
      this.#position += bytesRead;
      if (bytesRead > 0) yield buf.toString('utf8', 0, bytesRead);
    }
  }

  async *changesGuarded(path: string): AsyncGenerator<string> {
    for await (const _event of watch(path, { signal: this.#ac.signal })) {
      if (this.#closed) return;
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await this.#fh.read(buf, 0, buf.length, this.#position);
      this.#position += bytesRead;
      if (bytesRead > 0) yield buf.toString('utf8', 0, bytesRead);
    }
  }

  async readNew(): Promise<string> {
    const st = await this.#fh.stat();
    this.ensureOpen();
    const buf = Buffer.alloc(st.size - this.#position);
    const { bytesRead } = await this.#fh.read(buf, 0, buf.length, this.#position);
    this.#position += bytesRead;
    return buf.toString('utf8', 0, bytesRead);
  }

  async catchUp(chunk: number): Promise<number> {
    let total = 0;
    while ((await this.#fh.stat()).size > this.#position) { // expect: require-lifetime-guard
      const buf = Buffer.alloc(chunk);
      const { bytesRead } = await this.#fh.read(buf, 0, chunk, this.#position); // expect: require-lifetime-guard
      if (bytesRead === 0) break;
      this.#position += bytesRead;
      total += bytesRead;
    }
    return total;
  }

  async snapshot(head: number): Promise<[number, Buffer]> {
    const [st] = await Promise.all([this.#fh.stat(), this.#settle()]);
    const buf = Buffer.alloc(head);
    await this.#fh.read(buf, 0, head, 0); // expect: require-lifetime-guard
    return [st.size, buf];
  }

  async #settle(): Promise<void> {
    await new Promise(resolve => setImmediate(resolve));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#ac.abort();
    await this.#fh.close();
  }
}
