// Shutdown code that closes many kinds of owners. Only the table's pending operations
// count (FileHandle read/readv/readFile, Dir#read, dgram send with a callback, and any
// promise/callback method of a tagged owner); writes, stat, stream and socket I/O do not.
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { Database } from 'sqlite-native';

/** A line buffer with read()/close(): not an owner. */
export class LineBuffer {
  private lines: string[] = [];
  async read(): Promise<string | undefined> {
    await Promise.resolve();
    return this.lines.shift();
  }
  close(): void {
    this.lines = [];
  }
}

export function drainBuffer(buf: LineBuffer): void {
  const next = buf.read();
  next.catch(() => undefined);
  buf.close();
}

export async function statThenClose(fh: FileHandle): Promise<number> {
  const st = fh.stat();
  await fh.close();
  return (await st).size;
}

export async function copyBetween(src: FileHandle, dst: FileHandle): Promise<void> {
  const reading = src.read(Buffer.alloc(1024), 0, 1024, 0);
  await dst.close();
  const { buffer, bytesRead } = await reading;
  console.log(buffer.subarray(0, bytesRead).length);
  await src.close();
}

export async function validateOrClose(fh: FileHandle, validate: () => void): Promise<string> {
  try {
    const text = fh.readFile('utf8');
    validate();
    return await text;
  } catch (err) {
    await fh.close(); // expect: no-close-with-pending-ops
    throw err;
  }
}

export function stopStreaming(path: string, onData: (chunk: Buffer | string) => void): () => void {
  const rs = createReadStream(path);
  rs.on('data', onData);
  return () => rs.close();
}

export function hangUp(sock: Socket, farewell: string): void {
  sock.write(farewell, err => {
    if (err) console.error(err);
  });
  sock.destroy();
}

export function stopServer(server: Server, worker: Worker): void {
  worker.postMessage({ type: 'stop' });
  void worker.terminate();
  server.close();
}

export async function backupAndClose(db: Database, dest: string): Promise<void> {
  await db.backup(dest);
  await db.close();
}

export async function backupInBackground(db: Database, dest: string): Promise<void> {
  const backup = db.backup(dest);
  backup.catch(err => console.error('backup failed', err));
  await db.close(); // expect: no-close-with-pending-ops
}

export function checkpointAndClose(db: Database): void {
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)', err => {
    if (err) console.error(err);
    db.closeSync();
  });
}
