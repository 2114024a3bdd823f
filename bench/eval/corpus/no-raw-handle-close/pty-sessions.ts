// Session housekeeping for a web terminal on a pty addon. The Terminal owns its master fd
// (@rawHandle masterFd) and closes it in kill(); closing the master fd by number is a second
// close. Session records persisted for the reconnect banner hold plain numbers.
import { closeSync, fstatSync } from 'node:fs';
import { setWindowSize, tcgetpgrp, Terminal } from 'node-pty-native';

interface SessionRecord {
  readonly id: string;
  readonly masterFd: number;
}

/** "Hangs up" the terminal by closing the master side directly. */
export function hangUp(term: Terminal): void {
  closeSync(term.masterFd); // expect: no-raw-handle-close
}

export function hangUpProperly(term: Terminal): void {
  term.kill('SIGHUP');
}

export function isForegroundBusy(term: Terminal): boolean {
  return tcgetpgrp(term.masterFd) !== term.pid;
}

export function resizeAll(terms: Iterable<Terminal>, cols: number, rows: number): void {
  for (const term of terms) setWindowSize(term.masterFd, cols, rows);
}

/** Closes every session whose child has become a zombie, by descriptor number. */
export function reapStale(terms: readonly Terminal[]): number {
  let reaped = 0;
  for (const t of terms) {
    const fd = t.masterFd;
    if (fstatSync(fd).nlink === 0) {
      closeSync(fd); // expect: no-raw-handle-close
      reaped++;
    }
  }
  return reaped;
}

/** A restored record's number is whatever the old process had: not owned by a Terminal here. */
export function forgetRecord(rec: SessionRecord, stillOpen: (fd: number) => boolean): void {
  if (stillOpen(rec.masterFd)) closeSync(rec.masterFd);
}

export class SessionTable {
  readonly #byId = new Map<string, Terminal>();

  add(id: string, term: Terminal): void {
    this.#byId.set(id, term);
  }

  close(id: string): void {
    const term = this.#byId.get(id);
    if (term === undefined) return;
    this.#byId.delete(id);
    term.kill('SIGHUP');
  }

  closeFast(id: string): void {
    const term = this.#byId.get(id);
    if (term === undefined) return;
    this.#byId.delete(id);
    closeSync(term.masterFd); // expect: no-raw-handle-close
  }
}
