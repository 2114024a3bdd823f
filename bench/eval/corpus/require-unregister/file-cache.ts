// An open-file cache for a static file server. Cached files keep their FileHandle open, are
// registered for leak reporting, and are revalidated on an interval. close() must undo both.
import { fstatSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const unclosed = new FinalizationRegistry<number>(fd => {
  console.warn(`cached file (fd ${fd}) was collected while open`);
});

export class CachedFile {
  readonly #fh: FileHandle;
  #mtimeMs: number;
  #closed = false;

  private constructor(
    fh: FileHandle,
    readonly path: string,
  ) {
    this.#fh = fh;
    this.#mtimeMs = fstatSync(fh.fd).mtimeMs;
    unclosed.register(this, fh.fd); // expect: require-unregister
  }

  static async open(path: string): Promise<CachedFile> {
    return new CachedFile(await open(path, 'r'), path);
  }

  stale(): boolean {
    return !this.#closed && fstatSync(this.#fh.fd).mtimeMs !== this.#mtimeMs;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#fh.close();
  }
}

export class CheckedFile {
  readonly #fh: FileHandle;
  #closed = false;

  private constructor(fh: FileHandle) {
    this.#fh = fh;
    unclosed.register(this, fh.fd, this);
  }

  static async open(path: string): Promise<CheckedFile> {
    return new CheckedFile(await open(path, 'r'));
  }

  size(): number {
    return this.#closed ? -1 : fstatSync(this.#fh.fd).size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    unclosed.unregister(this);
    await this.#fh.close();
  }
}

export class FileCache {
  readonly #index: FileHandle;
  readonly #files = new Map<string, CachedFile>();
  readonly #revalidate: NodeJS.Timeout;
  #closed = false;

  constructor(index: FileHandle, everyMs: number) {
    this.#index = index;
    this.#revalidate = setInterval(() => { // expect: require-unregister
      if (this.#closed) return;
      for (const [path, file] of this.#files) {
        if (file.stale()) {
          this.#files.delete(path);
          void file.close();
        }
      }
    }, everyMs);
  }

  async get(path: string): Promise<CachedFile> {
    const hit = this.#files.get(path);
    if (hit !== undefined) return hit;
    const file = await CachedFile.open(path);
    if (this.#closed) {
      await file.close();
      throw new Error('cache closed');
    }
    this.#files.set(path, file);
    return file;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#files.values()].map(f => f.close()));
    this.#files.clear();
    await this.#index.close();
  }
}
