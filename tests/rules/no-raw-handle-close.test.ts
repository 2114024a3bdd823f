import type { TestCaseError } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds } from '../../src/rules/no-raw-handle-close.js';
import { code } from '../code.js';
import { createRuleTester } from '../ruleTester.js';

const FH = "import type { FileHandle } from 'node:fs/promises';\nimport * as fs from 'node:fs';";
const FS = "import * as fs from 'node:fs';";
const QUEUE_SETTINGS = {
  'native-handle': {
    resources: [{ type: { from: 'package', package: 'native-addon-stub', name: 'Queue' }, rawHandle: 'getHandle', close: 'shutdown' }],
    rawClose: { from: 'package', package: 'native-addon-stub', name: 'releaseRaw' },
    adopt: { from: 'package', package: 'native-addon-stub', name: 'Wrapper' },
  },
};

const STREAM_REMEDY = 'Destroy the stream instead, or pass `autoClose: false` if this code is to keep closing the fd itself.';
const SOCKET_REMEDY = 'Destroy the socket instead.';
const OTHER_REMEDY = 'Close the object that adopted it instead.';

const owned = (closer: string, handle: string, owner: string, ownerText: string) => ({ closer, handle, owner, ownerText });
const adopted = (closer: string, handle: string, adopter: string, line: number, remedy = STREAM_REMEDY) => ({
  closer,
  handle,
  adopter,
  line,
  remedy,
});

