import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-lifetime-guard.js';
import { createRuleTester } from '../ruleTester.js';

const ruleTester = createRuleTester();

/**
 * The cases below were written before docs/rules/require-lifetime-guard.md (other uses) became opt-in for Node built-ins and inferred
 * owner classes: they run with the strictest option (`configs.strict`, `configs.all`). A case
 * valid there is valid with the default too; the default's own cases are in the second run.
 */
function strict(cases: ValidTestCase<Options>[]): ValidTestCase<Options>[];
function strict(cases: InvalidTestCase<MessageIds, Options>[]): InvalidTestCase<MessageIds, Options>[];
function strict<T extends ValidTestCase<Options>>(cases: T[]): T[] {
  return cases.map(testCase => ({ options: [{ allOwnedFields: true }], ...testCase }));
}

ruleTester.run('require-lifetime-guard', rule, {
  valid: strict([
    {
      name: 'a closed-flag check that returns, after the await and before the use',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async append(line: string): Promise<void> {
    await Promise.resolve();
    if (this.closed) return;
    await this.fh.write(line);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
    },
    {
      name: 'the use sits in the branch taken when open',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  closed = false;
  constructor(private readonly fh: FileHandle) {}
  async append(line: string): Promise<void> {
    await Promise.resolve();
    if (!this.closed) {
      await this.fh.write(line);
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
    },
    {
      name: 'a call to the throwing guard method after each await',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  #closed = false;
  constructor(private readonly fh: FileHandle) {}
  private throwIfClosed(): void {
    if (this.#closed) throw new Error('Log is closed');
  }
  async append(line: string): Promise<void> {
    await Promise.resolve();
    this.throwIfClosed();
    await this.fh.write(line);
    this.throwIfClosed();
    await this.fh.sync();
  }
  async close(): Promise<void> {
    this.#closed = true;
    await this.fh.close();
  }
}`,
    },
    {
      name: 'the resource is only used before the first await',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Reader {
  constructor(private readonly fh: FileHandle) {}
  async size(): Promise<number> {
    const stats = await this.fh.stat();
    return stats.size;
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}`,
    },
    {
      name: 'a second await this.fh.read() after a guard',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Reader {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async readTwo(buffer: Buffer): Promise<number> {
    const first = await this.fh.read(buffer, 0, 8, 0);
    if (this.closed) throw new Error('closed');
    const second = await this.fh.read(buffer, 8, 8, 8);
    return first.bytesRead + second.bytesRead;
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
    },
    {
      name: 'a guard in the loop head protects the start of every iteration',
      code: `
import type { FileHandle } from 'node:fs/promises';
declare function nextLine(): Promise<string>;
class Pump {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async run(): Promise<void> {
    let line = '';
    while (!this.closed) {
      await this.fh.write(line);
      line = await nextLine();
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
    },
    {
      name: 'a guard-role check of the resource itself (net.Socket destroyed)',
      code: `
import * as net from 'node:net';
declare function render(): Promise<string>;
class Client {
  constructor(private readonly sock: net.Socket) {}
  async send(): Promise<void> {
    const text = await render();
    if (this.sock.destroyed) return;
    this.sock.write(text);
  }
  close(): void {
    this.sock.destroy();
  }
}`,
    },
    {
      name: 'a listener registered on the very resource it uses',
      code: `
import * as net from 'node:net';
class Echo {
  constructor(private readonly sock: net.Socket) {
    this.sock.on('data', chunk => this.sock.write(chunk));
    sock.once('end', () => {
      this.sock.end();
    });
  }
  close(): void {
    this.sock.destroy();
  }
}`,
    },
    {
      name: 'a class with an owner field but no close-role method is not an owner class',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Borrower {
  constructor(private readonly fh: FileHandle) {}
  async append(line: string): Promise<void> {
    await Promise.resolve();
    await this.fh.write(line);
  }
}`,
    },
    {
      name: 'fields that are not owners: numbers, strings, maps of strings',
      code: `
class Counter {
  private count = 0;
  private label = 'x';
  private names = new Map<string, string>();
  async bump(): Promise<void> {
    await Promise.resolve();
    this.count++;
    this.names.set(this.label, String(this.count));
  }
  close(): void {
    this.names.clear();
  }
}`,
    },
    {
      name: 'owners inside a Map field are not resource fields (the Map is not an owner)',
      code: `
import * as net from 'node:net';
class Hub {
  private readonly conns = new Map<string, net.Socket>();
  async broadcast(text: string): Promise<void> {
    await Promise.resolve();
    for (const sock of this.conns.values()) sock.write(text);
  }
  close(): void {
    for (const sock of this.conns.values()) sock.destroy();
  }
}`,
    },
    {
      name: 'sync methods have no await',
      code: `
import * as net from 'node:net';
class Client {
  constructor(private readonly sock: net.Socket) {}
  send(text: string): void {
    this.sock.write(text);
    this.sock.write('\\n');
  }
  close(): void {
    this.sock.destroy();
  }
}`,
    },
    {
      name: 'a local variable holding an owner is out of scope',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Reader {
  constructor(private readonly fh: FileHandle) {}
  async readAll(): Promise<string> {
    const fh = this.fh;
    await Promise.resolve();
    return fh.readFile('utf8');
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}`,
    },
    {
      name: 'the close-role method itself is out of scope',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  constructor(private readonly fh: FileHandle) {}
  async close(): Promise<void> {
    await this.fh.sync();
    await this.fh.datasync();
    await this.fh.close();
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await this.fh.sync();
    await this.fh.close();
  }
}`,
    },
    {
      name: 'a borrow held across the await: ref() before, unref() in finally (native-addon-stub Device)',
      code: `
import { Device } from 'native-addon-stub';
class Sensor {
  constructor(private readonly dev: Device) {}
  async sample(): Promise<Uint8Array> {
    this.dev.ref();
    try {
      await Promise.resolve();
      return await this.dev.read(16);
    } finally {
      this.dev.unref();
    }
  }
  async close(): Promise<void> {
    await this.dev.close();
  }
}`,
    },
    {
      name: 'a using lease in scope holds the resource',
      code: `
import { Device } from 'native-addon-stub';
class Sensor {
  constructor(private readonly dev: Device) {}
  async sample(): Promise<Uint8Array> {
    using lease = this.dev.lease();
    await Promise.resolve();
    return this.dev.read(16);
  }
  async close(): Promise<void> {
    await this.dev.close();
  }
}`,
    },
    {
      name: 'a field typed any is not an owner',
      code: `
class Loose {
  constructor(private readonly fh: any) {}
  async append(line: string): Promise<void> {
    await Promise.resolve();
    await this.fh.write(line);
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}`,
    },
    {
      name: 'a union mixing an owner and a non-owner is unknown',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Either {
  constructor(private readonly target: FileHandle | { write(text: string): Promise<void>; close(): Promise<void> }) {}
  async append(line: string): Promise<void> {
    await Promise.resolve();
    await this.target.write(line);
  }
  async close(): Promise<void> {
    await this.target.close();
  }
}`,
    },
    {
      name: 'assigning the field a fresh resource after the await guards it',
      code: `
import { open, type FileHandle } from 'node:fs/promises';
class Rotating {
  private fh: FileHandle | undefined;
  async rotate(path: string): Promise<void> {
    this.fh = await open(path, 'a');
    await this.fh.write('opened\\n');
  }
  async close(): Promise<void> {
    await this.fh?.close();
  }
}`,
    },
    {
      name: 'a nullish check of a field the class resets to undefined',
      code: `
import * as net from 'node:net';
declare function render(): Promise<string>;
class Client {
  private sock: net.Socket | undefined;
  constructor(sock: net.Socket) {
    this.sock = sock;
  }
  async send(): Promise<void> {
    const text = await render();
    this.sock?.write(text);
    await render();
    if (!this.sock) return;
    this.sock.write(text);
  }
  close(): void {
    this.sock?.destroy();
    this.sock = undefined;
  }
}`,
    },
    {
      name: 'a state field that close() writes, and a getter that reads the flag',
      code: `
import * as fs from 'node:fs';
declare function render(): Promise<string>;
class Sink {
  private state: 'open' | 'closing' | 'closed' = 'open';
  private disposed = false;
  constructor(private readonly out: fs.WriteStream) {}
  get isOpen(): boolean {
    return !this.disposed;
  }
  async put(): Promise<void> {
    const text = await render();
    if (this.state !== 'open') return;
    this.out.write(text);
    await render();
    if (!this.isOpen) return;
    this.out.write(text);
  }
  close(): void {
    this.state = 'closed';
    this.disposed = true;
    this.out.destroy();
  }
}`,
    },
    {
      name: 'assert(!this.closed), a ternary and || as guards',
      code: `
import assert from 'node:assert';
import type { FileHandle } from 'node:fs/promises';
class Store {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async a(): Promise<void> {
    await Promise.resolve();
    assert(!this.closed);
    await this.fh.sync();
  }
  async b(): Promise<string | undefined> {
    await Promise.resolve();
    return this.closed ? undefined : this.fh.readFile('utf8');
  }
  async c(): Promise<void> {
    await Promise.resolve();
    this.closed || (await this.fh.sync());
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
    },
    {
      name: 'a timer callback that checks the flag first (worker_threads.Worker)',
      code: `
import { Worker } from 'node:worker_threads';
class Pool {
  private closed = false;
  private readonly worker = new Worker('./task.js');
  constructor() {
    setInterval(() => {
      if (this.closed) return;
      this.worker.postMessage('tick');
    }, 1000).unref();
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}`,
    },
    {
      name: 'a timer stored on this and cleared by the close method cannot fire after close',
      code: `
import * as net from 'node:net';
class Heartbeat {
  private readonly timer: NodeJS.Timeout;
  private idle: NodeJS.Timeout | undefined;
  constructor(private readonly sock: net.Socket) {
    this.timer = setInterval(() => this.sock.write('ping'), 1000);
  }
  touch(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.sock.end(), 30_000);
  }
  close(): void {
    clearInterval(this.timer);
    clearTimeout(this.idle);
    this.sock.destroy();
  }
}`,
    },
    {
      name: 'callbacks that only touch non-resource fields, and a sync array callback',
      code: `
import * as net from 'node:net';
class Client {
  private sent = 0;
  constructor(private readonly sock: net.Socket) {
    setTimeout(() => {
      this.sent = 0;
    }, 10);
  }
  sendAll(lines: string[]): void {
    lines.forEach(line => this.sock.write(line));
  }
  close(): void {
    this.sock.destroy();
  }
}`,
    },
    {
      name: 'static async methods have no instance resources',
      code: `
import { open, type FileHandle } from 'node:fs/promises';
class Log {
  private constructor(private readonly fh: FileHandle) {}
  static async create(path: string): Promise<Log> {
    const fh = await open(path, 'a');
    await fh.write('start\\n');
    return new Log(fh);
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}`,
    },
    {
      name: 'a method that sets the closed flag itself acts as a close method',
      code: `
import * as net from 'node:net';
class Client {
  private closed = false;
  constructor(private readonly sock: net.Socket) {}
  async shutdown(): Promise<void> {
    this.closed = true;
    await new Promise<void>(resolve => this.sock.end(resolve));
    this.sock.destroy();
    this.sock.unref();
  }
  destroy(): void {
    this.closed = true;
    this.sock.destroy();
  }
}`,
    },
    {
      name: 'async iteration of the resource itself (fs.ReadStream)',
      code: `
import * as fs from 'node:fs';
class Tail {
  lines = 0;
  constructor(private readonly input: fs.ReadStream) {}
  async count(): Promise<number> {
    for await (const chunk of this.input) {
      this.input.pause();
      this.lines += String(chunk).split('\\n').length;
      this.input.resume();
    }
    return this.lines;
  }
  close(): void {
    this.input.destroy();
  }
}`,
    },
    {
      name: 'a generic field constrained to an owner, guarded',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Writer<T extends FileHandle> {
  private closed = false;
  constructor(private readonly fh: T) {}
  async put(text: string): Promise<void> {
    await Promise.resolve();
    if (this.closed) return;
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
    },
    {
      name: 'close and cancel calls on the resource after an await are not uses',
      code: `
import * as net from 'node:net';
class Client {
  constructor(private readonly sock: net.Socket) {}
  async abortAfter(ms: number): Promise<void> {
    await new Promise(resolve => setTimeout(resolve, ms));
    this.sock.destroy();
  }
  close(): void {
    this.sock.destroy();
  }
}`,
    },
    {
      name: 'a function named setTimeout that is not the timer does not defer',
      code: `
import * as net from 'node:net';
function setTimeout(callback: () => void): void {
  callback();
}
class Client {
  constructor(private readonly sock: net.Socket) {
    setTimeout(() => this.sock.setNoDelay(true));
  }
  close(): void {
    this.sock.destroy();
  }
}`,
    },
    {
      name: 'a type alias of an owner, guarded by a getter that reads the flag',
      code: `
import type { FileHandle } from 'node:fs/promises';
type Journal = FileHandle;
class Store {
  #disposed = false;
  constructor(private readonly journal: Journal) {}
  get isDisposed(): boolean {
    return this.#disposed;
  }
  async put(key: string): Promise<void> {
    await Promise.resolve();
    if (this.isDisposed) return;
    await this.journal.write(key);
  }
  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.journal.close();
  }
}`,
    },
    {
      name: 'a guard on a resource field held in a private #field',
      code: `
import * as net from 'node:net';
declare function render(): Promise<string>;
class Client {
  #closed = false;
  readonly #sock: net.Socket;
  constructor(sock: net.Socket) {
    this.#sock = sock;
  }
  async send(): Promise<void> {
    const text = await render();
    if (this.#closed || this.#sock.destroyed) return;
    this.#sock.write(text);
  }
  close(): void {
    this.#closed = true;
    this.#sock.destroy();
  }
}`,
    },
    {
      name: 'assertOpen reading this.closed, and ensureOpen reading #closed through a getter, are guards',
      code: `
import type { FileHandle } from 'node:fs/promises';
import * as net from 'node:net';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private assertOpen(): void {
    if (this.closed) throw new Error('Log is closed');
  }
  async append(line: Promise<string>): Promise<void> {
    const text = await line;
    this.assertOpen();
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}
class Client {
  #closed = false;
  constructor(private readonly sock: net.Socket) {}
  get closed(): boolean {
    return this.#closed;
  }
  private ensureOpen(): void {
    if (this.closed) throw new Error('Client is closed');
  }
  async send(frame: Promise<Buffer>): Promise<void> {
    const data = await frame;
    this.ensureOpen();
    this.sock.write(data);
  }
  close(): void {
    this.#closed = true;
    this.sock.destroy();
  }
}`,
    },
    {
      name: "conventionally named guards reading liveness indirectly: a getter, the resource's guard, a cleared field, another guard",
      code: `
import * as net from 'node:net';
class Relay {
  #state: 'open' | 'closed' = 'open';
  private peer: net.Socket | undefined;
  constructor(
    private readonly out: net.Socket,
    peer: net.Socket,
  ) {
    this.peer = peer;
  }
  get isOpen(): boolean {
    return this.#state === 'open';
  }
  private ensureOpen(): void {
    if (!this.isOpen) throw new Error('Relay is closed');
  }
  private assertWritable(): void {
    if (this.out.destroyed) throw new Error('output gone');
  }
  private ensurePeer(): net.Socket {
    if (this.peer === undefined) throw new Error('Relay is closed');
    return this.peer;
  }
  private ensureReady = (): void => {
    this.ensureOpen();
    this.assertWritable();
  };
  async a(text: Promise<string>): Promise<void> {
    const line = await text;
    this.ensureOpen();
    this.out.write(line);
  }
  async b(text: Promise<string>): Promise<void> {
    const line = await text;
    this.assertWritable();
    this.out.write(line);
  }
  async c(text: Promise<string>): Promise<void> {
    const line = await text;
    this.ensurePeer();
    this.out.write(line);
    this.peer?.write(line);
  }
  async d(text: Promise<string>): Promise<void> {
    const line = await text;
    this.ensureReady();
    this.out.write(line);
  }
  close(): void {
    this.#state = 'closed';
    this.out.destroy();
    this.peer?.destroy();
    this.peer = undefined;
  }
}`,
    },
    {
      name: 'a conventionally named guard the class inherits from a declaration (native-addon-stub Device): its body is unknown',
      code: `
import { Device } from 'native-addon-stub';
import type { FileHandle } from 'node:fs/promises';
declare module 'native-addon-stub' {
  interface Device {
    ensureReady(): void;
  }
}
class LoggingDevice extends Device {
  constructor(
    path: string,
    private readonly log: FileHandle,
  ) {
    super(path);
  }
  async sample(): Promise<Uint8Array> {
    const data = await this.read(16);
    this.ensureReady();
    await this.log.write(data);
    return data;
  }
}`,
    },
    {
      name: 'a method tagged @lifetimeGuard is a guard whatever its body reads',
      code: `
import type { FileHandle } from 'node:fs/promises';
declare const health: { check(): void };
class Log {
  constructor(private readonly fh: FileHandle) {}
  /** @lifetimeGuard */
  private assertUsable(): void {
    health.check();
  }
  async append(line: Promise<string>): Promise<void> {
    const text = await line;
    this.assertUsable();
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}`,
    },
    {
      // Borrowed (docs/resource-model.md#ownership): log comes in as a parameter and the close path (Device's own
      // close) never releases it, so the class does not own it. Was an invalid case before ownership.
      name: 'a class extending a tagged owner, with a FileHandle field it is handed and never closes',
      code: `
import { Device } from 'native-addon-stub';
import type { FileHandle } from 'node:fs/promises';
class LoggingDevice extends Device {
  constructor(
    path: string,
    private readonly log: FileHandle,
  ) {
    super(path);
  }
  async sample(): Promise<Uint8Array> {
    const data = await this.read(16);
    await this.log.write(data);
    return data;
  }
}`,
    },
  ]),
  invalid: strict([
    {
      name: "FileHandle used after an await: autofix inserts the class's throwing guard",
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private throwIfClosed(): void {
    if (this.closed) throw new Error('Log is closed');
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private throwIfClosed(): void {
    if (this.closed) throw new Error('Log is closed');
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    this.throwIfClosed();
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 11,
          column: 11,
          data: { field: 'fh', owner: 'FileHandle', className: 'Log' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'each await starts a new finding; the autofix for each keeps a trailing comment on its line',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  #closed = false;
  constructor(private readonly fh: FileHandle) {}
  #assertOpen(): void {
    if (this.#closed) throw new Error('closed');
  }
  async append(line: string): Promise<void> {
    await Promise.resolve(); // let callers batch
    await this.fh.write(line);
    await this.fh.write('\\n');
  }
  async close(): Promise<void> {
    this.#closed = true;
    await this.fh.close();
  }
}`,
      output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  #closed = false;
  constructor(private readonly fh: FileHandle) {}
  #assertOpen(): void {
    if (this.#closed) throw new Error('closed');
  }
  async append(line: string): Promise<void> {
    await Promise.resolve(); // let callers batch
    this.#assertOpen();
    await this.fh.write(line);
    this.#assertOpen();
    await this.fh.write('\\n');
  }
  async close(): Promise<void> {
    this.#closed = true;
    await this.fh.close();
  }
}`,
      errors: [
        { messageId: 'unguardedAfterAwait', line: 11, column: 11, suggestions: [] },
        { messageId: 'unguardedAfterAwait', line: 12, column: 11, suggestions: [] },
      ],
    },
    {
      name: 'a class with a closed flag but no throwing guard method: suggestion inserting a flag check',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async append(line: string): Promise<void> {
    await Promise.resolve();
    await this.fh.write(line);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 8,
          column: 11,
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              data: { className: 'Log', flag: 'closed' },
              output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async append(line: string): Promise<void> {
    await Promise.resolve();
    if (this.closed) throw new Error('Log is closed');
    await this.fh.write(line);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'no flag and no guard method: no fix at all',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  constructor(private readonly fh: FileHandle) {}
  async append(line: string): Promise<void> {
    await Promise.resolve();
    await this.fh.write(line);
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}`,
      output: null,
      errors: [{ messageId: 'unguardedAfterAwait', line: 7, column: 11, suggestions: [] }],
    },
    {
      name: 'a guard before the await does not protect the use after it',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private throwIfClosed(): void {
    if (this.closed) throw new Error('Log is closed');
  }
  async append(line: string): Promise<void> {
    this.throwIfClosed();
    await Promise.resolve();
    if (line.length > 0) await this.fh.write(line);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private throwIfClosed(): void {
    if (this.closed) throw new Error('Log is closed');
  }
  async append(line: string): Promise<void> {
    this.throwIfClosed();
    await Promise.resolve();
    this.throwIfClosed();
    if (line.length > 0) await this.fh.write(line);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      errors: [{ messageId: 'unguardedAfterAwait', line: 12, column: 32, suggestions: [] }],
    },
    {
      name: 'the use sits in the branch taken when closed',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async flush(): Promise<void> {
    await Promise.resolve();
    if (this.closed) {
      await this.fh.sync();
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 9,
          column: 13,
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async flush(): Promise<void> {
    await Promise.resolve();
    if (this.closed) {
      if (this.closed) throw new Error('Log is closed');
      await this.fh.sync();
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'two resource fields after one await: one finding per field',
      code: `
import type { FileHandle } from 'node:fs/promises';
import * as net from 'node:net';
class Mirror {
  private closed = false;
  constructor(
    private readonly fh: FileHandle,
    private readonly sock: net.Socket,
  ) {}
  async copy(): Promise<void> {
    const { buffer } = await this.fh.read();
    this.sock.write(buffer);
    await this.fh.write(buffer);
  }
  async close(): Promise<void> {
    this.closed = true;
    this.sock.destroy();
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 12,
          column: 5,
          data: { field: 'sock', owner: 'net.Socket', className: 'Mirror' },
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: `
import type { FileHandle } from 'node:fs/promises';
import * as net from 'node:net';
class Mirror {
  private closed = false;
  constructor(
    private readonly fh: FileHandle,
    private readonly sock: net.Socket,
  ) {}
  async copy(): Promise<void> {
    const { buffer } = await this.fh.read();
    if (this.closed) throw new Error('Mirror is closed');
    this.sock.write(buffer);
    await this.fh.write(buffer);
  }
  async close(): Promise<void> {
    this.closed = true;
    this.sock.destroy();
    await this.fh.close();
  }
}`,
            },
          ],
        },
        {
          messageId: 'unguardedAfterAwait',
          line: 13,
          column: 11,
          data: { field: 'fh', owner: 'FileHandle', className: 'Mirror' },
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: `
import type { FileHandle } from 'node:fs/promises';
import * as net from 'node:net';
class Mirror {
  private closed = false;
  constructor(
    private readonly fh: FileHandle,
    private readonly sock: net.Socket,
  ) {}
  async copy(): Promise<void> {
    const { buffer } = await this.fh.read();
    this.sock.write(buffer);
    if (this.closed) throw new Error('Mirror is closed');
    await this.fh.write(buffer);
  }
  async close(): Promise<void> {
    this.closed = true;
    this.sock.destroy();
    await this.fh.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'a timer callback created in the constructor and never cleared (expression body): suggestion wraps it',
      code: `
import * as net from 'node:net';
class Heartbeat {
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly sock: net.Socket) {
    this.timer = setInterval(() => this.sock.write('ping'), 1000);
  }
  close(): void {
    this.closed = true;
    this.sock.destroy();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedInCallback',
          line: 7,
          column: 36,
          data: { field: 'sock', owner: 'net.Socket', className: 'Heartbeat' },
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: `
import * as net from 'node:net';
class Heartbeat {
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly sock: net.Socket) {
    this.timer = setInterval(() => { if (this.closed) throw new Error('Heartbeat is closed'); return this.sock.write('ping'); }, 1000);
  }
  close(): void {
    this.closed = true;
    this.sock.destroy();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'a listener on another emitter that uses the resource (block body) gets the check inserted',
      code: `
import type { FileHandle } from 'node:fs/promises';
import * as net from 'node:net';
class Recorder {
  private closed = false;
  constructor(
    private readonly sock: net.Socket,
    private readonly fh: FileHandle,
  ) {
    sock.on('data', chunk => {
      void this.fh.write(chunk);
    });
  }
  async close(): Promise<void> {
    this.closed = true;
    this.sock.destroy();
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedInCallback',
          line: 11,
          column: 12,
          data: { field: 'fh', owner: 'FileHandle', className: 'Recorder' },
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: `
import type { FileHandle } from 'node:fs/promises';
import * as net from 'node:net';
class Recorder {
  private closed = false;
  constructor(
    private readonly sock: net.Socket,
    private readonly fh: FileHandle,
  ) {
    sock.on('data', chunk => {
      if (this.closed) throw new Error('Recorder is closed');
      void this.fh.write(chunk);
    });
  }
  async close(): Promise<void> {
    this.closed = true;
    this.sock.destroy();
    await this.fh.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'a listener on another socket that shadows the parameter property is not on the resource',
      code: `
import * as net from 'node:net';
class Relay {
  private closed = false;
  constructor(private readonly sock: net.Socket, peers: net.Socket[]) {
    for (const sock of peers) {
      sock.on('data', chunk => {
        this.sock.write(chunk);
      });
    }
  }
  close(): void {
    this.closed = true;
    this.sock.destroy();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedInCallback',
          line: 8,
          column: 9,
          data: { field: 'sock', owner: 'net.Socket', className: 'Relay' },
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: `
import * as net from 'node:net';
class Relay {
  private closed = false;
  constructor(private readonly sock: net.Socket, peers: net.Socket[]) {
    for (const sock of peers) {
      sock.on('data', chunk => {
        if (this.closed) throw new Error('Relay is closed');
        this.sock.write(chunk);
      });
    }
  }
  close(): void {
    this.closed = true;
    this.sock.destroy();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'a .then callback and a process.nextTick callback run later',
      code: `
import type { FileHandle } from 'node:fs/promises';
declare function load(): Promise<string>;
class Cache {
  constructor(private readonly fh: FileHandle) {}
  refresh(): void {
    void load().then(text => this.fh.writeFile(text));
    process.nextTick(() => {
      void this.fh.sync();
    });
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        { messageId: 'unguardedInCallback', line: 7, column: 30, suggestions: [] },
        { messageId: 'unguardedInCallback', line: 9, column: 12, suggestions: [] },
      ],
    },
    {
      name: 'a callback registered on the resource that awaits inside: the use after its own await counts',
      code: `
import * as net from 'node:net';
declare function answer(question: Buffer): Promise<string>;
class Responder {
  constructor(private readonly sock: net.Socket) {
    this.sock.on('data', async question => {
      const text = await answer(question);
      this.sock.write(text);
    });
  }
  close(): void {
    this.sock.destroy();
  }
}`,
      output: null,
      errors: [{ messageId: 'unguardedAfterAwait', line: 8, column: 7, suggestions: [] }],
    },
    {
      name: 'a private #field (fs.ReadStream) used after an await',
      code: `
import * as fs from 'node:fs';
class Tail {
  #closed = false;
  readonly #input: fs.ReadStream;
  constructor(path: string) {
    this.#input = fs.createReadStream(path);
  }
  async pauseFor(ms: number): Promise<void> {
    this.#input.pause();
    await new Promise(resolve => setTimeout(resolve, ms));
    this.#input.resume();
  }
  close(): void {
    this.#closed = true;
    this.#input.destroy();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 12,
          column: 5,
          data: { field: '#input', owner: 'fs.ReadStream', className: 'Tail' },
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              data: { className: 'Tail', flag: '#closed' },
              output: `
import * as fs from 'node:fs';
class Tail {
  #closed = false;
  readonly #input: fs.ReadStream;
  constructor(path: string) {
    this.#input = fs.createReadStream(path);
  }
  async pauseFor(ms: number): Promise<void> {
    this.#input.pause();
    await new Promise(resolve => setTimeout(resolve, ms));
    if (this.#closed) throw new Error('Tail is closed');
    this.#input.resume();
  }
  close(): void {
    this.#closed = true;
    this.#input.destroy();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'a worker_threads.Worker posted to after an await in an async arrow property',
      code: `
import { Worker } from 'node:worker_threads';
declare function prepare(job: string): Promise<string>;
class Pool {
  private readonly worker = new Worker('./task.js');
  submit = async (job: string): Promise<void> => {
    const payload = await prepare(job);
    this.worker.postMessage(payload);
  };
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 8,
          column: 5,
          data: { field: 'worker', owner: 'worker_threads.Worker', className: 'Pool' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'a tagged owner from native-addon-stub (Device), with its lifetime guard as the flag',
      code: `
import { Device } from 'native-addon-stub';
declare function delay(ms: number): Promise<void>;
class Sensor {
  private disposed = false;
  constructor(private readonly dev: Device) {}
  async poll(): Promise<Uint8Array> {
    await delay(10);
    return this.dev.read(16);
  }
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.dev.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 9,
          column: 12,
          data: { field: 'dev', owner: 'Device', className: 'Sensor' },
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: `
import { Device } from 'native-addon-stub';
declare function delay(ms: number): Promise<void>;
class Sensor {
  private disposed = false;
  constructor(private readonly dev: Device) {}
  async poll(): Promise<Uint8Array> {
    await delay(10);
    if (this.disposed) throw new Error('Sensor is closed');
    return this.dev.read(16);
  }
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.dev.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'an owner declared inline with declare module, its own guard protecting only that field',
      code: `
import type { Pty } from 'native-addon-stub';
import * as net from 'node:net';
declare module 'native-addon-stub' {
  /** @nativeResource */
  export interface Pty {
    /** @lifetimeGuard */
    readonly exited: boolean;
    write(data: string): void;
    /** @close */ kill(): void;
  }
}
class Session {
  constructor(
    private readonly pty: Pty,
    private readonly sock: net.Socket,
  ) {}
  async relay(input: Promise<string>): Promise<void> {
    const text = await input;
    if (this.pty.exited) return;
    this.pty.write(text);
    this.sock.write(text);
    await input;
    this.pty.write(text);
  }
  close(): void {
    this.pty.kill();
    this.sock.destroy();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 22,
          column: 5,
          data: { field: 'sock', owner: 'net.Socket', className: 'Session' },
          suggestions: [],
        },
        {
          messageId: 'unguardedAfterAwait',
          line: 24,
          column: 5,
          data: { field: 'pty', owner: 'Pty', className: 'Session' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'an await in a loop head: suggestion inserts the check in the body',
      code: `
import type { FileHandle } from 'node:fs/promises';
declare function more(): Promise<boolean>;
class Copier {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private throwIfClosed(): void {
    if (this.closed) throw new Error('closed');
  }
  async run(): Promise<void> {
    while (await more()) {
      await this.fh.write('x');
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 12,
          column: 13,
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: `
import type { FileHandle } from 'node:fs/promises';
declare function more(): Promise<boolean>;
class Copier {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private throwIfClosed(): void {
    if (this.closed) throw new Error('closed');
  }
  async run(): Promise<void> {
    while (await more()) {
      if (this.closed) throw new Error('Copier is closed');
      await this.fh.write('x');
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'for await over another source: each iteration resumes after an await',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Sink {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async drain(source: AsyncIterable<string>): Promise<void> {
    for await (const line of source) {
      await this.fh.write(line);
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 8,
          column: 13,
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: `
import type { FileHandle } from 'node:fs/promises';
class Sink {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async drain(source: AsyncIterable<string>): Promise<void> {
    for await (const line of source) {
      if (this.closed) throw new Error('Sink is closed');
      await this.fh.write(line);
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'the await of the previous iteration reaches the use: the check goes before the statement',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Journal {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async replay(lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      await this.fh.write(line);
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 8,
          column: 13,
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: `
import type { FileHandle } from 'node:fs/promises';
class Journal {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async replay(lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      if (this.closed) throw new Error('Journal is closed');
      await this.fh.write(line);
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'a yield in an async generator suspends like an await; a loop carries it to the next iteration',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Lines {
  constructor(private readonly fh: FileHandle) {}
  async *chunks(): AsyncGenerator<Buffer> {
    for (;;) {
      const { buffer, bytesRead } = await this.fh.read();
      if (bytesRead === 0) return;
      yield buffer;
    }
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}`,
      output: null,
      errors: [{ messageId: 'unguardedAfterAwait', line: 7, column: 43, suggestions: [] }],
    },
    {
      name: 'an await in a try block, the use in finally',
      code: `
import type { FileHandle } from 'node:fs/promises';
declare function work(): Promise<void>;
class Job {
  constructor(private readonly fh: FileHandle) {}
  async run(): Promise<void> {
    try {
      await work();
    } finally {
      await this.fh.sync();
    }
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}`,
      output: null,
      errors: [{ messageId: 'unguardedAfterAwait', line: 10, column: 13, suggestions: [] }],
    },
    {
      name: 'a sync array callback after the await uses the resource when it is created',
      code: `
import * as net from 'node:net';
class Broadcaster {
  private closed = false;
  constructor(private readonly sock: net.Socket) {}
  private assertOpen(): void {
    if (this.closed) throw new Error('closed');
  }
  async send(lines: Promise<string[]>): Promise<void> {
    const all = await lines;
    all.forEach(line => this.sock.write(line));
  }
  close(): void {
    this.closed = true;
    this.sock.destroy();
  }
}`,
      output: `
import * as net from 'node:net';
class Broadcaster {
  private closed = false;
  constructor(private readonly sock: net.Socket) {}
  private assertOpen(): void {
    if (this.closed) throw new Error('closed');
  }
  async send(lines: Promise<string[]>): Promise<void> {
    const all = await lines;
    this.assertOpen();
    all.forEach(line => this.sock.write(line));
  }
  close(): void {
    this.closed = true;
    this.sock.destroy();
  }
}`,
      errors: [{ messageId: 'unguardedAfterAwait', line: 11, column: 25, suggestions: [] }],
    },
    {
      name: 'a generic field constrained to an owner, a union with undefined, and a cast',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Writer<T extends FileHandle> {
  private spare: FileHandle | undefined;
  constructor(private readonly fh: T) {}
  async put(text: string): Promise<void> {
    await Promise.resolve();
    await this.fh.write(text);
    await (this.spare as FileHandle).write(text);
  }
  async close(): Promise<void> {
    await this.fh.close();
    await this.spare?.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 8,
          column: 11,
          data: { field: 'fh', owner: 'FileHandle', className: 'Writer' },
          suggestions: [],
        },
        {
          messageId: 'unguardedAfterAwait',
          line: 9,
          column: 11,
          data: { field: 'spare', owner: 'FileHandle', className: 'Writer' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'a type alias of an owner; a getter guard checked on one branch only',
      code: `
import type { FileHandle } from 'node:fs/promises';
type Journal = FileHandle;
class Store {
  #disposed = false;
  constructor(private readonly journal: Journal) {}
  get isDisposed(): boolean {
    return this.#disposed;
  }
  async put(key: string, strict: boolean): Promise<void> {
    await Promise.resolve();
    if (strict) {
      if (this.isDisposed) return;
    }
    await this.journal.write(key);
  }
  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.journal.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 15,
          column: 11,
          data: { field: 'journal', owner: 'FileHandle', className: 'Store' },
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              data: { className: 'Store', flag: '#disposed' },
              output: `
import type { FileHandle } from 'node:fs/promises';
type Journal = FileHandle;
class Store {
  #disposed = false;
  constructor(private readonly journal: Journal) {}
  get isDisposed(): boolean {
    return this.#disposed;
  }
  async put(key: string, strict: boolean): Promise<void> {
    await Promise.resolve();
    if (strict) {
      if (this.isDisposed) return;
    }
    if (this.#disposed) throw new Error('Store is closed');
    await this.journal.write(key);
  }
  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.journal.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'an async function started in the constructor resumes after its await',
      code: `
import * as net from 'node:net';
declare function handshake(): Promise<string>;
class Session {
  constructor(private readonly sock: net.Socket) {
    void (async () => {
      const greeting = await handshake();
      this.sock.write(greeting);
    })();
  }
  close(): void {
    this.sock.destroy();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 8,
          column: 7,
          data: { field: 'sock', owner: 'net.Socket', className: 'Session' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'a raw handle read after an await is a use of the field',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Handle {
  constructor(private readonly fh: FileHandle) {}
  async describe(): Promise<string> {
    await Promise.resolve();
    return String(this.fh.fd);
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}`,
      output: null,
      errors: [{ messageId: 'unguardedAfterAwait', line: 7, column: 19, suggestions: [] }],
    },
    {
      name: 'the await inside the argument of the call that uses the resource',
      code: `
import type { FileHandle } from 'node:fs/promises';
declare function encode(text: string): Promise<string>;
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  async append(text: string): Promise<void> {
    await this.fh.write(await encode(text));
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: null,
      errors: [{ messageId: 'unguardedAfterAwait', line: 8, column: 11, suggestions: [] }],
    },
    {
      name: 'an assert-named method that validates its argument is not a guard: the autofix inserts the real one',
      code: `
import * as net from 'node:net';
class Client {
  #closed = false;
  constructor(private readonly sock: net.Socket) {}
  private assertOpen(): void {
    if (this.#closed) throw new Error('Client is closed');
  }
  private assertFrame(frame: Buffer): void {
    if (frame.length > 1 << 20) throw new RangeError('frame too large');
  }
  async notify(body: Promise<Buffer>): Promise<void> {
    const frame = await body;
    this.assertFrame(frame);
    this.sock.write(frame);
  }
  async notifyChecked(body: Promise<Buffer>): Promise<void> {
    const frame = await body;
    this.assertFrame(frame);
    this.assertOpen();
    this.sock.write(frame);
  }
  close(): void {
    this.#closed = true;
    this.sock.destroy();
  }
}`,
      output: `
import * as net from 'node:net';
class Client {
  #closed = false;
  constructor(private readonly sock: net.Socket) {}
  private assertOpen(): void {
    if (this.#closed) throw new Error('Client is closed');
  }
  private assertFrame(frame: Buffer): void {
    if (frame.length > 1 << 20) throw new RangeError('frame too large');
  }
  async notify(body: Promise<Buffer>): Promise<void> {
    const frame = await body;
    this.assertOpen();
    this.assertFrame(frame);
    this.sock.write(frame);
  }
  async notifyChecked(body: Promise<Buffer>): Promise<void> {
    const frame = await body;
    this.assertFrame(frame);
    this.assertOpen();
    this.sock.write(frame);
  }
  close(): void {
    this.#closed = true;
    this.sock.destroy();
  }
}`,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 15,
          column: 5,
          data: { field: 'sock', owner: 'net.Socket', className: 'Client' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'an ensure-named method that reads an unrelated field is not a guard: suggestion checks the flag',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Spool {
  private closed = false;
  private pending = 0;
  private readonly limit = 64;
  constructor(private readonly fh: FileHandle) {}
  private ensureCapacity(): void {
    if (this.pending >= this.limit) throw new Error('spool full');
  }
  async put(text: Promise<string>): Promise<void> {
    const line = await text;
    this.ensureCapacity();
    await this.fh.write(line);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 14,
          column: 11,
          data: { field: 'fh', owner: 'FileHandle', className: 'Spool' },
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              data: { className: 'Spool', flag: 'closed' },
              output: `
import type { FileHandle } from 'node:fs/promises';
class Spool {
  private closed = false;
  private pending = 0;
  private readonly limit = 64;
  constructor(private readonly fh: FileHandle) {}
  private ensureCapacity(): void {
    if (this.pending >= this.limit) throw new Error('spool full');
  }
  async put(text: Promise<string>): Promise<void> {
    const line = await text;
    this.ensureCapacity();
    if (this.closed) throw new Error('Spool is closed');
    await this.fh.write(line);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'a tagged owner gets conventional guard names by default, but a validating method the class declares is still no guard',
      code: `
import type { Pty } from 'native-addon-stub';
declare module 'native-addon-stub' {
  /** @nativeResource */
  export interface Pty {
    write(data: string): void;
    /** @close */ kill(): void;
  }
}
class Terminal implements Pty {
  constructor(private readonly inner: Pty) {}
  private assertPrintable(text: string): void {
    if (text.includes('\\u0000')) throw new TypeError('NUL in input');
  }
  write(data: string): void {
    this.inner.write(data);
  }
  async type(text: Promise<string>): Promise<void> {
    const line = await text;
    this.assertPrintable(line);
    this.inner.write(line);
  }
  kill(): void {
    this.inner.kill();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 21,
          column: 5,
          data: { field: 'inner', owner: 'Pty', className: 'Terminal' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'issue 12: in a CRLF file the inserted guard ends its line with CRLF too',
      code: [
        "import type { FileHandle } from 'node:fs/promises';",
        'class Log {',
        '  private closed = false;',
        '  constructor(private readonly fh: FileHandle) {}',
        '  private throwIfClosed(): void {',
        "    if (this.closed) throw new Error('Log is closed');",
        '  }',
        '  async append(line: string): Promise<void> {',
        '    const text = await Promise.resolve(line);',
        '    await this.fh.write(text);',
        '  }',
        '  async close(): Promise<void> {',
        '    this.closed = true;',
        '    await this.fh.close();',
        '  }',
        '}',
      ].join('\r\n'),
      output: [
        "import type { FileHandle } from 'node:fs/promises';",
        'class Log {',
        '  private closed = false;',
        '  constructor(private readonly fh: FileHandle) {}',
        '  private throwIfClosed(): void {',
        "    if (this.closed) throw new Error('Log is closed');",
        '  }',
        '  async append(line: string): Promise<void> {',
        '    const text = await Promise.resolve(line);',
        '    this.throwIfClosed();',
        '    await this.fh.write(text);',
        '  }',
        '  async close(): Promise<void> {',
        '    this.closed = true;',
        '    await this.fh.close();',
        '  }',
        '}',
      ].join('\r\n'),
      errors: [{ messageId: 'unguardedAfterAwait', line: 10, column: 11, suggestions: [] }],
    },
    {
      name: 'issue 12: in a CRLF file the suggested flag check ends its line with CRLF too',
      code: [
        "import type { FileHandle } from 'node:fs/promises';",
        'class Log {',
        '  private closed = false;',
        '  constructor(private readonly fh: FileHandle) {}',
        '  async append(line: string): Promise<void> {',
        '    await Promise.resolve();',
        '    await this.fh.write(line);',
        '  }',
        '  async close(): Promise<void> {',
        '    this.closed = true;',
        '    await this.fh.close();',
        '  }',
        '}',
      ].join('\r\n'),
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 7,
          column: 11,
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              output: [
                "import type { FileHandle } from 'node:fs/promises';",
                'class Log {',
                '  private closed = false;',
                '  constructor(private readonly fh: FileHandle) {}',
                '  async append(line: string): Promise<void> {',
                '    await Promise.resolve();',
                "    if (this.closed) throw new Error('Log is closed');",
                '    await this.fh.write(line);',
                '  }',
                '  async close(): Promise<void> {',
                '    this.closed = true;',
                '    await this.fh.close();',
                '  }',
                '}',
              ].join('\r\n'),
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: an async throwing guard is inserted with `await` (its rejection would be lost otherwise)',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private async throwIfClosed(): Promise<void> {
    if (this.closed) throw new Error('Log is closed');
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private async throwIfClosed(): Promise<void> {
    if (this.closed) throw new Error('Log is closed');
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    await this.throwIfClosed();
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      errors: [{ messageId: 'unguardedAfterAwait', line: 11, column: 11, suggestions: [] }],
    },
    {
      name: 'issue 12: an async guard called without `await` protects nothing; the autofix awaits it',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private async throwIfClosed(): Promise<void> {
    if (this.closed) throw new Error('Log is closed');
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    void this.throwIfClosed();
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private async throwIfClosed(): Promise<void> {
    if (this.closed) throw new Error('Log is closed');
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    await this.throwIfClosed();
    void this.throwIfClosed();
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      errors: [{ messageId: 'unguardedAfterAwait', line: 12, column: 11, suggestions: [] }],
    },
    {
      name: 'issue 12: a guard that returns Promise.reject when closed is awaited too',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  assertOpen(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('Log is closed'));
    return Promise.resolve();
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  assertOpen(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('Log is closed'));
    return Promise.resolve();
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    await this.assertOpen();
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      errors: [{ messageId: 'unguardedAfterAwait', line: 12, column: 11, suggestions: [] }],
    },
    {
      name: 'issue 12: a guard-named method that only warns is never inserted: a suggestion checks the flag',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  assertOpen(): void {
    if (this.closed) console.warn('Log is closed');
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 11,
          column: 11,
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              data: { className: 'Log', flag: 'closed' },
              output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  assertOpen(): void {
    if (this.closed) console.warn('Log is closed');
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    if (this.closed) throw new Error('Log is closed');
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: a guard-named method that returns a boolean is never inserted: a suggestion checks the flag',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  throwIfClosed(): boolean {
    return this.closed;
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 11,
          column: 11,
          suggestions: [
            {
              messageId: 'insertFlagCheck',
              data: { className: 'Log', flag: 'closed' },
              output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  throwIfClosed(): boolean {
    return this.closed;
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    if (this.closed) throw new Error('Log is closed');
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: the guard is chosen by what its body does, whatever its name',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private ensureUsable(): void {
    if (this.closed) {
      throw new Error('Log is closed');
    }
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      output: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private closed = false;
  constructor(private readonly fh: FileHandle) {}
  private ensureUsable(): void {
    if (this.closed) {
      throw new Error('Log is closed');
    }
  }
  async append(line: string): Promise<void> {
    const text = await Promise.resolve(line);
    this.ensureUsable();
    await this.fh.write(text);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.fh.close();
  }
}`,
      errors: [{ messageId: 'unguardedAfterAwait', line: 13, column: 11, suggestions: [] }],
    },
  ]),
});

// Ownership (docs/resource-model.md#ownership), uses and teardown (docs/resource-model.md#uses-and-teardown), and the default scope of (c) (docs/rules/require-lifetime-guard.md): the
// misreadings found on real code (issue 10) as valid cases, the hazards as invalid ones.
ruleTester.run('require-lifetime-guard: ownership, uses and the default options', rule, {
  valid: [
    ...strict([
      {
        name: 'a back-reference to the parent handed in through the constructor is borrowed',
        code: `
import * as net from 'node:net';
class Pool {
  private readonly idle: net.Socket[] = [];
  private readonly listener = net.createServer();
  note(bytes: number): void { this.idle.length += bytes * 0; }
  close(): void { this.listener.close(); }
}
class Lease {
  private closed = false;
  constructor(private readonly pool: Pool, private readonly sock: net.Socket) {}
  async send(data: Promise<string>): Promise<void> {
    const text = await data;
    this.pool.note(text.length);
    if (this.closed) return;
    this.sock.write(text);
  }
  destroy(): void {
    this.closed = true;
    this.sock.destroy();
  }
}`,
      },
      {
        name: "a field taken from another object's member and never closed is borrowed",
        code: `
import * as net from 'node:net';
class Browser {
  readonly server = net.createServer();
  readonly options = { name: 'b' };
  ping(): void {}
  close(): void { this.server.close(); }
}
class Context {
  readonly browser: Browser;
  constructor(parent: { browser: Browser }) {
    this.browser = parent.browser;
  }
  async newPage(ready: Promise<void>): Promise<void> {
    await ready;
    this.browser.ping();
  }
  close(): void {}
}`,
      },
      {
        name: 'a guard through a helper: destroy() sets the error through cleanup(), throwIfAborted() reads it',
        code: `
import * as net from 'node:net';
class Stream {
  private error: Error | undefined;
  private readonly sock = net.connect(80);
  private cleanup(error: Error): void {
    this.error = error;
  }
  private throwIfAborted(): void {
    if (this.error) throw this.error;
  }
  async next(chunk: Promise<string>): Promise<void> {
    const text = await chunk;
    this.throwIfAborted();
    this.sock.write(text);
  }
  destroy(): void {
    this.cleanup(new Error('destroyed'));
    this.sock.destroy();
  }
}`,
      },
      {
        name: "handing a connection back to an owned pool whose checkIn checks the pool's own state is a release",
        code: `
import * as net from 'node:net';
class ConnectionPool {
  private state: 'open' | 'closed' = 'open';
  private readonly idle: net.Socket[] = [];
  private readonly monitor = net.connect(27018);
  checkOut(): net.Socket { return this.idle.pop() ?? net.connect(27017); }
  checkIn(sock: net.Socket): void {
    if (this.state === 'closed') sock.destroy();
    else this.idle.push(sock);
  }
  close(): void {
    this.state = 'closed';
    this.monitor.destroy();
    for (const sock of this.idle) sock.destroy();
  }
  get size(): number { return this.idle.length; }
}
class Server {
  private readonly pool = new ConnectionPool();
  async command(run: (sock: net.Socket) => Promise<void>): Promise<void> {
    const sock = this.pool.checkOut();
    try {
      await run(sock);
    } finally {
      this.pool.checkIn(sock);
    }
  }
  close(): void { this.pool.close(); }
}`,
      },
      {
        name: 'a release-role call after an await is a release, not a use',
        code: `
import { Device } from 'native-addon-stub';
class Sampler {
  private readonly device = new Device('/dev/x');
  async sample(): Promise<Uint8Array> {
    this.device.ref();
    const data = await Promise.resolve(new Uint8Array(1));
    this.device.unref();
    return data;
  }
  async close(): Promise<void> { await this.device.close(); }
}`,
      },
      {
        name: 'teardown-safe calls on a socket after an await: setTimeout, unref, end() with no data',
        code: `
import * as net from 'node:net';
class Client {
  private readonly sock = net.connect(80);
  async idle(wait: Promise<void>): Promise<void> {
    await wait;
    this.sock.setTimeout(0);
    await wait;
    this.sock.unref();
    await wait;
    this.sock.end();
  }
  destroy(): void { this.sock.destroy(); }
}`,
      },
      {
        name: 'plain property reads of an owned field after an await are no use',
        code: `
import * as net from 'node:net';
class Cursor {
  readonly id = 1;
  readonly options = { name: 'c' };
  private readonly sock = net.connect(27017);
  close(): void { this.sock.destroy(); }
}
class ChangeStream {
  private readonly cursor = new Cursor();
  async describe(wait: Promise<void>): Promise<string> {
    await wait;
    return String(this.cursor.id) + this.cursor.options.name;
  }
  close(): void { this.cursor.close(); }
}`,
      },
    ]),
    {
      name: 'a raw fd the class opened, re-checked after the await through a getter of the closed flag',
      code: `
import * as fs from 'node:fs';
class Journal {
  private fd: number | null;
  private closed = false;
  private pending: Promise<void> = Promise.resolve();
  constructor(path: string) { this.fd = fs.openSync(path, 'a'); }
  get isOpen(): boolean { return !this.closed; }
  async sync(): Promise<void> {
    await this.pending;
    if (!this.isOpen) throw new Error('Journal is closed');
    fs.fsyncSync(this.fd!);
  }
  close(): void {
    this.closed = true;
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}`,
    },
    {
      name: 'a raw fd the class opened, checked for null after the await',
      code: `
import * as fs from 'node:fs';
class Journal {
  private fd: number | null = null;
  open(path: string): void {
    fs.open(path, 'a', (error, fd) => {
      if (!error) this.fd = fd;
    });
  }
  async sync(pending: Promise<void>): Promise<void> {
    const before = this.fd;
    await pending;
    if (this.fd === null) return;
    fs.fsyncSync(this.fd);
    void before;
  }
  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}`,
    },
    {
      name: 'a number field that is no raw handle (a counter) is not tracked',
      code: `
import * as fs from 'node:fs';
class Counter {
  private count = 0;
  async bump(pending: Promise<void>): Promise<void> {
    await pending;
    fs.writeSync(1, String(this.count));
  }
  close(): void { this.count = 0; }
}`,
    },
    {
      name: '(b) the plain initializer: the only await is the acquisition itself',
      code: `
import { open, type FileHandle } from 'node:fs/promises';
class Log {
  private fh: FileHandle | undefined;
  async open(path: string): Promise<void> {
    this.fh = await open(path, 'a');
  }
  async close(): Promise<void> { await this.fh?.close(); }
}`,
    },
    {
      name: '(b) a closed-flag check between the await and the new acquisition',
      code: `
import * as net from 'node:net';
class Client {
  private closed = false;
  private sock: net.Socket | undefined;
  async connect(config: Promise<number>): Promise<void> {
    const port = await config;
    if (this.closed) return;
    this.sock = net.connect(port);
  }
  destroy(): void {
    this.closed = true;
    this.sock?.destroy();
  }
}`,
    },
    {
      name: '(b) storing a socket handed in (not acquired here) after an await is no acquisition',
      code: `
import * as net from 'node:net';
class Client {
  private sock: net.Socket | undefined;
  async adopt(next: Promise<void>, sock: net.Socket): Promise<void> {
    await next;
    this.sock = sock;
  }
  destroy(): void { this.sock?.destroy(); }
}`,
    },
    {
      name: 'default options: uses of an owned Node built-in after an await are left to the strict option',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  constructor(private readonly fh: FileHandle) {}
  async append(line: Promise<string>): Promise<void> {
    await this.fh.write(await line);
  }
  async close(): Promise<void> { await this.fh.close(); }
}`,
    },
    {
      name: 'default options: uses of an owned inferred owner class after an await are left to the strict option',
      code: `
import * as net from 'node:net';
class Conn {
  private readonly sock = net.connect(1);
  send(): void { this.sock.write('x'); }
  destroy(): void { this.sock.destroy(); }
}
class Client {
  private readonly conn = new Conn();
  async ping(wait: Promise<void>): Promise<void> {
    await wait;
    this.conn.send();
  }
  close(): void { this.conn.destroy(); }
}`,
    },
  ],
  invalid: [
    {
      name: 'default options: a borrow covers only the uses after its addRef: one before ref() in the same try is reported',
      code: `
import { Device } from 'native-addon-stub';
class Sampler {
  private readonly device = new Device('/dev/x');
  async sample(wait: Promise<void>): Promise<Uint8Array> {
    try {
      await wait;
      this.device.read(1);
      this.device.ref();
      await wait;
      return this.device.read(16);
    } finally {
      this.device.unref();
    }
  }
  async dispose(): Promise<void> { await this.device.close(); }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 8,
          column: 7,
          data: { field: 'device', owner: 'Device', className: 'Sampler' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'default options: a using lease covers only the statements after it: a use before it is reported',
      code: `
import { Device } from 'native-addon-stub';
class Sampler {
  private readonly device = new Device('/dev/x');
  async sample(wait: Promise<void>): Promise<Uint8Array> {
    await wait;
    this.device.read(1);
    using lease = this.device.lease();
    await wait;
    return this.device.read(16);
  }
  async dispose(): Promise<void> { await this.device.close(); }
}`,
      output: null,
      errors: [
        {
          messageId: 'unguardedAfterAwait',
          line: 7,
          column: 5,
          data: { field: 'device', owner: 'Device', className: 'Sampler' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'default options: a use of an owned tagged native resource after an await',
      code: `
import { Device } from 'native-addon-stub';
class Sampler {
  private readonly device = new Device('/dev/x');
  async sample(wait: Promise<void>): Promise<Uint8Array> {
    await wait;
    return this.device.read(16);
  }
  async dispose(): Promise<void> { await this.device.close(); }
}`,
      errors: [{ messageId: 'unguardedAfterAwait', line: 7, column: 12, data: { field: 'device', owner: 'Device', className: 'Sampler' } }],
    },
    {
      name: 'default options: a raw-handle read of an owned FileHandle after an await is always reported',
      code: `
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
class Log {
  constructor(private readonly fh: FileHandle) {}
  async flush(pending: Promise<void>): Promise<void> {
    await pending;
    fs.fsyncSync(this.fh.fd);
  }
  async close(): Promise<void> { await this.fh.close(); }
}`,
      errors: [{ messageId: 'unguardedAfterAwait', line: 8, column: 18, data: { field: 'fh', owner: 'FileHandle', className: 'Log' } }],
    },
    {
      name: 'default options: the class re-reads its own raw fd after an await without re-checking that it is open (issue 10 seed)',
      code: `
import * as fs from 'node:fs';
class Journal {
  private fd: number | null;
  private closed = false;
  private pending: Promise<void> = Promise.resolve();
  constructor(path: string) { this.fd = fs.openSync(path, 'a'); }
  get isOpen(): boolean { return !this.closed; }
  async sync(): Promise<void> {
    if (!this.isOpen) throw new Error('Journal is closed');
    await this.pending;
    fs.fsyncSync(this.fd!);
  }
  close(): void {
    this.closed = true;
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}`,
      errors: [{ messageId: 'rawHandleAfterAwait', line: 12, column: 18, data: { field: 'fd', className: 'Journal' } }],
    },
    {
      name: 'default options: an fd from an fs.open callback, and one copied from an owned FileHandle, read after an await',
      code: `
import * as fs from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
class Pair {
  private fd = -1;
  private mirror = -1;
  private fh: FileHandle | undefined;
  start(path: string): void {
    fs.open(path, 'r', (error, fd) => {
      if (!error) this.fd = fd;
    });
  }
  async mirrorOf(path: string): Promise<void> {
    this.fh = await open(path);
    this.mirror = this.fh.fd;
  }
  async sizes(pending: Promise<void>): Promise<number> {
    await pending;
    return fs.fstatSync(this.fd).size + fs.fstatSync(this.mirror).size;
  }
  async close(): Promise<void> {
    fs.closeSync(this.fd);
    await this.fh?.close();
  }
}`,
      errors: [
        { messageId: 'rawHandleAfterAwait', line: 19, column: 25, data: { field: 'fd', className: 'Pair' } },
        { messageId: 'rawHandleAfterAwait', line: 19, column: 54, data: { field: 'mirror', className: 'Pair' } },
      ],
    },
    {
      name: '(b) re-arming a watcher after an await: a close during the sleep is undone',
      code: `
import * as fs from 'node:fs';
class Watch {
  private watcher: fs.FSWatcher;
  constructor(private readonly path: string) { this.watcher = fs.watch(path); }
  async rearm(sleep: Promise<void>): Promise<void> {
    this.watcher.close();
    await sleep;
    this.watcher = fs.watch(this.path);
  }
  close(): void { this.watcher.close(); }
}`,
      errors: [
        { messageId: 'acquiredAfterAwait', line: 9, column: 5, data: { field: 'watcher', owner: 'fs.FSWatcher', className: 'Watch' } },
      ],
    },
    {
      name: '(b) a cursor created after an await on something else, and a socket created in a timer callback',
      code: `
import * as net from 'node:net';
class Cursor {
  private readonly sock = net.connect(27017);
  close(): void { this.sock.destroy(); }
}
class Stream {
  private cursor = new Cursor();
  private sock: net.Socket | undefined;
  private makeCursor(): Cursor { return new Cursor(); }
  async resume(selectServer: () => Promise<void>): Promise<void> {
    await selectServer();
    this.cursor = this.makeCursor();
  }
  reconnectLater(): void {
    setTimeout(() => {
      this.sock = net.connect(1);
    }, 100);
  }
  close(): void {
    this.cursor.close();
    this.sock?.destroy();
  }
}`,
      errors: [
        { messageId: 'acquiredAfterAwait', line: 13, column: 5, data: { field: 'cursor', owner: 'Cursor', className: 'Stream' } },
        { messageId: 'acquiredAfterAwait', line: 17, column: 7, data: { field: 'sock', owner: 'net.Socket', className: 'Stream' } },
      ],
    },
    {
      name: '(b) a helper that passes on (not tests) a field close clears, and throws on bad input, is no guard',
      code: `
import * as net from 'node:net';
interface Timeout { refresh(): void }
class Cursor {
  private readonly sock = net.connect(27017);
  constructor(readonly timeout: Timeout | undefined) {}
  close(): void { this.sock.destroy(); }
}
class Stream {
  private timeout: Timeout | undefined = { refresh() {} };
  private cursor = new Cursor(undefined);
  private makeCursor(batch: number): Cursor {
    if (batch < 0) throw new RangeError('batch');
    return new Cursor(this.timeout);
  }
  async resume(selectServer: () => Promise<void>): Promise<void> {
    await selectServer();
    this.cursor = this.makeCursor(1);
  }
  close(): void {
    this.timeout = undefined;
    this.cursor.close();
  }
}`,
      errors: [{ messageId: 'acquiredAfterAwait', line: 18, column: 5, data: { field: 'cursor', owner: 'Cursor', className: 'Stream' } }],
    },
    ...strict([
      {
        name: 'a field the class acquires itself (never closed in close) is owned',
        code: `
import * as net from 'node:net';
class Client {
  private sock: net.Socket | undefined;
  async connect(wait: Promise<void>): Promise<void> {
    this.sock = net.connect(80);
    await wait;
    this.sock.write('hello');
  }
  close(): void {}
}`,
        errors: [
          { messageId: 'unguardedAfterAwait', line: 8, column: 5, data: { field: 'sock', owner: 'net.Socket', className: 'Client' } },
        ],
      },
      {
        name: 'a parameter the close path releases through a local copy is owned',
        code: `
import type { FileHandle } from 'node:fs/promises';
class Log {
  private fh: FileHandle | null;
  constructor(fh: FileHandle) { this.fh = fh; }
  async append(line: Promise<string>): Promise<void> {
    const text = await line;
    await this.fh!.write(text);
  }
  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    await fh?.close();
  }
}`,
        errors: [{ messageId: 'unguardedAfterAwait', line: 8, column: 11, data: { field: 'fh', owner: 'FileHandle', className: 'Log' } }],
      },
      {
        name: 'a method that destroys the socket only when a write fails is no close method: its use after an await is reported',
        code: `
import * as net from 'node:net';
class Connection {
  private readonly sock: net.Socket;
  constructor(sock: net.Socket) { this.sock = sock; }
  async write(encode: Promise<Uint8Array>): Promise<void> {
    const buffer = await encode;
    try {
      this.sock.write(buffer);
    } catch {
      this.cleanup();
    }
  }
  private cleanup(): void { this.sock.destroy(); }
  destroy(): void { this.cleanup(); }
}`,
        errors: [
          { messageId: 'unguardedAfterAwait', line: 9, column: 7, data: { field: 'sock', owner: 'net.Socket', className: 'Connection' } },
        ],
      },
      {
        name: 'a method that ends a borrow (release role) is no close method: its use after an await is reported',
        code: `
import { Device } from 'native-addon-stub';
class Sampler {
  private readonly device = new Device('/dev/x');
  async later(wait: Promise<void>): Promise<Uint8Array> {
    this.device.ref();
    await wait;
    const data = await this.device.read(4);
    this.device.unref();
    return data;
  }
  async close(): Promise<void> { await this.device.close(); }
}`,
        errors: [
          { messageId: 'unguardedAfterAwait', line: 8, column: 24, data: { field: 'device', owner: 'Device', className: 'Sampler' } },
        ],
      },
      {
        name: 'end() with data after an await is a write, not teardown',
        code: `
import * as net from 'node:net';
class Client {
  private readonly sock = net.connect(80);
  async finish(wait: Promise<string>): Promise<void> {
    const text = await wait;
    this.sock.end(text);
  }
  destroy(): void { this.sock.destroy(); }
}`,
        errors: [
          { messageId: 'unguardedAfterAwait', line: 7, column: 5, data: { field: 'sock', owner: 'net.Socket', className: 'Client' } },
        ],
      },
      {
        name: "a call on a part of an owned field (a child process's stdin) is a use, not a plain read",
        code: `
import { spawn, type ChildProcess } from 'node:child_process';
class Runner {
  private readonly child: ChildProcess = spawn('cat');
  async feed(wait: Promise<string>): Promise<void> {
    const text = await wait;
    this.child.stdin?.write(text);
  }
  close(): void { this.child.kill(); }
}`,
        errors: [
          {
            messageId: 'unguardedAfterAwait',
            line: 7,
            column: 5,
            data: { field: 'child', owner: 'child_process.ChildProcess', className: 'Runner' },
          },
        ],
      },
    ]),
  ],
});

// -------------------------------------------------------------------------------------------
// Known native packages (docs/packages.md, docs/packages.md): an owned field of one of these types is
// known with no settings. Their sources check for a closed handle before every call (a clean
// error, no crash), so (c) reports their uses after an await only with `allOwnedFields`
// (configs.strict), as for Node built-ins.

const ALL_OWNED: Options = [{ allOwnedFields: true }];

/** A class owning one package resource, whose async method uses it after an await, with or without the class's guard. */
function packageClass(imports: string, field: string, use: string, close: string, guarded: boolean): string {
  return [
    imports,
    'export class Holder {',
    '  private closed = false;',
    `  ${field}`,
    '  async run(delay: Promise<void>): Promise<void> {',
    '    await delay;',
    ...(guarded ? ['    if (this.closed) return;'] : []),
    `    ${use}`,
    '  }',
    '  close(): void {',
    '    this.closed = true;',
    `    ${close}`,
    '  }',
    '}',
  ].join('\n');
}

/** The invalid case of {@link packageClass}: the use on line 7, the flag check suggested before it. */
function unguardedPackageUse(
  name: string,
  owner: string,
  field: string,
  args: [string, string, string, string],
): InvalidTestCase<MessageIds, Options> {
  const [imports, declaration, use, close] = args;
  return {
    name,
    code: packageClass(imports, declaration, use, close, false),
    options: ALL_OWNED,
    output: null,
    errors: [
      {
        messageId: 'unguardedAfterAwait',
        line: 7,
        column: use.startsWith('await ') ? 11 : 5,
        data: { field, owner, className: 'Holder' },
        suggestions: [
          {
            messageId: 'insertFlagCheck',
            output: packageClass(imports, declaration, use, close, false).replace(
              '    await delay;\n',
              "    await delay;\n    if (this.closed) throw new Error('Holder is closed');\n",
            ),
          },
        ],
      },
    ],
  };
}

const PTY_CLASS: [string, string, string, string] = [
  "import * as pty from 'node-pty';",
  "private readonly term = pty.spawn('bash', [], {});",
  "this.term.write('ls\\r');",
  'this.term.kill();',
];
const ZMQ_CLASS: [string, string, string, string] = [
  "import { Push } from 'zeromq';",
  'private readonly sock = new Push();',
  "await this.sock.send('tick');",
  'this.sock.close();',
];
const SERIAL_CLASS: [string, string, string, string] = [
  "import { SerialPort } from 'serialport';",
  "private readonly port = new SerialPort({ path: '/dev/ttyUSB0', baudRate: 9600 });",
  "this.port.write('AT\\r');",
  'this.port.close();',
];
const USB_CLASS: [string, string, string, string] = [
  "import { findByIds } from 'usb';",
  'private readonly device = findByIds(0x1234, 0x5678)!;',
  'this.device.controlTransfer(0x40, 1, 0, 0, Buffer.alloc(0));',
  'this.device.close();',
];
const SQLITE_CLASS: [string, string, string, string] = [
  "import Database from 'better-sqlite3';",
  "private readonly db = new Database('app.db');",
  "this.db.prepare('insert into log values (1)').run();",
  'this.db.close();',
];

createRuleTester().run('require-lifetime-guard: node-pty', rule, {
  valid: [
    {
      name: 'node-pty: with the default options, a write after an await is not reported (it fails cleanly)',
      code: packageClass(PTY_CLASS[0], PTY_CLASS[1], PTY_CLASS[2], PTY_CLASS[3], false),
    },
    {
      name: 'node-pty: the class checks its closed flag after the await',
      code: packageClass(PTY_CLASS[0], PTY_CLASS[1], PTY_CLASS[2], PTY_CLASS[3], true),
      options: ALL_OWNED,
    },
    {
      name: 'node-pty: an onData listener registered after an await is no use of the pty',
      code: packageClass(PTY_CLASS[0], PTY_CLASS[1], 'this.term.onData(data => console.log(data));', PTY_CLASS[3], false),
      options: ALL_OWNED,
    },
  ],
  invalid: [unguardedPackageUse('node-pty: write() to the pty after an await, unguarded', 'node-pty IPty', 'term', PTY_CLASS)],
});

createRuleTester().run('require-lifetime-guard: zeromq', rule, {
  valid: [
    {
      // The canonical zeromq reply loop: a closed socket ends the loop (lib/index.js asyncIterator), and a send on it throws EBADF.
      name: 'zeromq: with the default options, a reply loop over an owned socket is not reported',
      code: [
        "import { Reply } from 'zeromq';",
        'export class Server {',
        '  private readonly sock = new Reply();',
        '  async run(): Promise<void> {',
        "    await this.sock.bind('tcp://*:5555');",
        '    for await (const [message] of this.sock) {',
        '      await this.sock.send(message!);',
        '    }',
        '  }',
        '  close(): void {',
        '    this.sock.close();',
        '  }',
        '}',
      ].join('\n'),
    },
    {
      name: 'zeromq: the class checks its closed flag after the await',
      code: packageClass(ZMQ_CLASS[0], ZMQ_CLASS[1], ZMQ_CLASS[2], ZMQ_CLASS[3], true),
      options: ALL_OWNED,
    },
    {
      name: "zeromq: the socket's own `closed` guard after the await",
      code: packageClass(ZMQ_CLASS[0], ZMQ_CLASS[1], "if (!this.sock.closed) await this.sock.send('tick');", ZMQ_CLASS[3], false),
      options: ALL_OWNED,
    },
  ],
  invalid: [unguardedPackageUse('zeromq: send() after an await, unguarded', 'zeromq Socket', 'sock', ZMQ_CLASS)],
});

createRuleTester().run('require-lifetime-guard: serialport', rule, {
  valid: [
    {
      name: 'serialport: with the default options, a write after an await is not reported',
      code: packageClass(SERIAL_CLASS[0], SERIAL_CLASS[1], SERIAL_CLASS[2], SERIAL_CLASS[3], false),
    },
    {
      name: 'serialport: the class checks its closed flag after the await',
      code: packageClass(SERIAL_CLASS[0], SERIAL_CLASS[1], SERIAL_CLASS[2], SERIAL_CLASS[3], true),
      options: ALL_OWNED,
    },
    {
      name: "serialport: the port's own `isOpen` checked after the await (true while open) is a liveness check",
      code: packageClass(
        SERIAL_CLASS[0],
        SERIAL_CLASS[1],
        `if (!this.port.isOpen) return;\n    ${SERIAL_CLASS[2]}`,
        SERIAL_CLASS[3],
        false,
      ),
      options: ALL_OWNED,
    },
    {
      name: 'serialport: the port is borrowed (a constructor parameter the class never closes)',
      code: [
        "import { SerialPort } from 'serialport';",
        'export class Modem {',
        '  constructor(private readonly port: SerialPort) {}',
        '  async dial(delay: Promise<void>): Promise<void> {',
        '    await delay;',
        "    this.port.write('ATD\\r');",
        '  }',
        '  dispose(): void {}',
        '}',
      ].join('\n'),
      options: ALL_OWNED,
    },
  ],
  invalid: [unguardedPackageUse('serialport: write() after an await, unguarded', 'SerialPort', 'port', SERIAL_CLASS)],
});

createRuleTester().run('require-lifetime-guard: usb', rule, {
  valid: [
    {
      name: 'usb: the class checks its closed flag after the await',
      code: packageClass(USB_CLASS[0], USB_CLASS[1], USB_CLASS[2], USB_CLASS[3], true),
      options: ALL_OWNED,
    },
  ],
  invalid: [unguardedPackageUse('usb: controlTransfer() after an await, unguarded', 'usb.Device', 'device', USB_CLASS)],
});

createRuleTester().run('require-lifetime-guard: better-sqlite3', rule, {
  valid: [
    {
      name: 'better-sqlite3: with the default options, a statement after an await is not reported',
      code: packageClass(SQLITE_CLASS[0], SQLITE_CLASS[1], SQLITE_CLASS[2], SQLITE_CLASS[3], false),
    },
    {
      name: 'usb: with the default options, a transfer after an await is not reported',
      code: packageClass(USB_CLASS[0], USB_CLASS[1], USB_CLASS[2], USB_CLASS[3], false),
    },
    {
      name: 'better-sqlite3: the class checks its closed flag after the await',
      code: packageClass(SQLITE_CLASS[0], SQLITE_CLASS[1], SQLITE_CLASS[2], SQLITE_CLASS[3], true),
      options: ALL_OWNED,
    },
    {
      name: "better-sqlite3: the database's own `open` checked after the await (true while open) is a liveness check",
      code: packageClass(SQLITE_CLASS[0], SQLITE_CLASS[1], `if (this.db.open) ${SQLITE_CLASS[2]}`, SQLITE_CLASS[3], false),
      options: ALL_OWNED,
    },
  ],
  invalid: [unguardedPackageUse('better-sqlite3: prepare() after an await, unguarded', 'better-sqlite3 Database', 'db', SQLITE_CLASS)],
});
