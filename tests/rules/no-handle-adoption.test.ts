import rule from '../../src/rules/no-handle-adoption.js';
import { code, crlf } from '../code.js';
import { createRuleTester } from '../ruleTester.js';

/** Two lines: the FileHandle type and `fs`. */
const FH = "import type { FileHandle } from 'node:fs/promises';\nimport * as fs from 'node:fs';";
/** Two lines: FileHandle and the thread endpoints. */
const WT =
  "import type { FileHandle } from 'node:fs/promises';\nimport { BroadcastChannel, MessageChannel, Worker, parentPort, type MessagePort } from 'node:worker_threads';";
const WRAPPER_SETTINGS = { 'native-handle': { adopt: [{ from: 'package', package: 'native-addon-stub', name: 'Wrapper' }] } };

const STREAM_REMEDY = (text: string) =>
  `Pass the FileHandle itself (\`{ fd: ${text} }\`), or add \`autoClose: false\` so that only the FileHandle closes the fd.`;
const SOCKET_REMEDY =
  'A net.Socket closes its fd when destroyed: give it a descriptor nothing else owns (one you opened yourself), or keep using the FileHandle.';
const adopts = (adopter: string, remedy: string, owner = 'FileHandle', member = 'fd') => ({ adopter, member, owner, remedy });
const FH_TRANSFER =
  'List it in the transfer list, so that it moves to the receiving thread (Node throws ERR_MISSING_TRANSFERABLE_IN_TRANSFER_LIST otherwise).';
const FH_RAW_REMEDY = 'Send the FileHandle itself and list it in the transfer list (`postMessage({ fh }, [fh])`).';
const transferSuggestion = (list: string, output: string) => ({ messageId: 'addToTransferList' as const, data: { list }, output });

