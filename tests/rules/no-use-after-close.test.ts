import rule from '../../src/rules/no-use-after-close.js';
import { rawCode as code } from '../code.js';
import { createRuleTester } from '../ruleTester.js';

const FH = "import { open, type FileHandle } from 'node:fs/promises';";
const NET = "import * as net from 'node:net';";
const DEV = "import { Device } from 'native-addon-stub';";

/** Data of a `useAfterClose` message. */
function used(name: string, close: string, line: number, owner: string, use: string) {
  return { name, close, line: String(line), owner, use };
}

const QUEUE_SETTINGS = {
  'native-handle': {
    resources: [
      {
        type: { from: 'package', package: 'native-addon-stub', name: 'Queue' },
        close: 'shutdown',
        cancel: 'cancel',
        guard: 'isShutdown',
      },
    ],
  },
};

/**
 * A close inside `depth` nested loops (the four kinds in turn), with uses of the owner at every
 * level; the close leaves the function. The flow engine used to re-walk every inner loop once per
 * round of each enclosing loop (2^depth walks): at 25 levels this did not finish in minutes.
 */
function nestedClose(depth: number): string {
  const lines = [
    FH,
    'export async function nested(path: string, n: number, rows: number[]): Promise<void> {',
    "  const fh = await open(path, 'r');",
    '  let count = 0;',
  ];
  const closers: string[] = [];
  for (let level = 0; level < depth; level++) {
    const pad = '  '.repeat(level + 1);
    lines.push(
      `${pad}${[`for (let i${level} = 0; i${level} < n; i${level}++) {`, `while (count < n * ${level}) {`, `for (const row${level} of rows) {`, 'do {'][level % 4]!}`,
    );
    closers.push(`${pad}${level % 4 === 3 ? `} while (count % ${level} !== 0);` : '}'}`);
    lines.push(`${pad}  count++;`, `${pad}  await fh.stat();`);
  }
  lines.push(`${'  '.repeat(depth + 1)}if (count === n) { await fh.close(); return; }`, ...closers.reverse(), '  await fh.close();', '}');
  return lines.join('\n');
}

createRuleTester().run('no-use-after-close', rule, {
  valid: [
    {
      // Real corpus (mongodb src/cmap/connect.ts): setTimeout on a destroyed socket only arms a
      // timer Node never fires for it (docs/resource-model.md#uses-and-teardown, teardown-safe); the finally runs after the catch's destroy().
      name: 'setTimeout(0) on a socket in a finally after a destroy() in the catch is teardown, not a use',
      code: code`
        ${NET}
        import { once } from 'node:events';
        export async function dial(port: number): Promise<net.Socket> {
          const socket = net.connect(port);
          try {
            await once(socket, 'connect');
            return socket;
          } catch (error) {
            socket.destroy();
            throw error;
          } finally {
            socket.setTimeout(0);
          }
        }
      `,
    },
    {
      name: 'a close that leaves the function from inside 25 nested loops (finishes: no re-walk per level)',
      code: nestedClose(25),
    },
    {
      name: 'using the FileHandle before closing it',
      code: code`
        ${FH}
        export async function head(path: string): Promise<number> {
          const fh = await open(path, 'r');
          const { bytesRead } = await fh.read(Buffer.alloc(16), 0, 16, 0);
          await fh.close();
          return bytesRead;
        }
      `,
    },
    {
      name: 'guard flags read after destroy() are not uses',
      code: code`
        ${NET}
        export function stop(sock: net.Socket): boolean {
          sock.destroy();
          console.log('destroyed:', sock.destroyed, 'bytes:', sock.bytesWritten);
          return sock.destroyed;
        }
      `,
    },
    {
      name: 'waiting for completion: stream.finished and events.once after destroy()',
      code: code`
        ${NET}
        import { once } from 'node:events';
        import { finished } from 'node:stream/promises';
        import * as stream from 'node:stream';
        export async function stop(sock: net.Socket): Promise<void> {
          sock.destroy();
          stream.finished(sock, () => undefined);
          await finished(sock);
          await once(sock, 'close');
        }
      `,
    },
    {
      name: 'listener registration and removal after destroy()',
      code: code`
        ${NET}
        export function stop(sock: net.Socket, onClose: () => void): void {
          sock.destroy();
          sock.once('close', onClose);
          sock.on('error', () => undefined);
          sock.off('close', onClose);
          sock.removeAllListeners('data');
        }
      `,
    },
    {
      name: 'a second close is not a use',
      code: code`
        ${FH}
        export async function closeTwice(fh: FileHandle): Promise<void> {
          await fh.close();
          await fh.close();
          await fh[Symbol.asyncDispose]();
        }
      `,
    },
    {
      name: 'identity comparison and collection has/delete after close',
      code: code`
        ${FH}
        export async function retire(fh: FileHandle, open: Set<FileHandle>, names: Map<FileHandle, string>, current: FileHandle): Promise<boolean> {
          await fh.close();
          open.delete(fh);
          names.delete(fh);
          if (open.has(fh)) throw new Error('still listed');
          return fh === current;
        }
      `,
    },
    {
      name: 'close on one branch, use on the other',
      code: code`
        ${FH}
        export async function finish(fh: FileHandle, failed: boolean): Promise<void> {
          if (failed) {
            await fh.close();
          } else {
            await fh.write('done\\n');
          }
        }
      `,
    },
    {
      name: 'close then return (and close then throw) before the use',
      code: code`
        ${NET}
        export function reply(sock: net.Socket, bad: boolean, broken: boolean): void {
          if (bad) {
            sock.destroy();
            return;
          }
          if (broken) {
            sock.destroy();
            throw new Error('broken');
          }
          sock.write('ok');
        }
      `,
    },
    {
      name: 'a new handle in the variable ends the closed state',
      code: code`
        ${FH}
        export async function rotate(path: string): Promise<void> {
          let fh = await open(path, 'a');
          await fh.write('old');
          await fh.close();
          fh = await open(path + '.1', 'a');
          await fh.write('new');
          await fh.close();
        }
      `,
    },
    {
      name: 'a new handle in the this field ends the closed state',
      code: code`
        ${FH}
        export class Log {
          constructor(private fh: FileHandle, private readonly path: string) {}
          async rotate(): Promise<void> {
            await this.fh.close();
            this.fh = await open(this.path, 'a');
            await this.fh.write('rotated\\n');
          }
        }
      `,
    },
    {
      name: 'a use in a callback defined before the close runs at another time',
      code: code`
        ${NET}
        export function pipeOnce(sock: net.Socket, data: string): void {
          sock.once('connect', () => {
            sock.write(data);
          });
          sock.on('error', () => sock.destroy());
          sock.destroy();
        }
      `,
    },
    {
      name: 'the same method names on a type that is not an owner',
      code: code`
        class Cache {
          close(): void {}
          read(): string {
            return '';
          }
        }
        export function reuse(cache: Cache): string {
          cache.close();
          return cache.read();
        }
      `,
    },
    {
      name: 'end() without data after destroy() does nothing',
      code: code`
        ${NET}
        export function hangUp(sock: net.Socket): void {
          sock.destroy();
          sock.end();
          sock.end(() => undefined);
        }
      `,
    },
    {
      name: 'end() is not a close: writing after end() is another hazard',
      code: code`
        ${NET}
        export function send(sock: net.Socket): void {
          sock.end();
          sock.write('late');
        }
      `,
    },
    {
      name: 'ref()/unref() on a closed Node owner only touch event-loop bookkeeping',
      code: code`
        import { Worker } from 'node:worker_threads';
        export async function stop(worker: Worker): Promise<void> {
          await worker.terminate();
          worker.unref();
          worker.ref();
        }
      `,
    },
    {
      name: 'a server listens again after close(); http servers close idle connections after close()',
      code: code`
        ${NET}
        import * as http from 'node:http';
        export function restart(server: net.Server, web: http.Server, port: number): void {
          server.close();
          server.listen(port);
          server.address();
          web.close();
          web.closeIdleConnections();
          web.closeAllConnections();
        }
      `,
    },
    {
      name: 'liveness guards: destroyed checked before the use',
      code: code`
        ${NET}
        export function maybeWrite(sock: net.Socket, bad: boolean): void {
          if (bad) sock.destroy();
          if (sock.destroyed) return;
          sock.write('a');
          if (bad) sock.destroy();
          if (!sock.destroyed) sock.write('b');
          if (bad) sock.destroy();
          if (sock.destroyed === false) sock.write('c');
        }
      `,
    },
    {
      name: 'an owner typed any or unknown',
      code: code`
        export async function loose(fh: any, other: unknown): Promise<void> {
          await fh.close();
          await fh.read();
          (other as { close(): void }).close();
        }
      `,
    },
    {
      name: 'a variable a nested function reassigns is not followed',
      code: code`
        ${FH}
        export async function withReopen(path: string): Promise<void> {
          let fh = await open(path, 'r');
          const reopen = async (): Promise<void> => {
            fh = await open(path, 'r');
          };
          await fh.close();
          await reopen();
          await fh.stat();
        }
      `,
    },
    {
      name: 'a close that throws did not close: the catch may still use the handle',
      code: code`
        ${FH}
        export async function closeOrSync(fh: FileHandle): Promise<void> {
          try {
            await fh.close();
          } catch (error) {
            console.error('close failed', error);
            await fh.sync();
          }
        }
      `,
    },
    {
      name: 'a fresh handle in every iteration',
      code: code`
        ${FH}
        export async function sizes(paths: string[]): Promise<number[]> {
          const result: number[] = [];
          for (const path of paths) {
            const fh = await open(path, 'r');
            result.push((await fh.stat()).size);
            await fh.close();
          }
          return result;
        }
      `,
    },
    {
      name: 'a close inside a callback does not close the outer path',
      code: code`
        ${NET}
        export function relay(sock: net.Socket, data: string): void {
          sock.on('timeout', () => {
            sock.destroy();
          });
          sock.write(data);
        }
      `,
    },
    {
      name: 'comparing the raw handle is a liveness check, not a use',
      code: code`
        ${FH}
        export async function isOpen(fh: FileHandle): Promise<boolean> {
          await fh.close();
          if (fh.fd !== -1) await fh.sync();
          return fh.fd >= 0;
        }
      `,
    },
    {
      name: 'another method of the class may reopen the field',
      code: code`
        ${FH}
        export class Log {
          constructor(private fh: FileHandle, private readonly path: string) {}
          private async reopen(): Promise<void> {
            this.fh = await open(this.path, 'a');
          }
          async rotate(): Promise<void> {
            await this.fh.close();
            await this.reopen();
            await this.fh.write('rotated\\n');
          }
        }
      `,
    },
    {
      name: 'returning or logging the closed owner is not a use',
      code: code`
        ${FH}
        export async function done(fh: FileHandle): Promise<FileHandle> {
          await fh.close();
          console.log(fh);
          return fh;
        }
      `,
    },
    {
      name: 'an old handle kept aside is closed, the field holds a new one',
      code: code`
        ${FH}
        export class Log {
          constructor(private fh: FileHandle, private readonly path: string) {}
          async rotate(): Promise<void> {
            const old = this.fh;
            this.fh = await open(this.path, 'a');
            await old.close();
            await this.fh.write('rotated\\n');
          }
        }
      `,
    },
    {
      name: 'a child process: kill twice, wait for exit, unref',
      code: code`
        import { spawn } from 'node:child_process';
        import { once } from 'node:events';
        export async function stop(): Promise<void> {
          const child = spawn('sleep', ['10']);
          child.kill();
          const exited = once(child, 'exit');
          child.unref();
          child.kill('SIGKILL');
          await exited;
        }
      `,
    },
    {
      name: 'a configured owner: the guard checked before the use (settings)',
      settings: QUEUE_SETTINGS,
      code: code`
        import { Queue } from 'native-addon-stub';
        export async function next(queue: Queue, stop: boolean): Promise<string> {
          if (stop) queue.shutdown();
          if (queue.isShutdown) return '';
          return queue.pop();
        }
      `,
    },
    {
      name: 'a use in the loop before a close that leaves the loop',
      code: code`
        ${FH}
        export async function writeAll(fh: FileHandle, lines: string[]): Promise<void> {
          for (const line of lines) {
            await fh.write(line);
            if (line === '') {
              await fh.close();
              break;
            }
          }
        }
      `,
    },
    {
      name: 'a close in try, the use after the catch that rethrows',
      code: code`
        ${FH}
        export async function size(fh: FileHandle, check: () => Promise<void>): Promise<number> {
          try {
            await check();
          } catch (error) {
            await fh.close();
            throw error;
          }
          return (await fh.stat()).size;
        }
      `,
    },
    {
      name: 'correlated conditions: closed only when not kept open, used only when kept open',
      code: code`
        ${FH}
        export async function finish(fh: FileHandle, options: { keepOpen: boolean }, log: (line: string) => void): Promise<void> {
          if (!options.keepOpen) await fh.close();
          log('done');
          if (options.keepOpen) await fh.sync();
        }
      `,
    },
    {
      // Issue 10: the same optional member chain tested twice, nothing assigned in between.
      name: 'correlated conditions: an optional member chain tested twice takes the same branch',
      code: code`
        ${FH}
        interface Batch { items?: string[] }
        export async function flush(fh: FileHandle, state: Batch | undefined, log: (line: string) => void): Promise<void> {
          if (state?.items?.length) {
            log('flushing');
          } else {
            await fh.close();
          }
          log(String(state?.items?.length));
          await Promise.resolve();
          if (state?.items?.length) {
            await fh.write(state.items.join('\\n'));
          }
        }
      `,
    },
    {
      name: 'correlated conditions: ?. and . name the same chain; a member chain of this; a literal index',
      code: code`
        ${FH}
        export class Sink {
          constructor(private readonly fh: FileHandle, private readonly options: { keep?: { open: boolean } }, private readonly rows: string[]) {}
          async end(): Promise<void> {
            if (!this.options.keep?.open) await this.fh.close();
            if (this.rows[0]) this.rows.sort();
            if (this.options.keep!.open) await this.fh.sync();
          }
          async first(fh: FileHandle): Promise<void> {
            if (this.rows['0'] === undefined) await fh.close();
            if (this.rows[0] !== undefined) await fh.stat();
          }
        }
      `,
    },
    {
      name: 'correlated conditions: comparisons with a constant and their negations',
      code: code`
        ${FH}
        export async function finish(fh: FileHandle, mode: 'keep' | 'drop', limit: number | undefined, count: number): Promise<void> {
          if (mode === 'keep') console.log('kept'); else await fh.close();
          if ('keep' === mode) await fh.sync();
        }
        export async function trim(fh: FileHandle, limit: number | undefined, count: number): Promise<void> {
          if (limit !== undefined) return;
          if (count > 0) await fh.close();
          if (count > 0) return;
          await fh.stat();
        }
        export async function drain(fh: FileHandle, pending: number[] | null): Promise<void> {
          if (pending == null) await fh.close();
          if (pending != undefined) await fh.stat();
        }
      `,
    },
    {
      name: 'correlated conditions: a test that returned early holds at a later close and a later test',
      code: code`
        ${NET}
        export function hangUp(sock: net.Socket, graceful: boolean, reason: string): void {
          if (graceful) {
            console.log(reason);
          }
          if (!graceful) {
            sock.destroy();
          }
          if (graceful) sock.end('bye');
        }
        export function reset(sock: net.Socket, graceful: boolean): void {
          if (graceful && sock.writable) {
            sock.write('bye');
          }
          if (graceful) return;
          sock.destroy();
          if (!graceful) return;
          sock.write('unreachable after a destroy');
        }
        export function close(sock: net.Socket, options: { graceful?: boolean }): void {
          if (!options.graceful) return;
          if (options.graceful) console.log('graceful');
          sock.destroy();
          if (!options.graceful) sock.write('the branch the first test ruled out');
        }
      `,
    },
    {
      // Calls that do not touch the chain, and reads of it, leave the correlation alone.
      name: 'correlated conditions: unrelated calls, awaits and reads between the tests',
      code: code`
        ${FH}
        export async function finish(fh: FileHandle, options: { keepOpen: boolean; tags: string[] }, notify: (tags: string[]) => Promise<void>): Promise<void> {
          if (!options.keepOpen) await fh.close();
          await notify([...options.tags]);
          console.log(options.keepOpen, options.tags.length);
          options.tags.push('closed');
          if (options.keepOpen) await fh.sync();
        }
      `,
    },
    {
      // The close-on-failure idiom: the finally closes only when the catch said the try failed.
      name: 'a finally that closes only on a flag set in the catch does not close what the try returns',
      code: code`
        ${FH}
        export async function openChecked(path: string, check: (fh: FileHandle) => Promise<void>): Promise<FileHandle> {
          const fh = await open(path, 'r');
          let failed = false;
          try {
            await check(fh);
            return fh;
          } catch (error) {
            failed = true;
            throw error;
          } finally {
            if (failed) await fh.close();
          }
        }
      `,
    },
    {
      name: 'a try that returns another owner, a value read (and awaited) before the finally, or hands the owner on first',
      code: code`
        ${FH}
        export async function copyHeader(path: string, target: FileHandle): Promise<FileHandle> {
          const fh = await open(path, 'r');
          try {
            await target.write(await fh.readFile('utf8'));
            return target;
          } finally {
            await fh.close();
          }
        }
        export async function readAll(path: string): Promise<string> {
          const fh = await open(path, 'r');
          try {
            return await fh.readFile('utf8');
          } finally {
            await fh.close();
          }
        }
        export async function openReady(path: string, ready: (fh: FileHandle) => Promise<void>): Promise<FileHandle> {
          let fh: FileHandle | undefined = await open(path, 'r');
          try {
            await ready(fh);
            const result = fh;
            fh = undefined;
            return result;
          } finally {
            if (fh) await fh.close();
          }
        }
      `,
    },
    {
      // A yield does not leave the try: the consumer gets the handle open, and the finally runs
      // when it asks for the next value or stops (the generator as a scoped resource).
      name: 'yielding the owner from a try whose finally closes it (the finally runs when the consumer moves on)',
      code: code`
        ${FH}
        export async function* handles(paths: string[]): AsyncGenerator<FileHandle> {
          for (const path of paths) {
            const fh = await open(path, 'r');
            try {
              yield fh;
            } finally {
              await fh.close();
            }
          }
        }
      `,
    },
    {
      name: 'a function named resolve that is not a promise executor parameter, and a resolve in a callback that runs later',
      code: code`
        ${FH}
        export async function keep(path: string, resolve: (fh: FileHandle) => void): Promise<void> {
          const fh = await open(path, 'r');
          try {
            resolve(fh);
          } finally {
            await fh.close();
          }
        }
        export function later(path: string): Promise<FileHandle> {
          return new Promise(resolve => {
            void open(path, 'r').then(async fh => {
              try {
                setTimeout(() => resolve(fh), 10);
              } finally {
                await fh.close();
              }
            });
          });
        }
      `,
    },
    {
      name: 'a method that reopens the field through another method, or an arrow-valued field',
      code: code`
        ${FH}
        export class Log {
          constructor(private fh: FileHandle, private readonly path: string) {}
          private readonly reopen = async (): Promise<void> => {
            this.fh = await open(this.path, 'a');
          };
          private async restart(): Promise<void> {
            await this.reopen();
          }
          async rotate(): Promise<void> {
            await this.fh.close();
            await this.restart();
            await this.fh.write('rotated\\n');
            await this.fh.close();
            await this.reopen();
            await this.fh.write('again\\n');
          }
        }
      `,
    },
    {
      name: 'a getter may return another owner on every read',
      code: code`
        ${NET}
        export class Client {
          private readonly pool: net.Socket[] = [];
          private get sock(): net.Socket {
            return this.pool[this.pool.length - 1]!;
          }
          replace(): void {
            this.sock.destroy();
            this.sock.write('hello');
          }
        }
      `,
    },
    {
      name: 'a getter inherited from a base class, read in an arrow function of a method, is still a getter',
      code: code`
        ${NET}
        class Pool {
          protected readonly pool: net.Socket[] = [];
          protected get sock(): net.Socket {
            return this.pool[this.pool.length - 1]!;
          }
        }
        export class Client extends Pool {
          replace(): void {
            const swap = (): void => {
              this.sock.destroy();
              this.sock.write('hello');
            };
            swap();
          }
        }
      `,
    },
    {
      name: 'a getter of an unnamed class expression is still a getter',
      code: code`
        ${NET}
        export const Client = class {
          private readonly pool: net.Socket[] = [];
          private get sock(): net.Socket {
            return this.pool[this.pool.length - 1]!;
          }
          replace(): void {
            this.sock.destroy();
            this.sock.write('hello');
          }
        };
      `,
    },
    {
      name: 'a copy of a variable that is reassigned is followed on its own',
      code: code`
        ${FH}
        export async function rotate(path: string): Promise<void> {
          let fh = await open(path, 'a');
          const old = fh;
          fh = await open(path + '.1', 'a');
          await old.close();
          await fh.write('new');
          await fh.close();
        }
      `,
    },
  ],
  invalid: [
    {
      // Past MAX_CLOSES closes of one owner the state keeps the earliest: the first is still named,
      // and with more than one close there is no "move the close" suggestion.
      name: 'an owner closed on twenty branches and then used: reported once, naming the first close',
      code: [
        NET,
        'export function reply(sock: net.Socket, flags: boolean[]): void {',
        ...Array.from({ length: 20 }, (_, i) => `  if (flags[${i}]) sock.destroy();`),
        "  sock.write('x');",
        '}',
      ].join('\n'),
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 23,
          column: 3,
          data: used('sock', 'sock.destroy()', 3, 'net.Socket', 'sock.write()'),
          suggestions: null,
        },
      ],
    },
    {
      name: 'FileHandle read after close (suggests moving the close)',
      code: code`
        ${FH}
        export async function head(path: string): Promise<Buffer> {
          const fh = await open(path, 'r');
          const buf = Buffer.alloc(16);
          await fh.close();
          await fh.read(buf, 0, 16, 0);
          return buf;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 6,
          column: 9,
          data: used('fh', 'fh.close()', 5, 'FileHandle', 'fh.read(buf, 0, 16, 0)'),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'fh.close()', name: 'fh', line: '6' },
              output: code`
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
          ],
        },
      ],
    },
    {
      name: 'only the first use after the close is reported; the close moves after the last use, with its comments',
      code: code`
        ${NET}
        export function reply(sock: net.Socket, text: string): void {
          // done with the peer
          sock.destroy(); // hard close
          sock.write(text);
          sock.setNoDelay(true);
          console.log('sent');
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 5,
          column: 3,
          data: used('sock', 'sock.destroy()', 4, 'net.Socket', 'sock.write(text)'),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'sock.destroy()', name: 'sock', line: '6' },
              output: code`
                ${NET}
                export function reply(sock: net.Socket, text: string): void {
                  sock.write(text);
                  sock.setNoDelay(true);
                  // done with the peer
                  sock.destroy(); // hard close
                  console.log('sent');
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'raw handle read after close',
      code: code`
        ${FH}
        import * as fs from 'node:fs';
        export async function stat(fh: FileHandle): Promise<fs.Stats> {
          await fh.close();
          return fs.fstatSync(fh.fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleAfterClose',
          line: 5,
          column: 23,
          data: used('fh', 'fh.close()', 4, 'FileHandle', 'fh.fd'),
          suggestions: [],
        },
      ],
    },
    {
      name: 'correlated conditions: an assignment to a link of the chain in between ends the correlation',
      code: code`
        ${FH}
        interface Batch { items?: string[] }
        export async function flush(fh: FileHandle, state: Batch): Promise<void> {
          if (state.items?.length) {
            console.log('flushing');
          } else {
            await fh.close();
          }
          state.items = ['late'];
          if (state.items?.length) {
            await fh.write(state.items.join('\\n'));
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 11,
          column: 11,
          data: used('fh', 'fh.close()', 7, 'FileHandle', "fh.write(state.items.join('\\n'))"),
          suggestions: [],
        },
      ],
    },
    {
      name: 'correlated conditions: a method call on a link, or a call given the root, in between ends the correlation',
      code: code`
        ${FH}
        interface Batch { items: string[] }
        export async function flush(fh: FileHandle, state: Batch): Promise<void> {
          if (!state.items.length) await fh.close();
          state.items.push('late');
          if (state.items.length) await fh.stat();
        }
        export async function refilled(fh: FileHandle, state: Batch, refill: (batch: Batch) => void): Promise<void> {
          if (!state.items.length) await fh.close();
          refill(state);
          if (state.items.length) await fh.stat();
        }
      `,
      output: null,
      errors: [
        { messageId: 'useAfterClose', line: 6, column: 33, data: used('fh', 'fh.close()', 4, 'FileHandle', 'fh.stat()'), suggestions: [] },
        { messageId: 'useAfterClose', line: 11, column: 33, data: used('fh', 'fh.close()', 9, 'FileHandle', 'fh.stat()'), suggestions: [] },
      ],
    },
    {
      name: 'correlated conditions: a flag a callback sets may change at an await',
      code: code`
        ${NET}
        import { once } from 'node:events';
        export async function serve(sock: net.Socket, peer: net.Socket): Promise<void> {
          let ended = false;
          peer.on('end', () => {
            ended = true;
          });
          if (!ended) sock.destroy();
          await once(peer, 'close');
          if (ended) sock.write('bye');
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 10,
          column: 14,
          data: used('sock', 'sock.destroy()', 8, 'net.Socket', "sock.write('bye')"),
          suggestions: [],
        },
      ],
    },
    {
      name: 'correlated conditions: variables are told apart by declaration, not by name',
      code: code`
        ${FH}
        export async function finish(fh: FileHandle, keep: boolean, flags: boolean[]): Promise<void> {
          if (!keep) await fh.close();
          for (const keep of flags) {
            if (keep) await fh.stat();
          }
        }
      `,
      output: null,
      errors: [
        { messageId: 'useAfterClose', line: 5, column: 21, data: used('fh', 'fh.close()', 3, 'FileHandle', 'fh.stat()'), suggestions: [] },
      ],
    },
    {
      name: 'returning the owner from a try whose finally closes it',
      code: code`
        ${FH}
        export async function openLog(path: string): Promise<FileHandle> {
          const fh = await open(path, 'a');
          try {
            await fh.write('opened\\n');
            return fh;
          } finally {
            await fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'returnedClosed',
          line: 6,
          column: 5,
          data: { name: 'fh', close: 'fh.close()', line: '8', owner: 'FileHandle' },
          suggestions: null,
        },
      ],
    },
    {
      name: 'of two owners returned from one try, only the one its finally closes on every way out is reported, with that close',
      code: code`
        ${FH}
        export async function pick(path: string, first: boolean): Promise<FileHandle> {
          const a = await open(path, 'r');
          const b = await open(path, 'r');
          try {
            if (first) return a;
            return b;
          } finally {
            if (!first) await a.close();
            await b.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'returnedClosed',
          line: 7,
          column: 5,
          data: { name: 'b', close: 'b.close()', line: '10', owner: 'FileHandle' },
          suggestions: null,
        },
      ],
    },
    {
      name: 'returning the owner from a catch, or from a nested try, whose finally closes it when it is there (.catch, a nested try)',
      code: code`
        ${NET}
        export async function dial(port: number, check: (sock: net.Socket) => Promise<void>): Promise<net.Socket> {
          let sock: net.Socket | undefined;
          try {
            sock = net.connect(port);
            await check(sock);
            return sock;
          } finally {
            if (sock !== undefined) sock.destroy();
          }
        }
        export async function retry(sock: net.Socket, check: (sock: net.Socket) => Promise<void>): Promise<net.Socket> {
          try {
            try {
              await check(sock);
            } catch {
              return sock;
            }
            throw new Error('not refused');
          } finally {
            try {
              sock.destroy();
            } catch {
              console.log('already gone');
            }
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'returnedClosed',
          line: 7,
          column: 5,
          data: { name: 'sock', close: 'sock.destroy()', line: '9', owner: 'net.Socket' },
          suggestions: null,
        },
        {
          messageId: 'returnedClosed',
          line: 17,
          column: 7,
          data: { name: 'sock', close: 'sock.destroy()', line: '22', owner: 'net.Socket' },
          suggestions: null,
        },
      ],
    },
    {
      name: 'resolving a promise with the owner in a try whose finally closes it (awaited close with .catch)',
      code: code`
        ${FH}
        export function openWhenReady(path: string): Promise<FileHandle> {
          return new Promise((resolve, reject) => {
            open(path, 'r').then(async fh => {
              try {
                resolve(fh);
              } finally {
                await fh.close().catch(() => undefined);
              }
            }, reject);
          });
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'resolvedClosed',
          line: 6,
          column: 9,
          data: { name: 'fh', close: 'fh.close()', line: '8', owner: 'FileHandle', resolve: 'resolve' },
          suggestions: null,
        },
      ],
    },
    {
      name: 'closed on one path that goes on: the use after the join',
      code: code`
        ${FH}
        export async function finish(fh: FileHandle, failed: boolean): Promise<void> {
          if (failed) {
            await fh.close();
          }
          await fh.write('done\\n');
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 6,
          column: 9,
          data: used('fh', 'fh.close()', 4, 'FileHandle', "fh.write('done\\n')"),
          suggestions: [],
        },
      ],
    },
    {
      name: 'close at the end of an iteration, use at the start of the next',
      code: code`
        ${FH}
        export async function writeAll(fh: FileHandle, lines: string[]): Promise<void> {
          for (const line of lines) {
            await fh.write(line);
            await fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 4,
          column: 11,
          data: used('fh', 'fh.close()', 5, 'FileHandle', 'fh.write(line)'),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a this field used after its close in a method',
      code: code`
        ${FH}
        export class Log {
          constructor(private readonly fh: FileHandle) {}
          async close(): Promise<number> {
            await this.fh.close();
            const stats = await this.fh.stat();
            return stats.size;
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 6,
          column: 25,
          data: used('this.fh', 'this.fh.close()', 5, 'FileHandle', 'this.fh.stat()'),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'this.fh.close()', name: 'this.fh', line: '6' },
              output: code`
                ${FH}
                export class Log {
                  constructor(private readonly fh: FileHandle) {}
                  async close(): Promise<number> {
                    const stats = await this.fh.stat();
                    await this.fh.close();
                    return stats.size;
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'passing the closed owner to a parameter typed as an owner',
      code: code`
        ${NET}
        declare function greet(sock: net.Socket, text: string): void;
        export function hello(sock: net.Socket): void {
          sock.destroy();
          greet(sock, 'hi');
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 5,
          column: 3,
          data: used('sock', 'sock.destroy()', 4, 'net.Socket', "greet(sock, 'hi')"),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'sock.destroy()', name: 'sock', line: '5' },
              output: code`
                ${NET}
                declare function greet(sock: net.Socket, text: string): void;
                export function hello(sock: net.Socket): void {
                  greet(sock, 'hi');
                  sock.destroy();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'end(data) after destroy(): the data is dropped',
      code: code`
        ${NET}
        export function bye(sock: net.Socket): void {
          sock.destroy();
          sock.end('bye\\n');
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 4,
          column: 3,
          data: used('sock', 'sock.destroy()', 3, 'net.Socket', "sock.end('bye\\n')"),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'sock.destroy()', name: 'sock', line: '4' },
              output: code`
                ${NET}
                export function bye(sock: net.Socket): void {
                  sock.end('bye\\n');
                  sock.destroy();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'tagged addon owner: addRef after close is a use (stub package)',
      code: code`
        ${DEV}
        export async function borrowLate(dev: Device): Promise<void> {
          void dev.close();
          dev.ref();
          dev.unref();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 4,
          column: 3,
          data: used('dev', 'dev.close()', 3, 'Device', 'dev.ref()'),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'dev.close()', name: 'dev', line: '5' },
              output: code`
                ${DEV}
                export async function borrowLate(dev: Device): Promise<void> {
                  dev.ref();
                  dev.unref();
                  void dev.close();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'configured owner: a use after its configured close (settings)',
      settings: QUEUE_SETTINGS,
      code: code`
        import { Queue } from 'native-addon-stub';
        export async function drain(queue: Queue): Promise<string> {
          queue.shutdown();
          return queue.pop();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 4,
          column: 10,
          data: used('queue', 'queue.shutdown()', 3, 'Queue', 'queue.pop()'),
          suggestions: [],
        },
      ],
    },
    {
      name: 'configured owner named by a Node module: NodeJS.Timeout is `timers`\' (declared in a global block of "timers" or "node:timers")',
      settings: { 'native-handle': { resources: [{ type: { from: 'package', package: 'timers', name: 'Timeout' }, close: 'close' }] } },
      code: code`
        export function stop(timer: NodeJS.Timeout): void {
          timer.close();
          timer.refresh();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 3,
          column: 3,
          data: used('timer', 'timer.close()', 2, 'Timeout', 'timer.refresh()'),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'timer.close()', name: 'timer', line: '3' },
              output: code`
                export function stop(timer: NodeJS.Timeout): void {
                  timer.refresh();
                  timer.close();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a worker posted a message after terminate()',
      code: code`
        import { Worker } from 'node:worker_threads';
        export async function stop(worker: Worker): Promise<void> {
          await worker.terminate();
          worker.postMessage({ kind: 'bye' });
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 4,
          column: 3,
          data: used('worker', 'worker.terminate()', 3, 'worker_threads.Worker', "worker.postMessage({ kind: 'bye' })"),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'worker.terminate()', name: 'worker', line: '4' },
              output: code`
                import { Worker } from 'node:worker_threads';
                export async function stop(worker: Worker): Promise<void> {
                  worker.postMessage({ kind: 'bye' });
                  await worker.terminate();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a close in finally, the use after the try statement',
      code: code`
        ${FH}
        export async function copy(fh: FileHandle, data: string): Promise<number> {
          try {
            await fh.write(data);
          } finally {
            await fh.close();
          }
          return (await fh.stat()).size;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 8,
          column: 17,
          data: used('fh', 'fh.close()', 6, 'FileHandle', 'fh.stat()'),
          suggestions: [],
        },
      ],
    },
    {
      name: 'closed in a catch that goes on: the use after it',
      code: code`
        ${FH}
        export async function size(fh: FileHandle, check: () => Promise<void>): Promise<number> {
          try {
            await check();
          } catch {
            await fh.close();
          }
          return (await fh.stat()).size;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 8,
          column: 17,
          data: used('fh', 'fh.close()', 6, 'FileHandle', 'fh.stat()'),
          suggestions: [],
        },
      ],
    },
    {
      name: 'destroy() on a write stream (close and cancel) is a close',
      code: code`
        import { createWriteStream } from 'node:fs';
        export function log(path: string): void {
          const out = createWriteStream(path);
          out.destroy();
          out.write('late\\n');
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 5,
          column: 3,
          data: used('out', 'out.destroy()', 4, 'fs.WriteStream', "out.write('late\\n')"),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'out.destroy()', name: 'out', line: '5' },
              output: code`
                import { createWriteStream } from 'node:fs';
                export function log(path: string): void {
                  const out = createWriteStream(path);
                  out.write('late\\n');
                  out.destroy();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'optional calls on a this field',
      code: code`
        ${NET}
        export class Client {
          private sock: net.Socket | undefined;
          stop(): void {
            this.sock?.destroy();
            if (this.sock) this.sock.write('bye');
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 6,
          column: 20,
          data: used('this.sock', 'this.sock?.destroy()', 5, 'net.Socket', "this.sock.write('bye')"),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'this.sock?.destroy()', name: 'this.sock', line: '6' },
              output: code`
                ${NET}
                export class Client {
                  private sock: net.Socket | undefined;
                  stop(): void {
                    if (this.sock) this.sock.write('bye');
                    this.sock?.destroy();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'closes on two paths: one finding at the use, naming the first close',
      code: code`
        ${FH}
        export async function finish(fh: FileHandle, failed: boolean): Promise<void> {
          if (failed) await fh.close();
          else await fh.close();
          await fh.sync();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 5,
          column: 9,
          data: used('fh', 'fh.close()', 3, 'FileHandle', 'fh.sync()'),
          suggestions: [],
        },
      ],
    },
    {
      name: 'fs.Dir: closeSync() then readSync()',
      code: code`
        import { opendirSync } from 'node:fs';
        export function first(path: string): string | undefined {
          const dir = opendirSync(path);
          dir.closeSync();
          return dir.readSync()?.name;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 5,
          column: 10,
          data: used('dir', 'dir.closeSync()', 4, 'fs.Dir', 'dir.readSync()'),
          suggestions: [],
        },
      ],
    },
    {
      name: 'an inferred owner class used after its close method',
      code: code`
        ${FH}
        class Journal {
          constructor(private readonly fh: FileHandle) {}
          async append(line: string): Promise<void> {
            await this.fh.write(line);
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
        export async function record(journal: Journal): Promise<void> {
          await journal.close();
          await journal.append('closed\\n');
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 13,
          column: 9,
          data: used('journal', 'journal.close()', 12, 'Journal', "journal.append('closed\\n')"),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'journal.close()', name: 'journal', line: '13' },
              output: code`
                ${FH}
                class Journal {
                  constructor(private readonly fh: FileHandle) {}
                  async append(line: string): Promise<void> {
                    await this.fh.write(line);
                  }
                  async close(): Promise<void> {
                    await this.fh.close();
                  }
                }
                export async function record(journal: Journal): Promise<void> {
                  await journal.append('closed\\n');
                  await journal.close();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'top-level code: a use after close',
      code: code`
        ${FH}
        const fh = await open('data.txt', 'r');
        await fh.close();
        export const stats = await fh.stat();
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 4,
          column: 28,
          data: used('fh', 'fh.close()', 3, 'FileHandle', 'fh.stat()'),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'fh.close()', name: 'fh', line: '4' },
              output: code`
                ${FH}
                const fh = await open('data.txt', 'r');
                export const stats = await fh.stat();
                await fh.close();
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'no suggestion when a statement in between may leave',
      code: code`
        ${NET}
        export function reply(sock: net.Socket, text: string): void {
          sock.destroy();
          if (text === '') return;
          sock.write(text);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 5,
          column: 3,
          data: used('sock', 'sock.destroy()', 3, 'net.Socket', 'sock.write(text)'),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a tagged raw handle read after close (stub package)',
      code: code`
        ${DEV}
        export async function handleOf(dev: Device): Promise<number> {
          await dev.close();
          return dev.handle;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleAfterClose',
          line: 4,
          column: 10,
          data: used('dev', 'dev.close()', 3, 'Device', 'dev.handle'),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a configured raw-handle method called after close (settings)',
      settings: { 'native-handle': { resources: [{ ...QUEUE_SETTINGS['native-handle'].resources[0]!, rawHandle: 'getHandle' }] } },
      code: code`
        import { Queue, releaseRaw } from 'native-addon-stub';
        export function release(queue: Queue, other: Queue): number {
          queue.shutdown();
          releaseRaw(queue.getHandle());
          other.shutdown();
          const kept = other.getHandle();
          return kept;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'rawHandleAfterClose',
          line: 4,
          column: 14,
          data: used('queue', 'queue.shutdown()', 3, 'Queue', 'queue.getHandle()'),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'queue.shutdown()', name: 'queue', line: '4' },
              output: code`
                import { Queue, releaseRaw } from 'native-addon-stub';
                export function release(queue: Queue, other: Queue): number {
                  releaseRaw(queue.getHandle());
                  queue.shutdown();
                  other.shutdown();
                  const kept = other.getHandle();
                  return kept;
                }
              `,
            },
          ],
        },
        {
          messageId: 'rawHandleAfterClose',
          line: 6,
          column: 16,
          data: used('other', 'other.shutdown()', 5, 'Queue', 'other.getHandle()'),
          suggestions: [], // the raw value is kept: moving the close would not help
        },
      ],
    },
    {
      name: 'no suggestion in a loop the owner outlives, nor for a close that is not a statement',
      code: code`
        ${FH}
        export async function pump(fh: FileHandle, next: () => string | undefined): Promise<void> {
          for (let chunk = next(); chunk !== undefined; chunk = next()) {
            await fh.close();
            await fh.write(chunk);
          }
          const closing = fh.close();
          await fh.datasync();
          await closing;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 5,
          column: 11,
          data: used('fh', 'fh.close()', 4, 'FileHandle', 'fh.write(chunk)'),
          suggestions: [],
        },
        {
          messageId: 'useAfterClose',
          line: 8,
          column: 9,
          data: used('fh', 'fh.close()', 7, 'FileHandle', 'fh.datasync()'),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a helper method that assigns only another field does not end the closed state',
      code: code`
        ${FH}
        export class Log {
          private lines = 0;
          constructor(private readonly fh: FileHandle) {}
          private note(text: string): void {
            this.lines += 1;
            console.log(text, this.lines);
          }
          async finish(): Promise<void> {
            await this.fh.close();
            this.note('closed');
            await this.fh.sync();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 12,
          column: 11,
          data: used('this.fh', 'this.fh.close()', 10, 'FileHandle', 'this.fh.sync()'),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'this.fh.close()', name: 'this.fh', line: '12' },
              output: code`
                ${FH}
                export class Log {
                  private lines = 0;
                  constructor(private readonly fh: FileHandle) {}
                  private note(text: string): void {
                    this.lines += 1;
                    console.log(text, this.lines);
                  }
                  async finish(): Promise<void> {
                    this.note('closed');
                    await this.fh.sync();
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
      name: 'a close method tagged @close under its own name (inline augmentation of the stub package)',
      code: code`
        import type { Pump } from 'native-addon-stub';
        declare module 'native-addon-stub' {
          /** @nativeResource */
          export interface Pump {
            start(): void;
            /** @close */
            halt(): void;
          }
        }
        export function cycle(pump: Pump): void {
          pump.halt();
          pump.start();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 12,
          column: 3,
          data: used('pump', 'pump.halt()', 11, 'Pump', 'pump.start()'),
          suggestions: [
            {
              messageId: 'moveClose',
              data: { close: 'pump.halt()', name: 'pump', line: '12' },
              output: code`
                import type { Pump } from 'native-addon-stub';
                declare module 'native-addon-stub' {
                  /** @nativeResource */
                  export interface Pump {
                    start(): void;
                    /** @close */
                    halt(): void;
                  }
                }
                export function cycle(pump: Pump): void {
                  pump.start();
                  pump.halt();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a const copy of the variable is the same owner; destructuring the raw handle reads it',
      code: code`
        ${FH}
        import * as fs from 'node:fs';
        export async function sizes(fh: FileHandle): Promise<number> {
          const handle = fh;
          await fh.close();
          await handle.datasync();
          await handle.close();
          const { fd } = fh;
          return fs.fstatSync(fd).size;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 6,
          column: 9,
          data: used('fh', 'fh.close()', 5, 'FileHandle', 'handle.datasync()'),
          suggestions: [], // the statements the close would move over close the owner again
        },
        {
          messageId: 'rawHandleAfterClose',
          line: 8,
          column: 11,
          data: used('handle', 'handle.close()', 7, 'FileHandle', 'fd'),
          suggestions: [],
        },
      ],
    },
  ],
});

// -------------------------------------------------------------------------------------------
// Known native packages (docs/packages.md, docs/packages.md): no settings, matched by declaration.

createRuleTester().run('no-use-after-close: node-pty', rule, {
  valid: [
    {
      name: 'node-pty: resize before kill(), and an onExit listener registered after it, are not uses after close',
      code: code`
        import * as pty from 'node-pty';
        export function stop(term: pty.IPty): void {
          term.resize(80, 24);
          term.kill();
          term.onExit(({ exitCode }) => console.log(exitCode));
        }
      `,
    },
  ],
  invalid: [
    {
      // node-pty 1.1.0 src/unix/pty.cc: resize on the exited pty's fd throws "ioctl(2) failed, EBADF".
      name: 'node-pty: resize() after kill()',
      code: code`
        import * as pty from 'node-pty';
        export function restart(term: pty.IPty): void {
          term.kill();
          term.resize(80, 24);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 4,
          column: 3,
          data: used('term', 'term.kill()', 3, 'node-pty IPty', 'term.resize()'),
          suggestions: [
            {
              messageId: 'moveClose',
              output: code`
                import * as pty from 'node-pty';
                export function restart(term: pty.IPty): void {
                  term.resize(80, 24);
                  term.kill();
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('no-use-after-close: zeromq', rule, {
  valid: [
    {
      name: 'zeromq: reading `closed` and closing again after close() are not uses',
      code: code`
        import { Push } from 'zeromq';
        export async function send(sock: Push, message: string): Promise<boolean> {
          await sock.send(message);
          sock.close();
          sock.close();
          return sock.closed;
        }
      `,
    },
  ],
  invalid: [
    {
      // zeromq 6.8.0 src/socket.cc: every method of a closed socket throws EBADF.
      name: 'zeromq: send() after close()',
      code: code`
        import { Push } from 'zeromq';
        export async function last(sock: Push): Promise<void> {
          sock.close();
          await sock.send('bye');
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 4,
          column: 9,
          data: used('sock', 'sock.close()', 3, 'zeromq Socket', 'sock.send()'),
          suggestions: [
            {
              messageId: 'moveClose',
              output: code`
                import { Push } from 'zeromq';
                export async function last(sock: Push): Promise<void> {
                  await sock.send('bye');
                  sock.close();
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('no-use-after-close: serialport', rule, {
  valid: [
    {
      name: 'serialport: open() after close() opens the port again, so a later write is no use after close',
      code: code`
        import { SerialPort } from 'serialport';
        export function reopen(port: SerialPort): void {
          port.close();
          port.open();
          port.write('AT\\r');
        }
      `,
    },
    {
      // @serialport/stream 13.0.0 has no _destroy: the stream's destroy() only marks it destroyed.
      name: 'serialport: destroy() after close() is teardown, not a use',
      code: code`
        import { SerialPort } from 'serialport';
        export function dispose(port: SerialPort): void {
          port.close();
          port.removeAllListeners();
          port.destroy();
        }
      `,
    },
  ],
  invalid: [
    {
      // @serialport/stream 13.0.0: _write on a closed port waits for the next 'open' event, so the data sits there.
      name: 'serialport: write() after close()',
      code: code`
        import { SerialPort } from 'serialport';
        export function hangUp(port: SerialPort): void {
          port.close();
          port.write('ATH\\r');
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 4,
          column: 3,
          data: used('port', 'port.close()', 3, 'SerialPort', 'port.write()'),
          suggestions: [
            {
              messageId: 'moveClose',
              output: code`
                import { SerialPort } from 'serialport';
                export function hangUp(port: SerialPort): void {
                  port.write('ATH\\r');
                  port.close();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      // @serialport/bindings-cpp 13.0.1 dist/linux.js: write() on a closed binding port throws 'Port is not open'.
      name: 'serialport: a binding port written after its close()',
      code: code`
        import { autoDetect } from '@serialport/bindings-cpp';
        export async function probe(path: string): Promise<void> {
          const port = await autoDetect().open({ path, baudRate: 9600 });
          await port.close();
          await port.write(Buffer.from('AT\\r'));
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 5,
          column: 9,
          data: used('port', 'port.close()', 4, 'serialport binding port', 'port.write()'),
          suggestions: [
            {
              messageId: 'moveClose',
              output: code`
                import { autoDetect } from '@serialport/bindings-cpp';
                export async function probe(path: string): Promise<void> {
                  const port = await autoDetect().open({ path, baudRate: 9600 });
                  await port.write(Buffer.from('AT\\r'));
                  await port.close();
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('no-use-after-close: usb', rule, {
  valid: [
    {
      name: 'usb: open() after close() opens the device again',
      code: code`
        import { usb } from 'usb';
        export function claimAgain(device: usb.Device): void {
          device.close();
          device.open();
          device.interface(0).claim();
        }
      `,
    },
  ],
  invalid: [
    {
      // usb 2.17.0 dist/usb/device.js: interface() of a closed device throws 'Device must be open before searching for interfaces'.
      name: 'usb: interface() after close()',
      code: code`
        import { usb } from 'usb';
        export function claim(device: usb.Device): void {
          device.open();
          device.close();
          device.interface(0).claim();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 5,
          column: 3,
          data: used('device', 'device.close()', 4, 'usb.Device', 'device.interface()'),
          suggestions: [
            {
              messageId: 'moveClose',
              output: code`
                import { usb } from 'usb';
                export function claim(device: usb.Device): void {
                  device.open();
                  device.interface(0).claim();
                  device.close();
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('no-use-after-close: better-sqlite3', rule, {
  valid: [
    {
      name: 'better-sqlite3: statements run before close(), and the `open` flag read after it',
      code: code`
        import Database from 'better-sqlite3';
        export function count(file: string): boolean {
          const db = new Database(file);
          db.prepare('select count(*) from t').get();
          db.close();
          return db.open;
        }
      `,
    },
  ],
  invalid: [
    {
      // better-sqlite3 12.11.1 src/util/macros.cpp: REQUIRE_DATABASE_OPEN throws TypeError 'The database connection is not open'.
      name: 'better-sqlite3: prepare() after close()',
      code: code`
        import Database from 'better-sqlite3';
        export function count(file: string): unknown {
          const db = new Database(file);
          db.close();
          return db.prepare('select count(*) from t').get();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'useAfterClose',
          line: 5,
          column: 10,
          data: used('db', 'db.close()', 4, 'better-sqlite3 Database', 'db.prepare()'),
          suggestions: [],
        },
      ],
    },
  ],
});
