// Batch sinks for a metrics relay: batches go to a TCP collector or to an fs write stream.
// destroy() closes either; end() only finishes writing and is not a close. Loops that destroy
// the sink on a bad item must not reach another write on the same sink.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { type Socket } from 'node:net';

export type Batch = readonly Buffer[];

/** Writes batches until the collector asks to stop; a rejected batch kills the socket. */
export function pump(sock: Socket, next: () => Batch | undefined, accept: (b: Batch) => boolean): void {
  let batch = next();
  do {
    if (batch === undefined) break;
    sock.write(Buffer.concat([...batch])); // expect: no-use-after-close
    if (!accept(batch)) sock.destroy();
    batch = next();
  } while (batch !== undefined);
}

export function pumpCorrectly(sock: Socket, next: () => Batch | undefined, accept: (b: Batch) => boolean): void {
  for (let batch = next(); batch !== undefined; batch = next()) {
    sock.write(Buffer.concat([...batch]));
    if (!accept(batch)) {
      sock.destroy();
      return;
    }
  }
}

export function sendOrDrop(sock: Socket, ok: boolean, payload: Buffer): void {
  ok || sock.destroy();
  sock.write(payload); // expect: no-use-after-close
}

/** Gives up on the file after an error, and then finishes it anyway. */
export function abandon(out: WriteStream, err: Error): void {
  out.destroy(err);
  out.end(); // expect: no-use-after-close
}

export async function finishFile(out: WriteStream, trailer: string): Promise<void> {
  out.end(trailer);
  out.on('error', e => console.error('sink failed', e));
  await once(out, 'finish');
}

/** Skips the rest of a batch with an empty item, destroying the socket; the next batch writes anyway. */
export function relay(sock: Socket, batches: readonly Batch[]): number {
  let written = 0;
  outer: for (const batch of batches) {
    for (const item of batch) {
      if (item.length === 0) {
        sock.destroy();
        continue outer;
      }
      sock.write(item); // expect: no-use-after-close
      written++;
    }
  }
  return written;
}

export function relayUntilEmpty(sock: Socket, batches: readonly Batch[]): number {
  let written = 0;
  outer: for (const batch of batches) {
    for (const item of batch) {
      if (item.length === 0) {
        sock.destroy();
        break outer;
      }
      sock.write(item);
      written++;
    }
  }
  return written;
}

/** Rolls to a new file when one gets too big: the variable is reassigned after the destroy. */
export function spill(path: (n: number) => string, batches: readonly Batch[], maxBytes: number): WriteStream {
  let n = 0;
  let out = createWriteStream(path(n));
  for (const batch of batches) {
    if (out.bytesWritten > maxBytes) {
      out.destroy();
      out = createWriteStream(path(++n));
    }
    for (const item of batch) out.write(item);
  }
  return out;
}

/** Drops the collector connection and reports; `destroyed` and byte counts are not uses. */
export function drop(sock: Socket, log: (line: string) => void): void {
  sock.destroy();
  if (sock.destroyed) log(`dropped after ${sock.bytesWritten} bytes`);
  sock.removeAllListeners('drain');
}