createRuleTester().run('no-handle-adoption', rule, {
  valid: [
    {
      name: 'the FileHandle itself as the fd option',
      code: code`
        ${FH}
        export function stream(fh: FileHandle): fs.ReadStream {
          return fs.createReadStream('', { fd: fh, start: 0 });
        }
      `,
    },
    {
      name: 'autoClose: false keeps the FileHandle the only owner (read and write streams)',
      code: code`
        ${FH}
        export function streams(fh: FileHandle): [fs.ReadStream, fs.WriteStream] {
          return [
            fs.createReadStream('', { fd: fh.fd, autoClose: false }),
            fs.createWriteStream('', { autoClose: false as const, fd: fh.fd, flags: 'a' }),
          ];
        }
      `,
    },
    {
      name: 'a non-literal autoClose is unknown',
      code: code`
        ${FH}
        export function stream(fh: FileHandle, keep: boolean): fs.ReadStream {
          return fs.createReadStream('', { fd: fh.fd, autoClose: !keep });
        }
      `,
    },
    {
      name: 'a spread in the options may carry autoClose: false',
      code: code`
        ${FH}
        export function stream(fh: FileHandle, options: fs.ReadStreamOptions): fs.ReadStream {
          return fs.createReadStream('', { ...options, fd: fh.fd });
        }
      `,
    },
    {
      name: 'options that are not an object literal',
      code: code`
        ${FH}
        export function stream(fh: FileHandle): fs.ReadStream {
          const options = { fd: fh.fd, autoClose: false };
          return fs.createReadStream('', options);
        }
      `,
    },
    {
      name: 'a self-opened fd handed to a stream and to a socket is a transfer',
      code: code`
        import * as fs from 'node:fs';
        import * as net from 'node:net';
        export function open(path: string): [fs.ReadStream, net.Socket] {
          const fd = fs.openSync(path, 'r');
          const other = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
          return [fs.createReadStream('', { fd }), new net.Socket({ fd: other, readable: true })];
        }
      `,
    },
    {
      name: 'a tagged adopter given a self-opened fd',
      code: code`
        import * as fs from 'node:fs';
        import { wrapHandle, type Device } from 'native-addon-stub';
        export function device(path: string): Device {
          return wrapHandle(fs.openSync(path, 'r+'));
        }
      `,
    },
    {
      name: 'a raw fd that came in as a parameter (provenance unknown)',
      code: code`
        import * as fs from 'node:fs';
        import * as net from 'node:net';
        export function wrap(fd: number): [fs.ReadStream, net.Socket] {
          return [fs.createReadStream('', { fd }), new net.Socket({ fd })];
        }
      `,
    },
    {
      name: "a user function named createReadStream that is not Node's",
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        function createReadStream(path: string, options: { fd: number }): number {
          return options.fd + path.length;
        }
        export const n = (fh: FileHandle): number => createReadStream('', { fd: fh.fd });
      `,
    },
    {
      name: 'a user class named Socket, and a look-alike fd of another type',
      code: code`
        import * as fs from 'node:fs';
        class Socket {
          constructor(readonly options: { fd: number }) {}
        }
        declare const file: { fd: number };
        export const made = [new Socket({ fd: file.fd }), fs.createReadStream('', { fd: file.fd })];
      `,
    },
    {
      name: 'new net.Socket() without an fd',
      code: code`
        import * as net from 'node:net';
        export const socket = new net.Socket({ allowHalfOpen: true });
        export const other = new net.Socket();
      `,
    },
    {
      name: 'a configured adopter without the setting is not an adopter',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        import { Wrapper } from 'native-addon-stub';
        export const wrap = (fh: FileHandle): Wrapper => new Wrapper(fh.fd);
      `,
    },
    {
      name: "the FileHandle's own createReadStream, and a raw fd in a synchronous call",
      code: code`
        ${FH}
        export function read(fh: FileHandle): fs.ReadStream {
          fs.fstatSync(fh.fd);
          return fh.createReadStream({ start: 0 });
        }
      `,
    },
    {
      name: 'a FileHandle posted with itself in the transfer list',
      code: code`
        ${WT}
        export function send(worker: Worker, fh: FileHandle): void {
          worker.postMessage(fh, [fh]);
        }
      `,
    },
    {
      name: 'a FileHandle in an object message, listed in the transfer list (also the options form)',
      code: code`
        ${WT}
        export function send(port: MessagePort, fh: FileHandle, other: FileHandle): void {
          port.postMessage({ fh }, [fh]);
          port.postMessage({ job: { file: other as FileHandle } }, { transfer: [other] } as never);
        }
      `,
    },
    {
      name: 'a FileHandle field listed through an alias of it, or spelled with other wrappers',
      code: code`
        ${WT}
        export class Sender {
          constructor(private readonly port: MessagePort, private fh: FileHandle | undefined) {}
          send(): void {
            const h = this.fh;
            this.port.postMessage({ fh: this.fh }, [h!]);
            this.port.postMessage({ fh: this.fh! }, [this.fh as FileHandle]);
          }
        }
      `,
    },
    {
      name: 'posting plain data, and the raw fd next to its owner in the transfer list',
      code: code`
        ${WT}
        export function send(worker: Worker, fh: FileHandle, path: string): void {
          worker.postMessage({ path, size: 3, tags: ['a', 'b'] });
          worker.postMessage({ fh, fd: fh.fd }, [fh]);
        }
      `,
    },
    {
      name: 'posting a self-opened fd is out of scope',
      code: code`
        import * as fs from 'node:fs';
        import { Worker } from 'node:worker_threads';
        export function send(worker: Worker, path: string): void {
          const fd = fs.openSync(path, 'r');
          worker.postMessage({ fd });
        }
      `,
    },
    {
      name: 'a postMessage method of another type (window-like object, EventEmitter subclass)',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        import { EventEmitter } from 'node:events';
        declare const frame: { postMessage(message: unknown, targetOrigin?: string): void };
        class Bus extends EventEmitter {
          postMessage(message: unknown): void {
            this.emit('message', message);
          }
        }
        export function send(fh: FileHandle, bus: Bus): void {
          frame.postMessage(fh);
          bus.postMessage({ fh, fd: fh.fd });
        }
      `,
    },
    {
      name: 'a transfer list the rule cannot read is unknown',
      code: code`
        ${WT}
        export function send(worker: Worker, fh: FileHandle, transfer: FileHandle[], more: FileHandle[]): void {
          worker.postMessage({ fh }, transfer);
          worker.postMessage({ fh }, [...more]);
        }
      `,
    },
    {
      name: 'an any or mixed receiver is unknown',
      code: code`
        ${WT}
        export function send(anything: any, either: Worker | { postMessage(m: unknown): void }, fh: FileHandle): void {
          anything.postMessage(fh);
          either.postMessage(fh);
        }
      `,
    },
    {
      name: 'plain data on a BroadcastChannel and on parentPort',
      code: code`
        ${WT}
        export function announce(channel: BroadcastChannel, fh: FileHandle): void {
          channel.postMessage({ kind: 'opened', bytes: 12 });
          parentPort?.postMessage(['done', fh.fd > 0]);
          new BroadcastChannel('status').postMessage('ready');
        }
      `,
    },
    {
      name: 'a MessagePort sent with itself in the transfer list',
      code: code`
        ${WT}
        export function connect(worker: Worker): MessagePort {
          const { port1, port2 } = new MessageChannel();
          worker.postMessage({ reply: port2 }, [port2]);
          return port1;
        }
      `,
    },
    {
      name: 'a configured adopter given a self-opened fd',
      settings: WRAPPER_SETTINGS,
      code: code`
        import * as fs from 'node:fs';
        import { Wrapper } from 'native-addon-stub';
        export function wrap(path: string): Wrapper {
          const fd = fs.openSync(path, 'r');
          return new Wrapper(fd);
        }
      `,
    },
    {
      name: 'an owner listed through wrappers, and a message spread the rule does not follow',
      code: code`
        ${WT}
        export function send(worker: Worker, fh: FileHandle, state: { fh: FileHandle }): void {
          worker.postMessage({ file: fh! }, [fh as FileHandle]);
          worker.postMessage({ ...state, at: Date.now() });
        }
      `,
    },
    {
      name: 'a raw fd only formatted or compared in the message',
      code: code`
        ${WT}
        export function send(worker: Worker, fh: FileHandle): void {
          worker.postMessage({ text: \`fd \${fh.fd}\`, size: fh.fd > 2 ? 1 : 0, later: String(fh.fd) });
        }
      `,
    },
    {
      name: 'options held by a local, changed before the call (autoClose set, Object.assign): the rule cannot tell',
      code: code`
        ${FH}
        export function streams(fh: FileHandle, keep: boolean): [fs.ReadStream, fs.WriteStream] {
          const read = { fd: fh.fd, start: 0, autoClose: true };
          if (keep) read.autoClose = false;
          const write = { fd: fh.fd };
          Object.assign(write, { autoClose: false });
          return [fs.createReadStream('', read), fs.createWriteStream('', write)];
        }
      `,
    },
    {
      name: 'options held by a local: autoClose: false, a reassigned let, a parameter',
      code: code`
        ${FH}
        import * as net from 'node:net';
        export function streams(fh: FileHandle, given: { fd: number }): unknown[] {
          const keep = { fd: fh.fd, autoClose: false };
          let other = { fd: fh.fd };
          other = { fd: 0 };
          return [fs.createReadStream('', keep), fs.createWriteStream('', other), new net.Socket(given)];
        }
      `,
    },
    {
      name: 'a FileHandle in a const message, listed through the message (msg.fh, msg.files[0], options form)',
      code: code`
        ${WT}
        export function send(worker: Worker, port: MessagePort, fh: FileHandle, log: FileHandle): void {
          const msg = { kind: 'job', fh };
          worker.postMessage(msg, [msg.fh]);
          const batch = { files: [fh, log] };
          worker.postMessage(batch, [batch.files[0], batch.files[1]]);
          const named = { file: log };
          port.postMessage(named, { transfer: [named['file']] });
        }
      `,
    },
    {
      name: 'listed through a nested const, and an owner listed next to its raw handle through the message',
      code: code`
        ${WT}
        export function send(worker: Worker, fh: FileHandle): void {
          const inner = { fh };
          const msg = { inner, at: 1 };
          worker.postMessage(msg, [msg.inner.fh]);
          const both = { fh, fd: fh.fd };
          worker.postMessage(both, [both.fh]);
        }
      `,
    },
    {
      name: 'an owner in the transfer list that the rule cannot match to the message: quiet',
      code: code`
        ${WT}
        export function send(worker: Worker, fh: FileHandle, log: FileHandle, other: FileHandle, i: number): void {
          const msg = { files: [fh, log] };
          worker.postMessage(msg, [msg.files[i]!]);
          worker.postMessage({ fh }, [other]);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'a FileHandle fd adopted by createReadStream',
      code: code`
        ${FH}
        export function stream(fh: FileHandle): fs.ReadStream {
          return fs.createReadStream('', { fd: fh.fd });
        }
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('fs.createReadStream', STREAM_REMEDY('fh')),
          line: 4,
          column: 10,
          suggestions: [
            {
              messageId: 'passOwner',
              data: { owner: 'FileHandle', text: 'fh' },
              output: code`
                ${FH}
                export function stream(fh: FileHandle): fs.ReadStream {
                  return fs.createReadStream('', { fd: fh });
                }
              `,
            },
            {
              messageId: 'keepOpen',
              data: { owner: 'FileHandle' },
              output: code`
                ${FH}
                export function stream(fh: FileHandle): fs.ReadStream {
                  return fs.createReadStream('', { fd: fh.fd, autoClose: false });
                }
              `,
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'issue 12: an owner read through a non-null assertion keeps it in the suggestion (it type-checks)',
      code: code`
        ${FH}
        export function stream(fh: FileHandle | null): fs.ReadStream {
          return fs.createReadStream('', { fd: fh!.fd });
        }
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('fs.createReadStream', STREAM_REMEDY('fh')),
          line: 4,
          column: 10,
          suggestions: [
            {
              messageId: 'passOwner',
              data: { owner: 'FileHandle', text: 'fh!' },
              output: code`
                ${FH}
                export function stream(fh: FileHandle | null): fs.ReadStream {
                  return fs.createReadStream('', { fd: fh! });
                }
              `,
            },
            {
              messageId: 'keepOpen',
              data: { owner: 'FileHandle' },
              output: code`
                ${FH}
                export function stream(fh: FileHandle | null): fs.ReadStream {
                  return fs.createReadStream('', { fd: fh!.fd, autoClose: false });
                }
              `,
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'createWriteStream with more options and comments: the suggestions keep them',
      code: code`
        ${FH}
        export function log(fh: FileHandle): fs.WriteStream {
          return fs.createWriteStream('', {
            flags: 'a', // append
            fd: fh.fd /* borrowed */,
            highWaterMark: 1024, // 1 KiB
          });
        }
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('fs.createWriteStream', STREAM_REMEDY('fh')),
          line: 4,
          column: 10,
          suggestions: [
            {
              messageId: 'passOwner',
              data: { owner: 'FileHandle', text: 'fh' },
              output: code`
                ${FH}
                export function log(fh: FileHandle): fs.WriteStream {
                  return fs.createWriteStream('', {
                    flags: 'a', // append
                    fd: fh /* borrowed */,
                    highWaterMark: 1024, // 1 KiB
                  });
                }
              `,
            },
            {
              messageId: 'keepOpen',
              data: { owner: 'FileHandle' },
              output: code`
                ${FH}
                export function log(fh: FileHandle): fs.WriteStream {
                  return fs.createWriteStream('', {
                    flags: 'a', // append
                    fd: fh.fd /* borrowed */,
                    highWaterMark: 1024, // 1 KiB
                    autoClose: false,
                  });
                }
              `,
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'options one per line without a trailing comma, a comment after the last one',
      code: code`
        ${FH}
        export function body(fh: FileHandle): fs.ReadStream {
          const stream = fs.createReadStream('', {
            fd: fh.fd,
            start: 10 // skip the header
          });
          return stream;
        }
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('fs.createReadStream', STREAM_REMEDY('fh')),
          line: 4,
          column: 18,
          suggestions: [
            {
              messageId: 'passOwner',
              data: { owner: 'FileHandle', text: 'fh' },
              output: code`
                ${FH}
                export function body(fh: FileHandle): fs.ReadStream {
                  const stream = fs.createReadStream('', {
                    fd: fh,
                    start: 10 // skip the header
                  });
                  return stream;
                }
              `,
            },
            {
              messageId: 'keepOpen',
              data: { owner: 'FileHandle' },
              output: code`
                ${FH}
                export function body(fh: FileHandle): fs.ReadStream {
                  const stream = fs.createReadStream('', {
                    fd: fh.fd,
                    start: 10, // skip the header
                    autoClose: false
                  });
                  return stream;
                }
              `,
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'issue 12: in a CRLF file, options one per line without a trailing comma, a comment after the last one (the edit keeps CRLF)',
      code: crlf(code`
        ${FH}
        export function body(fh: FileHandle): fs.ReadStream {
          const stream = fs.createReadStream('', {
            fd: fh.fd,
            start: 10 // skip the header
          });
          return stream;
        }
      `),
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('fs.createReadStream', STREAM_REMEDY('fh')),
          line: 4,
          column: 18,
          suggestions: [
            {
              messageId: 'passOwner',
              data: { owner: 'FileHandle', text: 'fh' },
              output: crlf(code`
                ${FH}
                export function body(fh: FileHandle): fs.ReadStream {
                  const stream = fs.createReadStream('', {
                    fd: fh,
                    start: 10 // skip the header
                  });
                  return stream;
                }
              `),
            },
            {
              messageId: 'keepOpen',
              data: { owner: 'FileHandle' },
              output: crlf(code`
                ${FH}
                export function body(fh: FileHandle): fs.ReadStream {
                  const stream = fs.createReadStream('', {
                    fd: fh.fd,
                    start: 10, // skip the header
                    autoClose: false
                  });
                  return stream;
                }
              `),
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'a destructured fd in shorthand, adopted by an imported alias; autoClose: true is replaced',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        import { createReadStream as stream } from 'node:fs';
        export function tail(fh: FileHandle) {
          const { fd } = fh;
          return stream('', { fd, autoClose: true });
        }
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('stream', STREAM_REMEDY('fh')),
          line: 5,
          column: 10,
          suggestions: [
            {
              messageId: 'passOwner',
              data: { owner: 'FileHandle', text: 'fh' },
              output: code`
                import type { FileHandle } from 'node:fs/promises';
                import { createReadStream as stream } from 'node:fs';
                export function tail(fh: FileHandle) {
                  const { fd } = fh;
                  return stream('', { fd: fh, autoClose: true });
                }
              `,
            },
            {
              messageId: 'keepOpen',
              data: { owner: 'FileHandle' },
              output: code`
                import type { FileHandle } from 'node:fs/promises';
                import { createReadStream as stream } from 'node:fs';
                export function tail(fh: FileHandle) {
                  const { fd } = fh;
                  return stream('', { fd, autoClose: false });
                }
              `,
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'a raw fd kept in a const, of a FileHandle field',
      code: code`
        ${FH}
        export class Journal {
          constructor(private readonly fh: FileHandle) {}
          reader(): fs.ReadStream {
            const fd = this.fh.fd;
            return fs.createReadStream('', { fd: fd });
          }
        }
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('fs.createReadStream', STREAM_REMEDY('this.fh')),
          line: 7,
          column: 12,
          suggestions: [
            {
              messageId: 'keepOpen',
              data: { owner: 'FileHandle' },
              output: code`
                ${FH}
                export class Journal {
                  constructor(private readonly fh: FileHandle) {}
                  reader(): fs.ReadStream {
                    const fd = this.fh.fd;
                    return fs.createReadStream('', { fd: fd, autoClose: false });
                  }
                }
              `,
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'new net.Socket({ fd: fh.fd }) has no suggestion',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        import { Socket } from 'node:net';
        export const socket = (fh: FileHandle): Socket => new Socket({ fd: fh.fd, readable: true });
      `,
      errors: [{ messageId: 'adoptsBorrowed', data: adopts('Socket', SOCKET_REMEDY), line: 3, column: 51, suggestions: null }],
      output: null,
    },
    {
      name: 'an optional fd read, into a stream (the FileHandle | undefined also fits the option)',
      code: code`
        ${FH}
        export const stream = (fh?: FileHandle) => fs.createReadStream('x', { fd: fh?.fd });
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('fs.createReadStream', STREAM_REMEDY('fh')),
          line: 3,
          column: 44,
          suggestions: [
            {
              messageId: 'passOwner',
              data: { owner: 'FileHandle', text: 'fh' },
              output: code`
                ${FH}
                export const stream = (fh?: FileHandle) => fs.createReadStream('x', { fd: fh });
              `,
            },
            {
              messageId: 'keepOpen',
              data: { owner: 'FileHandle' },
              output: code`
                ${FH}
                export const stream = (fh?: FileHandle) => fs.createReadStream('x', { fd: fh?.fd, autoClose: false });
              `,
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'a tagged owner whose raw handle cannot be replaced by the owner: only autoClose: false',
      code: code`
        import * as fs from 'node:fs';
        import type { Channel } from 'native-addon-stub';
        export const stream = (channel: Channel) => fs.createReadStream('', { fd: channel.fd });
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('fs.createReadStream', 'Add `autoClose: false`, so that only the Channel closes the handle.', 'Channel'),
          line: 3,
          column: 45,
          suggestions: [
            {
              messageId: 'keepOpen',
              data: { owner: 'Channel' },
              output: code`
                import * as fs from 'node:fs';
                import type { Channel } from 'native-addon-stub';
                export const stream = (channel: Channel) => fs.createReadStream('', { fd: channel.fd, autoClose: false });
              `,
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'an @adoptsHandle function given a Device handle',
      code: code`
        import { wrapHandle, type Device } from 'native-addon-stub';
        export function twin(dev: Device): Device {
          return wrapHandle(dev.handle);
        }
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts(
            'wrapHandle',
            'Give it a handle nothing else owns (one you opened yourself), or keep using the Device itself.',
            'Device',
            'handle',
          ),
          line: 3,
          column: 10,
          suggestions: null,
        },
      ],
      output: null,
    },
    {
      name: 'an adopt-configured constructor given a FileHandle fd',
      settings: WRAPPER_SETTINGS,
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        import { Wrapper } from 'native-addon-stub';
        export const wrap = (fh: FileHandle): Wrapper => new Wrapper(fh.fd);
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('Wrapper', 'Give it a handle nothing else owns (one you opened yourself), or keep using the FileHandle itself.'),
          line: 3,
          column: 50,
          suggestions: null,
        },
      ],
      output: null,
    },
    {
      name: 'a FileHandle posted to a Worker without a transfer list',
      code: code`
        ${WT}
        export function send(worker: Worker, fh: FileHandle): void {
          worker.postMessage(fh);
        }
      `,
      errors: [
        {
          messageId: 'postsOwner',
          data: { owner: 'FileHandle', remedy: FH_TRANSFER },
          line: 4,
          column: 3,
          suggestions: [
            transferSuggestion(
              '`fh`',
              code`
                ${WT}
                export function send(worker: Worker, fh: FileHandle): void {
                  worker.postMessage(fh, [fh]);
                }
              `,
            ),
          ],
        },
      ],
      output: null,
    },
    {
      name: 'FileHandles in an object message, one missing from the list and one from an empty list',
      code: code`
        ${WT}
        export function send(port: MessagePort, fh: FileHandle, log: FileHandle): void {
          port.postMessage({ fh, log }, [log]);
          port.postMessage({ files: [fh] }, []);
        }
      `,
      errors: [
        {
          messageId: 'postsOwner',
          data: { owner: 'FileHandle', remedy: FH_TRANSFER },
          line: 4,
          column: 3,
          suggestions: [
            transferSuggestion(
              '`fh`',
              code`
                ${WT}
                export function send(port: MessagePort, fh: FileHandle, log: FileHandle): void {
                  port.postMessage({ fh, log }, [log, fh]);
                  port.postMessage({ files: [fh] }, []);
                }
              `,
            ),
          ],
        },
        {
          messageId: 'postsOwner',
          data: { owner: 'FileHandle', remedy: FH_TRANSFER },
          line: 5,
          column: 3,
          suggestions: [
            transferSuggestion(
              '`fh`',
              code`
                ${WT}
                export function send(port: MessagePort, fh: FileHandle, log: FileHandle): void {
                  port.postMessage({ fh, log }, [log]);
                  port.postMessage({ files: [fh] }, [fh]);
                }
              `,
            ),
          ],
        },
      ],
      output: null,
    },
    {
      name: 'a message built in a const first, posted on parentPort; two owners of a field',
      code: code`
        ${WT}
        export class Job {
          constructor(private readonly input: FileHandle, private readonly output: FileHandle) {}
          hand(): void {
            const message = { input: this.input, output: this.output, id: 1 };
            parentPort?.postMessage(message);
          }
        }
      `,
      errors: [
        {
          messageId: 'postsOwner',
          data: { owner: 'FileHandle', remedy: FH_TRANSFER },
          line: 7,
          column: 5,
          suggestions: null,
        },
      ],
      output: null,
    },
    {
      name: 'owners in a const message, listed as they are written at the call',
      code: code`
        ${WT}
        export function hand(worker: Worker, input: FileHandle, output: FileHandle): void {
          const message = { input, output, id: 1 };
          worker.postMessage(message);
        }
      `,
      errors: [
        {
          messageId: 'postsOwner',
          data: { owner: 'FileHandle', remedy: FH_TRANSFER },
          line: 5,
          column: 3,
          suggestions: [
            transferSuggestion(
              '`input`, `output`',
              code`
                ${WT}
                export function hand(worker: Worker, input: FileHandle, output: FileHandle): void {
                  const message = { input, output, id: 1 };
                  worker.postMessage(message, [input, output]);
                }
              `,
            ),
          ],
        },
      ],
      output: null,
    },
    {
      name: 'a FileHandle | undefined cannot be listed as it is: no suggestion',
      code: code`
        ${WT}
        export function send(worker: Worker, fh?: FileHandle): void {
          worker.postMessage({ fh });
        }
      `,
      errors: [{ messageId: 'postsOwner', data: { owner: 'FileHandle', remedy: FH_TRANSFER }, line: 4, column: 3, suggestions: null }],
      output: null,
    },
    {
      name: 'a raw fd posted to a Worker: the message says to send the FileHandle',
      code: code`
        ${WT}
        export function send(worker: Worker, fh: FileHandle): void {
          const fd = fh.fd;
          worker.postMessage({ fd, path: 'x' });
        }
      `,
      errors: [
        {
          messageId: 'postsRawHandle',
          data: { member: 'fd', owner: 'FileHandle', remedy: FH_RAW_REMEDY },
          line: 5,
          column: 3,
          suggestions: null,
        },
      ],
      output: null,
    },
    {
      name: 'a FileHandle and a raw fd on a BroadcastChannel, which has no transfer list',
      code: code`
        ${WT}
        export function announce(fh: FileHandle): void {
          const channel = new BroadcastChannel('files');
          channel.postMessage(fh);
          channel.postMessage({ fd: fh.fd });
        }
      `,
      errors: [
        {
          messageId: 'broadcastsOwner',
          data: { owner: 'FileHandle', remedy: 'Send it through a `MessagePort` or `Worker` with a transfer list.' },
          line: 5,
          column: 3,
          suggestions: null,
        },
        {
          messageId: 'postsRawHandle',
          data: {
            member: 'fd',
            owner: 'FileHandle',
            remedy: 'Send the FileHandle itself through a `MessagePort` or `Worker`, listed in the transfer list.',
          },
          line: 6,
          column: 3,
          suggestions: null,
        },
      ],
      output: null,
    },
    {
      name: 'an addon owner and its raw handle posted to a worker: neither can be transferred',
      code: code`
        import { Worker } from 'node:worker_threads';
        import type { Device } from 'native-addon-stub';
        export function share(worker: Worker, dev: Device): void {
          worker.postMessage(dev, []);
          worker.postMessage([dev.handle]);
        }
      `,
      errors: [
        {
          messageId: 'postsOwner',
          data: {
            owner: 'Device',
            remedy: 'A Device cannot be transferred: keep it in the thread that owns it and post plain data instead.',
          },
          line: 4,
          column: 3,
          suggestions: null,
        },
        {
          messageId: 'postsRawHandle',
          data: {
            member: 'handle',
            owner: 'Device',
            remedy: 'Keep the handle in the thread that owns the Device and post plain data instead.',
          },
          line: 5,
          column: 3,
          suggestions: null,
        },
      ],
      output: null,
    },
    {
      name: 'a MessagePort inside a message without the transfer list (global MessageChannel)',
      code: code`
        import { Worker } from 'node:worker_threads';
        export function connect(worker: Worker): void {
          const channel = new MessageChannel();
          worker.postMessage({ reply: channel.port2 });
        }
      `,
      errors: [
        {
          messageId: 'postsOwner',
          data: { owner: 'worker_threads.MessagePort', remedy: FH_TRANSFER },
          line: 4,
          column: 3,
          suggestions: [
            transferSuggestion(
              '`channel.port2`',
              code`
                import { Worker } from 'node:worker_threads';
                export function connect(worker: Worker): void {
                  const channel = new MessageChannel();
                  worker.postMessage({ reply: channel.port2 }, [channel.port2]);
                }
              `,
            ),
          ],
        },
      ],
      output: null,
    },
    {
      name: 'options held by a const used only by this call: the suggestions edit its literal',
      code: code`
        ${FH}
        export function stream(fh: FileHandle): fs.ReadStream {
          const opts = { fd: fh.fd, start: 0 };
          return fs.createReadStream('', opts);
        }
      `,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('fs.createReadStream', STREAM_REMEDY('fh')),
          line: 5,
          column: 10,
          suggestions: [
            {
              messageId: 'passOwner',
              data: { owner: 'FileHandle', text: 'fh' },
              output: code`
                ${FH}
                export function stream(fh: FileHandle): fs.ReadStream {
                  const opts = { fd: fh, start: 0 };
                  return fs.createReadStream('', opts);
                }
              `,
            },
            {
              messageId: 'keepOpen',
              data: { owner: 'FileHandle' },
              output: code`
                ${FH}
                export function stream(fh: FileHandle): fs.ReadStream {
                  const opts = { fd: fh.fd, start: 0, autoClose: false };
                  return fs.createReadStream('', opts);
                }
              `,
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'options held by a local used elsewhere too, or typed by an annotation: reported without suggestions',
      code: code`
        ${FH}
        export function streams(fh: FileHandle): [fs.WriteStream, fs.ReadStream, number] {
          let shared = { fd: fh.fd, flags: 'a' };
          const typed: { fd: number } = { fd: fh.fd };
          return [fs.createWriteStream('', shared), fs.createReadStream('', typed), shared.fd];
        }
      `,
      errors: [
        { messageId: 'adoptsBorrowed', data: adopts('fs.createWriteStream', STREAM_REMEDY('fh')), line: 6, column: 11, suggestions: null },
        { messageId: 'adoptsBorrowed', data: adopts('fs.createReadStream', STREAM_REMEDY('fh')), line: 6, column: 45, suggestions: null },
      ],
      output: null,
    },
    {
      name: 'options held by a const given to new net.Socket',
      code: code`
        ${FH}
        import * as net from 'node:net';
        export function socketOf(fh: FileHandle): net.Socket {
          const opts = { fd: fh.fd, readable: true };
          return new net.Socket(opts);
        }
      `,
      errors: [{ messageId: 'adoptsBorrowed', data: adopts('net.Socket', SOCKET_REMEDY), line: 6, column: 10, suggestions: null }],
      output: null,
    },
    {
      name: 'a const message whose transfer list reaches another value through it: the FileHandle is still missing',
      code: code`
        ${WT}
        export function send(worker: Worker, fh: FileHandle, log: FileHandle): void {
          const msg = { fh, log, buf: new ArrayBuffer(8) };
          worker.postMessage(msg, [msg.log, msg.buf]);
        }
      `,
      errors: [
        {
          messageId: 'postsOwner',
          data: { owner: 'FileHandle', remedy: FH_TRANSFER },
          line: 5,
          column: 3,
          suggestions: [
            transferSuggestion(
              '`fh`',
              code`
                ${WT}
                export function send(worker: Worker, fh: FileHandle, log: FileHandle): void {
                  const msg = { fh, log, buf: new ArrayBuffer(8) };
                  worker.postMessage(msg, [msg.log, msg.buf, fh]);
                }
              `,
            ),
          ],
        },
      ],
      output: null,
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Issue 11: `adopt` specifiers for packages whose types are missing (`not-installed-addon` is not
// installed), and dotted names (a static method, a namespace member).

const ISSUE11_ADOPT = {
  'native-handle': {
    adopt: [
      { from: 'package', package: 'not-installed-addon', name: ['Wrapper', 'default', 'Handles.adopt'] },
      { from: 'file', name: ['FdStreams.adopt', 'Raw.wrap'] },
    ],
  },
};
const BORROWED = 'Give it a handle nothing else owns (one you opened yourself), or keep using the FileHandle itself.';
const borrowedAt = (adopter: string, column: number) => ({
  messageId: 'adoptsBorrowed' as const,
  data: adopts(adopter, BORROWED),
  line: 3,
  column,
  suggestions: null,
});

createRuleTester(ISSUE11_ADOPT).run('no-handle-adoption (issue 11: untyped packages, dotted names)', rule, {
  valid: [
    {
      name: 'an adopter of a package that is not installed, given a handle this code opened',
      code: code`
        import * as fs from 'node:fs';
        import { Wrapper } from 'not-installed-addon';
        export function wrap(path: string): unknown {
          const fd = fs.openSync(path, 'r');
          return new Wrapper(fd);
        }
      `,
    },
    {
      name: 'other values of an untyped package, and the configured names from another untyped package, adopt nothing',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        import { Reader } from 'not-installed-addon';
        import { Wrapper } from 'other-not-installed-addon';
        import Default from 'other-not-installed-addon';
        export const wrap = (fh: FileHandle): unknown[] => [new Reader(fh.fd), new Wrapper(fh.fd), Default(fh.fd)];
      `,
    },
    {
      name: 'an instance method with a configured dotted name, or a static method of another class, adopts nothing',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        class FdStreams { adopt(fd: number): void {} static take(fd: number): void {} }
        export const wrap = (fh: FileHandle): void => { new FdStreams().adopt(fh.fd); FdStreams.take(fh.fd); };
      `,
    },
  ],
  invalid: [
    {
      name: 'a named import of an adopter from a package that is not installed, given a FileHandle fd',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        import { Wrapper as Adopt } from 'not-installed-addon';
        export const wrap = (fh: FileHandle): unknown => new Adopt(fh.fd);
      `,
      errors: [borrowedAt('Adopt', 50)],
      output: null,
    },
    {
      name: "a default import of an untyped package configured as 'default'",
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        import adoptFd from 'not-installed-addon';
        export const wrap = (fh: FileHandle): unknown => adoptFd(fh.fd);
      `,
      errors: [borrowedAt('adoptFd', 50)],
      output: null,
    },
    {
      name: 'a namespace member and a dotted name of a package that is not installed',
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        import * as addon from 'not-installed-addon';
        export const wrap = (fh: FileHandle): unknown => addon.Handles.adopt(fh.fd);
      `,
      errors: [borrowedAt('addon.Handles.adopt', 50)],
      output: null,
    },
    {
      name: "a static method named by 'FdStreams.adopt'",
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        class FdStreams { static adopt(fd: number): void {} }
        export const wrap = (fh: FileHandle): void => FdStreams.adopt(fh.fd);
      `,
      errors: [borrowedAt('FdStreams.adopt', 47)],
      output: null,
    },
    {
      name: "a namespace function named by 'Raw.wrap'",
      code: code`
        import type { FileHandle } from 'node:fs/promises';
        namespace Raw { export function wrap(fd: number): void {} }
        export const wrap = (fh: FileHandle): void => Raw.wrap(fh.fd);
      `,
      errors: [borrowedAt('Raw.wrap', 47)],
      output: null,
    },
  ],
});

// The README's recipe: a class that owns an fd (its configured `rawHandle`) and a tty.ReadStream
// over the same fd (`adopt`: tty.ReadStream closes the fd when destroyed).
const PTY_SETTINGS = {
  'native-handle': {
    resources: [{ type: { from: 'file', name: 'PtyLink' }, rawHandle: 'fd', close: 'close' }],
    adopt: { from: 'package', package: 'tty', name: 'ReadStream' },
  },
};
const ptyLink = (close: string) => code`
  import * as fs from 'node:fs';
  import * as tty from 'node:tty';
  export class PtyLink {
    fd: number;
    readonly input: tty.ReadStream;
    constructor(path: string) {
      this.fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
      this.input = new tty.ReadStream(this.fd);
    }
    close(): void {
      ${close}
    }
  }
`;

createRuleTester(PTY_SETTINGS).run('no-handle-adoption (issue 11: a class that hands its own raw handle to a stream)', rule, {
  valid: [
    { name: 'the class hands its fd to the stream, and its close destroys only the stream', code: ptyLink('this.input.destroy();') },
    {
      name: 'a raw close of the fd outside the close path (a reopen) is not a second owner at close',
      code: ptyLink('this.input.destroy();').replace(
        '  close(): void {',
        '  reopen(path: string): void {\n    fs.closeSync(this.fd);\n    this.fd = fs.openSync(path, "r+");\n  }\n  close(): void {',
      ),
    },
  ],
  invalid: [
    {
      name: "the class's close destroys the stream and closes the fd it handed over",
      code: ptyLink('this.input.destroy();\n    fs.closeSync(this.fd);'),
      output: null,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts(
            'tty.ReadStream',
            "This PtyLink's close path also closes `fd` itself (`fs.closeSync` on line 12): close only the adopter, which closes the handle.",
            'PtyLink',
          ),
          line: 8,
          column: 18,
          suggestions: null,
        },
      ],
    },
    {
      name: 'code outside the class hands the raw handle of a PtyLink to a stream',
      code:
        ptyLink('this.input.destroy();') +
        "\nexport const copy = (link: PtyLink): fs.ReadStream => fs.createReadStream('', { fd: link.fd });",
      output: null,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          data: adopts('fs.createReadStream', 'Add `autoClose: false`, so that only the PtyLink closes the handle.', 'PtyLink'),
          line: 14,
          column: 55,
          suggestions: [
            {
              messageId: 'keepOpen',
              data: { owner: 'PtyLink' },
              output:
                ptyLink('this.input.destroy();') +
                "\nexport const copy = (link: PtyLink): fs.ReadStream => fs.createReadStream('', { fd: link.fd, autoClose: false });",
            },
          ],
        },
      ],
    },
  ],
});
// --- end issue 11 ------------------------------------------------------------------------------

// -------------------------------------------------------------------------------------------
// Known native packages (docs/packages.md, docs/packages.md): serialport's binding ports own `fd`.

createRuleTester().run('no-handle-adoption: serialport', rule, {
  valid: [
    {
      name: "serialport: a read stream over a binding port's fd with autoClose: false leaves the closing to the port",
      code: code`
        import { autoDetect } from '@serialport/bindings-cpp';
        import * as fs from 'node:fs';
        export async function tail(path: string): Promise<fs.ReadStream | undefined> {
          const port = await autoDetect().open({ path, baudRate: 9600 });
          if (port.fd === null) return undefined;
          return fs.createReadStream('', { fd: port.fd, autoClose: false });
        }
      `,
    },
  ],
  invalid: [
    {
      name: "serialport: fs.createReadStream adopts a binding port's fd",
      code: code`
        import { autoDetect } from '@serialport/bindings-cpp';
        import * as fs from 'node:fs';
        export async function tail(path: string): Promise<fs.ReadStream | undefined> {
          const port = await autoDetect().open({ path, baudRate: 9600 });
          if (port.fd === null) return undefined;
          return fs.createReadStream('', { fd: port.fd });
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'adoptsBorrowed',
          line: 6,
          column: 10,
          suggestions: [
            {
              messageId: 'keepOpen',
              output: code`
                import { autoDetect } from '@serialport/bindings-cpp';
                import * as fs from 'node:fs';
                export async function tail(path: string): Promise<fs.ReadStream | undefined> {
                  const port = await autoDetect().open({ path, baudRate: 9600 });
                  if (port.fd === null) return undefined;
                  return fs.createReadStream('', { fd: port.fd, autoClose: false });
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: "serialport: new net.Socket adopts a binding port's fd",
      code: code`
        import { autoDetect } from '@serialport/bindings-cpp';
        import * as net from 'node:net';
        export async function asSocket(path: string): Promise<net.Socket | undefined> {
          const port = await autoDetect().open({ path, baudRate: 9600 });
          if (port.fd === null) return undefined;
          return new net.Socket({ fd: port.fd });
        }
      `,
      output: null,
      errors: [{ messageId: 'adoptsBorrowed', line: 6, column: 10, suggestions: [] }],
    },
  ],
});
