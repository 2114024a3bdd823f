import rule from '../../src/rules/no-unguarded-raw-handle.js';
import { code, crlf } from '../code.js';
import { createRuleTester } from '../ruleTester.js';

/**
 * Test code without the indentation of this file (first line = line 1, columns as written).
 * Only the literal parts are de-indented, so interpolated multi-line headers stay as they are.
 */
const FH = "import type { FileHandle } from 'node:fs/promises';\nimport * as fs from 'node:fs';";
const DEV =
  "import { Device } from 'native-addon-stub';\ndeclare function useHandle(handle: number): void;\ndeclare function tick(): Promise<void>;";
const QUEUE_SETTINGS = {
  'native-handle': {
    resources: [
      {
        type: { from: 'package', package: 'native-addon-stub', name: 'Queue' },
        rawHandle: 'getHandle',
        addRef: 'ref',
        release: 'unref',
        close: 'shutdown',
        guard: 'isShutdown',
      },
    ],
  },
};

const FH_REMEDY =
  "Use the FileHandle's own methods, or pass the FileHandle itself (`{ fd: fh }`, `fh.createReadStream()`), instead of the raw fd.";
const DEVICE_REMEDY =
  "Hold a borrow across every use (`ref()` before the read and `unref()` in a `finally` after the last use, or a `using` lease from `lease()`), or use the Device's own methods instead of the raw handle.";
const HOW = {
  await: 'is used after an `await` or `yield`',
  callback: 'is used in a callback or closure that can run later',
  field: 'is stored in a field',
  outer: 'is stored in a variable declared outside this function',
  returned: 'is returned from the function that read it',
  asyncCall: 'is passed to an asynchronous operation that keeps using it after this statement',
};
const fileHandle = (how: keyof typeof HOW) => ({ owner: 'FileHandle', member: 'fd', how: HOW[how], remedy: FH_REMEDY });
const device = (how: keyof typeof HOW) => ({ owner: 'Device', member: 'handle', how: HOW[how], remedy: DEVICE_REMEDY });

