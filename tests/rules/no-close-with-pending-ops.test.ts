import rule from '../../src/rules/no-close-with-pending-ops.js';
import { rawCode as code, crlf } from '../code.js';
import { createRuleTester } from '../ruleTester.js';

const FH = "import { open, opendir, type FileHandle } from 'node:fs/promises';";
const DEV = "import { Device } from 'native-addon-stub';";
const DGRAM = "import * as dgram from 'node:dgram';";

const FILEHANDLE_ADVICE =
  'a FileHandle read cannot be cancelled (a read already running in the thread pool finishes first); for a pipe or device open the fd non-blocking and wrap it in net.Socket (a tty fd in tty.ReadStream), whose destroy() cancels at once';
const DIR_ADVICE = 'fs.Dir has no way to cancel a pending read()';
const DGRAM_ADVICE = 'a dgram send cannot be cancelled; close inside its callback instead';

/** An addon database declared inline (tagged, no cancel member): `closeSync()` is the synchronous twin of `close()`. */
function dbModule(imports: string): string {
  return [
    `import ${imports} from 'native-addon-stub';`,
    "declare module 'native-addon-stub' {",
    '  /** @nativeResource */',
    '  export interface Database {',
    '    run(sql: string): void;',
    '    exec(sql: string, callback: (err: Error | null) => void): void;',
    '    backup(destination: string): Promise<void>;',
    '    flush(): Promise<void>;',
    '    flushSync(): void;',
    '    close(): Promise<void>;',
    '    closeSync(): void;',
    '  }',
    '}',
  ].join('\n');
}
const DB = dbModule('type { Database }');
const DB_ADVICE =
  'Database has no cancel-role member; give it one (tag a method `@cancel` or configure `cancel` in settings) or pass an AbortSignal to the operation';

const QUEUE_SETTINGS = {
  'native-handle': {
    resources: [
      {
        type: { from: 'package', package: 'native-addon-stub', name: 'Queue' },
        close: 'shutdown',
        cancel: 'cancel',
      },
    ],
  },
};

/** Data of a `pendingOp*` message. */
function pending(close: string, owner: string, operation: string, remedy: { cancel: string } | { advice: string }) {
  return { close, owner, operation, ...remedy };
}

/** Data of a `storedOp*` message. */
function stored(close: string, owner: string, method: string, holder: string, remedy: { cancel: string } | { advice: string }) {
  return { close, owner, method, holder, ...remedy };
}

const ruleTester = createRuleTester();

