// Web-terminal sessions over a pty addon. Each session polls the foreground process group to
// update the tab title; an interval stored by the session and not cleared on close keeps
// firing (and keeps the session and its Terminal reachable) after the pty is gone.
import { tcgetpgrp, Terminal, type TerminalOptions } from 'node-pty-native';

export class PtySession {
  readonly #term: Terminal;
  readonly #titlePoll: NodeJS.Timeout;
  #closed = false;

  constructor(shell: string, options: TerminalOptions, onTitle: (pgrp: number) => void) {
    this.#term = Terminal.spawn(shell, ['-l'], options);
    this.#titlePoll = setInterval(() => {
      if (this.#closed) return;
      onTitle(tcgetpgrp(this.#term.masterFd));
    }, 1000);
  }

  write(data: string): void {
    if (!this.#closed) this.#term.write(data);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#titlePoll);
    this.#term.kill('SIGHUP');
  }
}

export class LeakySession {
  readonly #term: Terminal;
  readonly #titlePoll: NodeJS.Timeout;
  #closed = false;

  constructor(shell: string, options: TerminalOptions, onTitle: (pgrp: number) => void) {
    this.#term = Terminal.spawn(shell, ['-l'], options);
    this.#titlePoll = setInterval(() => { // expect: require-unregister
      if (this.#closed) return;
      onTitle(tcgetpgrp(this.#term.masterFd));
    }, 1000);
  }

  pollInterval(): NodeJS.Timeout {
    return this.#titlePoll;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#term.kill('SIGHUP');
  }
}

/** Stops the keep-alive on pause(), but close() forgets it. */
export class IdleSession {
  readonly #term: Terminal;
  #keepAlive: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(term: Terminal) {
    this.#term = term;
  }

  resume(everyMs: number): void {
    if (this.#keepAlive !== undefined || this.#closed) return;
    this.#keepAlive = setInterval(() => { // expect: require-unregister
      if (!this.#closed) this.#term.write('\x00');
    }, everyMs);
  }

  pause(): void {
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#term.kill('SIGHUP');
  }
}

/** A one-shot idle timeout (setTimeout) is not an interval. */
export class TimedSession {
  readonly #term: Terminal;
  #idle: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(term: Terminal) {
    this.#term = term;
  }

  touch(idleMs: number): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.close(), idleMs);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#term.kill('SIGHUP');
  }
}

/** Disposable session: the close method is [Symbol.dispose], and it clears the interval. */
export class ScopedSession {
  readonly #term: Terminal;
  readonly #heartbeat: NodeJS.Timeout;
  #disposed = false;

  constructor(term: Terminal) {
    this.#term = term;
    this.#heartbeat = setInterval(() => {
      if (!this.#disposed) this.#term.resize(this.#term.cols, this.#term.rows);
    }, 30_000);
  }

  [Symbol.dispose](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    clearInterval(this.#heartbeat);
    this.#term.kill();
  }
}

/** A status-bar clock: it owns no native resource. */
export class SessionClock {
  readonly #tick: NodeJS.Timeout;
  #now = new Date();

  constructor() {
    this.#tick = setInterval(() => {
      this.#now = new Date();
    }, 1000);
  }

  now(): Date {
    return this.#now;
  }

  close(): void {
    this.#now = new Date(0);
  }

  tickTimer(): NodeJS.Timeout {
    return this.#tick;
  }
}