createRuleTester().run('no-unguarded-raw-handle', rule, {
  valid: [
    {
      name: 'raw fd passed straight into synchronous calls in the same statement',
      code: code`
        ${FH}
        export async function size(fh: FileHandle): Promise<number> {
          await fh.stat();
          const bytes = fs.readSync(fh.fd, Buffer.alloc(16));
          return fs.fstatSync(fh.fd).size + bytes;
        }
      `,
    },
    {
      name: 'read inside a timer or .then callback of a captured owner, passed straight into a synchronous call in the same statement',
      code: code`
        ${FH}
        export function later(fh: FileHandle): void {
          setImmediate(() => fs.fstatSync(fh.fd));
          fh.readFile().then(() => fs.fsyncSync(fh.fd), () => {});
        }
        export class Tailer {
          constructor(private readonly fh: FileHandle, private readonly limit: number) {}
          watch(rotate: () => void): NodeJS.Timeout {
            return setInterval(() => {
              if (fs.fstatSync(this.fh.fd).size > this.limit) rotate();
            }, 1000);
          }
        }
      `,
    },
    {
      name: 'read inside a .then callback of a captured addon owner, used synchronously in the same statement (no borrow needed)',
      code: code`
        ${DEV}
        export function ping(dev: Device): Promise<void> {
          return dev.read(1).then(() => useHandle(dev.handle));
        }
      `,
    },
    {
      name: 'raw fd kept in a local and used only by synchronous statements before the next await',
      code: code`
        ${FH}
        export async function header(fh: FileHandle): Promise<Buffer> {
          const fd = fh.fd;
          const buffer = Buffer.alloc(8);
          fs.readSync(fd, buffer, 0, 8, 0);
          fs.fsyncSync(fd);
          await fh.close();
          return buffer;
        }
      `,
    },
    {
      name: 'logging, comparing and formatting the raw fd, also after an await',
      code: code`
        ${FH}
        export async function describe(fh: FileHandle): Promise<string> {
          console.log('fd', fh.fd);
          const fd = fh.fd;
          await fh.stat();
          if (fd < 0) console.warn(\`closed (\${fd})\`);
          setTimeout(() => console.log('was', fh.fd, fd));
          return String(fd) + (fh.fd === fd ? '' : '!');
        }
      `,
    },
    {
      name: 'handing the raw fd to an adopter is no-handle-adoption business',
      code: code`
        ${FH}
        import * as net from 'node:net';
        import { wrapHandle } from 'native-addon-stub';
        export async function adopt(fh: FileHandle) {
          const fd = fh.fd;
          await fh.stat();
          const stream = fs.createReadStream('', { fd });
          const socket = new net.Socket({ fd: fh.fd });
          const device = wrapHandle(fd);
          return { stream, socket, device };
        }
      `,
    },
    {
      name: 'postMessage, FinalizationRegistry#register and raw closes belong to other rules',
      code: code`
        ${FH}
        import { Worker } from 'node:worker_threads';
        declare const worker: Worker;
        declare const registry: FinalizationRegistry<number>;
        export async function handOff(fh: FileHandle) {
          const fd = fh.fd;
          await fh.stat();
          worker.postMessage({ fd });
          registry.register(fh, fd);
          setTimeout(() => worker.postMessage(fh.fd));
          fs.closeSync(fd);
        }
      `,
    },
    {
      name: 'fd members of non-owners: object literals, local classes, numbers from fs.openSync',
      code: code`
        import * as fs from 'node:fs';
        class Descriptor {
          fd = 3;
        }
        let opened = -1;
        export async function numbers(path: string): Promise<number> {
          const literal = { fd: 3 }.fd;
          const local = new Descriptor();
          const raw = fs.openSync(path, 'r');
          opened = raw;
          await Promise.resolve();
          fs.fstatSync(raw);
          setTimeout(() => fs.closeSync(local.fd));
          return literal + local.fd + raw;
        }
        export class Keeper {
          fd = fs.openSync('/dev/null', 'r');
          own(): number {
            return this.fd + opened;
          }
        }
      `,
    },
    {
      name: 'any-typed values are not owners',
      code: code`
        import * as fs from 'node:fs';
        declare const loose: any;
        declare function tick(): Promise<void>;
        export async function unknownOwner(): Promise<number> {
          const fd = loose.fd as number;
          await tick();
          fs.fstatSync(fd);
          setImmediate(() => fs.fstatSync(loose.fd as number));
          return loose.fd as number;
        }
      `,
    },
    {
      name: 'addRef before the try and release in its finally cover uses after an await',
      code: code`
        ${DEV}
        export async function borrowed(dev: Device): Promise<void> {
          dev.ref();
          try {
            const handle = dev.handle;
            await tick();
            useHandle(handle);
          } finally {
            dev.unref();
          }
        }
      `,
    },
    {
      name: 'a borrow taken through a const alias of the owner covers reads from the owner itself',
      code: code`
        ${DEV}
        export class Poller {
          constructor(private readonly dev: Device) {}
          async poll(): Promise<void> {
            const device = this.dev;
            device.ref();
            try {
              const handle = this.dev.handle;
              await tick();
              useHandle(handle);
            } finally {
              device.unref();
            }
          }
        }
      `,
    },
    {
      name: 'an awaited asynchronous call inside a borrow',
      code: code`
        ${DEV}
        declare function pollAsync(handle: number): Promise<void>;
        export async function poll(dev: Device): Promise<void> {
          dev.ref();
          try {
            await pollAsync(dev.handle);
          } finally {
            dev.unref();
          }
        }
      `,
    },
    {
      name: 'a using lease covers the rest of its block',
      code: code`
        ${DEV}
        export async function leased(dev: Device): Promise<void> {
          using lease = dev.lease();
          const handle = dev.handle;
          await tick();
          useHandle(handle);
        }
      `,
    },
    {
      name: 'an await using lease in a nested block, on a private field',
      code: code`
        ${DEV}
        export class Reader {
          readonly #dev: Device;
          constructor(dev: Device) {
            this.#dev = dev;
          }
          async read(): Promise<void> {
            {
              await using lease = this.#dev.lease();
              const handle = this.#dev.handle;
              await tick();
              useHandle(handle);
            }
          }
        }
      `,
    },
    {
      name: 'synchronous callbacks (forEach, map, Promise executor) and local functions called directly',
      code: code`
        ${FH}
        export async function many(handles: FileHandle[], fh: FileHandle): Promise<number> {
          handles.forEach(h => fs.fsyncSync(h.fd));
          handles.forEach(() => fs.fsyncSync(fh.fd));
          const fds = handles.map(h => h.fd);
          for (const each of fds) fs.fsyncSync(each);
          const fd = fh.fd;
          const write = (text: string) => fs.writeSync(fd, text);
          write('a');
          write('b');
          await new Promise<void>(resolve => {
            fs.fsyncSync(fh.fd);
            resolve();
          });
          return handles.length;
        }
      `,
    },
    {
      name: 'a read inside a listener, used in the same statement',
      code: code`
        ${DEV}
        declare module 'native-addon-stub' {
          interface Device {
            on(event: 'data', listener: () => void): this;
          }
        }
        export function listen(dev: Device): void {
          dev.on('data', () => useHandle(dev.handle));
        }
      `,
    },
    {
      name: 'a liveness guard before a same-statement use in a timer callback, and a guard after an await',
      code: code`
        ${DEV}
        export function poll(dev: Device): NodeJS.Timeout {
          return setInterval(() => {
            if (dev.closed) return;
            useHandle(dev.handle);
          }, 100);
        }
        export async function checked(dev: Device): Promise<void> {
          const handle = dev.handle;
          await tick();
          if (dev.closed) throw new Error('device closed');
          useHandle(handle);
        }
      `,
    },
    {
      name: 'a callback that receives the owner as its own parameter',
      code: code`
        import { open } from 'node:fs/promises';
        import * as fs from 'node:fs';
        export function openAndStat(path: string): Promise<void> {
          return open(path).then(fh => {
            fs.fstatSync(fh.fd);
            return fh.close();
          });
        }
      `,
    },
    {
      name: 'the local is re-assigned before the await',
      code: code`
        ${FH}
        export async function reset(fh: FileHandle): Promise<void> {
          let fd = fh.fd;
          fs.fsyncSync(fd);
          fd = -1;
          await fh.close();
          if (fd !== -1) fs.fsyncSync(fd);
        }
      `,
    },
    {
      name: 'a fresh read on every iteration of a loop with an await',
      code: code`
        ${FH}
        export async function each(handles: FileHandle[]): Promise<void> {
          for (const fh of handles) {
            const fd = fh.fd;
            fs.fsyncSync(fd);
            await fh.close();
          }
        }
      `,
    },
    {
      name: 'an owner reading its own raw handle through this',
      code: code`
        import type { Channel } from 'native-addon-stub';
        export class LoopbackChannel implements Channel {
          readonly fd = 7;
          get raw(): number {
            return this.fd;
          }
          async receive(): Promise<Uint8Array> {
            return new Uint8Array(this.fd);
          }
          dispose(): void {}
        }
      `,
    },
    {
      name: 'an owner declared inline with declare module, used inside its own borrow',
      code: code`
        import type { Pty } from 'native-addon-stub';
        declare module 'native-addon-stub' {
          /** @nativeResource */
          export interface Pty {
            /** @rawHandle */
            readonly fd: number;
            /** @addRef */
            hold(): void;
            /** @release */
            drop(): void;
            resize(columns: number): Promise<void>;
            close(): void;
          }
        }
        declare function ioctl(fd: number): void;
        export async function resize(pty: Pty): Promise<void> {
          pty.hold();
          try {
            const fd = pty.fd;
            await pty.resize(80);
            ioctl(fd);
          } finally {
            pty.drop();
          }
        }
      `,
    },
    {
      name: 'generic owner, union with undefined and aliases used synchronously',
      code: code`
        ${FH}
        type Handle = FileHandle;
        export function sync<T extends FileHandle>(fh: T, maybe: Handle | undefined): void {
          fs.fsyncSync(fh.fd);
          if (maybe) fs.fsyncSync(maybe.fd);
          const fd = maybe?.fd;
          if (fd !== undefined) fs.fsyncSync(fd);
        }
      `,
    },
    {
      name: 'an untagged, unconfigured class is not an owner',
      code: code`
        import { Queue } from 'native-addon-stub';
        export function handleOf(q: Queue): number {
          return q.getHandle();
        }
      `,
    },
    {
      name: 'a raw value stored in a local object that stays local',
      code: code`
        ${FH}
        export function local(fh: FileHandle): number {
          const info = { fd: -1, size: 0 };
          info.fd = fh.fd;
          info.size = fs.fstatSync(info.fd).size;
          return info.size;
        }
      `,
    },
    {
      name: 'a collected result (map, flatMap, Array.from, an IIFE) used only by later synchronous statements before any await',
      code: code`
        ${FH}
        export async function syncAll(logs: ReadonlyMap<string, FileHandle>, groups: FileHandle[][]): Promise<number> {
          const fds = [...logs.values()].map(fh => fh.fd);
          for (const fd of fds) fs.fsyncSync(fd);
          const all = groups.flatMap(group => group.map(fh => fh.fd));
          all.forEach(fd => fs.fsyncSync(fd));
          const first = Array.from(logs.values(), fh => fh.fd);
          fs.fsyncSync(first[0] ?? -1);
          const own = (() => [...logs.values()][0]?.fd)();
          if (own !== undefined) fs.fsyncSync(own);
          await new Promise(resolve => setTimeout(resolve, 10));
          console.log(\`synced \${fds.length} logs, fds \${fds.join(', ')}\`);
          return fds.length + all.length;
        }
      `,
    },
    {
      name: 'callbacks that return something derived from the raw handle (a comparison, text, a stat), not the handle',
      code: code`
        ${FH}
        export async function derived(handles: readonly FileHandle[]): Promise<unknown[]> {
          const open = handles.map(fh => fh.fd > 2);
          const labels = handles.map(fh => \`fd \${fh.fd}\`);
          const sizes = handles.map(fh => fs.fstatSync(fh.fd).size);
          const total = handles.reduce((sum, fh) => sum + fh.fd, 0);
          await handles[0]?.sync();
          return [open, labels, sizes, total];
        }
        export function sizes(handles: readonly FileHandle[]): number[] {
          return handles.map(fh => fs.fstatSync(fh.fd).size);
        }
      `,
    },
    {
      name: 'forEach, some, filter and find do not collect the raw value their callback returns',
      code: code`
        ${FH}
        export async function pick(handles: FileHandle[]): Promise<FileHandle[]> {
          handles.forEach(fh => {
            const fd = fh.fd;
            fs.fsyncSync(fd);
            return fd;
          });
          const any = handles.some(fh => fh.fd);
          const found = handles.find(fh => fh.fd);
          const open = handles.filter(fh => {
            const fd = fh.fd;
            return fd;
          });
          await found?.sync();
          return any ? open : [];
        }
      `,
    },
    {
      name: 'a collected result handed to postMessage (no-handle-adoption), printed, or given straight to a synchronous call',
      code: code`
        ${FH}
        import type { MessagePort } from 'node:worker_threads';
        declare function fsyncAll(fds: readonly number[]): void;
        export function share(handles: FileHandle[], port: MessagePort): void {
          port.postMessage(handles.map(fh => fh.fd));
          console.log(handles.map(fh => fh.fd));
          fsyncAll(handles.map(fh => fh.fd));
        }
      `,
    },
    {
      name: 'a collected result of a captured owner, inside a borrow of that owner',
      code: code`
        ${DEV}
        export async function twice(dev: Device): Promise<void> {
          dev.ref();
          try {
            const handles = [1, 2].map(() => dev.handle);
            await tick();
            handles.forEach(useHandle);
          } finally {
            dev.unref();
          }
        }
      `,
    },
    {
      name: 'a raw value used before each await of straight-line code and never after it, and later callbacks that only print it or hand it to a raw closer',
      code: code`
        ${FH}
        export async function steps(fh: FileHandle, other: FileHandle): Promise<void> {
          let fd = fh.fd;
          fs.fsyncSync(fd);
          await fh.sync();
          fd = other.fd;
          fs.fsyncSync(fd);
          await other.sync();
          const last = other.fd;
          setTimeout(() => console.log(last), 0);
          setTimeout(() => fs.closeSync(last), 0);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'a local written more often than there are live facts: only the write that reaches the use after the await',
      code: code`
        ${FH}
        export async function rewrite(fh: FileHandle, other: FileHandle): Promise<void> {
          let fd = fh.fd;
          fs.fsyncSync(fd);
          fd = other.fd;
          fs.fsyncSync(fd);
          fd = fh.fd;
          await fh.sync();
          fs.fsyncSync(fd);
          fd = other.fd;
          fs.fsyncSync(fd);
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 8, column: 8, data: fileHandle('await'), suggestions: [] }],
    },
    {
      name: 'a local written on both branches: the writes of both reach the use after the await, the one they overwrite does not',
      code: code`
        ${FH}
        export async function pick(fh: FileHandle, other: FileHandle, c: boolean): Promise<void> {
          let fd = fh.fd;
          fs.fsyncSync(fd);
          if (c) fd = other.fd;
          else fd = fh.fd;
          await fh.sync();
          fs.fsyncSync(fd);
          fd = other.fd;
          fs.fsyncSync(fd);
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 6, column: 15, data: fileHandle('await'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 7, column: 13, data: fileHandle('await'), suggestions: [] },
      ],
    },
    {
      name: 'a local read by two later callbacks with an await between: reported once, for the first callback',
      code: code`
        ${FH}
        export async function watch(fh: FileHandle, other: FileHandle, emitter: NodeJS.EventEmitter): Promise<void> {
          let fd = fh.fd;
          emitter.on('x', () => fs.fsyncSync(fd));
          await fh.sync();
          fs.fsyncSync(fd);
          emitter.on('y', () => fs.fsyncSync(fd));
          fd = other.fd;
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 4, column: 12, data: fileHandle('callback'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 9, column: 8, data: fileHandle('callback'), suggestions: [] },
      ],
    },
    {
      name: 'a local read in a loop before the await in its body: the loop brings the await to the read on the next round',
      code: code`
        ${FH}
        export async function each(fh: FileHandle, names: readonly string[]): Promise<void> {
          const fd = fh.fd;
          for (const name of names) {
            fs.fstatSync(fd);
            await fh.write(name);
          }
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 4, column: 14, data: fileHandle('await'), suggestions: [] }],
    },
    {
      name: 'a local read in a local function called before and after an await: the later call site is where the read runs',
      code: code`
        ${FH}
        export async function twice(fh: FileHandle): Promise<void> {
          const fd = fh.fd;
          const check = (): void => {
            fs.fstatSync(fd);
          };
          check();
          await fh.sync();
          check();
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 4, column: 14, data: fileHandle('await'), suggestions: [] }],
    },
    {
      name: 'later callbacks: a printing one first does not hide a later use, and one passing the local to an asynchronous call is a callback use',
      code: code`
        ${FH}
        export function later(fh: FileHandle, other: FileHandle, buf: Buffer): void {
          const fd = fh.fd;
          setTimeout(() => console.log(fd), 0);
          setTimeout(() => fs.fstatSync(fd), 0);
          const copy = other.fd;
          setTimeout(() => fs.read(copy, buf, 0, 1, 0, () => {}), 0);
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 4, column: 14, data: fileHandle('callback'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 7, column: 16, data: fileHandle('callback'), suggestions: [] },
      ],
    },
    {
      name: 'blocks that each read a raw fd, copy it into a local read by a later listener, then await: every block reported once, for its listener',
      code: code`
        ${FH}
        export async function blocks(first: FileHandle, second: FileHandle, emitter: NodeJS.EventEmitter): Promise<void> {
          let prev = -1;
          const a = first.fd;
          const copyA = a;
          emitter.on('x', () => { fs.fstatSync(copyA); fs.fstatSync(prev); });
          prev = a;
          await first.sync();
          const b = second.fd;
          const copyB = b;
          emitter.on('x', () => { fs.fstatSync(copyB); fs.fstatSync(prev); });
          prev = b;
          await second.sync();
          fs.fstatSync(b);
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 5, column: 13, data: fileHandle('callback'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 10, column: 13, data: fileHandle('callback'), suggestions: [] },
      ],
    },
    {
      name: 'a collected result (map) held in a local and used after an await, or in a later callback',
      code: code`
        ${FH}
        declare function sleep(ms: number): Promise<void>;
        export async function syncAllLater(logs: ReadonlyMap<string, FileHandle>, gapMs: number): Promise<void> {
          const fds = [...logs.values()].map(fh => fh.fd);
          await sleep(gapMs);
          for (const fd of fds) fs.fsyncSync(fd);
        }
        export function syncSoon(handles: FileHandle[]): void {
          const fds = handles.map(fh => {
            return fh.fd;
          });
          setTimeout(() => fds.forEach(fd => fs.fsyncSync(fd)), 10);
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 5, column: 44, data: fileHandle('await'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 11, column: 12, data: fileHandle('callback'), suggestions: [] },
      ],
    },
    {
      name: 'a collected result returned (a generic owner array), stored in a field (nested flatMap/map) or an outer variable (Array.from)',
      code: code`
        ${FH}
        let lastFds: number[] = [];
        export function snapshotFds<T extends FileHandle>(handles: readonly T[]): number[] {
          return handles.map(h => h.fd);
        }
        export class Snapshot {
          readonly fds: number[];
          constructor(groups: FileHandle[][]) {
            this.fds = groups.flatMap(group => group.map(fh => fh.fd));
          }
        }
        export function remember(handles: Set<FileHandle>): void {
          lastFds = Array.from(handles, fh => fh.fd);
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 5, column: 27, data: fileHandle('returned'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 10, column: 56, data: fileHandle('field'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 14, column: 39, data: fileHandle('outer'), suggestions: [] },
      ],
    },
    {
      name: 'a holder returned from a map callback, a holder captured by a map callback, an IIFE result and a reduce result',
      code: code`
        ${FH}
        export function checked(handles: FileHandle[]): number[] {
          return handles.map(fh => {
            const fd = fh.fd;
            fs.fsyncSync(fd);
            return fd;
          });
        }
        export async function copies(fh: FileHandle): Promise<void> {
          const fd = fh.fd;
          const both = [1, 2].map(() => fd);
          await fh.sync();
          both.forEach(each => fs.fsyncSync(each));
        }
        export async function once(fh: FileHandle): Promise<void> {
          const fd = (() => fh.fd)();
          await fh.sync();
          fs.fsyncSync(fd);
        }
        export function collect(handles: FileHandle[]): number[] {
          return handles.reduce<number[]>((fds, fh) => [...fds, fh.fd], []);
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 5, column: 16, data: fileHandle('returned'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 11, column: 14, data: fileHandle('await'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 17, column: 21, data: fileHandle('await'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 22, column: 57, data: fileHandle('returned'), suggestions: [] },
      ],
    },
    {
      name: 'a collected result passed straight to an asynchronous operation',
      code: code`
        ${FH}
        declare function sendAll(fds: number[]): Promise<void>;
        export async function send(handles: FileHandle[]): Promise<void> {
          await sendAll(handles.map(fh => fh.fd));
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 5, column: 35, data: fileHandle('asyncCall'), suggestions: [] }],
    },
    {
      name: 'a collected result of callback parameters is not covered by a borrow of an outer owner of the same name',
      code: code`
        ${DEV}
        declare const dev: Device;
        export async function all(devices: Device[]): Promise<void> {
          dev.ref();
          try {
            const handles = devices.map(dev => dev.handle);
            await tick();
            handles.forEach(useHandle);
          } finally {
            dev.unref();
          }
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 8, column: 40, data: device('await'), suggestions: [] }],
    },
    {
      name: 'a local holding the raw fd is used after an await',
      code: code`
        ${FH}
        export async function readLater(fh: FileHandle): Promise<Buffer> {
          const fd = fh.fd;
          await fh.stat();
          const buffer = Buffer.alloc(16);
          fs.readSync(fd, buffer);
          return buffer;
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 4, column: 14, data: fileHandle('await'), suggestions: [] }],
    },
    {
      name: 'used after a yield, and after the implicit await of for await',
      code: code`
        ${FH}
        export function* chunks(fh: FileHandle): Generator<number> {
          const fd = fh.fd;
          yield 1;
          fs.fsyncSync(fd);
        }
        export async function lines(fh: FileHandle, source: AsyncIterable<string>): Promise<void> {
          const fd = fh.fd;
          for await (const line of source) fs.writeSync(fd, line);
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 4, column: 14, data: fileHandle('await'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 9, column: 14, data: fileHandle('await'), suggestions: [] },
      ],
    },
    {
      name: 'read inside a deferred callback and then held across an await, stored in an outer object or captured by a later callback',
      code: code`
        ${FH}
        export function later(fh: FileHandle, sink: { fd: number }): void {
          setImmediate(async () => {
            const fd = fh.fd;
            await fh.sync();
            fs.fsyncSync(fd);
          });
          fh.readFile().then(() => {
            sink.fd = fh.fd;
          });
          setTimeout(() => {
            const fd = fh.fd;
            process.nextTick(() => fs.fsyncSync(fd));
          });
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 5, column: 16, data: fileHandle('await'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 10, column: 15, data: fileHandle('field'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 13, column: 16, data: fileHandle('callback'), suggestions: [] },
      ],
    },
    {
      name: 'a local holding the raw fd is captured by a callback and a returned closure',
      code: code`
        ${FH}
        export function watch(fh: FileHandle, emitter: NodeJS.EventEmitter): () => void {
          const fd = fh.fd;
          emitter.on('tick', () => fs.fsyncSync(fd));
          const other = fh.fd;
          return () => fs.fsyncSync(other);
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 4, column: 14, data: fileHandle('callback'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 6, column: 17, data: fileHandle('callback'), suggestions: [] },
      ],
    },
    {
      name: 'stored in a field: this.fd = fh.fd, and a class field initializer',
      code: code`
        ${FH}
        declare const shared: FileHandle;
        export class Log {
          readonly sharedFd = shared.fd;
          fd: number;
          constructor(fh: FileHandle) {
            this.fd = fh.fd;
          }
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 5, column: 23, data: fileHandle('field'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 8, column: 15, data: fileHandle('field'), suggestions: [] },
      ],
    },
    {
      name: 'stored in a module-level variable and in a parameter object',
      code: code`
        ${FH}
        let current: number;
        export function remember(fh: FileHandle, into: { fd: number }): void {
          current = fh.fd;
          into.fd = fh.fd;
          fs.fsyncSync(current);
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 5, column: 13, data: fileHandle('outer'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 6, column: 13, data: fileHandle('field'), suggestions: [] },
      ],
    },
    {
      name: 'returned: from a function, a getter and an arrow body',
      code: code`
        ${FH}
        export function rawFd(fh: FileHandle): number {
          return fh.fd;
        }
        export class Wrapper {
          constructor(private readonly fh: FileHandle) {}
          get fd(): number {
            return this.fh.fd;
          }
          readonly fdOf = (other: FileHandle): number => other.fd;
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 4, column: 10, data: fileHandle('returned'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 9, column: 12, data: fileHandle('returned'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 11, column: 50, data: fileHandle('returned'), suggestions: [] },
      ],
    },
    {
      name: 'passed to a callback-style fs call that uses it after the statement',
      code: code`
        ${FH}
        export function readAsync(fh: FileHandle, done: (error: Error | null) => void): void {
          fs.read(fh.fd, Buffer.alloc(16), 0, 16, null, error => done(error));
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 4, column: 11, data: fileHandle('asyncCall'), suggestions: [] }],
    },
    {
      name: 'addon handle used after an await: suggestion wraps the read to the last use in a borrow',
      code: code`
        ${DEV}
        export async function send(dev: Device): Promise<void> {
          const handle = dev.handle;
          await tick();
          useHandle(handle);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleOutlives',
          line: 5,
          column: 18,
          data: device('await'),
          suggestions: [
            {
              messageId: 'wrapInBorrow',
              data: { object: 'dev', addRef: 'ref', release: 'unref' },
              output: code`
                ${DEV}
                export async function send(dev: Device): Promise<void> {
                  dev.ref();
                  try {
                    const handle = dev.handle;
                    await tick();
                    useHandle(handle);
                  } finally {
                    dev.unref();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: in a CRLF file, addon handle used after an await: suggestion wraps the read to the last use in a borrow (the edit keeps CRLF)',
      code: crlf(code`
        ${DEV}
        export async function send(dev: Device): Promise<void> {
          const handle = dev.handle;
          await tick();
          useHandle(handle);
        }
      `),
      output: null,
      errors: [
        {
          messageId: 'rawHandleOutlives',
          line: 5,
          column: 18,
          data: device('await'),
          suggestions: [
            {
              messageId: 'wrapInBorrow',
              data: { object: 'dev', addRef: 'ref', release: 'unref' },
              output: crlf(code`
                ${DEV}
                export async function send(dev: Device): Promise<void> {
                  dev.ref();
                  try {
                    const handle = dev.handle;
                    await tick();
                    useHandle(handle);
                  } finally {
                    dev.unref();
                  }
                }
              `),
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: a bracket already written with the release outside a finally: the suggestion reuses it (no second borrow)',
      code: code`
        ${DEV}
        export async function send(dev: Device): Promise<void> {
          dev.ref();
          const handle = dev.handle;
          await tick();
          useHandle(handle);
          dev.unref();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleOutlives',
          line: 6,
          column: 18,
          data: device('await'),
          suggestions: [
            {
              messageId: 'wrapInBorrow',
              data: { object: 'dev', addRef: 'ref', release: 'unref' },
              output: code`
                ${DEV}
                export async function send(dev: Device): Promise<void> {
                  dev.ref();
                  try {
                    const handle = dev.handle;
                    await tick();
                    useHandle(handle);
                  } finally {
                    dev.unref();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: a borrow taken before the read but released elsewhere: no suggestion (a second borrow would not balance)',
      code: code`
        ${DEV}
        export async function send(dev: Device): Promise<void> {
          dev.ref();
          const handle = dev.handle;
          await tick();
          useHandle(handle);
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 6, column: 18, data: device('await'), suggestions: [] }],
    },
    {
      name: 'an awaited asynchronous call without a borrow, on a private field',
      code: code`
        ${DEV}
        declare function pollAsync(handle: number): Promise<void>;
        export class Poller {
          readonly #dev: Device;
          constructor(dev: Device) {
            this.#dev = dev;
          }
          async poll(): Promise<void> {
            await pollAsync(this.#dev.handle);
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleOutlives',
          line: 11,
          column: 21,
          data: device('asyncCall'),
          suggestions: [
            {
              messageId: 'wrapInBorrow',
              data: { object: 'this.#dev', addRef: 'ref', release: 'unref' },
              output: code`
                ${DEV}
                declare function pollAsync(handle: number): Promise<void>;
                export class Poller {
                  readonly #dev: Device;
                  constructor(dev: Device) {
                    this.#dev = dev;
                  }
                  async poll(): Promise<void> {
                    this.#dev.ref();
                    try {
                      await pollAsync(this.#dev.handle);
                    } finally {
                      this.#dev.unref();
                    }
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'addRef taken only after the await, and a use after the release',
      code: code`
        ${DEV}
        export async function late(dev: Device): Promise<void> {
          const handle = dev.handle;
          await tick();
          dev.ref();
          try {
            useHandle(handle);
          } finally {
            dev.unref();
          }
        }
        export async function released(dev: Device): Promise<void> {
          let handle = -1;
          dev.ref();
          try {
            handle = dev.handle;
            await tick();
          } finally {
            dev.unref();
          }
          useHandle(handle);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleOutlives',
          line: 5,
          column: 18,
          data: device('await'),
          suggestions: [
            {
              messageId: 'wrapInBorrow',
              data: { object: 'dev', addRef: 'ref', release: 'unref' },
              output: code`
                ${DEV}
                export async function late(dev: Device): Promise<void> {
                  dev.ref();
                  try {
                    const handle = dev.handle;
                    await tick();
                    dev.ref();
                    try {
                      useHandle(handle);
                    } finally {
                      dev.unref();
                    }
                  } finally {
                    dev.unref();
                  }
                }
                export async function released(dev: Device): Promise<void> {
                  let handle = -1;
                  dev.ref();
                  try {
                    handle = dev.handle;
                    await tick();
                  } finally {
                    dev.unref();
                  }
                  useHandle(handle);
                }
              `,
            },
          ],
        },
        { messageId: 'rawHandleOutlives', line: 18, column: 14, data: device('await'), suggestions: [] },
      ],
    },
    {
      name: 'a borrow of a parameter does not cover a loop variable that shadows it',
      code: code`
        ${DEV}
        export async function shadowed(dev: Device, others: Device[]): Promise<void> {
          dev.ref();
          try {
            for (const dev of others) {
              const handle = dev.handle;
              await tick();
              useHandle(handle);
            }
          } finally {
            dev.unref();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleOutlives',
          line: 8,
          column: 22,
          data: device('await'),
          suggestions: [
            {
              messageId: 'wrapInBorrow',
              data: { object: 'dev', addRef: 'ref', release: 'unref' },
              output: code`
                ${DEV}
                export async function shadowed(dev: Device, others: Device[]): Promise<void> {
                  dev.ref();
                  try {
                    for (const dev of others) {
                      dev.ref();
                      try {
                        const handle = dev.handle;
                        await tick();
                        useHandle(handle);
                      } finally {
                        dev.unref();
                      }
                    }
                  } finally {
                    dev.unref();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'tagged interface (Channel) and an inline declare module owner after an await',
      code: code`
        import type { Channel, Port } from 'native-addon-stub';
        declare module 'native-addon-stub' {
          /** @nativeResource */
          export interface Port {
            /** @rawHandle */
            readonly handle: bigint;
            flush(): Promise<void>;
            close(): void;
          }
        }
        declare function drain(fd: number | bigint): void;
        export async function pump(channel: Channel, port: Port): Promise<void> {
          const fd = channel.fd;
          const handle = port.handle;
          await channel.receive();
          drain(fd);
          await port.flush();
          drain(handle);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleOutlives',
          line: 13,
          column: 14,
          data: {
            owner: 'Channel',
            member: 'fd',
            how: HOW.await,
            remedy: "Use the Channel's own methods, or pass the Channel itself, instead of the raw handle.",
          },
          suggestions: [],
        },
        {
          messageId: 'rawHandleOutlives',
          line: 14,
          column: 18,
          data: {
            owner: 'Port',
            member: 'handle',
            how: HOW.await,
            remedy: "Use the Port's own methods, or pass the Port itself, instead of the raw handle.",
          },
          suggestions: [],
        },
      ],
    },
    {
      name: 'generic owner, destructuring, an alias and an owner from a Map after an await',
      code: code`
        ${FH}
        export async function generic<T extends FileHandle>(fh: T): Promise<void> {
          const { fd } = fh;
          await fh.sync();
          fs.fsyncSync(fd);
        }
        export class Pool {
          private readonly open = new Map<string, FileHandle>();
          async flush(id: string): Promise<void> {
            const fd = this.open.get(id)!.fd;
            const copy = fd;
            await Promise.resolve();
            fs.fsyncSync(copy);
          }
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 4, column: 11, data: fileHandle('await'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 11, column: 16, data: fileHandle('await'), suggestions: [] },
      ],
    },
    {
      name: 'union with undefined and optional chaining: reported, no suggestion',
      code: code`
        ${DEV}
        export async function maybe(dev: Device | undefined): Promise<void> {
          const handle = dev?.handle;
          await tick();
          if (handle !== undefined) useHandle(handle);
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 5, column: 18, data: device('await'), suggestions: [] }],
    },
    {
      name: 'a read on one loop iteration used after the await of the previous one',
      code: code`
        ${FH}
        export async function previous(handles: FileHandle[]): Promise<void> {
          let last = -1;
          for (const fh of handles) {
            if (last >= 0) fs.fsyncSync(last);
            last = fh.fd;
            await fh.sync();
          }
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 7, column: 12, data: fileHandle('await'), suggestions: [] }],
    },
    {
      name: 'no suggestion when a const declared between the read and the last use is used after it',
      code: code`
        ${DEV}
        export async function measure(dev: Device): Promise<number> {
          const handle = dev.handle;
          const started = Date.now();
          await tick();
          useHandle(handle);
          return Date.now() - started;
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 5, column: 18, data: device('await'), suggestions: [] }],
    },
    {
      name: 'used after an await through a local function and inside a synchronous callback',
      code: code`
        ${FH}
        export async function writeAll(fh: FileHandle): Promise<void> {
          const fd = fh.fd;
          const write = (text: string) => fs.writeSync(fd, text);
          await fh.sync();
          write('header');
        }
        export async function eachLine(fh: FileHandle, lines: string[]): Promise<void> {
          const fd = fh.fd;
          await fh.sync();
          lines.forEach(line => fs.writeSync(fd, line));
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 4, column: 14, data: fileHandle('await'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 10, column: 14, data: fileHandle('await'), suggestions: [] },
      ],
    },
    {
      name: 'read in a loop before an await: the next iteration reads it after the await (a const the flow still follows)',
      code: code`
        ${FH}
        export async function everyRound(fh: FileHandle, n: number): Promise<void> {
          const fd = fh.fd;
          for (let i = 0; i < n; i++) {
            fs.fsyncSync(fd);
            await fh.sync();
          }
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 4, column: 14, data: fileHandle('await'), suggestions: [] }],
    },
    {
      name: 'module code: after a top-level await, and in a function that captures the local',
      code: code`
        import { open } from 'node:fs/promises';
        import * as fs from 'node:fs';
        const fh = await open('data.bin');
        const fd = fh.fd;
        fs.fsyncSync(fd);
        await fh.sync();
        fs.fsyncSync(fd);
        const other = fh.fd;
        export function size(): number {
          return fs.fstatSync(other).size;
        }
      `,
      output: null,
      errors: [
        { messageId: 'rawHandleOutlives', line: 4, column: 12, data: fileHandle('await'), suggestions: [] },
        { messageId: 'rawHandleOutlives', line: 8, column: 15, data: fileHandle('callback'), suggestions: [] },
      ],
    },
  ],
});

createRuleTester(QUEUE_SETTINGS).run('no-unguarded-raw-handle (configured owner with a method rawHandle)', rule, {
  valid: [
    {
      name: 'configured rawHandle method inside a borrow',
      code: code`
        import { Queue } from 'native-addon-stub';
        declare function useHandle(handle: number): void;
        export async function drain(q: Queue): Promise<void> {
          q.ref();
          try {
            const handle = q.getHandle();
            await q.pop();
            useHandle(handle);
          } finally {
            q.unref();
          }
        }
      `,
    },
    {
      name: 'configured rawHandle method read in a callback and used in the same statement',
      code: code`
        import { Queue } from 'native-addon-stub';
        declare function useHandle(handle: number): void;
        export function later(q: Queue): void {
          process.nextTick(() => useHandle(q.getHandle()));
        }
      `,
    },
    {
      name: 'configured guard checked in a callback and after an await, and a method reference that is not called',
      code: code`
        import { Queue } from 'native-addon-stub';
        declare function useHandle(handle: number): void;
        export function later(q: Queue): void {
          setTimeout(() => {
            if (q.isShutdown) return;
            useHandle(q.getHandle());
          });
          const getter: () => number = () => 0;
          useHandle(getter());
        }
        export async function checked(q: Queue): Promise<void> {
          const handle = q.getHandle();
          await q.pop();
          if (q.isShutdown) return;
          useHandle(handle);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'configured rawHandle method: the call result used after an await, with a suggestion',
      code: code`
        import { Queue } from 'native-addon-stub';
        declare function useHandle(handle: number): void;
        export async function drain(q: Queue): Promise<void> {
          const handle = q.getHandle();
          await q.pop();
          useHandle(handle);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleOutlives',
          line: 4,
          column: 18,
          data: {
            owner: 'Queue',
            member: 'getHandle()',
            how: HOW.await,
            remedy:
              "Hold a borrow across every use (`ref()` before the read and `unref()` in a `finally` after the last use), or use the Queue's own methods instead of the raw handle.",
          },
          suggestions: [
            {
              messageId: 'wrapInBorrow',
              data: { object: 'q', addRef: 'ref', release: 'unref' },
              output: code`
                import { Queue } from 'native-addon-stub';
                declare function useHandle(handle: number): void;
                export async function drain(q: Queue): Promise<void> {
                  q.ref();
                  try {
                    const handle = q.getHandle();
                    await q.pop();
                    useHandle(handle);
                  } finally {
                    q.unref();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'configured rawHandle method returned (the same-statement use before it is fine)',
      code: code`
        import { Queue } from 'native-addon-stub';
        declare function useHandle(handle: number): void;
        export function expose(q: Queue): number {
          useHandle(q.getHandle());
          return q.getHandle();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleOutlives',
          line: 5,
          column: 10,
          data: {
            owner: 'Queue',
            member: 'getHandle()',
            how: HOW.returned,
            remedy:
              "Hold a borrow across every use (`ref()` before the read and `unref()` in a `finally` after the last use), or use the Queue's own methods instead of the raw handle.",
          },
          suggestions: [],
        },
      ],
    },
  ],
});

// -------------------------------------------------------------------------------------------
// Known native packages (docs/packages.md, docs/packages.md): serialport's binding ports own `fd`.

createRuleTester().run('no-unguarded-raw-handle: serialport', rule, {
  valid: [
    {
      name: "serialport: a binding port's fd used by synchronous statements before the next await",
      code: code`
        import { autoDetect } from '@serialport/bindings-cpp';
        import * as fs from 'node:fs';
        export async function portMode(path: string): Promise<number> {
          const port = await autoDetect().open({ path, baudRate: 9600 });
          const fd = port.fd;
          const mode = fd === null ? -1 : fs.fstatSync(fd).mode;
          await port.flush();
          return mode;
        }
      `,
    },
  ],
  invalid: [
    {
      // @serialport/bindings-cpp 13.0.1 dist/linux.js: close() sets fd to null and closes the number, which the OS may hand out again.
      name: "serialport: a binding port's fd used after an await",
      code: code`
        import { autoDetect } from '@serialport/bindings-cpp';
        import * as fs from 'node:fs';
        export async function portMode(path: string): Promise<number> {
          const port = await autoDetect().open({ path, baudRate: 9600 });
          const fd = port.fd;
          await port.flush();
          return fd === null ? -1 : fs.fstatSync(fd).mode;
        }
      `,
      output: null,
      errors: [{ messageId: 'rawHandleOutlives', line: 5, column: 14, suggestions: [] }],
    },
  ],
});
