// Writes and verifies snapshot files through FileHandles. After close() the FileHandle's
// methods reject with EBADF "file closed" and its fd reads -1 (NODE-FACTS §8); the hazards
// are uses that follow a close on the same path.
import { fstatSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export async function copyInto(dst: FileHandle, data: Buffer): Promise<void> {
  await dst.write(data, 0, data.length, 0);
}

export async function writeAndMeasure(path: string, data: Buffer): Promise<number> {
  const fh = await open(path, 'w');
  await fh.write(data);
  await fh.close();
  const st = await fh.stat(); // expect: no-use-after-close
  return st.size;
}

export async function measureThenClose(path: string, data: Buffer): Promise<number> {
  const fh = await open(path, 'w');
  await fh.write(data);
  const st = await fh.stat();
  await fh.close();
  return st.size;
}

/** Closes early on a bad header, but falls through to the read anyway. */
export async function readBody(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  const header = Buffer.alloc(8);
  await fh.read(header, 0, 8, 0);
  if (header.toString('latin1', 0, 4) !== 'SNAP') {
    await fh.close();
  }
  const body = await fh.readFile(); // expect: no-use-after-close
  await fh.close();
  return body;
}

export async function readBodyChecked(path: string): Promise<Buffer | undefined> {
  const fh = await open(path, 'r');
  const header = Buffer.alloc(8);
  await fh.read(header, 0, 8, 0);
  if (header.toString('latin1', 0, 4) !== 'SNAP') {
    await fh.close();
    return undefined;
  }
  const body = await fh.readFile();
  await fh.close();
  return body;
}

/** Close on one branch, use on the other: no path has both. */
export async function finishOrAppend(fh: FileHandle, done: boolean, tail: string): Promise<void> {
  if (done) {
    await fh.close();
  } else {
    await fh.appendFile(tail);
  }
}

/** The close is inside the loop: the next iteration writes to a closed handle. */
export async function writeParts(path: string, parts: readonly Buffer[]): Promise<void> {
  const out = await open(path, 'w');
  for (const part of parts) {
    await out.write(part); // expect: no-use-after-close
    await out.close();
  }
}

export async function writePartsThenClose(path: string, parts: readonly Buffer[]): Promise<void> {
  const out = await open(path, 'w');
  for (const part of parts) await out.write(part);
  await out.close();
}

/** Each iteration opens its own handle: the close ends only that one. */
export async function writeEach(paths: readonly string[], data: Buffer): Promise<void> {
  for (const p of paths) {
    const fh = await open(p, 'w');
    await fh.write(data);
    await fh.close();
  }
}

/** Reopens into the same variable: the use after the close is on the new handle. */
export async function rewrite(path: string, data: Buffer): Promise<void> {
  let fh = await open(path, 'r');
  const old = await fh.readFile();
  await fh.close();
  fh = await open(path, 'w');
  await fh.write(Buffer.concat([old, data]));
  await fh.close();
}

export async function snapshotTo(src: FileHandle, path: string): Promise<void> {
  const data = await src.readFile();
  const dst = await open(path, 'w');
  await dst.close();
  await copyInto(dst, data); // expect: no-use-after-close
}

export async function sizeAfterClose(path: string): Promise<number> {
  const fh = await open(path, 'r');
  await fh.close();
  return fstatSync(fh.fd).size; // expect: no-use-after-close
}

/** Closing twice, comparing identity and keeping it in a set are not uses. */
export async function closeAll(handles: Set<FileHandle>, primary: FileHandle): Promise<boolean> {
  await primary.close();
  await primary.close();
  const wasTracked = handles.has(primary);
  handles.delete(primary);
  for (const fh of handles) if (fh !== primary) await fh.close();
  return wasTracked;
}

export async function disposeThenRead(path: string): Promise<string> {
  const fh = await open(path, 'r');
  await fh[Symbol.asyncDispose]();
  return fh.readFile('utf8'); // expect: no-use-after-close
}

export async function writeWithCleanup(path: string, data: Buffer): Promise<number> {
  const fh = await open(path, 'w');
  try {
    await fh.write(data);
  } finally {
    await fh.close();
  }
  const st = await fh.stat(); // expect: no-use-after-close
  return st.size;
}
