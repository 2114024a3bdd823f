// Config hot-reload for a daemon: an fs.watch watcher triggers reloads through a FileHandle,
// plugin directories are scanned with fs.Dir, and a drop-in directory is watched through an
// inotify addon. Watchers have no pending operations; readFile/read/Dir#read and the
// addon's read() do.
import { opendirSync, watch, type Dir, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { IN_CLOSE_WRITE, Inotify, type InotifyEvent } from 'inotify-native';

export class ConfigReloader {
  readonly #watcher: FSWatcher;
  #ac = new AbortController();
  #loading: Promise<string> | undefined;
  #closed = false;

  constructor(
    private readonly fh: FileHandle,
    path: string,
    private readonly onConfig: (text: string) => void,
  ) {
    this.#watcher = watch(path, () => this.reload());
  }

  reload(): void {
    if (this.#closed) return;
    this.#ac.abort();
    this.#ac = new AbortController();
    this.#loading = this.fh.readFile({ encoding: 'utf8', signal: this.#ac.signal });
    this.#loading.then(
      text => {
        if (!this.#closed) this.onConfig(text);
      },
      () => undefined,
    );
  }

  pending(): Promise<string> | undefined {
    return this.#loading;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#watcher.close();
    this.#ac.abort();
    await this.fh.close();
  }
}

/** Same reloader, but shutdown only stops the watcher before closing the file. */
export class NaiveReloader {
  readonly #watcher: FSWatcher;
  #loading: Promise<string> | undefined;

  constructor(
    private readonly fh: FileHandle,
    path: string,
  ) {
    this.#watcher = watch(path);
    this.#watcher.on('change', () => this.reload());
  }

  reload(): void {
    this.#loading = this.fh.readFile('utf8');
  }

  pending(): Promise<string> | undefined {
    return this.#loading;
  }

  async close(): Promise<void> {
    this.#watcher.close();
    await this.fh.close(); // expect: no-close-with-pending-ops
  }
}

export function watchOnce(path: string, ms: number): Promise<string | null> {
  return new Promise(resolve => {
    const watcher = watch(path);
    const timer = setTimeout(() => {
      watcher.close();
      resolve(null);
    }, ms);
    watcher.once('change', (_event, filename) => {
      clearTimeout(timer);
      watcher.close();
      resolve(String(filename));
    });
  });
}

export function firstPluginName(path: string, cb: (name: string | null) => void): void {
  const dir = opendirSync(path);
  dir.read((err, ent) => {
    cb(err ? null : (ent?.name ?? null));
  });
  dir.closeSync(); // expect: no-close-with-pending-ops
}

export function firstPluginNameThenClose(path: string, cb: (name: string | null) => void): void {
  const dir = opendirSync(path);
  dir.read((err, ent) => {
    dir.closeSync();
    cb(err ? null : (ent?.name ?? null));
  });
}

export function listPluginsSync(path: string): string[] {
  const dir = opendirSync(path);
  const names: string[] = [];
  try {
    for (let ent = dir.readSync(); ent !== null; ent = dir.readSync()) names.push(ent.name);
  } finally {
    dir.closeSync();
  }
  return names;
}

export async function hasPlugins(dir: Dir): Promise<boolean> {
  const first = await dir.read();
  await dir.close();
  return first !== null;
}

export async function headerOrNull(fh: FileHandle, valid: (b: Buffer) => boolean): Promise<Buffer | null> {
  const buf = Buffer.alloc(16);
  const { bytesRead } = await fh.read(buf, 0, 16, 0);
  if (!valid(buf.subarray(0, bytesRead))) {
    await fh.close();
    return null;
  }
  return buf;
}

export function sizeHintThenClose(fh: FileHandle): Promise<number> {
  return fh
    .read(Buffer.alloc(8), 0, 8, 0)
    .then(r => r.buffer.readUInt32LE(0))
    .then(async hint => {
      await fh.close();
      return hint;
    });
}

export async function loadUnlessCancelled(fh: FileHandle, cancelled: () => boolean): Promise<string | null> {
  const ac = new AbortController();
  const loading = fh.readFile({ encoding: 'utf8', signal: ac.signal });
  loading.catch(() => undefined);
  await sleep(10);
  if (cancelled()) {
    ac.abort();
    await fh.close();
    return null;
  }
  const text = await loading;
  await fh.close();
  return text;
}

export async function loadOrBail(fh: FileHandle, cancelled: () => boolean): Promise<string | null> {
  const loading = fh.readFile('utf8');
  loading.catch(() => undefined);
  await sleep(10);
  if (cancelled()) {
    await fh.close(); // expect: no-close-with-pending-ops
    return null;
  }
  const text = await loading;
  await fh.close();
  return text;
}

/** Flushes are not pending operations of a FileHandle: close() waits for them. */
export async function flushAndClose(fh: FileHandle, trailer: string): Promise<void> {
  void fh.write(trailer);
  void fh.datasync();
  await fh.close();
}

export async function waitForDropIn(path: string, ms: number): Promise<boolean> {
  const ino = new Inotify();
  ino.addWatch(path, IN_CLOSE_WRITE);
  const events = ino.read();
  const got = await Promise.race([events, sleep(ms, [] as InotifyEvent[])]);
  ino.close(); // expect: no-close-with-pending-ops
  return got.length > 0;
}

export async function waitForDropInCancelling(path: string, ms: number): Promise<boolean> {
  const ino = new Inotify();
  ino.addWatch(path, IN_CLOSE_WRITE);
  const events = ino.read();
  const got = await Promise.race([events, sleep(ms, [] as InotifyEvent[])]);
  ino.wake();
  ino.close();
  return got.length > 0;
}

export async function drainDropIns(ino: Inotify): Promise<number> {
  let n = 0;
  for (let batch = ino.readSync(); batch.length > 0; batch = ino.readSync()) n += batch.length;
  ino.close();
  return n;
}
