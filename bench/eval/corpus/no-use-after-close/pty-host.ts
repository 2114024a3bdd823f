// A pty host for a web terminal. Terminal.kill() (tagged @close) signals the child and closes
// the master side: writes, resizes and master-fd ioctls afterwards fail. `exited` is the
// Terminal's guard; pid/cols/rows are plain properties.
import { setWindowSize, tcgetpgrp, Terminal, type TerminalOptions } from 'node-pty-native';

export function killAndLog(term: Terminal, log: (line: string) => void): void {
  term.kill('SIGTERM');
  log(`killed pty ${term.pid} (fd ${term.masterFd})`); // expect: no-use-after-close
}

export function logAndKill(term: Terminal, log: (line: string) => void): void {
  log(`killing pty ${term.pid} (fd ${term.masterFd})`);
  term.kill('SIGTERM');
  log(`killed pty ${term.pid}, ${term.cols}x${term.rows}`);
}

/** Sends the shell an exit after killing it. */
export function logout(term: Terminal): void {
  term.kill('SIGHUP');
  term.write('exit\r'); // expect: no-use-after-close
}

export function logoutGently(term: Terminal): void {
  term.write('exit\r');
  if (!term.exited) term.kill('SIGHUP');
}

export function resizeOrKill(term: Terminal, cols: number, rows: number): void {
  if (cols === 0 || rows === 0) {
    term.kill();
    return;
  }
  term.resize(cols, rows);
}

export function resizeAfterMaybeKill(term: Terminal, cols: number, rows: number): void {
  if (cols === 0 || rows === 0) term.kill();
  setWindowSize(term.masterFd, cols, rows); // expect: no-use-after-close
}

export async function runCommand(shell: string, options: TerminalOptions, cmd: string): Promise<number> {
  let term = Terminal.spawn(shell, ['-c', cmd], options);
  const code = await term.waitExit();
  term.kill();
  term = Terminal.spawn(shell, ['-l'], options);
  term.write('clear\r');
  return code;
}

export class TerminalTab {
  readonly #term: Terminal;
  #closed = false;

  constructor(term: Terminal) {
    this.#term = term;
  }

  foreground(): number {
    return this.#closed ? -1 : tcgetpgrp(this.#term.masterFd);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#term.kill('SIGHUP');
    if (this.#term.exited) return;
    this.#term.write('\x04'); // expect: no-use-after-close
  }
}
