// Reading commands from a named pipe (FIFO), with a timeout, and reporting status over UDP.
// Each hazard sits next to its correct twin.
import * as dgram from 'node:dgram';
import { constants, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// ❌ Timeout, then close: if nobody writes to the FIFO, the read keeps running in the thread
// pool and `close()` waits for it forever (so does `process.exit()`).
export async function readCommandUnsafe(fifoPath: string, ms: number): Promise<string | undefined> {
  const fh = await open(fifoPath, 'r+');
  try {
    const reading = fh.read(Buffer.alloc(256), 0, 256, null);
    const winner = await Promise.race([reading, sleep(ms).then(() => undefined)]);
    return winner ? winner.buffer.toString('utf8', 0, winner.bytesRead) : undefined;
  } finally {
    await fh.close();
  }
}

// ✅ A non-blocking fd wrapped in net.Socket: destroy() cancels the pending read at once.
export async function readCommand(fifoPath: string, ms: number): Promise<string | undefined> {
  const fd = openSync(fifoPath, constants.O_RDWR | constants.O_NONBLOCK);
  const socket = new net.Socket({ fd, readable: true, writable: false });
  try {
    const chunk = await Promise.race([
      new Promise<Buffer>(resolve => socket.once('data', resolve)),
      sleep(ms).then(() => undefined),
    ]);
    return chunk?.toString('utf8');
  } finally {
    socket.destroy();
  }
}

// ✅ A regular file: the read is awaited before the close.
export async function readHeader(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const header = Buffer.alloc(16);
    await fh.read(header, 0, 16, 0);
    return header;
  } finally {
    await fh.close();
  }
}

// ❌ A throw between starting the read and awaiting it: if `validate` throws, the catch closes
// the FIFO while the read is still blocked in the thread pool.
export async function readValidatedUnsafe(fifoPath: string, validate: (path: string) => void): Promise<string> {
  const fh = await open(fifoPath, 'r+');
  try {
    const text = fh.readFile('utf8');
    validate(fifoPath);
    return await text;
  } catch (error) {
    await fh.close();
    throw error;
  }
}

// ✅ Validate before starting the read: a throw then leaves nothing running on the handle.
export async function readValidated(fifoPath: string, validate: (path: string) => void): Promise<string> {
  validate(fifoPath);
  const fh = await open(fifoPath, 'r+');
  try {
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

// A reader object that keeps its in-flight read on `this`.
export class CommandReader {
  private pending: Promise<unknown> | undefined;
  readonly #loader = new AbortController();
  #config: Promise<Buffer> | undefined;

  constructor(private readonly fh: FileHandle) {}

  next(): void {
    this.pending = this.fh.read(Buffer.alloc(256), 0, 256, null);
  }

  loadConfig(): void {
    this.#config = this.fh.readFile({ signal: this.#loader.signal });
  }

  // ❌ Closes while `this.pending` (and `#config`) may still be running: nothing cancels them.
  async close(): Promise<void> {
    await this.fh.close();
  }
}

export class ConfigReader {
  readonly #loader = new AbortController();
  #config: Promise<Buffer> | undefined;

  constructor(private readonly fh: FileHandle) {}

  load(): void {
    this.#config = this.fh.readFile({ signal: this.#loader.signal });
  }

  // ✅ Aborts the readFile it started, then closes.
  async [Symbol.asyncDispose](): Promise<void> {
    this.#loader.abort();
    await this.fh.close();
    await this.#config?.catch(() => undefined);
  }
}

// ❌ dgram: close() right after send() drops the datagram and the callback never runs.
export function reportStatusUnsafe(port: number, status: string): void {
  const sock = dgram.createSocket('udp4');
  sock.send(status, port, '127.0.0.1', error => {
    if (error) console.error(error);
  });
  sock.close();
}

// ✅ dgram: close inside the send callback.
export function reportStatus(port: number, status: string): void {
  const sock = dgram.createSocket('udp4');
  sock.send(status, port, '127.0.0.1', error => {
    if (error) console.error(error);
    sock.close();
  });
}
