// A small process supervisor: it keeps a locked pid file and one append-only log per service
// (FileHandles), restarts children, and reports descriptor usage. Child processes, pids and
// descriptor numbers handed over by the service manager are plain numbers it does not own.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fchmodSync, fstatSync, fsyncSync, ftruncateSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** A descriptor inherited from systemd (LISTEN_FDS); not opened by us. */
  readonly listenFd?: number;
}

type LogMode = 'sync' | 'deferred' | 'report';

export async function lockPidFile(path: string): Promise<FileHandle> {
  const fh = await open(path, 'wx');
  fchmodSync(fh.fd, 0o644);
  ftruncateSync(fh.fd, 0);
  writeSync(fh.fd, `${process.pid}\n`, 0);
  fsyncSync(fh.fd);
  return fh;
}

export function fdOf<H extends FileHandle>(h: H): number {
  return h.fd; // expect: no-unguarded-raw-handle
}

export function sizeOf<H extends FileHandle>(h: H): number {
  return fstatSync(h.fd).size;
}

export function flushLog(fh: FileHandle, mode: LogMode): number | Promise<number> {
  switch (mode) {
    case 'sync': {
      const fd = fh.fd;
      fsyncSync(fd);
      return fstatSync(fd).size;
    }
    case 'deferred': {
      const fd = fh.fd; // expect: no-unguarded-raw-handle
      return sleep(100).then(() => {
        fsyncSync(fd);
        return fstatSync(fd).size;
      });
    }
    case 'report':
      return fstatSync(fh.fd).blocks;
  }
}

/** Streams the child's output into the service log: the data listener runs later. */
export async function superviseOnce(spec: ServiceSpec, log: FileHandle): Promise<number | null> {
  const fd = log.fd; // expect: no-unguarded-raw-handle
  const child = spawn(spec.command, [...spec.args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => writeSync(fd, chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/** Same, but the listener reads the descriptor when it runs, and only the log is used later. */
export async function superviseOnceFresh(spec: ServiceSpec, log: FileHandle): Promise<number | null> {
  const child = spawn(spec.command, [...spec.args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => writeSync(log.fd, chunk));
  child.stderr?.on('data', (chunk: Buffer) => writeSync(log.fd, chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  fsyncSync(log.fd);
  return code;
}

export async function syncAllSlowly(logs: ReadonlyMap<string, FileHandle>, gapMs: number): Promise<void> {
  for (const [name, fh] of logs) {
    const fd = fh.fd;
    fsyncSync(fd);
    console.debug(`synced ${name} (fd ${fd})`);
    await sleep(gapMs);
  }
}

export async function syncAllLater(logs: ReadonlyMap<string, FileHandle>, gapMs: number): Promise<void> {
  const fds = [...logs.values()].map(fh => fh.fd); // expect: no-unguarded-raw-handle
  await sleep(gapMs);
  for (const fd of fds) fsyncSync(fd);
}

/** Inherited descriptors and pids are numbers we were given, not raw handles of an owner. */
export async function adoptListener(spec: ServiceSpec): Promise<number> {
  const fd = spec.listenFd ?? -1;
  await sleep(1);
  return fd;
}

export function childPids(children: Iterable<ChildProcess>): number[] {
  const out: number[] = [];
  for (const child of children) if (child.pid !== undefined) out.push(child.pid);
  return out;
}

export class ServiceLog {
  readonly #fh: FileHandle;
  #lastSyncedFd = -1;
  #closed = false;

  private constructor(
    fh: FileHandle,
    readonly service: string,
  ) {
    this.#fh = fh;
  }

  static async open(path: string, service: string): Promise<ServiceLog> {
    const fh = await open(path, 'a');
    fchmodSync(fh.fd, 0o640);
    return new ServiceLog(fh, service);
  }

  line(text: string): void {
    if (this.#closed) return;
    writeSync(this.#fh.fd, `${new Date().toISOString()} [${this.service}] ${text}\n`);
  }

  markSynced(): void {
    fsyncSync(this.#fh.fd);
    this.#lastSyncedFd = this.#fh.fd; // expect: no-unguarded-raw-handle
  }

  needsSync(): boolean {
    return this.#lastSyncedFd !== this.#fh.fd;
  }

  usage(): { size: number; blocks: number } {
    const { size, blocks } = fstatSync(this.#fh.fd);
    return { size, blocks };
  }

  async sizeAfterAppend(text: string): Promise<number> {
    if (this.#closed) throw new Error(`log ${this.service} is closed`);
    const fd = this.#fh.fd; // expect: no-unguarded-raw-handle
    await this.#fh.appendFile(text);
    return fstatSync(fd).size;
  }

  async appendAndMeasure(text: string): Promise<number> {
    if (this.#closed) throw new Error(`log ${this.service} is closed`);
    const before = fstatSync(this.#fh.fd).size;
    await this.#fh.appendFile(text);
    if (this.#closed) return before;
    return fstatSync(this.#fh.fd).size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    fsyncSync(this.#fh.fd);
    await this.#fh.close();
  }
}

export class Supervisor {
  readonly #logs = new Map<string, ServiceLog>();
  readonly #children = new Map<string, ChildProcess>();

  constructor(private readonly pidFile: FileHandle) {}

  describe(): string {
    return `supervisor pid file fd=${this.pidFile.fd}, ${this.#children.size} children`;
  }

  pidFileFd(): number {
    const fd = this.pidFile.fd; // expect: no-unguarded-raw-handle
    return fd;
  }

  async restart(spec: ServiceSpec): Promise<void> {
    const old = this.#children.get(spec.name);
    if (old !== undefined && old.exitCode === null) {
      old.kill('SIGTERM');
      await once(old, 'exit');
    }
    const log = this.#logs.get(spec.name) ?? (await ServiceLog.open(`/var/log/sv/${spec.name}.log`, spec.name));
    this.#logs.set(spec.name, log);
    const child = spawn(spec.command, [...spec.args], { stdio: 'ignore' });
    this.#children.set(spec.name, child);
    log.line(`started pid ${child.pid ?? '?'}`);
  }
}
