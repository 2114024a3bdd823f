// A pooled connection to a line-based server, with a journal file of every request. close()
// can be called by the pool (idle timeout, shutdown) while a query() of another caller is
// suspended at an await: every use of the socket or the journal after an await must re-check.
// These are Node built-ins, which fail with a clean error after close (EBADF,
// ERR_STREAM_DESTROYED): `require-lifetime-guard` reports them with `configs.strict` (its option
// `allOwnedFields`), not with `configs.recommended`, which this project uses (see fd-journal.ts
// for the recommended-level hazard: a raw fd read after an await).
import { type FileHandle, open } from 'node:fs/promises';
import * as net from 'node:net';

export class PooledConnection {
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly replies: string[] = [];

  constructor(
    private readonly sock: net.Socket,
    private readonly journal: FileHandle,
  ) {
    // ✅ A listener on the socket itself: it cannot fire once the socket is destroyed.
    this.sock.on('data', chunk => {
      this.replies.push(String(chunk));
      this.sock.resume();
    });
    // ✅ A timer that close() clears.
    this.heartbeat = setInterval(() => this.sock.write('PING\r\n'), 5_000);
  }

  static async connect(port: number, journalPath: string): Promise<PooledConnection> {
    const journal = await open(journalPath, 'a');
    const sock = net.connect(port);
    return new PooledConnection(sock, journal);
  }

  private throwIfClosed(): void {
    if (this.closed) throw new Error('PooledConnection is closed');
  }

  // ❌ close() may run while the journal write is pending: the socket is then destroyed and the
  // write fails with ERR_STREAM_DESTROYED. (Autofix: `this.throwIfClosed();` after the await.)
  async query(sql: string): Promise<void> {
    await this.journal.write(`> ${sql}\n`);
    this.sock.write(`${sql}\r\n`);
  }

  // ✅ The same, re-checking after the await.
  async queryChecked(sql: string): Promise<void> {
    await this.journal.write(`> ${sql}\n`);
    this.throwIfClosed();
    this.sock.write(`${sql}\r\n`);
  }

  /** Input validation only: despite its name, it says nothing about whether the connection is open. */
  private assertQuery(sql: string): void {
    if (sql.length > 64 * 1024) throw new RangeError('query too long');
  }

  // ❌ assertQuery() reads no closed flag, so it is no guard: the socket may be destroyed by now.
  // (Autofix: `this.throwIfClosed();` after the await.)
  async queryValidated(sql: string): Promise<void> {
    await this.journal.write(`> ${sql}\n`);
    this.assertQuery(sql);
    this.sock.write(`${sql}\r\n`);
  }

  // ❌ A callback that runs later writes to the journal, which close() may have closed (EBADF).
  logLater(note: string): void {
    void Promise.resolve(note).then(text => this.journal.write(`# ${text}\n`));
  }

  // ✅ The callback checks the flag before touching the journal.
  logLaterChecked(note: string): void {
    void Promise.resolve(note).then(async text => {
      if (this.closed) return;
      await this.journal.write(`# ${text}\n`);
    });
  }

  // ❌ Each loop iteration resumes after the previous iteration's await.
  async replay(lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      await this.journal.write(`> ${line}\n`);
    }
  }

  // ✅ The loop head re-checks before every iteration.
  async replayChecked(lines: readonly string[]): Promise<void> {
    for (let index = 0; index < lines.length && !this.closed; index++) {
      await this.journal.write(`> ${lines[index] ?? ''}\n`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    this.sock.destroy();
    await this.journal.close();
  }
}
