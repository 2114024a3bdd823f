// A web terminal backend on a pty addon. The pty master fd is used for job-control queries
// (tcgetpgrp) and window-size ioctls; the terminal may exit and close it at any time, so the
// number is only safe inside the statement that read it, or inside a hold()/unhold() borrow.
import { setTimeout as sleep } from 'node:timers/promises';
import { setWindowSize, tcgetpgrp, Terminal, type TerminalOptions } from 'node-pty-native';

/** What the session index persists across restarts: plain data, owns nothing. */
export interface SessionRecord {
  readonly id: string;
  readonly pid: number;
  readonly masterFd: number;
}

/** Replays a recorded session for the UI; has the same shape, but is no pty. */
export class ReplayTerminal {
  readonly masterFd = -1;
  readonly pid = 0;
  constructor(readonly frames: readonly string[]) {}
}

let focused: Terminal | undefined;
let lastRecordFd = -1;

export function spawnShell(shell: string, options: TerminalOptions): Terminal {
  const term = Terminal.spawn(shell, ['-l'], options);
  setWindowSize(term.masterFd, options.cols, options.rows);
  return term;
}

export function focus(term: Terminal): void {
  focused = term;
}

/** Foreground process group right now. */
export function foregroundGroup(term: Terminal): number {
  return tcgetpgrp(term.masterFd);
}

export function focusedFd(): number | undefined {
  return focused?.masterFd; // expect: no-unguarded-raw-handle
}

export function focusedGroup(): number {
  return focused === undefined || focused.exited ? -1 : tcgetpgrp(focused.masterFd);
}

/** True when a job took over the terminal within `ms` (e.g. the user started vim). */
export async function jobStarted(term: Terminal, ms: number): Promise<boolean> {
  const fd = term.masterFd; // expect: no-unguarded-raw-handle
  const before = tcgetpgrp(fd);
  await sleep(ms);
  return tcgetpgrp(fd) !== before;
}

export async function jobStartedHeld(term: Terminal, ms: number): Promise<boolean> {
  term.hold();
  try {
    const fd = term.masterFd;
    const before = tcgetpgrp(fd);
    await sleep(ms);
    return tcgetpgrp(fd) !== before;
  } finally {
    term.unhold();
  }
}

/** Re-reads the fd after the wait instead of keeping the number. */
export async function jobStartedFresh(term: Terminal, ms: number): Promise<boolean> {
  const before = tcgetpgrp(term.masterFd);
  await sleep(ms);
  return !term.exited && tcgetpgrp(term.masterFd) !== before;
}

export function resizeAll(terms: Iterable<Terminal>, cols: number, rows: number): void {
  for (const term of terms) {
    const fd = term.masterFd;
    setWindowSize(fd, cols, rows);
    term.resize(cols, rows);
  }
}

/** Debounced resize from the browser: the timer captures the number. */
export function resizeSoon(term: Terminal, cols: number, rows: number): NodeJS.Timeout {
  const fd = term.masterFd; // expect: no-unguarded-raw-handle
  return setTimeout(() => setWindowSize(fd, cols, rows), 50);
}

/** Same debounce, reading the fd inside the timer when it fires. */
export function resizeSoonFresh(term: Terminal, cols: number, rows: number): NodeJS.Timeout {
  return setTimeout(() => {
    if (!term.exited) setWindowSize(term.masterFd, cols, rows);
  }, 50);
}

export async function attach(term: Terminal, cols: number, rows: number): Promise<void> {
  const { masterFd: fd, pid } = term; // expect: no-unguarded-raw-handle
  term.write(`\x1b]0;pid ${pid}\x07`);
  await sleep(10);
  setWindowSize(fd, cols, rows);
}

/** Logs the fd synchronously, then waits: the number is not used after the await. */
export async function announce(term: Terminal, log: (line: string) => void): Promise<number> {
  const fd = term.masterFd;
  log(`pty fd=${fd} pgrp=${tcgetpgrp(fd)}`);
  const code = await term.waitExit();
  log(`pty exited with ${code}`);
  return code;
}

export function whenExited(term: Terminal): Promise<string> {
  const fd = term.masterFd; // expect: no-unguarded-raw-handle
  return term.waitExit().then(code => `pty fd ${fd} exited with ${code}`);
}

export function snapshotFds<T extends Terminal>(terms: readonly T[]): number[] {
  return terms.map(t => t.masterFd); // expect: no-unguarded-raw-handle
}

export function snapshotGroups<T extends Terminal>(terms: readonly T[]): number[] {
  return terms.map(t => tcgetpgrp(t.masterFd));
}

export function* foregroundSamples(term: Terminal): Generator<number> {
  while (!term.exited) yield tcgetpgrp(term.masterFd);
}

export function recordFd(rec: SessionRecord): number {
  return rec.masterFd;
}

export function noteRecord(rec: SessionRecord): void {
  lastRecordFd = rec.masterFd;
}

export function isFocusedRecord(rec: SessionRecord): boolean {
  return rec.masterFd === lastRecordFd;
}

/** Either a live pty or a replay: not known to be an owner. */
export function anyFd(t: Terminal | ReplayTerminal): number {
  return t.masterFd;
}

export async function replayFd(t: ReplayTerminal): Promise<number> {
  const fd = t.masterFd;
  await sleep(1);
  return fd;
}

export class SessionTable {
  private readonly byId = new Map<string, Terminal>();
  private readonly exitedFds: number[] = [];
  private lastTouched: SessionRecord | undefined;

  add(id: string, term: Terminal): void {
    this.byId.set(id, term);
    term.onExit(() => {
      this.byId.delete(id);
    });
  }

  /** Remembers the last session the user touched, for the reconnect banner. */
  remember(id: string): void {
    const term = this.byId.get(id);
    if (term === undefined) return;
    this.lastTouched = { id, pid: term.pid, masterFd: term.masterFd }; // expect: no-unguarded-raw-handle
  }

  lastTouchedRecord(): SessionRecord | undefined {
    return this.lastTouched;
  }

  groups(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, term] of this.byId) {
      const fd = term.masterFd;
      if (fd >= 0) out.set(id, tcgetpgrp(fd));
    }
    return out;
  }

  forgetExited(records: readonly SessionRecord[]): number {
    for (const rec of records) this.exitedFds.push(rec.masterFd);
    return this.exitedFds.length;
  }
}