ruleTester.run('no-close-with-pending-ops', rule, {
  valid: [
    {
      name: 'a read awaited at once before the close',
      code: code`
        ${FH}
        export async function head(path: string): Promise<Buffer> {
          const fh = await open(path, 'r');
          const buf = Buffer.alloc(16);
          await fh.read(buf, 0, 16, 0);
          await fh.close();
          return buf;
        }
      `,
    },
    {
      name: 'a read kept in a variable and awaited before the close',
      code: code`
        ${FH}
        export async function head(fh: FileHandle): Promise<number> {
          const pending = fh.read(Buffer.alloc(16), 0, 16, 0);
          const { bytesRead } = await pending;
          await fh.close();
          return bytesRead;
        }
      `,
    },
    {
      name: 'reads joined with an awaited Promise.allSettled before the close, inside try/finally',
      code: code`
        ${FH}
        export async function twoParts(path: string): Promise<number> {
          const fh = await open(path, 'r');
          const [head, next] = [Buffer.alloc(4), Buffer.alloc(4)];
          try {
            const first = fh.read(head, 0, 4, 0);
            const second = fh.read(next, 0, 4, 4);
            const results = await Promise.allSettled([first, second]);
            return results.length;
          } finally {
            await fh.close();
          }
        }
      `,
    },
    {
      name: 'reads pushed in a loop and settled with Promise.allSettled before the close',
      code: code`
        ${FH}
        export async function chunks(fh: FileHandle, count: number): Promise<void> {
          const reads: Promise<unknown>[] = [];
          for (let index = 0; index < count; index++) {
            reads.push(fh.read(Buffer.alloc(8), 0, 8, index * 8));
          }
          await Promise.allSettled(reads);
          await fh.close();
        }
      `,
    },
    {
      name: 'a pending read awaited through .catch() before the close',
      code: code`
        ${FH}
        export async function quiet(fh: FileHandle): Promise<void> {
          const reading = fh.read(Buffer.alloc(8));
          await reading.catch(() => undefined);
          await fh.close();
        }
      `,
    },
    {
      name: 'cancel-role call before the close (tagged Device from the stub package)',
      code: code`
        ${DEV}
        export async function stop(dev: Device): Promise<void> {
          const next = dev.read(64);
          dev.cancel();
          await dev.close();
          await next.catch(() => undefined);
        }
      `,
    },
    {
      name: 'readFile given a signal, aborted before the close',
      code: code`
        ${FH}
        export async function stop(fh: FileHandle): Promise<void> {
          const controller = new AbortController();
          const contents = fh.readFile({ signal: controller.signal });
          controller.abort();
          await fh.close();
          await contents.catch(() => undefined);
        }
      `,
    },
    {
      name: 'a member that both closes and cancels (destroy) is not a finding',
      code: code`
        import type { Pty } from 'native-addon-stub';
        declare module 'native-addon-stub' {
          /** @nativeResource */
          export interface Pty {
            read(): Promise<string>;
            /** @close @cancel */
            destroy(): void;
          }
        }
        export function kill(pty: Pty): void {
          void pty.read();
          pty.destroy();
        }
      `,
    },
    {
      name: 'an operation on a different owner',
      code: code`
        ${FH}
        export async function copyHead(source: FileHandle, target: FileHandle): Promise<void> {
          const pending = source.read(Buffer.alloc(8));
          await target.close();
          await pending;
        }
      `,
    },
    {
      name: 'read and close on a type that is not an owner',
      code: code`
        class Reader {
          read(): Promise<string> {
            return Promise.resolve('');
          }
          close(): Promise<void> {
            return Promise.resolve();
          }
        }
        export async function drain(reader: Reader): Promise<void> {
          void reader.read();
          await reader.close();
        }
      `,
    },
    {
      name: 'a write is not a pending operation (close waits for writes, which finish on their own)',
      code: code`
        ${FH}
        export async function save(fh: FileHandle, data: string): Promise<void> {
          void fh.write(data);
          await fh.close();
        }
      `,
    },
    {
      name: 'dgram send without a callback',
      code: code`
        ${DGRAM}
        export function ping(port: number): void {
          const sock = dgram.createSocket('udp4');
          sock.send('ping', port, 'localhost');
          sock.close();
        }
      `,
    },
    {
      name: 'dgram close inside the send callback',
      code: code`
        ${DGRAM}
        export function ping(port: number): void {
          const sock = dgram.createSocket('udp4');
          sock.send('ping', port, 'localhost', () => {
            sock.close();
          });
        }
      `,
    },
    {
      name: 'the operation starts on a branch that returns',
      code: code`
        ${FH}
        export async function maybe(fh: FileHandle, peek: boolean): Promise<unknown> {
          if (peek) {
            const result = fh.read(Buffer.alloc(1));
            return result;
          }
          await fh.close();
          return undefined;
        }
      `,
    },
    {
      name: 'an any-typed value is not an owner',
      code: code`
        export async function loose(handle: any): Promise<void> {
          void handle.read();
          await handle.close();
        }
      `,
    },
    {
      name: 'the owner variable is reassigned before the close',
      code: code`
        ${FH}
        export async function swap(first: string, second: string): Promise<void> {
          let fh = await open(first, 'r');
          const stale = fh.read(Buffer.alloc(8));
          fh = await open(second, 'r');
          await fh.close();
          await stale;
        }
      `,
    },
    {
      name: 'a shadowing variable of the same name is another owner',
      code: code`
        ${FH}
        export async function shadow(fh: FileHandle, other: string): Promise<void> {
          {
            const fh = await open(other, 'r');
            void fh.read(Buffer.alloc(8)).finally(() => fh.close());
          }
          await fh.close();
        }
      `,
    },
    {
      name: 'an operation started in a callback is not on the path of the close',
      code: code`
        ${FH}
        export async function later(fh: FileHandle): Promise<void> {
          setTimeout(() => {
            void fh.read(Buffer.alloc(8));
          }, 10);
          await fh.close();
        }
      `,
    },
    {
      name: 'return await inside try/finally settles the read before the finally runs',
      code: code`
        ${FH}
        export async function first(path: string): Promise<number> {
          const fh = await open(path, 'r');
          try {
            return (await fh.read(Buffer.alloc(8))).bytesRead;
          } finally {
            await fh.close();
          }
        }
      `,
    },
    {
      name: 'a read raced against a timeout, then awaited before the close',
      code: code`
        ${FH}
        declare function timeout(ms: number): Promise<never>;
        export async function bounded(fh: FileHandle): Promise<void> {
          const reading = fh.read(Buffer.alloc(8));
          await Promise.race([reading, timeout(100)]).catch(() => undefined);
          await reading;
          await fh.close();
        }
      `,
    },
    {
      name: 'configured owner (settings): operation awaited before shutdown',
      settings: QUEUE_SETTINGS,
      code: code`
        import { Queue } from 'native-addon-stub';
        export async function last(queue: Queue): Promise<string> {
          const item = await queue.pop();
          queue.shutdown();
          return item;
        }
      `,
    },
    {
      name: 'Device write with a completion callback, closed inside the callback',
      code: code`
        ${DEV}
        export function send(dev: Device, data: Uint8Array): void {
          dev.write(data, () => {
            void dev.close();
          });
        }
      `,
    },
    {
      name: 'fs.Dir read awaited in a loop before closeSync',
      code: code`
        ${FH}
        export async function names(path: string): Promise<string[]> {
          const dir = await opendir(path);
          const result: string[] = [];
          for (let entry = await dir.read(); entry !== null; entry = await dir.read()) result.push(entry.name);
          dir.closeSync();
          return result;
        }
      `,
    },
    {
      name: 'class: the close method awaits the stored operation first',
      code: code`
        ${FH}
        export class Tail {
          private pending: Promise<unknown> | undefined;
          constructor(private readonly fh: FileHandle) {}
          next(): void {
            this.pending = this.fh.read(Buffer.alloc(64));
          }
          async close(): Promise<void> {
            if (this.pending) await this.pending.catch(() => undefined);
            await this.fh.close();
          }
        }
      `,
    },
    {
      name: 'class: the close method cancels the stored operation first',
      code: code`
        ${DEV}
        export class Reader {
          private reading: Promise<Uint8Array> | undefined;
          constructor(private readonly dev: Device) {}
          start(): void {
            this.reading = this.dev.read(16);
          }
          async dispose(): Promise<void> {
            this.dev.cancel();
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'class: the close method aborts the controller whose signal the stored operation got',
      code: code`
        ${FH}
        export class Loader {
          readonly #controller = new AbortController();
          #contents: Promise<Buffer> | undefined;
          constructor(private readonly fh: FileHandle) {}
          load(): void {
            this.#contents = this.fh.readFile({ signal: this.#controller.signal });
          }
          async [Symbol.asyncDispose](): Promise<void> {
            this.#controller.abort();
            await this.fh.close();
          }
        }
      `,
    },
    {
      name: 'class: the close method calls a helper that awaits the stored operation',
      code: code`
        ${FH}
        export class Tail {
          private pending?: Promise<unknown>;
          constructor(private readonly fh: FileHandle) {}
          next(): void {
            this.pending = this.fh.read(Buffer.alloc(64));
          }
          private async drain(): Promise<void> {
            if (this.pending !== undefined) await this.pending;
          }
          async close(): Promise<void> {
            await this.drain();
            await this.fh.close();
          }
        }
      `,
    },
    {
      name: 'only a synchronous throw of the call that starts the read reaches the catch (it never started)',
      code: code`
        ${FH}
        export async function checked(path: string): Promise<number> {
          const fh = await open(path, 'r');
          try {
            const reading = fh.read(Buffer.alloc(8));
            return (await reading).bytesRead;
          } catch (error) {
            await fh.close();
            throw error;
          }
        }
      `,
    },
    {
      name: 'class: operations collected in a Set are settled by the close method',
      code: code`
        ${DEV}
        export class Pump {
          private readonly inflight = new Set<Promise<Uint8Array>>();
          constructor(private readonly dev: Device) {}
          pull(): void {
            this.inflight.add(this.dev.read(32));
          }
          async close(): Promise<void> {
            await Promise.allSettled([...this.inflight]);
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'each handle of a loop is read and closed in turn',
      code: code`
        ${FH}
        export async function sizes(paths: string[]): Promise<number> {
          let total = 0;
          for (const path of paths) {
            const fh = await open(path, 'r');
            const { bytesRead } = await fh.read(Buffer.alloc(64));
            total += bytesRead;
            await fh.close();
          }
          return total;
        }
      `,
    },
    {
      name: 'readline interface: question() and close() on a type that is not an owner',
      code: code`
        import * as readline from 'node:readline/promises';
        export async function ask(): Promise<string> {
          const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
          const answer = rl.question('name? ');
          rl.close();
          return answer;
        }
      `,
    },
    {
      name: 'net.Socket has no pending operations in the role table: write then destroy',
      code: code`
        import * as net from 'node:net';
        export function reset(sock: net.Socket): void {
          sock.write('bye');
          sock.destroy();
        }
      `,
    },
    {
      name: 'a backup assigned to a let on one branch is awaited before closeSync',
      code: code`
        ${DB}
        export async function closeAfterBackup(db: Database, mode: 'fast' | 'backup', dest: string): Promise<void> {
          let pending: Promise<void> | undefined;
          switch (mode) {
            case 'fast':
              break;
            case 'backup':
              pending = db.backup(dest);
              break;
          }
          await pending;
          db.closeSync();
        }
      `,
    },
    {
      name: 'flushSync is not a close: only the synchronous twin of a close-role member is one',
      code: code`
        ${DB}
        export async function flushWhileBackingUp(db: Database, dest: string): Promise<void> {
          const pending = db.backup(dest);
          db.flushSync();
          await pending;
          db.closeSync();
        }
      `,
    },
    {
      name: 'closeSync inside the completion callback of exec',
      code: code`
        ${DB}
        export function vacuumThenClose(db: Database, done: (err: Error | null) => void): void {
          db.exec('VACUUM', err => {
            db.closeSync();
            done(err);
          });
        }
      `,
    },
    {
      name: 'a synchronous method in try, closeSync in finally',
      code: code`
        ${DB}
        export function vacuumAndClose(db: Database, other: Database, done: (err: Error | null) => void): void {
          try {
            db.run('VACUUM');
            other.exec('VACUUM', done);
          } finally {
            db.closeSync();
          }
        }
      `,
    },
    {
      name: 'class with a parameter-property owner: close awaits the stored #private backup first',
      code: code`
        ${dbModule('{ Device, type Database }')}
        export class Archiver {
          #backup: Promise<void> | undefined;
          constructor(
            private readonly dev: Device,
            private readonly db: Database,
          ) {}
          archive(dest: string): void {
            this.#backup = this.db.backup(dest);
          }
          async close(): Promise<void> {
            await this.dev.close();
            await this.#backup;
            this.db.closeSync();
          }
        }
      `,
    },
    {
      name: 'class: the stored operation is on the owner the close method cancels, the other owner has none',
      code: code`
        ${dbModule('{ Device, type Database }')}
        export class Bridge {
          #pending: Promise<Uint8Array> | undefined;
          constructor(
            private readonly dev: Device,
            private readonly db: Database,
          ) {}
          pump(): void {
            this.#pending = this.dev.read(512);
          }
          async close(): Promise<void> {
            this.dev.cancel();
            await this.dev.close();
            this.db.closeSync();
          }
        }
      `,
    },
    {
      name: 'try/finally: the read is awaited after another await, not before it',
      code: code`
        ${DEV}
        export async function calibrate(dev: Device, settle: () => Promise<void>): Promise<Uint8Array> {
          try {
            await settle();
            return await dev.read(512);
          } finally {
            await dev.close();
          }
        }
      `,
    },
    {
      name: 'try/finally: an await of the read settles it on its throw edge too',
      code: code`
        ${FH}
        export async function first(fh: FileHandle): Promise<void> {
          try {
            const p = fh.read(Buffer.alloc(8));
            await p;
          } finally {
            await fh.close();
          }
        }
      `,
    },
    {
      name: 'try/catch: the catch is reached only if the call that starts the read throws',
      code: code`
        ${DEV}
        export async function poke(dev: Device): Promise<void> {
          try {
            void dev.read(64);
          } catch (error) {
            await dev.close();
            throw error;
          }
        }
      `,
    },
    {
      name: 'try/catch: the read promise is returned; only its own call throwing reaches the catch',
      code: code`
        ${DEV}
        export async function next(dev: Device): Promise<Uint8Array> {
          try {
            return dev.read(1);
          } catch (error) {
            await dev.close();
            throw error;
          }
        }
      `,
    },
    {
      name: 'Promise.all of one read in try/finally settles it on both edges',
      code: code`
        ${FH}
        export async function one(fh: FileHandle): Promise<number> {
          try {
            const reading = fh.read(Buffer.alloc(4));
            const [result] = await Promise.all([reading]);
            return result.bytesRead;
          } finally {
            await fh.close();
          }
        }
      `,
    },
    {
      name: 'Promise.all of two reads awaited before the close, no try: the close is only on the normal path',
      code: code`
        ${FH}
        export async function both(fh: FileHandle): Promise<void> {
          await Promise.all([fh.read(Buffer.alloc(4)), fh.read(Buffer.alloc(4))]);
          await fh.close();
        }
      `,
    },
    {
      name: 'a promise-returning call between starting the read and awaiting it rejects rather than throws',
      code: code`
        ${FH}
        declare function notify(message: string): Promise<void>;
        export async function first(fh: FileHandle): Promise<number> {
          try {
            const reading = fh.read(Buffer.alloc(8));
            const noted = notify('reading');
            const { bytesRead } = await reading;
            await noted;
            return bytesRead;
          } finally {
            await fh.close();
          }
        }
      `,
    },
    {
      name: 'class: the close method awaits the stored read through .catch() inside try/finally',
      code: code`
        ${FH}
        export class Tail {
          private pending: Promise<unknown> | undefined;
          constructor(private readonly fh: FileHandle) {}
          next(): void {
            this.pending = this.fh.read(Buffer.alloc(64));
          }
          async close(): Promise<void> {
            try {
              await this.pending?.catch(() => undefined);
            } finally {
              await this.fh.close();
            }
          }
        }
      `,
    },
    {
      name: 'a `let` copy of the owner written again names another FileHandle',
      code: code`
        ${FH}
        export async function other(fh: FileHandle, spare: FileHandle): Promise<unknown> {
          let handle = fh;
          handle = spare;
          const pending = handle.read(Buffer.alloc(8));
          await fh.close();
          return pending;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'FileHandle: a read kept in a variable is not awaited before the close',
      code: code`
        ${FH}
        export async function head(path: string): Promise<unknown> {
          const fh = await open(path, 'r');
          const pending = fh.read(Buffer.alloc(16), 0, 16, 0);
          await fh.close();
          return pending;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 5,
          column: 9,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'FileHandle: .then() without await leaves the read pending',
      code: code`
        ${FH}
        export async function log(fh: FileHandle): Promise<void> {
          fh.read(Buffer.alloc(8)).then(result => console.log(result.bytesRead), () => undefined);
          await fh.close();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 4,
          column: 9,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'FileHandle: readFile given a signal, closed without aborting (suggests abort)',
      code: code`
        ${FH}
        export async function stop(fh: FileHandle): Promise<void> {
          const controller = new AbortController();
          const contents = fh.readFile({ signal: controller.signal });
          await fh.close();
          await contents;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOp',
          line: 5,
          column: 9,
          data: pending('fh.close()', 'FileHandle', 'fh.readFile()', { cancel: '`controller.abort()`' }),
          suggestions: [
            {
              messageId: 'abortFirst',
              data: { call: 'controller.abort()' },
              output: code`
                ${FH}
                export async function stop(fh: FileHandle): Promise<void> {
                  const controller = new AbortController();
                  const contents = fh.readFile({ signal: controller.signal });
                  controller.abort();
                  await fh.close();
                  await contents;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: in a CRLF file, FileHandle: readFile given a signal, closed without aborting (suggests abort) (the edit keeps CRLF)',
      code: crlf(code`
        ${FH}
        export async function stop(fh: FileHandle): Promise<void> {
          const controller = new AbortController();
          const contents = fh.readFile({ signal: controller.signal });
          await fh.close();
          await contents;
        }
      `),
      output: null,
      errors: [
        {
          messageId: 'pendingOp',
          line: 5,
          column: 9,
          data: pending('fh.close()', 'FileHandle', 'fh.readFile()', { cancel: '`controller.abort()`' }),
          suggestions: [
            {
              messageId: 'abortFirst',
              data: { call: 'controller.abort()' },
              output: crlf(code`
                ${FH}
                export async function stop(fh: FileHandle): Promise<void> {
                  const controller = new AbortController();
                  const contents = fh.readFile({ signal: controller.signal });
                  controller.abort();
                  await fh.close();
                  await contents;
                }
              `),
            },
          ],
        },
      ],
    },
    {
      name: 'fs.Dir: read() pending at closeSync()',
      code: code`
        ${FH}
        export async function first(path: string): Promise<unknown> {
          const dir = await opendir(path);
          const entry = dir.read();
          dir.closeSync();
          return entry;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 5,
          column: 3,
          data: pending('dir.closeSync()', 'fs.Dir', 'dir.read()', { advice: DIR_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'dgram: close right after send with a callback',
      code: code`
        ${DGRAM}
        export function ping(port: number): void {
          const sock = dgram.createSocket('udp4');
          sock.send('ping', port, 'localhost', error => {
            if (error) console.error(error);
          });
          sock.close();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 7,
          column: 3,
          data: pending('sock.close()', 'dgram.Socket', 'sock.send()', { advice: DGRAM_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'tagged Device (stub package): read pending at close (suggests cancel)',
      code: code`
        ${DEV}
        export async function stop(dev: Device): Promise<Uint8Array> {
          const next = dev.read(64);
          await dev.close();
          return next;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOp',
          line: 4,
          column: 9,
          data: pending('dev.close()', 'Device', 'dev.read()', { cancel: '`dev.cancel()`' }),
          suggestions: [
            {
              messageId: 'cancelFirst',
              data: { call: 'dev.cancel()' },
              output: code`
                ${DEV}
                export async function stop(dev: Device): Promise<Uint8Array> {
                  const next = dev.read(64);
                  dev.cancel();
                  await dev.close();
                  return next;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'tagged owner declared inline with declare module, no cancel member',
      code: code`
        import type { Port } from 'native-addon-stub';
        declare module 'native-addon-stub' {
          /** @nativeResource */
          export interface Port {
            receive(): Promise<Uint8Array>;
            dispose(): void;
          }
        }
        export function shut(port: Port): void {
          void port.receive();
          port.dispose();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 11,
          column: 3,
          data: pending('port.dispose()', 'Port', 'port.receive()', {
            advice:
              'Port has no cancel-role member; give it one (tag a method `@cancel` or configure `cancel` in settings) or pass an AbortSignal to the operation',
          }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'configured owner (settings): pop() pending at shutdown() (suggests cancel)',
      settings: QUEUE_SETTINGS,
      code: code`
        import { Queue } from 'native-addon-stub';
        export function stop(queue: Queue): Promise<string> {
          const next = queue.pop();
          queue.shutdown();
          return next;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOp',
          line: 4,
          column: 3,
          data: pending('queue.shutdown()', 'Queue', 'queue.pop()', { cancel: '`queue.cancel()`' }),
          suggestions: [
            {
              messageId: 'cancelFirst',
              data: { call: 'queue.cancel()' },
              output: code`
                import { Queue } from 'native-addon-stub';
                export function stop(queue: Queue): Promise<string> {
                  const next = queue.pop();
                  queue.cancel();
                  queue.shutdown();
                  return next;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'class: a read stored on this is not cancelled or awaited by close()',
      code: code`
        ${FH}
        export class Tail {
          private pending: Promise<unknown> | undefined;
          constructor(private readonly fh: FileHandle) {}
          next(): void {
            this.pending = this.fh.read(Buffer.alloc(64));
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'storedOpNoCancel',
          line: 9,
          column: 11,
          data: stored('this.fh.close()', 'FileHandle', 'close', 'this.pending', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'class: a Device read stored on this, dispose() closes without cancel (suggests cancel)',
      code: code`
        ${DEV}
        export class Reader {
          private reading: Promise<Uint8Array> | undefined;
          constructor(private readonly dev: Device) {}
          start(): void {
            this.reading = this.dev.read(16);
          }
          async dispose(): Promise<void> {
            this.reading = undefined;
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'storedOp',
          line: 10,
          column: 11,
          data: stored('this.dev.close()', 'Device', 'dispose', 'this.reading', { cancel: '`this.dev.cancel()`' }),
          suggestions: [
            {
              messageId: 'cancelFirst',
              data: { call: 'this.dev.cancel()' },
              output: code`
                ${DEV}
                export class Reader {
                  private reading: Promise<Uint8Array> | undefined;
                  constructor(private readonly dev: Device) {}
                  start(): void {
                    this.reading = this.dev.read(16);
                  }
                  async dispose(): Promise<void> {
                    this.reading = undefined;
                    this.dev.cancel();
                    await this.dev.close();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'class: stored readFile with a #private controller, asyncDispose closes without abort (suggests abort)',
      code: code`
        ${FH}
        export class Loader {
          readonly #controller = new AbortController();
          #contents: Promise<Buffer> | undefined;
          constructor(private readonly fh: FileHandle) {}
          load(): void {
            this.#contents = this.fh.readFile({ signal: this.#controller.signal });
          }
          async [Symbol.asyncDispose](): Promise<void> {
            await this.fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'storedOp',
          line: 10,
          column: 11,
          data: stored('this.fh.close()', 'FileHandle', '[Symbol.asyncDispose]', 'this.#contents', {
            cancel: '`this.#controller.abort()`',
          }),
          suggestions: [
            {
              messageId: 'abortFirst',
              data: { call: 'this.#controller.abort()' },
              output: code`
                ${FH}
                export class Loader {
                  readonly #controller = new AbortController();
                  #contents: Promise<Buffer> | undefined;
                  constructor(private readonly fh: FileHandle) {}
                  load(): void {
                    this.#contents = this.fh.readFile({ signal: this.#controller.signal });
                  }
                  async [Symbol.asyncDispose](): Promise<void> {
                    this.#controller.abort();
                    await this.fh.close();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a read raced against a timeout stays pending when the timeout wins (try/finally)',
      code: code`
        ${FH}
        declare function timeout(ms: number): Promise<never>;
        export async function bounded(path: string): Promise<unknown> {
          const fh = await open(path, 'r');
          try {
            return await Promise.race([fh.read(Buffer.alloc(8)), timeout(1000)]);
          } finally {
            await fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 8,
          column: 11,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'returning the read promise from try: the finally closes before it settles',
      code: code`
        ${FH}
        export async function peek(fh: FileHandle): Promise<unknown> {
          try {
            return fh.read(Buffer.alloc(1));
          } finally {
            await fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 6,
          column: 11,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'Symbol.asyncDispose call as the close, generic parameter constrained to FileHandle',
      code: code`
        ${FH}
        export async function finish<T extends FileHandle>(fh: T): Promise<void> {
          void fh.readv([Buffer.alloc(4)]);
          await fh[Symbol.asyncDispose]();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 4,
          column: 9,
          data: pending('fh[Symbol.asyncDispose]()', 'FileHandle', 'fh.readv()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'union with undefined and an optional close call',
      code: code`
        ${DEV}
        export async function maybeStop(dev: Device | undefined): Promise<void> {
          const next = dev?.read(8);
          await dev?.close();
          await next;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOp',
          line: 4,
          column: 9,
          data: pending('dev?.close()', 'Device', 'dev?.read()', { cancel: '`dev?.cancel()`' }),
          suggestions: [
            {
              messageId: 'cancelFirst',
              data: { call: 'dev?.cancel()' },
              output: code`
                ${DEV}
                export async function maybeStop(dev: Device | undefined): Promise<void> {
                  const next = dev?.read(8);
                  dev?.cancel();
                  await dev?.close();
                  await next;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'private #field owner: read left loose then closed in the same method',
      code: code`
        ${FH}
        export class Log {
          #fh: FileHandle;
          constructor(fh: FileHandle) {
            this.#fh = fh;
          }
          async reset(): Promise<void> {
            void this.#fh.read(Buffer.alloc(8));
            await this.#fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 9,
          column: 11,
          data: pending('this.#fh.close()', 'FileHandle', 'this.#fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'reads pushed in a loop are never awaited before the close',
      code: code`
        ${FH}
        export async function chunks(fh: FileHandle, count: number): Promise<unknown[]> {
          const reads: Promise<unknown>[] = [];
          for (let index = 0; index < count; index++) {
            reads.push(fh.read(Buffer.alloc(8), 0, 8, index * 8));
          }
          await fh.close();
          return reads;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 7,
          column: 9,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'an alias of the owner starts the read',
      code: code`
        ${FH}
        export async function alias(fh: FileHandle): Promise<unknown> {
          const handle = fh;
          const pending = handle.read(Buffer.alloc(8));
          await fh.close();
          return pending;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 5,
          column: 9,
          data: pending('fh.close()', 'FileHandle', 'handle.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a `let` alias of the owner that is never written again starts the read',
      code: code`
        ${FH}
        export async function alias(fh: FileHandle): Promise<unknown> {
          let handle = fh;
          const pending = handle.read(Buffer.alloc(8));
          await fh.close();
          return pending;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 5,
          column: 9,
          data: pending('fh.close()', 'FileHandle', 'handle.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'destructured from this, closed through this',
      code: code`
        ${DEV}
        export class Session {
          constructor(private readonly dev: Device) {}
          async stop(): Promise<void> {
            const { dev } = this;
            const next = dev.read(4);
            await this.dev.close();
            await next;
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOp',
          line: 7,
          column: 11,
          data: pending('this.dev.close()', 'Device', 'dev.read()', { cancel: '`this.dev.cancel()`' }),
          suggestions: [
            {
              messageId: 'cancelFirst',
              data: { call: 'this.dev.cancel()' },
              output: code`
                ${DEV}
                export class Session {
                  constructor(private readonly dev: Device) {}
                  async stop(): Promise<void> {
                    const { dev } = this;
                    const next = dev.read(4);
                    this.dev.cancel();
                    await this.dev.close();
                    await next;
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'an owner taken from a Map',
      code: code`
        ${FH}
        export async function evict(handles: Map<string, FileHandle>, key: string): Promise<void> {
          const fh = handles.get(key);
          if (!fh) return;
          fh.read(Buffer.alloc(8)).catch(() => undefined);
          handles.delete(key);
          await fh.close();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 7,
          column: 9,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'top-level code: a Promise.all that is not awaited',
      code: code`
        ${FH}
        const fh = await open('/dev/stdin', 'r');
        const both = Promise.all([fh.read(Buffer.alloc(1)), fh.read(Buffer.alloc(1))]);
        await fh.close();
        export { both };
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 4,
          column: 7,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'the read starts on one branch only, the close is after the join',
      code: code`
        ${DEV}
        export async function maybePeek(dev: Device, peek: boolean): Promise<void> {
          let next: Promise<Uint8Array> | undefined;
          if (peek) next = dev.read(1);
          await dev.close();
          await next;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOp',
          line: 5,
          column: 9,
          data: pending('dev.close()', 'Device', 'dev.read()', { cancel: '`dev.cancel()`' }),
          suggestions: [
            {
              messageId: 'cancelFirst',
              data: { call: 'dev.cancel()' },
              output: code`
                ${DEV}
                export async function maybePeek(dev: Device, peek: boolean): Promise<void> {
                  let next: Promise<Uint8Array> | undefined;
                  if (peek) next = dev.read(1);
                  dev.cancel();
                  await dev.close();
                  await next;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'fs.Dir read with a callback, closed before the callback runs',
      code: code`
        ${FH}
        export async function peekEntry(path: string): Promise<void> {
          const dir = await opendir(path);
          dir.read((error, entry) => {
            console.log(error, entry?.name);
          });
          await dir.close();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 7,
          column: 9,
          data: pending('dir.close()', 'fs.Dir', 'dir.read()', { advice: DIR_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a close in a single-statement if body: the suggestion is left out (no block to insert into)',
      code: code`
        ${DEV}
        export async function stopIf(dev: Device, stop: boolean): Promise<Uint8Array> {
          const next = dev.read(2);
          if (stop) await dev.close();
          return next;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOp',
          line: 4,
          column: 19,
          data: pending('dev.close()', 'Device', 'dev.read()', { cancel: '`dev.cancel()`' }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a read raced against a timeout in try/catch: the catch closes while it runs',
      code: code`
        ${FH}
        declare function timeout(ms: number): Promise<never>;
        export async function bounded(fh: FileHandle): Promise<unknown> {
          try {
            const reading = fh.read(Buffer.alloc(8));
            await Promise.race([reading, timeout(100)]);
            return await reading;
          } catch (error) {
            await fh.close();
            throw error;
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 9,
          column: 11,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'an owner with a cancel method and an operation given a signal: both suggestions',
      code: code`
        import type { Pty } from 'native-addon-stub';
        declare module 'native-addon-stub' {
          /** @nativeResource */
          export interface Pty {
            read(options: { signal?: AbortSignal }): Promise<string>;
            /** @cancel */
            interrupt(): void;
            close(): void;
          }
        }
        export function stop(pty: Pty): Promise<string> {
          const ac = new AbortController();
          const line = pty.read({ signal: ac.signal });
          pty.close();
          return line;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOp',
          line: 14,
          column: 3,
          data: pending('pty.close()', 'Pty', 'pty.read()', { cancel: '`ac.abort()`' }),
          suggestions: [
            {
              messageId: 'abortFirst',
              data: { call: 'ac.abort()' },
              output: code`
                import type { Pty } from 'native-addon-stub';
                declare module 'native-addon-stub' {
                  /** @nativeResource */
                  export interface Pty {
                    read(options: { signal?: AbortSignal }): Promise<string>;
                    /** @cancel */
                    interrupt(): void;
                    close(): void;
                  }
                }
                export function stop(pty: Pty): Promise<string> {
                  const ac = new AbortController();
                  const line = pty.read({ signal: ac.signal });
                  ac.abort();
                  pty.close();
                  return line;
                }
              `,
            },
            {
              messageId: 'cancelFirst',
              data: { call: 'pty.interrupt()' },
              output: code`
                import type { Pty } from 'native-addon-stub';
                declare module 'native-addon-stub' {
                  /** @nativeResource */
                  export interface Pty {
                    read(options: { signal?: AbortSignal }): Promise<string>;
                    /** @cancel */
                    interrupt(): void;
                    close(): void;
                  }
                }
                export function stop(pty: Pty): Promise<string> {
                  const ac = new AbortController();
                  const line = pty.read({ signal: ac.signal });
                  pty.interrupt();
                  pty.close();
                  return line;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'class: operations collected in a Set, the close method does not settle them',
      code: code`
        ${DEV}
        export class Pump {
          private readonly inflight = new Set<Promise<Uint8Array>>();
          constructor(private readonly dev: Device) {}
          pull(): void {
            this.inflight.add(this.dev.read(32));
          }
          async close(): Promise<void> {
            this.inflight.clear();
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'storedOp',
          line: 10,
          column: 11,
          data: stored('this.dev.close()', 'Device', 'close', 'this.inflight', { cancel: '`this.dev.cancel()`' }),
          suggestions: [
            {
              messageId: 'cancelFirst',
              data: { call: 'this.dev.cancel()' },
              output: code`
                ${DEV}
                export class Pump {
                  private readonly inflight = new Set<Promise<Uint8Array>>();
                  constructor(private readonly dev: Device) {}
                  pull(): void {
                    this.inflight.add(this.dev.read(32));
                  }
                  async close(): Promise<void> {
                    this.inflight.clear();
                    this.dev.cancel();
                    await this.dev.close();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'class: a helper that awaits the stored read, called without await, does not settle it',
      code: code`
        ${FH}
        export class Tail {
          private pending?: Promise<unknown>;
          constructor(private readonly fh: FileHandle) {}
          next(): void {
            this.pending = this.fh.read(Buffer.alloc(64));
          }
          private async drain(): Promise<void> {
            if (this.pending !== undefined) await this.pending;
          }
          async close(): Promise<void> {
            void this.drain();
            await this.fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'storedOpNoCancel',
          line: 13,
          column: 11,
          data: stored('this.fh.close()', 'FileHandle', 'close', 'this.pending', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'reads joined with Promise.all inside try/finally: if one rejects, the finally closes while the other runs',
      code: code`
        ${FH}
        export async function twoParts(path: string): Promise<number> {
          const fh = await open(path, 'r');
          try {
            const first = fh.read(Buffer.alloc(4), 0, 4, 0);
            const second = fh.read(Buffer.alloc(4), 0, 4, 4);
            const [a, b] = await Promise.all([first, second]);
            return a.bytesRead + b.bytesRead;
          } finally {
            await fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 10,
          column: 11,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'reads inside an awaited Promise.all in try/catch: the catch closes while one may run',
      code: code`
        ${FH}
        export async function both(fh: FileHandle): Promise<number> {
          try {
            const [a, b] = await Promise.all([fh.read(Buffer.alloc(4)), fh.read(Buffer.alloc(4))]);
            return a.bytesRead + b.bytesRead;
          } catch (error) {
            await fh.close();
            throw error;
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 7,
          column: 11,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'Promise.all(...).catch() completes normally at the first rejection, with the other read still running',
      code: code`
        ${FH}
        export async function quietBoth(fh: FileHandle): Promise<void> {
          await Promise.all([fh.read(Buffer.alloc(4)), fh.read(Buffer.alloc(4))]).catch(() => undefined);
          await fh.close();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 4,
          column: 9,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a throw between starting a read and awaiting it reaches the catch while the read runs',
      code: code`
        ${FH}
        declare function validate(path: string): void;
        export async function checked(path: string): Promise<number> {
          const fh = await open(path, 'r');
          try {
            const reading = fh.read(Buffer.alloc(8));
            validate(path);
            return (await reading).bytesRead;
          } catch (error) {
            await fh.close();
            throw error;
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 10,
          column: 11,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'an await that rejects before the read is awaited: the finally closes while it runs (suggests cancel)',
      code: code`
        ${DEV}
        export async function calibrate(dev: Device, settle: () => Promise<void>): Promise<Uint8Array> {
          try {
            const reading = dev.read(512);
            await settle();
            return await reading;
          } finally {
            await dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOp',
          line: 8,
          column: 11,
          data: pending('dev.close()', 'Device', 'dev.read()', { cancel: '`dev.cancel()`' }),
          suggestions: [
            {
              messageId: 'cancelFirst',
              data: { call: 'dev.cancel()' },
              output: code`
                ${DEV}
                export async function calibrate(dev: Device, settle: () => Promise<void>): Promise<Uint8Array> {
                  try {
                    const reading = dev.read(512);
                    await settle();
                    return await reading;
                  } finally {
                    dev.cancel();
                    await dev.close();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a backup assigned to a let in a switch case, closeSync before it is awaited',
      code: code`
        ${DB}
        export async function closeDatabase(db: Database, mode: 'fast' | 'backup', dest: string): Promise<void> {
          let pending: Promise<void> | undefined;
          switch (mode) {
            case 'fast':
              break;
            case 'backup':
              pending = db.backup(dest);
              break;
          }
          db.closeSync();
          await pending;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 23,
          column: 3,
          data: pending('db.closeSync()', 'Database', 'db.backup()', { advice: DB_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a completion callback passed by name in try, closeSync in finally before it runs',
      code: code`
        ${DB}
        export function vacuumAndClose(db: Database, done: (err: Error | null) => void): void {
          try {
            db.exec('VACUUM', done);
          } finally {
            db.closeSync();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 18,
          column: 5,
          data: pending('db.closeSync()', 'Database', 'db.exec()', { advice: DB_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'class with a parameter-property owner: close ends another owner, then closes without settling the #private backup',
      code: code`
        ${dbModule('{ Device, type Database }')}
        export class Archiver {
          #backup: Promise<void> | undefined;
          constructor(
            private readonly dev: Device,
            private readonly db: Database,
          ) {}
          archive(dest: string): void {
            this.#backup = this.db.backup(dest);
          }
          done(): Promise<void> | undefined {
            return this.#backup;
          }
          async close(): Promise<void> {
            await this.dev.close();
            this.db.closeSync();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'storedOpNoCancel',
          line: 28,
          column: 5,
          data: stored('this.db.closeSync()', 'Database', 'close', 'this.#backup', { advice: DB_ADVICE }),
          suggestions: [],
        },
      ],
    },
    {
      name: 'returning the held read promise from try: the finally closes before it settles',
      code: code`
        ${FH}
        export async function peek(fh: FileHandle): Promise<unknown> {
          try {
            const reading = fh.read(Buffer.alloc(1));
            return reading;
          } finally {
            await fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 7,
          column: 11,
          data: pending('fh.close()', 'FileHandle', 'fh.read()', { advice: FILEHANDLE_ADVICE }),
          suggestions: [],
        },
      ],
    },
  ],
});

// -------------------------------------------------------------------------------------------
// Known native packages (docs/packages.md, docs/packages.md): no settings, matched by declaration.

const USB_ADVICE =
  'usb.Device has no way to cancel a request, and its close() throws "Can\'t close device with a pending request" until the request\'s callback has run: close in that callback';

createRuleTester().run('no-close-with-pending-ops: usb', rule, {
  valid: [
    {
      name: 'usb: close() inside the control transfer callback, once the request is done',
      code: code`
        import { usb } from 'usb';
        export function readStatus(device: usb.Device): void {
          device.open();
          device.controlTransfer(0xc0, 1, 0, 0, 8, (error, data) => {
            console.log(error, data);
            device.close();
          });
        }
      `,
    },
    {
      name: 'usb: an awaited promisified transfer is settled before close()',
      code: code`
        import { usb } from 'usb';
        import { promisify } from 'node:util';
        export async function readStatus(device: usb.Device): Promise<void> {
          device.open();
          const transfer = promisify(device.controlTransfer.bind(device));
          await transfer(0xc0, 1, 0, 0, 8);
          device.close();
        }
      `,
    },
  ],
  invalid: [
    {
      // usb 2.17.0 src/device.cc: Device::Close throws "Can't close device with a pending request" while a transfer holds a ref.
      name: 'usb: close() while a control transfer is pending',
      code: code`
        import { usb } from 'usb';
        export function readStatus(device: usb.Device): void {
          device.open();
          device.controlTransfer(0xc0, 1, 0, 0, 8, (error, data) => console.log(error, data));
          device.close();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'pendingOpNoCancel',
          line: 5,
          column: 3,
          data: pending('device.close()', 'usb.Device', 'device.controlTransfer()', { advice: USB_ADVICE }),
          suggestions: [],
        },
      ],
    },
  ],
});

createRuleTester().run('no-close-with-pending-ops: zeromq', rule, {
  valid: [
    {
      // zeromq 6.8.0 src/poller.h: close() fires the socket's pending operations, which fail at once (EAGAIN): it cancels.
      name: 'zeromq: close() with a receive() pending cancels it',
      code: code`
        import { Pull } from 'zeromq';
        export async function stop(sock: Pull): Promise<void> {
          const next = sock.receive();
          sock.close();
          await next.catch(() => undefined);
        }
      `,
    },
  ],
  invalid: [],
});

createRuleTester().run('no-close-with-pending-ops: serialport', rule, {
  valid: [
    {
      // @serialport/bindings-interface 1.2.2: in-progress reads and writes error with `canceled: true` when the port is closed.
      name: 'serialport: closing a binding port with a read pending cancels the read',
      code: code`
        import { autoDetect } from '@serialport/bindings-cpp';
        export async function stop(path: string): Promise<void> {
          const port = await autoDetect().open({ path, baudRate: 9600 });
          const read = port.read(Buffer.alloc(64), 0, 64);
          await port.close();
          await read.catch(() => undefined);
        }
      `,
    },
  ],
  invalid: [],
});
