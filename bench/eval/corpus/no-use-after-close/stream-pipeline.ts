// Export pipelines over fs streams and directory handles. destroy()/close() end a stream and
// close()/closeSync() a Dir; waiting for completion with finished(), checking `destroyed` /
// `closed`, and listener bookkeeping afterwards are fine, piping or reading is not.
import { createReadStream, createWriteStream, opendirSync, type Dir, type ReadStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

export async function abortExport(src: ReadStream, dst: WriteStream): Promise<void> {
  src.destroy();
  await finished(src).catch(() => undefined);
  if (!dst.closed) dst.end();
}

export function restartExport(path: string, src: ReadStream, dst: WriteStream): ReadStream {
  src.destroy();
  src.pipe(dst); // expect: no-use-after-close
  return createReadStream(path);
}

export function switchSource(path: string, src: ReadStream, dst: WriteStream): ReadStream {
  src.unpipe(dst);
  src.destroy();
  src.removeAllListeners('data');
  const next = createReadStream(path);
  next.pipe(dst);
  return next;
}

export function finishLog(log: WriteStream, trailer: string): void {
  log.close();
  log.write(trailer); // expect: no-use-after-close
}

export function finishLogInOrder(log: WriteStream, trailer: string): void {
  log.write(trailer);
  log.close();
  log.once('close', () => console.debug('log closed'));
}

/** Reopens the log into the same variable after closing the old one. */
export function rotate(path: string, log: WriteStream): WriteStream {
  log.close();
  log = createWriteStream(path, { flags: 'a' });
  log.write('-- rotated --\n');
  return log;
}

export function listNames(path: string): string[] {
  const dir = opendirSync(path);
  const names: string[] = [];
  for (let ent = dir.readSync(); ent !== null; ent = dir.readSync()) names.push(ent.name);
  dir.closeSync();
  return names;
}

/** Stops at the first match and closes, but the loop goes on reading the closed Dir. */
export function findFirst(dir: Dir, suffix: string): string | undefined {
  let found: string | undefined;
  for (;;) {
    const ent = dir.readSync(); // expect: no-use-after-close
    if (ent === null) break;
    if (found === undefined && ent.name.endsWith(suffix)) {
      found = ent.name;
      dir.closeSync();
    }
  }
  return found;
}

export function findFirstAndStop(dir: Dir, suffix: string): string | undefined {
  for (;;) {
    const ent = dir.readSync();
    if (ent === null) {
      dir.closeSync();
      return undefined;
    }
    if (ent.name.endsWith(suffix)) {
      dir.closeSync();
      return ent.name;
    }
  }
}