createRuleTester().run('no-raw-handle-close', rule, {
  valid: [
    {
      name: "an options object held in a const says autoClose: false, so closing the fd stays this code's job",
      code: code`
        ${FS}
        export function tail(path: string): void {
          const fd = fs.openSync(path, 'r');
          const options = { fd, autoClose: false };
          const stream = fs.createReadStream('', options);
          stream.on('end', () => stream.destroy());
          fs.closeSync(fd);
        }
      `,
    },
    {
      name: 'closing an fd the code opened itself',
      code: code`
        ${FS}
        export function header(path: string): Buffer {
          const fd = fs.openSync(path, 'r');
          try {
            const buffer = Buffer.alloc(16);
            fs.readSync(fd, buffer, 0, 16, 0);
            return buffer;
          } finally {
            fs.closeSync(fd);
          }
        }
      `,
    },
    {
      name: "the stream is told not to close the fd (autoClose: false), so closing it stays this code's job",
      code: code`
        ${FS}
        export function dump(path: string): void {
          const fd = fs.openSync(path, 'r');
          const stream = fs.createReadStream('', { fd, autoClose: false });
          stream.on('close', () => fs.closeSync(fd));
          stream.pipe(process.stdout);
        }
      `,
    },
    {
      name: 'the FileHandle itself handed over ({ fd: fh }), then the FileHandle closed',
      code: code`
        ${FH}
        export async function copy(fh: FileHandle): Promise<void> {
          const stream = fs.createReadStream('', { fd: fh, autoClose: false });
          stream.pipe(process.stdout);
          await fh.close();
        }
      `,
    },
    {
      name: 'closing the owner itself',
      code: code`
        ${FH}
        export async function done(fh: FileHandle): Promise<void> {
          fs.fsyncSync(fh.fd);
          await fh.close();
        }
      `,
    },
    {
      name: 'a local function named closeSync is not fs.closeSync',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        const closed = new Set<number>();
        function closeSync(fd: number): void {
          closed.add(fd);
        }
        export function forget(fh: FileHandle): void {
          closeSync(fh.fd);
        }
      `,
    },
    {
      name: 'a method named close on another object is not a raw closer',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        declare const registry: { close(fd: number): void };
        export function forget(fh: FileHandle): void {
          registry.close(fh.fd);
        }
      `,
    },
    {
      name: 'closing a number parameter of unknown provenance',
      code: code`
        ${FS}
        export function release(fd: number): void {
          fs.closeSync(fd);
        }
      `,
    },
    {
      name: 'the adoption happens on the other branch',
      code: code`
        ${FS}
        export function open(path: string, stream: boolean): fs.ReadStream | undefined {
          const fd = fs.openSync(path, 'r');
          if (stream) {
            return fs.createReadStream('', { fd });
          } else {
            fs.closeSync(fd);
          }
          return undefined;
        }
      `,
    },
    {
      name: 'the variable is given a new fd after the adoption',
      code: code`
        ${FS}
        export function rotate(first: string, second: string): fs.ReadStream {
          let fd = fs.openSync(first, 'r');
          const stream = fs.createReadStream('', { fd });
          fd = fs.openSync(second, 'r');
          fs.fsyncSync(fd);
          fs.closeSync(fd);
          return stream;
        }
      `,
    },
    {
      name: 'closing in the catch of a try that holds only the adopting call (the adopter failed)',
      code: code`
        ${FS}
        export function wrap(path: string): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          let stream: fs.ReadStream;
          try {
            stream = fs.createReadStream('', { fd });
          } catch (error) {
            fs.closeSync(fd);
            throw error;
          }
          return stream;
        }
      `,
    },
    {
      name: 'closing only where the adopter result is absent',
      code: code`
        ${FS}
        declare function wanted(): boolean;
        export function maybeStream(path: string): void {
          const fd = fs.openSync(path, 'r');
          let stream: fs.ReadStream | undefined;
          if (wanted()) stream = fs.createReadStream('', { fd });
          if (!stream) fs.closeSync(fd);
          if (stream === undefined) {
            fs.closeSync(fd);
          }
          stream ? stream.destroy() : fs.closeSync(fd);
        }
        export function conditional(path: string, follow: boolean): void {
          const fd = fs.openSync(path, 'r');
          const stream = follow ? fs.createReadStream('', { fd }) : undefined;
          if (stream) stream.resume();
          else fs.closeSync(fd);
          const again = fs.openSync(path, 'r');
          const other = follow && fs.createReadStream('', { fd: again });
          if (!other) fs.closeSync(again);
        }
      `,
    },
    {
      name: 'an owner closing its own raw handle in its close method',
      code: code`
        import { closeHandle, type Channel } from 'native-addon-stub';
        export class FileChannel implements Channel {
          constructor(readonly fd: number) {}
          receive(): Promise<Uint8Array> {
            return Promise.resolve(new Uint8Array());
          }
          dispose(): void {
            const { fd } = this;
            closeHandle(this.fd);
            closeHandle(fd);
          }
        }
      `,
    },
    {
      name: 'fd members of non-owners and any-typed values',
      code: code`
        ${FS}
        declare const loose: any;
        export function closeAll(options: { fd: number }, stream: fs.ReadStream & { fd?: number }): void {
          fs.closeSync(options.fd);
          fs.closeSync(loose.fd);
          fs.closeSync(loose);
          fs.closeSync(3);
        }
      `,
    },
    {
      name: 'another variable was adopted',
      code: code`
        ${FS}
        export function pair(a: string, b: string): fs.ReadStream {
          const kept = fs.openSync(a, 'r');
          const given = fs.openSync(b, 'r');
          const stream = fs.createReadStream('', { fd: given });
          fs.closeSync(kept);
          return stream;
        }
      `,
    },
    {
      name: 'a parameter of the same name in a nested function is another variable',
      code: code`
        ${FS}
        export function later(path: string): (fd: number) => void {
          const fd = fs.openSync(path, 'r');
          fs.createReadStream('', { fd }).resume();
          return (fd: number) => fs.closeSync(fd);
        }
      `,
    },
    {
      name: 'a cleanup callback created before the adoption, called on the path that does not adopt',
      code: code`
        ${FS}
        declare function valid(fd: number): boolean;
        export function guarded(path: string): fs.ReadStream | undefined {
          const fd = fs.openSync(path, 'r');
          const cleanup = () => fs.closeSync(fd);
          if (!valid(fd)) {
            cleanup();
            return undefined;
          }
          return fs.createReadStream('', { fd });
        }
      `,
    },
    {
      name: 'fds handed to functions that do not adopt (fstat, a stream opened by path)',
      code: code`
        ${FS}
        export function inspect(path: string): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          fs.fstatSync(fd);
          const stream = fs.createReadStream(path);
          fs.closeSync(fd);
          return stream;
        }
      `,
    },
    {
      name: 'a fresh fd per loop iteration, closed in the catch of the adopting call',
      code: code`
        ${FS}
        export function openAll(paths: readonly string[]): fs.ReadStream[] {
          const streams: fs.ReadStream[] = [];
          for (const path of paths) {
            const fd = fs.openSync(path, 'r');
            try {
              streams.push(fs.createReadStream('', { fd }));
            } catch {
              fs.closeSync(fd);
            }
          }
          return streams;
        }
      `,
    },
    {
      name: 'without settings, Wrapper does not adopt and releaseRaw does not close; Queue is not an owner',
      code: code`
        ${FS}
        import { Queue, Wrapper, releaseRaw } from 'native-addon-stub';
        export function unconfigured(q: Queue, path: string): Wrapper {
          const fd = fs.openSync(path, 'r');
          const wrapper = new Wrapper(fd);
          releaseRaw(fd);
          fs.closeSync(q.getHandle());
          return wrapper;
        }
      `,
    },
    {
      name: 'options spread into the stream options may carry autoClose: false',
      code: code`
        ${FS}
        export function spread(path: string, options: { autoClose?: boolean }): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          const stream = fs.createReadStream('', { ...options, fd });
          fs.closeSync(fd);
          return stream;
        }
      `,
    },
    {
      name: 'the adopting call is in a loop after the close, on a new fd each time',
      code: code`
        ${FS}
        export function each(paths: readonly string[]): void {
          for (const path of paths) {
            const probe = fs.openSync(path, 'r');
            fs.closeSync(probe);
            const fd = fs.openSync(path, 'r');
            fs.createReadStream('', { fd }).resume();
          }
        }
      `,
    },
    {
      name: 'top-level code: close of a self-opened fd, adoption of another',
      code: code`
        ${FS}
        const lock = fs.openSync('/tmp/lock', 'w');
        const log = fs.openSync('/tmp/log', 'a');
        export const out = fs.createWriteStream('', { fd: log });
        fs.closeSync(lock);
      `,
    },
    {
      name: 'a listener closes the variable, which holds another fd by the time it runs',
      code: code`
        ${FS}
        export function reopen(first: string, second: string): void {
          let fd = fs.openSync(first, 'r');
          const stream = fs.createReadStream('', { fd });
          stream.on('end', () => fs.closeSync(fd));
          fd = fs.openSync(second, 'r');
          stream.resume();
        }
        export function each(fds: number[], spare: number): void {
          let fd = spare;
          fs.createReadStream('', { fd }).resume();
          for (fd of fds) fs.closeSync(fd);
        }
      `,
    },
    {
      name: 'a finally closes the fd only when a flag set after the adoption is still unset',
      code: code`
        ${FS}
        export function open(path: string): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          let ok = false;
          try {
            const stream = fs.createReadStream('', { fd });
            ok = true;
            return stream;
          } finally {
            if (!ok) fs.closeSync(fd);
          }
        }
        export function openFailing(path: string): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          let failed = true;
          try {
            const stream = fs.createReadStream('', { fd });
            failed = false;
            return stream;
          } finally {
            if (failed) fs.closeSync(fd);
          }
        }
      `,
    },
    {
      name: 'the catch of a returned adopting call, also after logging; a failure flag set only in the catch',
      code: code`
        ${FS}
        export function open(path: string): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          try {
            return fs.createReadStream('', { fd });
          } catch (error) {
            console.error('cannot stream', path, error);
            fs.closeSync(fd);
            throw error;
          }
        }
        export function openOrNull(path: string): fs.ReadStream | null {
          const fd = fs.openSync(path, 'r');
          let failed = false;
          let stream: fs.ReadStream | null = null;
          try {
            stream = fs.createReadStream('', { fd });
          } catch {
            failed = true;
          }
          if (failed) fs.closeSync(fd);
          return stream;
        }
      `,
    },
    {
      name: 'a configured rawHandle read on a type that is not configured',
      settings: QUEUE_SETTINGS,
      code: code`
        import { releaseRaw } from 'native-addon-stub';
        declare const other: { getHandle(): number };
        export function drop(): void {
          releaseRaw(other.getHandle());
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'issue 12: the owner is closed right after the raw close: the suggestion removes the raw close (no close twice in a row)',
      code: code`
        ${FH}
        export async function finish(fh: FileHandle): Promise<void> {
          fs.closeSync(fh.fd);
          await fh.close();
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 4,
          column: 3,
          data: owned('fs.closeSync', 'fh.fd', 'FileHandle', 'fh'),
          suggestions: [
            {
              messageId: 'removeRawClose',
              data: { close: 'fh.close()' },
              output: code`
                ${FH}
                export async function finish(fh: FileHandle): Promise<void> {
                  await fh.close();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: the owner was closed just before the raw close: the suggestion removes the raw close',
      code: code`
        ${FH}
        export async function finish(fh: FileHandle): Promise<void> {
          await fh.close();
          fs.closeSync(fh.fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 5,
          column: 3,
          data: owned('fs.closeSync', 'fh.fd', 'FileHandle', 'fh'),
          suggestions: [
            {
              messageId: 'removeRawClose',
              data: { close: 'fh.close()' },
              output: code`
                ${FH}
                export async function finish(fh: FileHandle): Promise<void> {
                  await fh.close();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: "fs.closeSync(fh.fd) in an async function: suggestion awaits the FileHandle's close",
      code: code`
        ${FH}
        export async function finish(fh: FileHandle): Promise<void> {
          await fh.sync();
          fs.closeSync(fh.fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 5,
          column: 3,
          data: owned('fs.closeSync', 'fh.fd', 'FileHandle', 'fh'),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'await fh.close()' },
              output: code`
                ${FH}
                export async function finish(fh: FileHandle): Promise<void> {
                  await fh.sync();
                  await fh.close();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'in a function that is not async there is no suggestion (FileHandle#close returns a promise)',
      code: code`
        ${FH}
        export function finish(fh: FileHandle): void {
          fs.closeSync(fh.fd);
        }
      `,
      output: null,
      errors: [{ messageId: 'ownedHandle', line: 4, column: 3, data: owned('fs.closeSync', 'fh.fd', 'FileHandle', 'fh'), suggestions: [] }],
    },
    {
      name: 'the fd copied into a local (also destructured), closed later; the callback form gets no suggestion',
      code: code`
        ${FH}
        export async function finish(fh: FileHandle, log: FileHandle): Promise<void> {
          const fd = fh.fd;
          fs.fsyncSync(fd);
          fs.closeSync(fd);
          const { fd: logFd } = log;
          fs.close(logFd, () => {});
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 6,
          column: 3,
          data: owned('fs.closeSync', 'fd', 'FileHandle', 'fh'),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'await fh.close()' },
              output: code`
                ${FH}
                export async function finish(fh: FileHandle, log: FileHandle): Promise<void> {
                  const fd = fh.fd;
                  fs.fsyncSync(fd);
                  await fh.close();
                  const { fd: logFd } = log;
                  fs.close(logFd, () => {});
                }
              `,
            },
          ],
        },
        { messageId: 'ownedHandle', line: 8, column: 3, data: owned('fs.close', 'logFd', 'FileHandle', 'log'), suggestions: [] },
      ],
    },
    {
      name: 'fs.close without a callback, and closeSync imported under another name',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        import { close, closeSync as shut } from 'node:fs';
        export async function finish(a: FileHandle, b: FileHandle): Promise<void> {
          close(a.fd);
          shut((b.fd));
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 4,
          column: 3,
          data: owned('close', 'a.fd', 'FileHandle', 'a'),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'await a.close()' },
              output: code`
                import type { FileHandle } from 'node:fs/promises';
                import { close, closeSync as shut } from 'node:fs';
                export async function finish(a: FileHandle, b: FileHandle): Promise<void> {
                  await a.close();
                  shut((b.fd));
                }
              `,
            },
          ],
        },
        {
          messageId: 'ownedHandle',
          line: 5,
          column: 3,
          data: owned('shut', 'b.fd', 'FileHandle', 'b'),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'await b.close()' },
              output: code`
                import type { FileHandle } from 'node:fs/promises';
                import { close, closeSync as shut } from 'node:fs';
                export async function finish(a: FileHandle, b: FileHandle): Promise<void> {
                  close(a.fd);
                  await b.close();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: "a tagged addon's raw handle given to a @closesHandle function",
      code: code`
        import { closeHandle, type Device } from 'native-addon-stub';
        export async function reset(dev: Device): Promise<void> {
          closeHandle(dev.handle);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 3,
          column: 3,
          data: owned('closeHandle', 'dev.handle', 'Device', 'dev'),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'await dev.close()' },
              output: code`
                import { closeHandle, type Device } from 'native-addon-stub';
                export async function reset(dev: Device): Promise<void> {
                  await dev.close();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a tagged interface with a synchronous close-role method: the suggestion calls it, also outside async functions',
      code: code`
        ${FS}
        import type { Channel } from 'native-addon-stub';
        export function hangUp(channel: Channel): void {
          fs.closeSync(channel.fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 4,
          column: 3,
          data: owned('fs.closeSync', 'channel.fd', 'Channel', 'channel'),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'channel.dispose()' },
              output: code`
                ${FS}
                import type { Channel } from 'native-addon-stub';
                export function hangUp(channel: Channel): void {
                  channel.dispose();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'configured rawHandle method, rawClose function and close role',
      settings: QUEUE_SETTINGS,
      code: code`
        import { releaseRaw, type Queue } from 'native-addon-stub';
        export function drop(q: Queue): void {
          releaseRaw(q.getHandle());
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 3,
          column: 3,
          data: owned('releaseRaw', 'q.getHandle()', 'Queue', 'q'),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'q.shutdown()' },
              output: code`
                import { releaseRaw, type Queue } from 'native-addon-stub';
                export function drop(q: Queue): void {
                  q.shutdown();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: "a field's FileHandle in a class method: the suggestion names this.field",
      code: code`
        ${FH}
        export class Journal {
          constructor(private readonly fh: FileHandle) {}
          async close(): Promise<void> {
            fs.closeSync(this.fh.fd);
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 6,
          column: 5,
          data: owned('fs.closeSync', 'this.fh.fd', 'FileHandle', 'this.fh'),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'await this.fh.close()' },
              output: code`
                ${FH}
                export class Journal {
                  constructor(private readonly fh: FileHandle) {}
                  async close(): Promise<void> {
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
      name: 'an optional owner, or one reassigned before the close, gets no suggestion',
      code: code`
        ${FH}
        export async function finish(maybe: FileHandle | undefined, next: FileHandle): Promise<void> {
          fs.closeSync(maybe?.fd as number);
          fs.closeSync(maybe!.fd);
          let fh = next;
          const fd = fh.fd;
          fh = next;
          fs.closeSync(fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 4,
          column: 3,
          data: owned('fs.closeSync', 'maybe?.fd as number', 'FileHandle', 'maybe'),
          suggestions: [],
        },
        { messageId: 'ownedHandle', line: 5, column: 3, data: owned('fs.closeSync', 'maybe!.fd', 'FileHandle', 'maybe!'), suggestions: [] },
        { messageId: 'ownedHandle', line: 9, column: 3, data: owned('fs.closeSync', 'fd', 'FileHandle', 'fh'), suggestions: [] },
      ],
    },
    {
      name: 'an fd handed to fs.createReadStream, then closed: suggestion destroys the stream',
      code: code`
        ${FS}
        export function tail(path: string): void {
          const fd = fs.openSync(path, 'r');
          const stream = fs.createReadStream('', { fd, start: 0 });
          stream.pipe(process.stdout);
          fs.closeSync(fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 6,
          column: 3,
          data: adopted('fs.closeSync', 'fd', 'fs.createReadStream()', 4),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'stream.destroy()' },
              output: code`
                ${FS}
                export function tail(path: string): void {
                  const fd = fs.openSync(path, 'r');
                  const stream = fs.createReadStream('', { fd, start: 0 });
                  stream.pipe(process.stdout);
                  stream.destroy();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'an fd handed to fs.createReadStream through an options object held in a const, then closed',
      code: code`
        ${FS}
        export function tail(path: string): void {
          const fd = fs.openSync(path, 'r');
          const options = { fd, start: 0 };
          const stream = fs.createReadStream('', options);
          stream.pipe(process.stdout);
          fs.closeSync(fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 7,
          column: 3,
          data: adopted('fs.closeSync', 'fd', 'fs.createReadStream()', 5),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'stream.destroy()' },
              output: code`
                ${FS}
                export function tail(path: string): void {
                  const fd = fs.openSync(path, 'r');
                  const options = { fd, start: 0 };
                  const stream = fs.createReadStream('', options);
                  stream.pipe(process.stdout);
                  stream.destroy();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'an fd handed to new net.Socket, then closed',
      code: code`
        ${FS}
        import * as net from 'node:net';
        export function pipeFrom(path: string): void {
          const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
          const socket = new net.Socket({ fd, readable: true });
          socket.resume();
          fs.closeSync(fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 7,
          column: 3,
          data: adopted('fs.closeSync', 'fd', 'new net.Socket()', 5, SOCKET_REMEDY),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'socket.destroy()' },
              output: code`
                ${FS}
                import * as net from 'node:net';
                export function pipeFrom(path: string): void {
                  const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
                  const socket = new net.Socket({ fd, readable: true });
                  socket.resume();
                  socket.destroy();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'adopted on one branch, closed after the branches join (the adopter is out of scope: no suggestion)',
      code: code`
        ${FS}
        export function maybeTail(path: string, follow: boolean): void {
          const fd = fs.openSync(path, 'r');
          if (follow) {
            const stream = fs.createReadStream('', { fd });
            stream.resume();
          }
          fs.closeSync(fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 8,
          column: 3,
          data: adopted('fs.closeSync', 'fd', 'fs.createReadStream()', 5),
          suggestions: [],
        },
      ],
    },
    {
      name: 'adopted in a try block, closed in its finally and in its catch after a later call that may throw',
      code: code`
        ${FS}
        declare function check(stream: fs.ReadStream): void;
        export function first(path: string): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          try {
            const stream = fs.createReadStream('', { fd });
            check(stream);
            return stream;
          } catch (error) {
            fs.closeSync(fd);
            throw error;
          }
        }
        export function second(path: string): void {
          const fd = fs.openSync(path, 'r');
          try {
            fs.createWriteStream('', { fd, flags: 'a' }).end('done');
          } finally {
            fs.closeSync(fd);
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 10,
          column: 5,
          data: adopted('fs.closeSync', 'fd', 'fs.createReadStream()', 6),
          suggestions: [],
        },
        {
          messageId: 'adoptedHandle',
          line: 19,
          column: 5,
          data: adopted('fs.closeSync', 'fd', 'fs.createWriteStream()', 17),
          suggestions: [],
        },
      ],
    },
    {
      name: "closed in a listener of the stream that adopted it (it closes the fd itself on 'end' and 'error')",
      code: code`
        ${FS}
        export function tail(path: string): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          const stream = fs.createReadStream('', { fd });
          stream.on('end', () => {
            fs.closeSync(fd);
          });
          return stream;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 6,
          column: 5,
          data: adopted('fs.closeSync', 'fd', 'fs.createReadStream()', 4),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'stream.destroy()' },
              output: code`
                ${FS}
                export function tail(path: string): fs.ReadStream {
                  const fd = fs.openSync(path, 'r');
                  const stream = fs.createReadStream('', { fd });
                  stream.on('end', () => {
                    stream.destroy();
                  });
                  return stream;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: '@adoptsHandle function: the suggestion awaits the close of its result in an async function',
      code: code`
        ${FS}
        import { wrapHandle } from 'native-addon-stub';
        export async function probe(path: string): Promise<void> {
          const fd = fs.openSync(path, 'r');
          const device = wrapHandle(fd);
          await device.read(1);
          fs.closeSync(fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 7,
          column: 3,
          data: adopted('fs.closeSync', 'fd', 'wrapHandle()', 5, OTHER_REMEDY),
          suggestions: [
            {
              messageId: 'closeOwner',
              data: { replacement: 'await device.close()' },
              output: code`
                ${FS}
                import { wrapHandle } from 'native-addon-stub';
                export async function probe(path: string): Promise<void> {
                  const fd = fs.openSync(path, 'r');
                  const device = wrapHandle(fd);
                  await device.read(1);
                  await device.close();
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'configured adopt constructor and rawClose function (the wrapper is not an owner: no suggestion)',
      settings: QUEUE_SETTINGS,
      code: code`
        ${FS}
        import { Wrapper, releaseRaw } from 'native-addon-stub';
        export function wrap(path: string): Wrapper {
          const fd = fs.openSync(path, 'r');
          const wrapper = new Wrapper(fd);
          releaseRaw(fd);
          return wrapper;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 6,
          column: 3,
          data: adopted('releaseRaw', 'fd', 'new Wrapper()', 5, OTHER_REMEDY),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a loop closes the previous fd at the start of each iteration, after the previous iteration handed it to a stream',
      code: code`
        ${FS}
        export function rotate(paths: readonly string[]): void {
          let fd = -1;
          for (const path of paths) {
            if (fd >= 0) fs.closeSync(fd);
            fd = fs.openSync(path, 'a');
            fs.createWriteStream('', { fd }).write('rotated');
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 5,
          column: 18,
          data: adopted('fs.closeSync', 'fd', 'fs.createWriteStream()', 7),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a returned adopting call with a finally that closes the fd; a close after a try whose catch swallows the failure',
      code: code`
        ${FS}
        export function open(path: string): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          try {
            return fs.createReadStream('', { fd });
          } finally {
            fs.closeSync(fd);
          }
        }
        export function tryOpen(path: string): void {
          const fd = fs.openSync(path, 'r');
          try {
            fs.createReadStream('', { fd }).resume();
          } catch {
            console.error('no stream');
          }
          fs.closeSync(fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 7,
          column: 5,
          data: adopted('fs.closeSync', 'fd', 'fs.createReadStream()', 5),
          suggestions: [],
        },
        {
          messageId: 'adoptedHandle',
          line: 17,
          column: 3,
          data: adopted('fs.closeSync', 'fd', 'fs.createReadStream()', 13),
          suggestions: [],
        },
      ],
    },
    {
      name: 'a flag set before the adoption does not tell whether it happened',
      code: code`
        ${FS}
        export function open(path: string): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          let ok = false;
          try {
            ok = true;
            const stream = fs.createReadStream('', { fd });
            stream.on('error', () => {});
            return stream;
          } finally {
            if (ok) fs.closeSync(fd);
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 11,
          column: 13,
          data: adopted('fs.closeSync', 'fd', 'fs.createReadStream()', 7),
          suggestions: [],
        },
      ],
    },
    {
      name: 'top-level code, and the stream tested for presence on the wrong branch',
      code: code`
        ${FS}
        declare function wanted(): boolean;
        const fd = fs.openSync('/tmp/log', 'a');
        let stream: fs.WriteStream | undefined;
        if (wanted()) stream = fs.createWriteStream('', { fd });
        if (stream) fs.closeSync(fd);
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptedHandle',
          line: 6,
          column: 13,
          data: adopted('fs.closeSync', 'fd', 'fs.createWriteStream()', 5),
          suggestions: [],
        },
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Issue 11: `rawClose` and `adopt` specifiers for packages whose types are missing
// (`not-installed-addon` is not installed), and dotted names (a static method, a namespace member).

const ISSUE11_SETTINGS = {
  'native-handle': {
    rawClose: [
      { from: 'package', package: 'not-installed-addon', name: ['releaseRaw', 'Handles.release'] },
      { from: 'file', name: ['FdUtil.closeFd', 'Fds.close'] },
    ],
    adopt: { from: 'package', package: 'not-installed-addon', name: ['Wrapper', 'default'] },
  },
};

/** The invalid case closing `fd` with `closer(fd);` after `fs.createReadStream('', { fd })`: the suggestion destroys the stream instead. */
function closesStreamFd(body: string, closer: string): { code: string; error: TestCaseError<MessageIds> } {
  const text = code`
    ${FS}
    ${body}
    export function wrap(path: string): fs.ReadStream {
      const fd = fs.openSync(path, 'r');
      const stream = fs.createReadStream('', { fd });
      ${closer}(fd);
      return stream;
    }
  `;
  const suggestion = {
    messageId: 'closeOwner' as const,
    data: { replacement: 'stream.destroy()' },
    output: text.replace(`${closer}(fd);`, 'stream.destroy();'),
  };
  const error = {
    messageId: 'adoptedHandle' as const,
    line: 6,
    column: 3,
    data: adopted(closer, 'fd', 'fs.createReadStream()', 5),
    suggestions: [suggestion],
  };
  return { code: text, error };
}

const ISSUE11_STREAM_CASES = [
  [
    'namespace members of a package that is not installed, one named by a dotted name',
    "import * as addon from 'not-installed-addon';",
    'addon.Handles.release',
  ],
  [
    "a static method named by 'FdUtil.closeFd'",
    'class FdUtil { static closeFd(fd: number): void { fs.closeSync(fd); } }',
    'FdUtil.closeFd',
  ],
  [
    "a namespace function named by 'Fds.close'",
    'namespace Fds { export function close(fd: number): void { fs.closeSync(fd); } }',
    'Fds.close',
  ],
].map(([name, body, closer]) => {
  const { code: text, error } = closesStreamFd(body!, closer!);
  return { name: name!, code: text, output: null, errors: [error] };
});

createRuleTester(ISSUE11_SETTINGS).run('no-raw-handle-close (issue 11: untyped packages, dotted names)', rule, {
  valid: [
    {
      name: 'a configured closer of a package that is not installed, on an fd nothing adopted',
      code: code`
        ${FS}
        import { releaseRaw } from 'not-installed-addon';
        export function probe(path: string): void {
          const fd = fs.openSync(path, 'r');
          releaseRaw(fd);
        }
      `,
    },
    {
      name: 'other values of the untyped package, and the configured names from another untyped package, close nothing',
      code: code`
        ${FS}
        import { release } from 'not-installed-addon';
        import { releaseRaw } from 'other-not-installed-addon';
        export function wrap(path: string): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          const stream = fs.createReadStream('', { fd });
          release(fd);
          releaseRaw(fd);
          return stream;
        }
      `,
    },
    {
      name: 'an instance method with a configured dotted name, and a static method of another class, close nothing',
      code: code`
        ${FS}
        class FdUtil { closeFd(fd: number): void { fs.closeSync(fd); } }
        class Util { static closeFd(fd: number): void {} }
        export function wrap(path: string, util: FdUtil): fs.ReadStream {
          const fd = fs.openSync(path, 'r');
          const stream = fs.createReadStream('', { fd });
          util.closeFd(fd);
          Util.closeFd(fd);
          return stream;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'a closer and a default-imported adopter of a package that is not installed',
      code: code`
        ${FS}
        import Wrap, { releaseRaw as drop } from 'not-installed-addon';
        export function wrap(path: string): unknown {
          const fd = fs.openSync(path, 'r');
          const wrapper = new Wrap(fd);
          drop(fd);
          return wrapper;
        }
      `,
      output: null,
      errors: [
        { messageId: 'adoptedHandle', line: 6, column: 3, data: adopted('drop', 'fd', 'new Wrap()', 5, OTHER_REMEDY), suggestions: [] },
      ],
    },
    ...ISSUE11_STREAM_CASES,
  ],
});
// --- end issue 11 ------------------------------------------------------------------------------

// -------------------------------------------------------------------------------------------
// Known native packages (docs/packages.md, docs/packages.md): serialport's binding ports own `fd`.

createRuleTester().run('no-raw-handle-close: serialport', rule, {
  valid: [
    {
      name: 'serialport: closing a descriptor the code opened itself beside a binding port, and the port with its own close()',
      code: code`
        import { autoDetect } from '@serialport/bindings-cpp';
        import * as fs from 'node:fs';
        export async function withLock(path: string): Promise<void> {
          const port = await autoDetect().open({ path, baudRate: 9600 });
          const lock = fs.openSync(\`\${path}.lock\`, 'w');
          fs.closeSync(lock);
          await port.close();
        }
      `,
    },
  ],
  invalid: [
    {
      // @serialport/bindings-cpp 13.0.1 dist/linux.js: close() closes this.fd again (asyncClose(fd)).
      name: "serialport: fs.closeSync of a binding port's fd",
      code: code`
        import { autoDetect } from '@serialport/bindings-cpp';
        import * as fs from 'node:fs';
        export async function hardReset(path: string): Promise<void> {
          const port = await autoDetect().open({ path, baudRate: 9600 });
          const fd = port.fd;
          if (fd !== null) fs.closeSync(fd);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'ownedHandle',
          line: 6,
          column: 20,
          data: owned('fs.closeSync', 'fd', 'serialport binding port', 'port'),
          suggestions: [
            {
              messageId: 'closeOwner',
              output: code`
                import { autoDetect } from '@serialport/bindings-cpp';
                import * as fs from 'node:fs';
                export async function hardReset(path: string): Promise<void> {
                  const port = await autoDetect().open({ path, baudRate: 9600 });
                  const fd = port.fd;
                  if (fd !== null) await port.close();
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});
