// Segment file maintenance for a log-structured store, over fs/promises FileHandles. After
// close() (or [Symbol.asyncDispose]()) a FileHandle's methods reject with EBADF "file closed"
// (NODE-FACTS §8). Reassigning the variable to a new handle starts a new lifetime.
import fsp, { type FileHandle } from 'node:fs/promises';

export interface Trailer {
  readonly records: number;
  readonly checksum: string;
}

export async function appendTrailer(fh: FileHandle, t: Trailer): Promise<void> {
  await fh.appendFile(`#${t.records}:${t.checksum}\n`);
}

export async function describeHandle(fh?: FileHandle): Promise<string> {
  if (fh === undefined) return 'none';
  const st = await fh.stat();
  return `${st.size} bytes`;
}

/** Sums segment sizes, reopening one handle variable per segment. */
export async function totalSize(paths: readonly string[]): Promise<number> {
  const [first, ...rest] = paths;
  if (first === undefined) return 0;
  let fh = await fsp.open(first, 'r');
  let total = 0;
  for (const p of rest) {
    total += (await fh.stat()).size;
    await fh.close();
    fh = await fsp.open(p, 'r');
  }
  total += (await fh.stat()).size;
  await fh.close();
  return total;
}

/** Only reopens when the next segment is non-empty; otherwise the closed handle is reused. */
export async function totalSizeSkippingEmpty(first: string, rest: readonly string[], sizes: ReadonlyMap<string, number>): Promise<number> {
  let fh = await fsp.open(first, 'r');
  let total = 0;
  for (const p of rest) {
    const st = await fh.stat(); // expect: no-use-after-close
    total += st.size;
    await fh.close();
    if ((sizes.get(p) ?? 0) > 0) fh = await fsp.open(p, 'r');
  }
  await fh.close();
  return total;
}

export async function sealSegment(path: string, data: Buffer): Promise<void> {
  let out: FileHandle | null = null;
  try {
    out = await fsp.open(path, 'w');
    await out.writeFile(data);
    await out.close();
    await out.datasync(); // expect: no-use-after-close
  } finally {
    await out?.close();
  }
}

export async function sealSegmentCorrectly(path: string, data: Buffer, t: Trailer): Promise<void> {
  const out = await fsp.open(path, 'w');
  try {
    await out.writeFile(data);
    await appendTrailer(out, t);
    await out.datasync();
  } finally {
    await out.close();
  }
}

/** The close is fired and forgotten; the trailer is appended to a closing handle. */
export async function finishQuickly(fh: FileHandle, t: Trailer): Promise<void> {
  void fh.close();
  await appendTrailer(fh, t); // expect: no-use-after-close
}

export async function finishAndDescribe<H extends FileHandle>(fh: H): Promise<string> {
  await fh.close();
  return describeHandle(fh); // expect: no-use-after-close
}

export async function sizeAfterDispose<H extends FileHandle>(fh: H): Promise<number> {
  await fh[Symbol.asyncDispose]();
  const { size } = await fh.stat(); // expect: no-use-after-close
  return size;
}

/** Copies a segment and closes both ends together, then syncs the copy. */
export async function copySegment(srcPath: string, dstPath: string): Promise<void> {
  const src = await fsp.open(srcPath, 'r');
  const dst = await fsp.open(dstPath, 'w');
  await dst.writeFile(await src.readFile());
  await Promise.all([src.close(), dst.close()]);
  await dst.sync(); // expect: no-use-after-close
}

export async function copySegmentCorrectly(srcPath: string, dstPath: string): Promise<void> {
  const src = await fsp.open(srcPath, 'r');
  const dst = await fsp.open(dstPath, 'w');
  try {
    await dst.writeFile(await src.readFile());
    await dst.sync();
  } finally {
    await Promise.all([src.close(), dst.close()]);
  }
}

/** Closing twice, identity checks and set bookkeeping after a close are not uses. */
export async function retire(fh: FileHandle, open: Set<FileHandle>, current: FileHandle | undefined): Promise<boolean> {
  await fh.close();
  const wasCurrent = fh === current;
  open.delete(fh);
  await fh.close();
  return wasCurrent;
}

export async function compact(paths: readonly string[], dest: string): Promise<number> {
  const out = await fsp.open(dest, 'w');
  let written = 0;
  for (const p of paths) {
    const fh = await fsp.open(p, 'r');
    const data = await fh.readFile();
    await fh.close();
    if (data.length === 0) continue;
    written += (await out.write(data)).bytesWritten;
  }
  await out.close();
  return written;
}
