// A log shipper: an inotify instance tells it when the active log changed or was rotated,
// and the active log is read through a FileHandle. Both expose a descriptor number; the
// shipper only ever needs it for synchronous poll/fstat/fsync calls.
import { fstatSync, fsyncSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { IN_IGNORED, IN_MODIFY, IN_MOVE_SELF, Inotify, pollReadable, type InotifyEvent } from 'inotify-native';

/** Rotation state persisted between runs (plain data). */
interface Checkpoint {
  readonly fd: number;
  readonly inode: number;
  readonly offset: number;
}

let checkpoint: Checkpoint | undefined;
let inotifyFdForMetrics = -1;

export function readyNow(ino: Inotify): boolean {
  return pollReadable(ino.fd, 0);
}

export function exportForMetrics(ino: Inotify): void {
  inotifyFdForMetrics = ino.fd; // expect: no-unguarded-raw-handle
}

export function metricsFd(): number {
  return inotifyFdForMetrics;
}

/** Polls the descriptor read once before the loop: it outlives the awaits in the loop. */
export async function waitForEvents(ino: Inotify, pollMs: number): Promise<InotifyEvent[]> {
  const fd = ino.fd; // expect: no-unguarded-raw-handle
  while (!pollReadable(fd, 0)) {
    await sleep(pollMs);
  }
  return ino.readSync();
}

/** Reads the descriptor afresh in every iteration; no number survives an await. */
export async function nextBatch(ino: Inotify, pollMs: number): Promise<InotifyEvent[]> {
  for (;;) {
    const fd = ino.fd;
    if (pollReadable(fd, 0)) return ino.readSync();
    await sleep(pollMs);
  }
}

export async function nextBatchOrNothing(ino: Inotify | undefined, pollMs: number): Promise<InotifyEvent[]> {
  if (ino === undefined) return [];
  await sleep(pollMs);
  return ino.closed || !pollReadable(ino.fd, 0) ? [] : ino.readSync();
}

export function onReadable(ino: Inotify, everyMs: number, cb: (events: InotifyEvent[]) => void): NodeJS.Timeout {
  return setInterval(() => {
    if (!ino.closed && pollReadable(ino.fd, 0)) cb(ino.readSync());
  }, everyMs);
}

export function onReadableCaptured(ino: Inotify, everyMs: number, cb: (events: InotifyEvent[]) => void): NodeJS.Timeout {
  const fd = ino.fd; // expect: no-unguarded-raw-handle
  return setInterval(() => {
    if (pollReadable(fd, 0)) cb(ino.readSync());
  }, everyMs);
}

/** fsync, then remember where we were: the checkpoint keeps the number past this call. */
export function saveCheckpoint(fh: FileHandle, offset: number): void {
  fsyncSync(fh.fd);
  const { ino } = fstatSync(fh.fd);
  checkpoint = { fd: fh.fd, inode: ino, offset }; // expect: no-unguarded-raw-handle
}

export function checkpointFor(fh: FileHandle): Checkpoint | undefined {
  const fd = fh.fd;
  return checkpoint !== undefined && checkpoint.inode === fstatSync(fd).ino ? checkpoint : undefined;
}

export function restoredOffset(cp: Checkpoint): number {
  const fd = cp.fd;
  return fd >= 0 ? cp.offset : 0;
}

/** Reads what was appended since `offset`; synchronous all the way. */
export function readAppended(fh: FileHandle, offset: number): Buffer {
  const fd = fh.fd;
  const { size } = fstatSync(fd);
  const buf = Buffer.alloc(Math.max(0, size - offset));
  const n = readSync(fd, buf, 0, buf.length, offset);
  return buf.subarray(0, n);
}

/** Uses the number before the await only; after it, only the FileHandle is used. */
export async function shipAppended(fh: FileHandle, offset: number, ship: (b: Buffer) => Promise<void>): Promise<number> {
  const fd = fh.fd;
  const { size } = fstatSync(fd);
  if (size <= offset) return offset;
  const buf = Buffer.alloc(size - offset);
  const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
  await ship(buf.subarray(0, bytesRead));
  return offset + bytesRead;
}

export async function shipAppendedStale(fh: FileHandle, offset: number, ship: (b: Buffer) => Promise<void>): Promise<number> {
  const fd = fh.fd; // expect: no-unguarded-raw-handle
  const before = fstatSync(fd).size;
  await ship(Buffer.from(`-- ${before - offset} bytes pending --\n`));
  const buf = Buffer.alloc(fstatSync(fd).size - offset);
  return offset + readSync(fd, buf, 0, buf.length, offset);
}

/** Watches the active log; reopens it when logrotate moves it away. */
export async function follow(path: string, ino: Inotify, ship: (b: Buffer) => Promise<void>): Promise<never> {
  let fh = await open(path, 'r');
  let offset = 0;
  let wd = ino.addWatch(path, IN_MODIFY | IN_MOVE_SELF);
  for (;;) {
    const events = await nextBatch(ino, 200);
    for (const ev of events) {
      if (ev.wd !== wd) continue;
      if (ev.mask & IN_MOVE_SELF) {
        fsyncSync(fh.fd);
        await fh.close();
        fh = await open(path, 'r');
        offset = 0;
        wd = ino.addWatch(path, IN_MODIFY | IN_MOVE_SELF);
      } else if ((ev.mask & IN_IGNORED) === 0) {
        offset = await shipAppended(fh, offset, ship);
      }
    }
  }
}

/** A sidecar that tracks one descriptor number it was given; not an owner. */
export class DescriptorProbe {
  private fd = -1;
  constructor(private readonly cp: Checkpoint) {}
  arm(): void {
    this.fd = this.cp.fd;
  }
  async sizeLater(ms: number): Promise<number> {
    const fd = this.cp.fd;
    await sleep(ms);
    return fd === this.fd ? fd : -1;
  }
}

export function sizes(handles: ReadonlyMap<string, FileHandle>): Record<string, number> {
  const out: Record<string, number> = {};
  handles.forEach((fh, name) => {
    out[name] = fstatSync(fh.fd).size;
  });
  return out;
}

export function descriptorTable(handles: ReadonlyMap<string, FileHandle>): Map<string, number> {
  const table = new Map<string, number>();
  for (const [name, fh] of handles) {
    const fd = fh.fd;
    if (fstatSync(fd).nlink > 0) table.set(name, fstatSync(fd).size);
  }
  return table;
}

export async function openAll(paths: readonly string[]): Promise<FileHandle[]> {
  const out: FileHandle[] = [];
  for (const p of paths) {
    const fh = await open(p, 'r');
    fsyncSync(fh.fd);
    out.push(fh);
  }
  return out;
}

export const fdOfActive = (fh: FileHandle): number => fh.fd; // expect: no-unguarded-raw-handle
