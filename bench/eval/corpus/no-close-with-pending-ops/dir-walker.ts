// Directory listing with fs.Dir. Dir#read is a pending operation and Dir has no cancel: a
// prefetched read stored on `this` makes close() a finding; a cursor that stores none is fine.
import type { Dir, Dirent } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export async function firstEntry(path: string): Promise<string | null> {
  const dir = await opendir(path);
  const ent = await dir.read();
  await dir.close();
  return ent?.name ?? null;
}

export async function firstEntryWithDeadline(path: string, ms: number): Promise<string | null> {
  const dir = await opendir(path);
  const next = dir.read();
  const ent = await Promise.race([next, sleep(ms, null)]);
  dir.closeSync(); // expect: no-close-with-pending-ops
  return ent?.name ?? null;
}

export async function listSome(path: string, limit: number): Promise<string[]> {
  const dir = await opendir(path);
  const names: string[] = [];
  try {
    let ent: Dirent | null;
    while (names.length < limit && (ent = await dir.read()) !== null) names.push(ent.name);
  } finally {
    await dir.close();
  }
  return names;
}

export async function allSettledThenClose(dir: Dir): Promise<number> {
  const reads = [dir.read(), dir.read()];
  const settled = await Promise.allSettled(reads);
  await dir.close();
  return settled.filter(r => r.status === 'fulfilled').length;
}

export class DirCursor {
  private next: Promise<Dirent | null>;
  private closed = false;

  constructor(private readonly dir: Dir) {
    this.next = dir.read();
  }

  async advance(): Promise<Dirent | null> {
    const ent = await this.next;
    this.next = this.dir.read(); // expect: require-lifetime-guard
    return ent;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.dir.close(); // expect: no-close-with-pending-ops
  }
}

export class LazyDirCursor {
  private closed = false;

  constructor(private readonly dir: Dir) {}

  async advance(): Promise<Dirent | null> {
    if (this.closed) return null;
    return this.dir.read();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dir.close();
  }
}
