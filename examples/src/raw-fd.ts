// An append-only journal on a FileHandle, plus a serial-port addon whose objects expose a raw
// handle. `no-unguarded-raw-handle` reports raw handles kept past the statement that read them:
// across an await (also collected by `map`), in a timer, in a field, or returned. Each hazard
// sits next to its correct twin.
import * as fs from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';

async function stamp(): Promise<string> {
  await new Promise(resolve => setImmediate(resolve));
  return new Date().toISOString();
}

// ❌ The fd is read, then the function awaits: another caller may close `fh` meanwhile, and the
// kernel hands the same number to the next open(). The write then lands in another file.
export async function appendUnsafe(fh: FileHandle, record: string): Promise<void> {
  const fd = fh.fd;
  const at = await stamp();
  fs.writeSync(fd, `${at} ${record}\n`);
  fs.fsyncSync(fd);
}

// ✅ Read the fd in the statement that uses it, after the await (or use the FileHandle's own
// methods, as `appendAsync` does).
export async function append(fh: FileHandle, record: string): Promise<void> {
  const at = await stamp();
  fs.writeSync(fh.fd, `${at} ${record}\n`);
  fs.fsyncSync(fh.fd);
}

export async function appendAsync(fh: FileHandle, record: string): Promise<void> {
  await fh.appendFile(`${await stamp()} ${record}\n`);
  await fh.sync();
}

// ❌ The fd is read now but used a second later, when `fh` may be closed and its number reused.
export function syncSoonUnsafe(fh: FileHandle): NodeJS.Timeout {
  const fd = fh.fd;
  return setTimeout(() => fs.fsyncSync(fd), 1000);
}

// ✅ Read the fd when the timer fires, in the statement that uses it: if `fh` was closed
// meanwhile, `fh.fd` is -1 and the call throws instead of syncing another file.
export function syncSoon(fh: FileHandle): NodeJS.Timeout {
  return setTimeout(() => fs.fsyncSync(fh.fd), 1000);
}

// ✅ Or the FileHandle's own method, which fails cleanly (EBADF "file closed") once it is closed.
export function syncSoonAsync(fh: FileHandle): NodeJS.Timeout {
  return setTimeout(() => {
    fh.sync().catch((error: unknown) => console.error('sync failed', error));
  }, 1000);
}

// ❌ A field holding the raw number outlives every close of the FileHandle.
export class RawJournalWriter {
  private readonly fd: number;
  constructor(fh: FileHandle) {
    this.fd = fh.fd;
  }
  write(line: string): void {
    fs.writeSync(this.fd, line + '\n');
  }
}

// ✅ Keep the owner; read its fd only where it is used.
export class JournalWriter {
  constructor(private readonly fh: FileHandle) {}
  write(line: string): void {
    fs.writeSync(this.fh.fd, line + '\n');
  }
}

// ❌ Returning the raw fd hands out a number nobody owns.
export function descriptorOf(fh: FileHandle): number {
  return fh.fd;
}

// ✅ Hand out something the FileHandle keeps track of.
export function readerOf(fh: FileHandle): fs.ReadStream {
  return fh.createReadStream({ start: 0 });
}

// ❌ The fds collected by `map` cross the await: any journal closed meanwhile may have its
// number reused by the time it is synced.
export async function syncAllLaterUnsafe(journals: readonly FileHandle[]): Promise<void> {
  const fds = journals.map(fh => fh.fd);
  await stamp();
  for (const fd of fds) fs.fsyncSync(fd);
}

// ✅ Collected and used before any await (or read after it, one statement at a time).
export async function syncAllLater(journals: readonly FileHandle[]): Promise<number> {
  const fds = journals.map(fh => fh.fd);
  for (const fd of fds) fs.fsyncSync(fd);
  await stamp();
  for (const fh of journals) fs.fsyncSync(fh.fd);
  return fds.length;
}

export async function openJournal(path: string): Promise<FileHandle> {
  return open(path, 'a+');
}

// A native addon (N-API) that describes itself with JSDoc tags.
/** @nativeResource */
export interface SerialPort {
  /** @rawHandle */
  readonly handle: number;
  /** @addRef */
  ref(): void;
  /** @release */
  unref(): void;
  drain(): Promise<void>;
  close(): void;
}
interface SerialAddon {
  open(path: string): SerialPort;
  setBaudRate(handle: number, baud: number): void;
}
const serial = createRequire(import.meta.url)('./build/serial.node') as SerialAddon;

export function openPort(path: string): SerialPort {
  return serial.open(path);
}

// ❌ The handle crosses an await with no reference held: a concurrent close() frees it.
// (Suggestion: wrap the read and its uses in `port.ref(); try { … } finally { port.unref(); }`.)
export async function setBaudRateUnsafe(port: SerialPort, baud: number): Promise<void> {
  const handle = port.handle;
  await port.drain();
  serial.setBaudRate(handle, baud);
}

// ✅ A borrow: while the reference is held, the addon defers the close.
export async function setBaudRate(port: SerialPort, baud: number): Promise<void> {
  port.ref();
  try {
    const handle = port.handle;
    await port.drain();
    serial.setBaudRate(handle, baud);
  } finally {
    port.unref();
  }
}
