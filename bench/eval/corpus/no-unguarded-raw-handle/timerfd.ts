// A timerfd-style native timer described by a tagged interface that a JS class implements,
// plus optional-field and any-typed look-alikes.
import { fstatSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** @nativeResource */
export interface NativeTimer {
  /** @rawHandle */
  readonly handle: number;
  arm(ms: number): void;
  close(): void;
}

export class TimerFd implements NativeTimer {
  readonly handle: number;
  constructor(handle: number) {
    this.handle = handle;
  }
  arm(_ms: number): void {}
  close(): void {}
}

let activeHandle = -1;

export function activate(t: TimerFd, ms: number): void {
  t.arm(ms);
  activeHandle = t.handle; // expect: no-unguarded-raw-handle
}

export function isActive(t: TimerFd): boolean {
  return t.handle === activeHandle;
}

export function logTimer(t: NativeTimer): void {
  console.log('timer handle %d armed', t.handle);
}

export function logLater(t: NativeTimer, ms: number): void {
  setTimeout(() => {
    console.log('timer handle %d still armed', t.handle);
  }, ms);
}

export function handleLater(t: NativeTimer, ms: number): Promise<number> {
  const h = t.handle; // expect: no-unguarded-raw-handle
  return new Promise(resolve => {
    setTimeout(() => resolve(h), ms);
  });
}

export class LazyFile {
  private fh?: FileHandle;

  attach(fh: FileHandle): void {
    this.fh = fh;
  }

  descriptor(): number | undefined {
    return this.fh?.fd; // expect: no-unguarded-raw-handle
  }

  sizeNow(): number {
    return this.fh === undefined ? 0 : fstatSync(this.fh.fd).size;
  }
}

export interface PlainTimer {
  readonly handle: number;
  readonly intervalMs: number;
}

export function plainHandles(timers: readonly PlainTimer[]): number[] {
  return timers.map(t => t.handle);
}
