// A segment store for a message queue. Segments keep a FileHandle open and register with a
// FinalizationRegistry that reports (and counts) segments dropped without close(); the store
// follows the broker's shutdown signal and compacts on an interval. close() must undo each.
import { EventEmitter } from 'node:events';
import { fstatSync } from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';

let leaked = 0;

export const leakedSegments = (): number => leaked;

export class Segment {
  static readonly registry = new FinalizationRegistry<number>(fd => {
    leaked++;
    console.warn(`segment fd ${fd} collected while open`);
  });
  static readonly names = new FinalizationRegistry<string>(name => console.debug(`segment ${name} collected`));

  readonly #fh: FileHandle;
  #closed = false;

  private constructor(
    fh: FileHandle,
    readonly name: string,
  ) {
    this.#fh = fh;
    Segment.registry.register(this, fh.fd, this);
    Segment.names.register(this, name);
  }

  static async open(dir: string, name: string): Promise<Segment> {
    return new Segment(await fsp.open(`${dir}/${name}`, 'a+'), name);
  }

  size(): number {
    return this.#closed ? 0 : fstatSync(this.#fh.fd).size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#fh.sync();
    Segment.registry.unregister(this);
    await this.#fh.close();
  }
}

/** Index files register without a token: close() cannot unregister them. */
export class IndexFile {
  readonly #fh: FileHandle;
  #closed = false;

  private constructor(fh: FileHandle) {
    this.#fh = fh;
    Segment.registry.register(this, this.#fh.fd); // expect: require-unregister
  }

  static async open(path: string): Promise<IndexFile> {
    return new IndexFile(await fsp.open(path, 'r+'));
  }

  entries(): number {
    return this.#closed ? 0 : fstatSync(this.#fh.fd).size / 16;
  }

  [Symbol.asyncDispose](): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return this.#fh.close();
  }
}

/** Unregistered in a synchronous [Symbol.dispose]-style close that hands the handle off. */
export class Snapshot {
  readonly #fh: FileHandle;
  #released = false;

  constructor(fh: FileHandle) {
    this.#fh = fh;
    Segment.registry.register(this, fh.fd, this);
  }

  [Symbol.dispose](): void {
    if (this.#released) return;
    this.#released = true;
    Segment.registry.unregister(this);
    void this.#fh.close();
  }
}

export interface StoreOptions {
  readonly shutdown: AbortSignal;
  readonly compactEveryMs: number;
}

export class SegmentStore extends EventEmitter {
  readonly #lock: FileHandle;
  readonly #segments = new Map<string, Segment>();
  readonly #shutdown: AbortSignal;
  readonly #compactor: NodeJS.Timeout;
  #closed = false;

  constructor(
    private readonly dir: string,
    lock: FileHandle,
    { shutdown, compactEveryMs }: StoreOptions,
  ) {
    super();
    this.#lock = lock;
    this.#shutdown = shutdown;
    shutdown.addEventListener('abort', () => void this.close()); // expect: require-unregister
    this.#compactor = setInterval(() => {
      if (!this.#closed) this.emit('compact', this.#segments.size);
    }, compactEveryMs);
  }

  async segment(name: string): Promise<Segment> {
    const hit = this.#segments.get(name);
    if (hit !== undefined) return hit;
    const seg = await Segment.open(this.dir, name);
    if (this.#closed) {
      await seg.close();
      throw new Error('store closed');
    }
    this.#segments.set(name, seg);
    return seg;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#compactor);
    // A fresh arrow function: this removes nothing.
    this.#shutdown.removeEventListener('abort', () => void this.close());
    await Promise.all([...this.#segments.values()].map(s => s.close()));
    this.#segments.clear();
    await this.#lock.close();
  }
}

const ONCE = { once: true } as const;

/** Options passed through a constant that says once:true. */
export class ReplicaLink {
  readonly #fh: FileHandle;
  #closed = false;

  constructor(fh: FileHandle, shutdown: AbortSignal) {
    this.#fh = fh;
    shutdown.addEventListener('abort', () => void this.close(), ONCE);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#fh.close();
  }
}

/** The store's compaction clock when it is not owned by any store: plain, no native resource. */
export class CompactionClock {
  readonly #tick: NodeJS.Timeout;
  #ticks = 0;

  constructor(everyMs: number) {
    this.#tick = setInterval(() => {
      this.#ticks++;
    }, everyMs);
  }

  ticks(): number {
    return this.#ticks;
  }

  stop(): void {
    clearInterval(this.#tick);
  }
}

/** A segment's raw number registered by a helper outside any class; no token. */
export function watchSegmentFile(owner: object, fh: FileHandle): void {
  Segment.registry.register(owner, fh.fd); // expect: require-unregister
}
