import type { TestCaseError } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds } from '../../src/rules/no-cleanup-in-exit-handler.js';
import { createRuleTester } from '../ruleTester.js';

const ruleTester = createRuleTester();

const stubHookSettings = {
  'native-handle': {
    exitHooks: [
      { from: 'package', package: 'native-addon-stub', name: 'onShutdown' },
      { from: 'package', package: 'signal-exit', name: 'onExit' },
      { from: 'file', name: 'registerExitTask' },
    ],
  },
};
const hookTester = createRuleTester(stubHookSettings);

ruleTester.run('no-cleanup-in-exit-handler', rule, {
  valid: [
    {
      name: "'beforeExit' listeners may do asynchronous work",
      code: `
import * as fsp from 'node:fs/promises';
process.on('beforeExit', async () => {
  await fsp.rm('/tmp/app', { recursive: true, force: true });
  setTimeout(() => {}, 10);
});
`,
    },
    {
      name: 'a synchronous exit listener (writeSync, unlinkSync, closeSync, console.log)',
      code: `
import * as fs from 'node:fs';
declare const fd: number;
process.on('exit', code => {
  fs.writeSync(fd, \`exiting with \${code}\\n\`);
  fs.closeSync(fd);
  try { fs.unlinkSync('/tmp/app.pid'); } catch {}
  fs.rmSync('/tmp/app', { recursive: true, force: true });
  console.log('bye');
});
`,
    },
    {
      name: 'a SIGTERM handler that awaits its cleanup before process.exit()',
      code: `
declare function cleanup(): Promise<void>;
process.on('SIGTERM', async () => {
  await cleanup();
  process.exit(0);
});
`,
    },
    {
      name: 'process.exit() inside the callback that runs once the cleanup is done',
      code: `
import * as http from 'node:http';
declare function cleanup(): Promise<void>;
declare const server: http.Server;
process.on('SIGINT', () => {
  cleanup().then(() => process.exit(0));
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
`,
    },
    {
      name: 'a promise kept in a local and awaited before the exit',
      code: `
declare function flush(): Promise<void>;
process.once('SIGHUP', async () => {
  const pending = flush();
  await Promise.race([pending, new Promise(resolve => setTimeout(resolve, 1000).unref())]);
  process.exit(0);
});
`,
    },
    {
      name: 'a floating cleanup in a signal handler that sets exitCode instead of calling exit()',
      code: `
declare function cleanup(): Promise<void>;
process.on('SIGTERM', () => {
  void cleanup();
  process.exitCode = 0;
});
`,
    },
    {
      name: 'the promise is returned on the only path that does not exit',
      code: `
declare function cleanup(): Promise<void>;
declare const graceful: boolean;
process.on('SIGINT', () => {
  if (graceful) return cleanup();
  process.exit(130);
});
`,
    },
    {
      name: "a local object named process that is not Node's",
      code: `
import * as fsp from 'node:fs/promises';
const process = {
  on(event: string, listener: () => unknown) { return listener; },
  exit(code: number) { return code; },
};
process.on('exit', async () => { await fsp.rm('/tmp/x'); });
process.on('SIGTERM', () => { void fsp.rm('/tmp/x'); process.exit(0); });
`,
    },
    {
      name: "a child process's 'exit' event is not the process exiting",
      code: `
import { spawn } from 'node:child_process';
import * as fsp from 'node:fs/promises';
const child = spawn('ls');
child.on('exit', async code => {
  await fsp.writeFile('/tmp/status', String(code));
});
`,
    },
    {
      name: "a worker's 'exit' event and a custom emitter's 'exit' event",
      code: `
import { Worker } from 'node:worker_threads';
import { EventEmitter } from 'node:events';
import * as fsp from 'node:fs/promises';
const worker = new Worker('./worker.js');
worker.once('exit', () => { void fsp.rm('/tmp/worker.sock'); });
const app = new EventEmitter();
app.on('exit', async () => { await fsp.rm('/tmp/app.sock'); });
`,
    },
    {
      name: 'a locally declared setTimeout and a parameter named setImmediate are not timers',
      code: `
function setTimeout(callback: () => void): void { callback(); }
function arm(setImmediate: (callback: () => void) => void) {
  process.on('exit', () => { setImmediate(() => {}); });
}
process.on('exit', () => { setTimeout(() => console.log('bye')); });
arm(cb => { cb(); });
`,
    },
    {
      name: 'a listener imported from another module cannot be followed',
      code: `
import { releaseRaw } from 'native-addon-stub';
process.on('exit', releaseRaw);
`,
    },
    {
      name: 'synchronous close/kill/destroy on built-in owners in an exit listener',
      code: `
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { ChildProcess } from 'node:child_process';
declare const watcher: fs.FSWatcher;
declare const child: ChildProcess;
declare const socket: net.Socket;
process.on('exit', () => {
  watcher.close();
  child.kill();
  socket.destroy();
});
`,
    },
    {
      name: 'end() and close() on types that are not streams or servers',
      code: `
class Span { end(): void {} close(): void {} }
const span = new Span();
declare const timer: { end(): number; close(callback?: () => void): void };
process.on('exit', () => {
  span.end();
  span.close();
  timer.end();
  timer.close(() => {});
});
`,
    },
    {
      name: 'any-typed values are unknown, not asynchronous',
      code: `
declare const anything: any;
process.on('exit', () => {
  anything.close();
  anything.end();
  anything.then(() => {});
});
`,
    },
    {
      name: 'async work in functions that no exit listener calls',
      code: `
import * as fsp from 'node:fs/promises';
function removeLater() { void fsp.rm('/tmp/later'); }
async function main() { await fsp.mkdir('/tmp/app'); removeLater(); }
process.on('exit', () => { console.log('bye'); });
void main();
`,
    },
    {
      name: 'callbacks registered inside an exit listener are not examined (they never run)',
      code: `
import { EventEmitter } from 'node:events';
import * as fsp from 'node:fs/promises';
const bus = new EventEmitter();
process.on('exit', () => {
  bus.on('late', async () => { await fsp.rm('/tmp/late'); });
  const never = async () => { await fsp.rm('/tmp/never'); };
  bus.emit('closing', never);
});
`,
    },
    {
      name: 'a synchronous array callback with synchronous work',
      code: `
import * as fs from 'node:fs';
declare const tempFiles: Set<string>;
process.on('exit', () => {
  for (const file of tempFiles) fs.rmSync(file, { force: true });
  [...tempFiles].forEach(file => { try { fs.unlinkSync(file); } catch {} });
});
`,
    },
    {
      name: 'other process events (message, warning) are not exit listeners',
      code: `
import * as fsp from 'node:fs/promises';
process.on('message', async () => { await fsp.rm('/tmp/msg'); });
process.on('warning', () => { void fsp.appendFile('/tmp/warnings', 'w'); });
`,
    },
    {
      name: 'a configured exit hook name without the setting is an ordinary function',
      code: `
import * as fsp from 'node:fs/promises';
import { onShutdown } from 'native-addon-stub';
onShutdown(() => { void fsp.rm('/tmp/x'); });
`,
    },
    {
      name: 'a signal handler that exits with nothing pending, and one whose exit sits in a callback',
      code: `
import * as fs from 'node:fs';
declare function cleanup(): Promise<void>;
process.on('uncaughtException', error => {
  fs.writeSync(2, String(error));
  process.exit(1);
});
process.on('SIGUSR2', () => {
  void cleanup();
  setTimeout(() => process.exit(0), 5000).unref();
});
`,
    },
    {
      name: 'end() on a stream in a signal handler is not an exit-listener finding',
      code: `
import * as net from 'node:net';
declare const socket: net.Socket;
process.on('SIGINT', () => { socket.end(); });
`,
    },
    {
      name: 'an exit listener that only sets state and unrefs a timer created elsewhere',
      code: `
declare const heartbeat: NodeJS.Timeout;
let exiting = false;
process.on('exit', () => {
  exiting = true;
  clearInterval(heartbeat);
});
export { exiting };
`,
    },
    {
      name: 'a rejection handler that logs synchronously and exits; a promise awaited in a loop',
      code: `
import * as fs from 'node:fs';
declare const tasks: (() => Promise<void>)[];
process.on('unhandledRejection', async reason => {
  for (const task of tasks) await task();
  fs.writeSync(2, String(reason));
  process.exit(1);
});
`,
    },
    {
      name: 'a local function named like an fs callback API, and fs Sync twins, are synchronous',
      code: `
import * as fs from 'node:fs';
function close(fd: number): void { fs.closeSync(fd); }
declare const fd: number;
process.on('exit', () => {
  close(fd);
  fs.closeSync(fd);
  fs.rmdirSync('/tmp/app');
});
`,
    },
    {
      name: 'a promise kept in a local: awaited when truthy, and inspected before it is awaited',
      code: `
declare function cleanup(): Promise<void>;
process.on('SIGTERM', async () => {
  const p = cleanup();
  if (p) await p;
  process.exit(0);
});
process.on('SIGINT', async () => {
  const p = cleanup();
  console.log(p !== undefined);
  await p;
  process.exit(130);
});
`,
    },
    {
      name: 'a maybe-started promise: the exit sits on the branch where the local holds none',
      code: `
declare function flush(): Promise<void>;
declare const busy: boolean;
process.on('SIGUSR2', () => {
  const pending = busy ? undefined : flush();
  if (pending === undefined) process.exit(0);
});
process.on('SIGHUP', () => {
  const pending = busy ? undefined : flush();
  if (!pending) {
    process.exit(0);
  }
});
process.on('SIGQUIT', async () => {
  const pending = busy ? null : flush();
  if (pending != null) await pending;
  process.exit(131);
});
`,
    },
    {
      name: 'a promise in a local handed on: passed to a call, stored, chained into the exit, carried by ||',
      code: `
declare function cleanup(): Promise<void>;
declare function track(pending: Promise<void>): void;
declare const fallback: Promise<void>;
const inFlight: Promise<void>[] = [];
const state: { pending?: Promise<void> } = {};
process.on('SIGTERM', () => {
  const p = cleanup();
  track(p);
  process.exit(0);
});
process.on('SIGINT', () => {
  const p = cleanup();
  inFlight.push(p);
  process.exit(130);
});
process.on('SIGHUP', () => {
  const p = cleanup();
  state.pending = p;
  process.exit(129);
});
process.on('SIGUSR1', () => {
  const p = cleanup();
  p.finally(() => process.exit(0));
});
process.on('SIGUSR2', async () => {
  const p = cleanup();
  const either = p || fallback;
  await either;
  process.exit(0);
});
`,
    },
    {
      name: 'a local object named console is not the global console: passing the promise to it hands it on',
      code: `
declare function cleanup(): Promise<void>;
const console = { log(value: unknown): void { void value; } };
process.on('SIGTERM', () => {
  const p = cleanup();
  console.log(p);
  process.exit(0);
});
`,
    },
  ],
  invalid: [
    {
      name: 'an async inline exit listener that awaits a fs.promises call',
      code: `
import * as fsp from 'node:fs/promises';
process.on('exit', async () => {
  await fsp.unlink('/tmp/app.pid');
});
`,
      output: null,
      errors: [
        { messageId: 'asyncListener', line: 3, column: 20, suggestions: [] },
        {
          messageId: 'await',
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fsp from 'node:fs/promises';
process.on('exit', async () => {
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'an async inline listener without await: suggestion to drop async; the floating promise is reported too',
      code: `
import * as fsp from 'node:fs/promises';
process.once('exit', async () => {
  void fsp.rm('/tmp/app', { recursive: true });
  console.log('bye');
});
`,
      output: null,
      errors: [
        {
          messageId: 'asyncListener',
          line: 3,
          column: 22,
          suggestions: [
            {
              messageId: 'removeAsync',
              output: `
import * as fsp from 'node:fs/promises';
process.once('exit', () => {
  void fsp.rm('/tmp/app', { recursive: true });
  console.log('bye');
});
`,
            },
          ],
        },
        {
          messageId: 'promiseCall',
          line: 4,
          column: 8,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fsp from 'node:fs/promises';
process.once('exit', async () => {
  console.log('bye');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'an async function declaration passed by name is reported at its declaration',
      code: `
import * as fsp from 'node:fs/promises';
async function removePidFile(): Promise<void> {
  await fsp.unlink('/tmp/app.pid');
}
process.on('exit', removePidFile);
`,
      output: null,
      errors: [
        { messageId: 'asyncListener', line: 3, column: 1, suggestions: [] },
        {
          messageId: 'await',
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fsp from 'node:fs/promises';
async function removePidFile(): Promise<void> {
}
process.on('exit', removePidFile);
`,
            },
          ],
        },
      ],
    },
    {
      name: 'an async arrow in a const, registered with prependOnceListener (reported at the declarator)',
      code: `
import type { FileHandle } from 'node:fs/promises';
declare const log: FileHandle;
const onExit = async (code: number) => log.write(\`exit \${code}\\n\`);
process.prependOnceListener('exit', onExit);
`,
      output: null,
      errors: [
        { messageId: 'asyncListener', line: 4, column: 7, suggestions: [] },
        { messageId: 'promiseCall', line: 4, column: 40, suggestions: [] },
      ],
    },
    {
      name: 'FileHandle#close in an exit listener (a Promise-returning close)',
      code: `
import type { FileHandle } from 'node:fs/promises';
declare const handles: Map<string, FileHandle>;
process.on('exit', () => {
  for (const fh of handles.values()) void fh.close();
  handles.get('log')?.close();
});
`,
      output: null,
      errors: [
        { messageId: 'promiseCall', line: 5, column: 43, suggestions: [] },
        {
          messageId: 'promiseCall',
          line: 6,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import type { FileHandle } from 'node:fs/promises';
declare const handles: Map<string, FileHandle>;
process.on('exit', () => {
  for (const fh of handles.values()) void fh.close();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'fs callback calls with an empty callback are autofixed to their synchronous twin',
      code: `
import * as fs from 'node:fs';
import nodeFs from 'node:fs';
declare const fd: number;
process.on('exit', () => {
  fs.unlink('/tmp/app.pid', () => {});
  nodeFs.writeFile('/tmp/state.json', '{}', 'utf8', () => undefined);
  try {
    fs.writeSync(fd, 'bye');
  } finally {
    fs.close(fd, err => {});
  }
});
`,
      output: `
import * as fs from 'node:fs';
import nodeFs from 'node:fs';
declare const fd: number;
process.on('exit', () => {
  try { fs.unlinkSync('/tmp/app.pid'); } catch {}
  try { nodeFs.writeFileSync('/tmp/state.json', '{}', 'utf8'); } catch {}
  try {
    fs.writeSync(fd, 'bye');
  } finally {
    try { fs.closeSync(fd); } catch {}
  }
});
`,
      errors: [
        { messageId: 'callbackCall', line: 6, column: 3, suggestions: [] },
        { messageId: 'callbackCall', line: 7, column: 3, suggestions: [] },
        { messageId: 'callbackCall', line: 11, column: 5, suggestions: [] },
      ],
    },
    {
      name: 'a callback call whose callback does work, or that is not a statement, gets no autofix',
      code: `
import * as fs from 'node:fs';
process.on('exit', () => {
  fs.rm('/tmp/app', { recursive: true }, error => { if (error) console.error(error); });
  const ignored = fs.unlink('/tmp/a', () => {});
  console.log(ignored);
});
`,
      output: null,
      errors: [
        {
          messageId: 'callbackCall',
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
process.on('exit', () => {
  const ignored = fs.unlink('/tmp/a', () => {});
  console.log(ignored);
});
`,
            },
          ],
        },
        { messageId: 'callbackCall', line: 5, column: 19, suggestions: [] },
      ],
    },
    {
      name: 'a comment inside an empty-callback call turns the autofix into a suggestion',
      code: `
import * as fs from 'node:fs';
process.on('exit', () => {
  fs.unlink('/tmp/app.pid', () => { /* best effort */ });
});
`,
      output: null,
      errors: [
        {
          messageId: 'callbackCall',
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'useSyncTwin',
              data: { name: 'fs.unlinkSync' },
              output: `
import * as fs from 'node:fs';
process.on('exit', () => {
  try { fs.unlinkSync('/tmp/app.pid'); } catch {}
});
`,
            },
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
process.on('exit', () => {
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'timers and process.nextTick in an exit listener (globalThis, node:timers alias)',
      code: `
import { setTimeout as later } from 'node:timers';
process.on('exit', () => {
  later(() => {}, 10);
  setImmediate(() => {});
  globalThis.setInterval(() => {}, 5).unref();
  queueMicrotask(() => {});
  process.nextTick(() => {});
});
`,
      output: null,
      errors: [
        {
          messageId: 'timer',
          data: { name: 'setTimeout' },
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import { setTimeout as later } from 'node:timers';
process.on('exit', () => {
  setImmediate(() => {});
  globalThis.setInterval(() => {}, 5).unref();
  queueMicrotask(() => {});
  process.nextTick(() => {});
});
`,
            },
          ],
        },
        {
          messageId: 'timer',
          data: { name: 'setImmediate' },
          line: 5,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import { setTimeout as later } from 'node:timers';
process.on('exit', () => {
  later(() => {}, 10);
  globalThis.setInterval(() => {}, 5).unref();
  queueMicrotask(() => {});
  process.nextTick(() => {});
});
`,
            },
          ],
        },
        { messageId: 'timer', data: { name: 'setInterval' }, line: 6, column: 3, suggestions: [] },
        {
          messageId: 'timer',
          data: { name: 'queueMicrotask' },
          line: 7,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import { setTimeout as later } from 'node:timers';
process.on('exit', () => {
  later(() => {}, 10);
  setImmediate(() => {});
  globalThis.setInterval(() => {}, 5).unref();
  process.nextTick(() => {});
});
`,
            },
          ],
        },
        {
          messageId: 'timer',
          data: { name: 'process.nextTick' },
          line: 8,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import { setTimeout as later } from 'node:timers';
process.on('exit', () => {
  later(() => {}, 10);
  setImmediate(() => {});
  globalThis.setInterval(() => {}, 5).unref();
  queueMicrotask(() => {});
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'net.Server#close and http.Server#close (also through a #private field)',
      code: `
import * as net from 'node:net';
import * as http from 'node:http';
declare const ipc: net.Server;
class App {
  #server: http.Server = http.createServer();
  install() {
    process.on('exit', () => {
      this.#server.close();
      ipc.close(() => console.log('closed'));
    });
  }
}
new App().install();
`,
      output: null,
      errors: [
        {
          messageId: 'serverClose',
          data: { type: 'http.Server' },
          line: 9,
          column: 7,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as net from 'node:net';
import * as http from 'node:http';
declare const ipc: net.Server;
class App {
  #server: http.Server = http.createServer();
  install() {
    process.on('exit', () => {
      ipc.close(() => console.log('closed'));
    });
  }
}
new App().install();
`,
            },
          ],
        },
        {
          messageId: 'serverClose',
          data: { type: 'net.Server' },
          line: 10,
          column: 7,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as net from 'node:net';
import * as http from 'node:http';
declare const ipc: net.Server;
class App {
  #server: http.Server = http.createServer();
  install() {
    process.on('exit', () => {
      this.#server.close();
    });
  }
}
new App().install();
`,
            },
          ],
        },
      ],
    },
    {
      name: 'end() on sockets and writable streams (union with undefined, generic, ServerResponse)',
      code: `
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as net from 'node:net';
declare const socket: net.Socket | undefined;
declare const log: fs.WriteStream;
declare const response: http.ServerResponse;
function watch<S extends net.Socket>(peer: S) {
  process.on('exit', () => {
    socket?.end();
    log.end('bye\\n');
    response.end();
    peer.end();
  });
}
watch(new net.Socket());
`,
      output: null,
      errors: [
        {
          messageId: 'streamEnd',
          data: { type: 'net.Socket' },
          line: 10,
          column: 5,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as net from 'node:net';
declare const socket: net.Socket | undefined;
declare const log: fs.WriteStream;
declare const response: http.ServerResponse;
function watch<S extends net.Socket>(peer: S) {
  process.on('exit', () => {
    log.end('bye\\n');
    response.end();
    peer.end();
  });
}
watch(new net.Socket());
`,
            },
          ],
        },
        {
          messageId: 'streamEnd',
          data: { type: 'fs.WriteStream' },
          line: 11,
          column: 5,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as net from 'node:net';
declare const socket: net.Socket | undefined;
declare const log: fs.WriteStream;
declare const response: http.ServerResponse;
function watch<S extends net.Socket>(peer: S) {
  process.on('exit', () => {
    socket?.end();
    response.end();
    peer.end();
  });
}
watch(new net.Socket());
`,
            },
          ],
        },
        {
          messageId: 'streamEnd',
          data: { type: 'stream.Writable' },
          line: 12,
          column: 5,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as net from 'node:net';
declare const socket: net.Socket | undefined;
declare const log: fs.WriteStream;
declare const response: http.ServerResponse;
function watch<S extends net.Socket>(peer: S) {
  process.on('exit', () => {
    socket?.end();
    log.end('bye\\n');
    peer.end();
  });
}
watch(new net.Socket());
`,
            },
          ],
        },
        {
          messageId: 'streamEnd',
          data: { type: 'net.Socket' },
          line: 13,
          column: 5,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as net from 'node:net';
declare const socket: net.Socket | undefined;
declare const log: fs.WriteStream;
declare const response: http.ServerResponse;
function watch<S extends net.Socket>(peer: S) {
  process.on('exit', () => {
    socket?.end();
    log.end('bye\\n');
    response.end();
  });
}
watch(new net.Socket());
`,
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: an exported helper gets the synchronous twin as a suggestion only (its other callers would block)',
      code: `
import * as fs from 'node:fs';
export function removePidFile() {
  fs.unlink('/tmp/app.pid', () => {});
}
process.on('exit', () => removePidFile());
`,
      output: null,
      errors: [
        {
          messageId: 'callbackCall',
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'useSyncTwin',
              data: { name: 'fs.unlinkSync' },
              output: `
import * as fs from 'node:fs';
export function removePidFile() {
  try { fs.unlinkSync('/tmp/app.pid'); } catch {}
}
process.on('exit', () => removePidFile());
`,
            },
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
export function removePidFile() {
}
process.on('exit', () => removePidFile());
`,
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: a helper also called on the normal path gets the synchronous twin as a suggestion only',
      code: `
import * as fs from 'node:fs';
function removeTemp(path: string) {
  fs.rm(path, { recursive: true, force: true }, () => {});
}
export function reset() {
  removeTemp('/tmp/cache');
}
process.on('exit', () => removeTemp('/tmp/app'));
`,
      output: null,
      errors: [
        {
          messageId: 'callbackCall',
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'useSyncTwin',
              data: { name: 'fs.rmSync' },
              output: `
import * as fs from 'node:fs';
function removeTemp(path: string) {
  try { fs.rmSync(path, { recursive: true, force: true }); } catch {}
}
export function reset() {
  removeTemp('/tmp/cache');
}
process.on('exit', () => removeTemp('/tmp/app'));
`,
            },
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
function removeTemp(path: string) {
}
export function reset() {
  removeTemp('/tmp/cache');
}
process.on('exit', () => removeTemp('/tmp/app'));
`,
            },
          ],
        },
      ],
    },
    {
      name: 'issue 12: a listener passed by name that also runs elsewhere gets the synchronous twin as a suggestion only',
      code: `
import * as fs from 'node:fs';
const onExit = () => {
  fs.unlink('/tmp/app.pid', () => {});
};
process.on('exit', onExit);
setTimeout(onExit, 1_000);
`,
      output: null,
      errors: [
        {
          messageId: 'callbackCall',
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'useSyncTwin',
              data: { name: 'fs.unlinkSync' },
              output: `
import * as fs from 'node:fs';
const onExit = () => {
  try { fs.unlinkSync('/tmp/app.pid'); } catch {}
};
process.on('exit', onExit);
setTimeout(onExit, 1_000);
`,
            },
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
const onExit = () => {
};
process.on('exit', onExit);
setTimeout(onExit, 1_000);
`,
            },
          ],
        },
      ],
    },
    {
      name: 'local synchronous functions are followed transitively and reported inside their bodies, once',
      code: `
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
function removeTemp(path: string) {
  fs.rm(path, { recursive: true, force: true }, () => {});
}
const cleanup = () => {
  removeTemp('/tmp/app');
  void fsp.rm('/tmp/app.sock');
};
process.on('exit', () => cleanup());
process.once('exit', () => { cleanup(); removeTemp('/tmp/other'); });
`,
      output: `
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
function removeTemp(path: string) {
  try { fs.rmSync(path, { recursive: true, force: true }); } catch {}
}
const cleanup = () => {
  removeTemp('/tmp/app');
  void fsp.rm('/tmp/app.sock');
};
process.on('exit', () => cleanup());
process.once('exit', () => { cleanup(); removeTemp('/tmp/other'); });
`,
      errors: [
        { messageId: 'callbackCall', line: 5, column: 3, suggestions: [] },
        {
          messageId: 'promiseCall',
          line: 9,
          column: 8,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
function removeTemp(path: string) {
  fs.rm(path, { recursive: true, force: true }, () => {});
}
const cleanup = () => {
  removeTemp('/tmp/app');
};
process.on('exit', () => cleanup());
process.once('exit', () => { cleanup(); removeTemp('/tmp/other'); });
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a call to an async local function is reported at the call and not followed',
      code: `
import * as fsp from 'node:fs/promises';
async function flushState(): Promise<void> {
  await fsp.writeFile('/tmp/state.json', '{}');
}
process.on('exit', () => {
  flushState();
  console.log('bye');
});
`,
      output: null,
      errors: [
        {
          messageId: 'asyncLocalCall',
          data: { name: 'flushState' },
          line: 7,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fsp from 'node:fs/promises';
async function flushState(): Promise<void> {
  await fsp.writeFile('/tmp/state.json', '{}');
}
process.on('exit', () => {
  console.log('bye');
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'methods of a class in this file are followed; an async method call is reported at the call',
      code: `
import type { FileHandle } from 'node:fs/promises';
class Store {
  constructor(private readonly file: FileHandle) {}
  flushSync(): void {
    this.file.sync().catch(() => {});
  }
  async close(): Promise<void> {
    await this.file.close();
  }
  register(): void {
    process.on('exit', () => {
      this.flushSync();
      void this.close();
    });
  }
}
export { Store };
`,
      output: null,
      errors: [
        {
          messageId: 'promiseCall',
          line: 6,
          column: 5,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import type { FileHandle } from 'node:fs/promises';
class Store {
  constructor(private readonly file: FileHandle) {}
  flushSync(): void {
  }
  async close(): Promise<void> {
    await this.file.close();
  }
  register(): void {
    process.on('exit', () => {
      this.flushSync();
      void this.close();
    });
  }
}
export { Store };
`,
            },
          ],
        },
        {
          messageId: 'asyncLocalCall',
          data: { name: 'this.close' },
          line: 14,
          column: 12,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import type { FileHandle } from 'node:fs/promises';
class Store {
  constructor(private readonly file: FileHandle) {}
  flushSync(): void {
    this.file.sync().catch(() => {});
  }
  async close(): Promise<void> {
    await this.file.close();
  }
  register(): void {
    process.on('exit', () => {
      this.flushSync();
    });
  }
}
export { Store };
`,
            },
          ],
        },
      ],
    },
    {
      name: 'exit, signal and beforeExit listeners in one file, one calling a local helper (issue 13 shape, small)',
      code: `
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
declare function flush(): Promise<void>;
declare const h0: FileHandle;
declare const fd0: number;
function helper1(): void { void h0.close(); }
process.on('exit', () => { fs.closeSync(fd0); void h0.close(); });
process.on('exit', () => { helper1(); });
process.on('SIGTERM', () => { void flush(); process.exit(1); });
process.on('beforeExit', () => { void h0.close(); });
`,
      output: null,
      errors: [
        {
          messageId: 'promiseCall',
          line: 7,
          column: 33,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
declare function flush(): Promise<void>;
declare const h0: FileHandle;
declare const fd0: number;
function helper1(): void { }
process.on('exit', () => { fs.closeSync(fd0); void h0.close(); });
process.on('exit', () => { helper1(); });
process.on('SIGTERM', () => { void flush(); process.exit(1); });
process.on('beforeExit', () => { void h0.close(); });
`,
            },
          ],
        },
        {
          messageId: 'promiseCall',
          line: 8,
          column: 52,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
declare function flush(): Promise<void>;
declare const h0: FileHandle;
declare const fd0: number;
function helper1(): void { void h0.close(); }
process.on('exit', () => { fs.closeSync(fd0); });
process.on('exit', () => { helper1(); });
process.on('SIGTERM', () => { void flush(); process.exit(1); });
process.on('beforeExit', () => { void h0.close(); });
`,
            },
          ],
        },
        {
          messageId: 'exitAbandonsPromise',
          line: 10,
          column: 45,
          suggestions: [
            {
              messageId: 'awaitBeforeExit',
              output: `
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
declare function flush(): Promise<void>;
declare const h0: FileHandle;
declare const fd0: number;
function helper1(): void { void h0.close(); }
process.on('exit', () => { fs.closeSync(fd0); void h0.close(); });
process.on('exit', () => { helper1(); });
process.on('SIGTERM', async () => { await flush(); process.exit(1); });
process.on('beforeExit', () => { void h0.close(); });
`,
            },
          ],
        },
      ],
    },
    {
      name: 'element reads in an exit listener: a FileHandle, a server and an fs callback function on array elements',
      code: `
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { FileHandle } from 'node:fs/promises';
declare const fds: number[];
declare const handles: FileHandle[];
declare const servers: net.Server[];
process.on('exit', () => {
  fs.closeSync(fds[0]!);
  void handles[1]!.close();
  servers[0]!.close();
  fs.close(fds[1]!);
});
`,
      output: null,
      errors: [
        {
          messageId: 'promiseCall',
          line: 10,
          column: 8,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { FileHandle } from 'node:fs/promises';
declare const fds: number[];
declare const handles: FileHandle[];
declare const servers: net.Server[];
process.on('exit', () => {
  fs.closeSync(fds[0]!);
  servers[0]!.close();
  fs.close(fds[1]!);
});
`,
            },
          ],
        },
        {
          messageId: 'serverClose',
          data: { type: 'net.Server' },
          line: 11,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { FileHandle } from 'node:fs/promises';
declare const fds: number[];
declare const handles: FileHandle[];
declare const servers: net.Server[];
process.on('exit', () => {
  fs.closeSync(fds[0]!);
  void handles[1]!.close();
  fs.close(fds[1]!);
});
`,
            },
          ],
        },
        {
          messageId: 'callbackCall',
          line: 12,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { FileHandle } from 'node:fs/promises';
declare const fds: number[];
declare const handles: FileHandle[];
declare const servers: net.Server[];
process.on('exit', () => {
  fs.closeSync(fds[0]!);
  void handles[1]!.close();
  servers[0]!.close();
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'an element narrowed by instanceof is what the narrowing says (a server here)',
      code: `
import * as net from 'node:net';
interface Closer { close(): void }
declare const items: Closer[];
process.on('exit', () => {
  if (items[0] instanceof net.Server) items[0].close();
});
`,
      output: null,
      errors: [{ messageId: 'serverClose', data: { type: 'net.Server' }, line: 6, column: 39, suggestions: [] }],
    },
    {
      name: 'local methods named by a string or computed key, in a class with a Symbol.dispose method, are followed',
      code: `
import * as fsp from 'node:fs/promises';
const hooks = { 'flush-all'(): void {}, ['drain'](): void { void fsp.rm('/tmp/b'); } };
class Store {
  [Symbol.dispose](): void {}
  sync(): void { void fsp.rm('/tmp/c'); }
}
declare const store: Store;
process.on('exit', () => { hooks.drain(); store.sync(); });
`,
      output: null,
      errors: [
        {
          messageId: 'promiseCall',
          line: 3,
          column: 66,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fsp from 'node:fs/promises';
const hooks = { 'flush-all'(): void {}, ['drain'](): void { } };
class Store {
  [Symbol.dispose](): void {}
  sync(): void { void fsp.rm('/tmp/c'); }
}
declare const store: Store;
process.on('exit', () => { hooks.drain(); store.sync(); });
`,
            },
          ],
        },
        {
          messageId: 'promiseCall',
          line: 6,
          column: 23,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fsp from 'node:fs/promises';
const hooks = { 'flush-all'(): void {}, ['drain'](): void { void fsp.rm('/tmp/b'); } };
class Store {
  [Symbol.dispose](): void {}
  sync(): void { }
}
declare const store: Store;
process.on('exit', () => { hooks.drain(); store.sync(); });
`,
            },
          ],
        },
      ],
    },
    {
      name: 'process reached through node:process, globalThis and an alias; an event name in a const',
      code: `
import nodeProcess from 'node:process';
import * as fsp from 'node:fs/promises';
const EXIT = 'exit';
const proc = process;
nodeProcess.on('exit', () => { void fsp.rm('/tmp/a'); });
globalThis.process.addListener('exit', () => { fsp.rm('/tmp/b').catch(() => {}); });
proc.prependListener(EXIT, () => { void fsp.rm('/tmp/c'); });
`,
      output: null,
      errors: [
        {
          messageId: 'promiseCall',
          line: 6,
          column: 37,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import nodeProcess from 'node:process';
import * as fsp from 'node:fs/promises';
const EXIT = 'exit';
const proc = process;
nodeProcess.on('exit', () => { });
globalThis.process.addListener('exit', () => { fsp.rm('/tmp/b').catch(() => {}); });
proc.prependListener(EXIT, () => { void fsp.rm('/tmp/c'); });
`,
            },
          ],
        },
        {
          messageId: 'promiseCall',
          line: 7,
          column: 48,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import nodeProcess from 'node:process';
import * as fsp from 'node:fs/promises';
const EXIT = 'exit';
const proc = process;
nodeProcess.on('exit', () => { void fsp.rm('/tmp/a'); });
globalThis.process.addListener('exit', () => { });
proc.prependListener(EXIT, () => { void fsp.rm('/tmp/c'); });
`,
            },
          ],
        },
        {
          messageId: 'promiseCall',
          line: 8,
          column: 41,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import nodeProcess from 'node:process';
import * as fsp from 'node:fs/promises';
const EXIT = 'exit';
const proc = process;
nodeProcess.on('exit', () => { void fsp.rm('/tmp/a'); });
globalThis.process.addListener('exit', () => { fsp.rm('/tmp/b').catch(() => {}); });
proc.prependListener(EXIT, () => { });
`,
            },
          ],
        },
      ],
    },
    {
      name: 'async work inside a synchronous array callback, for await, and an async IIFE',
      code: `
import * as fsp from 'node:fs/promises';
declare const tempFiles: string[];
declare const entries: AsyncIterable<string>;
process.on('exit', async () => {
  tempFiles.forEach(file => fsp.unlink(file));
  for await (const entry of entries) console.log(entry);
  (async () => { await fsp.rm('/tmp/iife'); })();
});
`,
      output: null,
      errors: [
        { messageId: 'asyncListener', line: 5, column: 20, suggestions: [] },
        { messageId: 'promiseCall', line: 6, column: 29, suggestions: [] },
        {
          messageId: 'await',
          line: 7,
          column: 3,
          suggestions: [],
        },
        {
          messageId: 'promiseCall',
          line: 8,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fsp from 'node:fs/promises';
declare const tempFiles: string[];
declare const entries: AsyncIterable<string>;
process.on('exit', async () => {
  tempFiles.forEach(file => fsp.unlink(file));
  for await (const entry of entries) console.log(entry);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'addon owners: a tagged Device from native-addon-stub closes with a Promise',
      code: `
import { Device } from 'native-addon-stub';
const devices: Device[] = [new Device('/dev/ttyUSB0')];
process.on('exit', () => {
  for (const device of devices) {
    device.cancel();
    device.close();
  }
});
`,
      output: null,
      errors: [
        {
          messageId: 'promiseCall',
          line: 7,
          column: 5,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import { Device } from 'native-addon-stub';
const devices: Device[] = [new Device('/dev/ttyUSB0')];
process.on('exit', () => {
  for (const device of devices) {
    device.cancel();
  }
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'SIGTERM: process.exit() right after an un-awaited cleanup (suggestion makes the handler async and awaits)',
      code: `
declare function cleanup(): Promise<void>;
process.on('SIGTERM', () => {
  cleanup();
  process.exit(0);
});
`,
      output: null,
      errors: [
        {
          messageId: 'exitAbandonsPromise',
          line: 5,
          column: 3,
          suggestions: [
            {
              messageId: 'awaitBeforeExit',
              output: `
declare function cleanup(): Promise<void>;
process.on('SIGTERM', async () => {
  await cleanup();
  process.exit(0);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'SIGINT in an async function expression: void cleanup() then exit',
      code: `
import * as fsp from 'node:fs/promises';
process.once('SIGINT', async function onInterrupt() {
  void fsp.rm('/tmp/app.sock', { force: true });
  process.exit(130);
});
`,
      output: null,
      errors: [
        {
          messageId: 'exitAbandonsPromise',
          line: 5,
          column: 3,
          suggestions: [
            {
              messageId: 'awaitBeforeExit',
              output: `
import * as fsp from 'node:fs/promises';
process.once('SIGINT', async function onInterrupt() {
  await fsp.rm('/tmp/app.sock', { force: true });
  process.exit(130);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'uncaughtException: a .catch() chain is still a floating promise; an async local function call too',
      code: `
import { Device } from 'native-addon-stub';
declare const device: Device;
async function saveCrashReport(error: Error): Promise<void> {
  await Promise.resolve(error);
}
process.on('uncaughtException', error => {
  device.close().catch(() => {});
  process.exit(1);
});
process.on('uncaughtException', error => {
  saveCrashReport(error);
  process.exit(2);
});
`,
      output: null,
      errors: [
        {
          messageId: 'exitAbandonsPromise',
          line: 9,
          column: 3,
          suggestions: [
            {
              messageId: 'awaitBeforeExit',
              output: `
import { Device } from 'native-addon-stub';
declare const device: Device;
async function saveCrashReport(error: Error): Promise<void> {
  await Promise.resolve(error);
}
process.on('uncaughtException', async error => {
  await device.close().catch(() => {});
  process.exit(1);
});
process.on('uncaughtException', error => {
  saveCrashReport(error);
  process.exit(2);
});
`,
            },
          ],
        },
        {
          messageId: 'exitAbandonsPromise',
          line: 13,
          column: 3,
          suggestions: [
            {
              messageId: 'awaitBeforeExit',
              output: `
import { Device } from 'native-addon-stub';
declare const device: Device;
async function saveCrashReport(error: Error): Promise<void> {
  await Promise.resolve(error);
}
process.on('uncaughtException', error => {
  device.close().catch(() => {});
  process.exit(1);
});
process.on('uncaughtException', async error => {
  await saveCrashReport(error);
  process.exit(2);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'unhandledRejection handler passed by name: a promise kept in a local and never awaited (no suggestion)',
      code: `
declare function flushLogs(): Promise<void>;
function onRejection(reason: unknown): void {
  const flushed = flushLogs();
  console.error(reason);
  process.exit(1);
}
process.on('unhandledRejection', onRejection);
`,
      output: null,
      errors: [{ messageId: 'exitAbandonsPromise', line: 6, column: 3, suggestions: [] }],
    },
    {
      name: 'a floating promise on one branch reaches the exit; one handler for two signals is reported once',
      code: `
declare function drain(): Promise<void>;
declare const graceful: boolean;
const onSignal = () => {
  if (graceful) {
    void drain();
  }
  process.exit(0);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
`,
      output: null,
      errors: [{ messageId: 'exitAbandonsPromise', line: 8, column: 3, suggestions: [] }],
    },
    {
      name: 'a destructured fs import (no autofix: the sync twin is not in scope) and a parameter typed as a server',
      code: `
import { unlink } from 'node:fs';
import type * as http from 'node:http';
export function installExitHandler(server: http.Server): void {
  process.on('exit', () => {
    unlink('/tmp/app.pid', () => {});
    server.closeAllConnections();
    server.close();
  });
}
`,
      output: null,
      errors: [
        {
          messageId: 'callbackCall',
          line: 6,
          column: 5,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import { unlink } from 'node:fs';
import type * as http from 'node:http';
export function installExitHandler(server: http.Server): void {
  process.on('exit', () => {
    server.closeAllConnections();
    server.close();
  });
}
`,
            },
          ],
        },
        {
          messageId: 'serverClose',
          data: { type: 'http.Server' },
          line: 8,
          column: 5,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import { unlink } from 'node:fs';
import type * as http from 'node:http';
export function installExitHandler(server: http.Server): void {
  process.on('exit', () => {
    unlink('/tmp/app.pid', () => {});
    server.closeAllConnections();
  });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'fs.close(fd) without its optional callback still completes later (aliased import too)',
      code: `
import * as fs from 'node:fs';
import { close as closeFd } from 'node:fs';
declare const logFd: number;
declare const lockFd: number;
process.on('exit', () => {
  fs.close(logFd);
  closeFd(lockFd);
});
`,
      output: null,
      errors: [
        {
          messageId: 'callbackCall',
          line: 7,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import { close as closeFd } from 'node:fs';
declare const logFd: number;
declare const lockFd: number;
process.on('exit', () => {
  closeFd(lockFd);
});
`,
            },
          ],
        },
        {
          messageId: 'callbackCall',
          line: 8,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import * as fs from 'node:fs';
import { close as closeFd } from 'node:fs';
declare const logFd: number;
declare const lockFd: number;
process.on('exit', () => {
  fs.close(logFd);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a maybe-started promise only compared with undefined inside a log call, then exit (corpus r2-graceful-http)',
      code: `
declare function writeFinalMetrics(): Promise<void>;
let shuttingDown = false;
process.on('SIGUSR2', () => {
  const pending = shuttingDown ? undefined : writeFinalMetrics();
  console.log('metrics dump requested', pending !== undefined);
  process.exit(0);
});
export function stop(): void { shuttingDown = true; }
`,
      output: null,
      errors: [{ messageId: 'exitAbandonsPromise', line: 7, column: 3, suggestions: [] }],
    },
    {
      name: 'a promise in a local only compared in console.error, then exit (corpus r2-logrotate-cli)',
      code: `
declare function rotateIfNeeded(): Promise<void>;
declare function persistState(): void;
process.on('SIGQUIT', () => {
  const rotating = rotateIfNeeded();
  persistState();
  console.error('SIGQUIT while rotating:', rotating !== undefined);
  process.exit(131);
});
`,
      output: null,
      errors: [{ messageId: 'exitAbandonsPromise', line: 8, column: 3, suggestions: [] }],
    },
    {
      name: 'inspections do not handle the promise: !p, typeof p, a template, console.log(p), a truthy branch that only logs',
      code: `
declare function cleanup(): Promise<void>;
process.on('SIGTERM', () => {
  const p = cleanup();
  const idle = !p;
  console.log(typeof p, \`cleanup: \${String(idle)}\`);
  process.exit(0);
});
process.on('SIGINT', () => {
  const p = cleanup();
  console.warn(\`pending \${p}\`);
  console.log(p);
  process.exit(130);
});
process.on('SIGHUP', () => {
  const p = cleanup();
  if (p) {
    console.log('still cleaning up');
  }
  process.exit(129);
});
`,
      output: null,
      errors: [
        { messageId: 'exitAbandonsPromise', line: 7, column: 3, suggestions: [] },
        { messageId: 'exitAbandonsPromise', line: 13, column: 3, suggestions: [] },
        { messageId: 'exitAbandonsPromise', line: 20, column: 3, suggestions: [] },
      ],
    },
    {
      name: 'a promise in a local checked with != null but awaited only in another branch',
      code: `
declare function flush(): Promise<void>;
declare const verbose: boolean;
process.on('uncaughtException', async error => {
  const pending = flush();
  if (verbose && pending != null) console.error(error);
  else await pending;
  process.exit(1);
});
`,
      output: null,
      errors: [{ messageId: 'exitAbandonsPromise', line: 8, column: 3, suggestions: [] }],
    },
  ],
});

hookTester.run('no-cleanup-in-exit-handler (configured exitHooks)', rule, {
  valid: [
    {
      name: 'a configured hook whose callback does only synchronous work',
      code: `
import * as fs from 'node:fs';
import { onShutdown } from 'native-addon-stub';
onShutdown(() => {
  fs.rmSync('/tmp/app.sock', { force: true });
});
`,
    },
    {
      name: 'a local function with a configured package hook name is not that hook',
      code: `
import * as fsp from 'node:fs/promises';
function onShutdown(callback: () => Promise<void>): void { void callback(); }
onShutdown(async () => { await fsp.rm('/tmp/x'); });
`,
    },
    {
      name: 'other functions of the addon package are not exit hooks',
      code: `
import * as fsp from 'node:fs/promises';
import { Device } from 'native-addon-stub';
const device = new Device('/dev/ttyUSB0');
device.write(new Uint8Array(1), () => { void fsp.rm('/tmp/x'); });
`,
    },
  ],
  invalid: [
    {
      name: 'a configured hook imported under another name, with an async callback',
      code: `
import { Device, onShutdown as atShutdown } from 'native-addon-stub';
declare const device: Device;
atShutdown(async () => {
  await device.close();
});
`,
      output: null,
      errors: [
        { messageId: 'asyncListener', line: 4, column: 12, suggestions: [] },
        {
          messageId: 'await',
          line: 5,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
import { Device, onShutdown as atShutdown } from 'native-addon-stub';
declare const device: Device;
atShutdown(async () => {
});
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a configured hook through a namespace import, given a function declared in this file',
      code: `
import * as fs from 'node:fs';
import * as addon from 'native-addon-stub';
function releaseAll(): void {
  fs.rmdir('/tmp/app', () => {});
}
addon.onShutdown(releaseAll);
`,
      output: `
import * as fs from 'node:fs';
import * as addon from 'native-addon-stub';
function releaseAll(): void {
  try { fs.rmdirSync('/tmp/app'); } catch {}
}
addon.onShutdown(releaseAll);
`,
      errors: [{ messageId: 'callbackCall', line: 5, column: 3, suggestions: [] }],
    },
    {
      name: "a hook configured with { from: 'file' }",
      code: `
declare function registerExitTask(task: () => void): void;
registerExitTask(() => {
  setTimeout(() => console.log('late'), 0);
});
`,
      output: null,
      errors: [
        {
          messageId: 'timer',
          data: { name: 'setTimeout' },
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: `
declare function registerExitTask(task: () => void): void;
registerExitTask(() => {
});
`,
            },
          ],
        },
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Issue 11: exit hooks of packages whose types are missing, dotted names, and the
// { hook, eventArgument } form. `untyped-exit-hook` (tests/fixtures/node_modules) ships no types,
// like signal-exit 3; `not-installed-exit-pkg` and `not-installed-events-pkg` are not installed.

const issue11Tester = createRuleTester({
  'native-handle': {
    exitHooks: [
      { from: 'package', package: 'untyped-exit-hook', name: 'onExit' },
      { from: 'package', package: 'not-installed-exit-pkg', name: ['onExit', 'Hooks.atExit'] },
      { hook: { from: 'file', name: 'EventsHelper.addEventListener' }, eventArgument: 1 },
      { hook: { from: 'package', package: 'not-installed-events-pkg', name: 'eventsHelper.addEventListener' }, eventArgument: 1 },
      { from: 'file', name: ['Teardown.register', 'shutdownHooks.add'] },
    ],
  },
});

/** The one error a late `setTimeout` on line 4, column 3 draws, with the suggestion that removes it. */
function lateTimerError(code: string, removed: string): TestCaseError<MessageIds> {
  return {
    messageId: 'timer',
    data: { name: 'setTimeout' },
    line: 4,
    column: 3,
    suggestions: [{ messageId: 'removeCleanup', output: code.replace(removed, '') }],
  };
}

const LATE = "  setTimeout(() => console.log('late'), 0);\n";

const issue11Invalid = [
  {
    name: 'a default import of an untyped package (signal-exit 3 style), named like the configured hook',
    code: `
import onExit from 'untyped-exit-hook';
onExit(() => {
${LATE}});
`,
  },
  {
    name: 'a default import of an untyped package under another name (its default export is the hook)',
    settings: {
      'native-handle': { exitHooks: [{ from: 'package', package: 'untyped-exit-hook', name: 'default' }] },
    },
    code: `
import atExit from 'untyped-exit-hook';
atExit(() => {
${LATE}});
`,
  },
  {
    name: 'import x = require() of an untyped package',
    code: `
import onExit = require('untyped-exit-hook');
onExit(() => {
${LATE}});
`,
  },
  {
    name: 'a renamed named import from a package that is not installed',
    code: `
import { onExit as bye } from 'not-installed-exit-pkg';
bye(() => {
${LATE}});
`,
  },
  {
    name: 'a namespace import member from a package that is not installed',
    code: `
import * as exitPkg from 'not-installed-exit-pkg';
exitPkg.onExit(() => {
${LATE}});
`,
  },
  {
    name: 'a dotted name through a named import from a package that is not installed',
    code: `
import { Hooks } from 'not-installed-exit-pkg';
Hooks.atExit(() => {
${LATE}});
`,
  },
  {
    name: "a static method named 'EventsHelper.addEventListener' called with 'exit' at the event argument",
    code: `
class EventsHelper { static addEventListener(target: NodeJS.EventEmitter, event: string | symbol, fn: (...args: any[]) => void): void { target.on(event, fn); } }
EventsHelper.addEventListener(process, 'exit', () => {
${LATE}});
`,
  },
  {
    name: 'the configured static method through a const alias of its class',
    code: `
class EventsHelper { static addEventListener(target: NodeJS.EventEmitter, event: string | symbol, fn: (...args: any[]) => void): void { target.on(event, fn); } }
const eventsHelper = EventsHelper; eventsHelper.addEventListener(process, 'exit', () => {
${LATE}});
`,
  },
  {
    name: "an eventArgument hook from a package that is not installed, with a constant 'exit'",
    code: `
import { eventsHelper } from 'not-installed-events-pkg'; const EXIT = 'exit';
eventsHelper.addEventListener(process, EXIT, () => {
${LATE}});
`,
  },
  {
    name: 'a member of a namespace named by a dotted name',
    code: `
namespace Teardown { export function register(fn: () => void): void { process.on('exit', fn); } }
Teardown.register(() => {
${LATE}});
`,
  },
  {
    name: 'a method of a const object named by a dotted name',
    code: `
const shutdownHooks = { add(fn: () => void): void { process.on('exit', fn); } };
shutdownHooks.add(() => {
${LATE}});
`,
  },
].map(({ name, code, settings }) => ({
  name,
  code,
  ...(settings ? { settings } : {}),
  output: null,
  errors: [lateTimerError(code, LATE)],
}));

issue11Tester.run('no-cleanup-in-exit-handler (issue 11: untyped packages, dotted names, eventArgument)', rule, {
  valid: [
    {
      name: "an eventArgument hook whose event is not 'exit' registers no exit hook",
      code: `
class EventsHelper { static addEventListener(target: NodeJS.EventEmitter, event: string | symbol, fn: (...args: any[]) => void): void { target.on(event, fn); } }
EventsHelper.addEventListener(process, 'beforeExit', () => {
${LATE}});
`,
    },
    {
      name: "an eventArgument hook given a child process: its 'exit' is not this process's",
      code: `
import { spawn } from 'node:child_process';
class EventsHelper { static addEventListener(target: NodeJS.EventEmitter, event: string | symbol, fn: (...args: any[]) => void): void { target.on(event, fn); } }
const child = spawn('ls');
EventsHelper.addEventListener(child, 'exit', () => {
${LATE}});
`,
    },
    {
      name: 'an eventArgument hook whose event argument is missing or not a constant',
      code: `
class EventsHelper { static addEventListener(target: NodeJS.EventEmitter, event?: string, fn?: () => void): void {} }
declare const event: string;
EventsHelper.addEventListener(process, event, () => { setTimeout(() => {}, 0); });
EventsHelper.addEventListener(process);
`,
    },
    {
      name: 'an instance method of a class with the configured dotted name is not the static method',
      code: `
class EventsHelper { addEventListener(target: NodeJS.EventEmitter, event: string, fn: () => void): void {} }
new EventsHelper().addEventListener(process, 'exit', () => { setTimeout(() => {}, 0); });
`,
    },
    {
      name: 'a static method of the same name on another class is not configured',
      code: `
class Events { static addEventListener(target: NodeJS.EventEmitter, event: string, fn: () => void): void {} }
Events.addEventListener(process, 'exit', () => { setTimeout(() => {}, 0); });
`,
    },
    {
      name: 'another function of an untyped package is not its configured hook',
      code: `
import onExit from 'untyped-exit-hook';
import { load } from 'not-installed-exit-pkg';
import * as exitPkg from 'not-installed-exit-pkg';
load(() => { setTimeout(() => {}, 0); });
exitPkg.atExit(() => { setTimeout(() => {}, 0); });
(onExit as unknown as { later(fn: () => void): void }).later(() => { setTimeout(() => {}, 0); });
`,
    },
    {
      name: 'the configured name imported from another package that is not installed',
      code: `
import { onExit } from 'other-not-installed-pkg';
import atExit from 'other-not-installed-pkg';
onExit(() => { setTimeout(() => {}, 0); });
atExit(() => { setTimeout(() => {}, 0); });
`,
    },
    {
      name: 'a package that resolves is matched through its declarations, not by the local name of a default import',
      settings: { 'native-handle': { exitHooks: [{ from: 'package', package: 'native-addon-stub', name: 'onExit' }] } },
      code: `
// @ts-expect-error: the stub has no default export
import onExit from 'native-addon-stub';
onExit(() => { setTimeout(() => {}, 0); });
`,
    },
    {
      name: 'a local function named like the untyped hook',
      code: `
const onExit = (fn: () => void): void => { process.on('beforeExit', fn); };
onExit(() => { setTimeout(() => {}, 0); });
`,
    },
  ],
  invalid: issue11Invalid,
});
// --- end issue 11 ------------------------------------------------------------------------------

// -------------------------------------------------------------------------------------------
// Known native packages (docs/packages.md, docs/packages.md): their closes in an exit listener.

/** An exit listener installed over one package resource, its body given line by line. */
function exitListener(imports: string, parameter: string, body: readonly string[]): string {
  return [
    imports,
    `export function install(${parameter}): void {`,
    "  process.once('exit', () => {",
    ...body.map(line => `    ${line}`),
    '  });',
    '}',
  ].join('\n');
}

createRuleTester().run('no-cleanup-in-exit-handler: known native packages', rule, {
  valid: [
    {
      // Each of these closes synchronously: better-sqlite3's close() (src/objects/database.cpp),
      // node-pty's kill() (a process.kill), zeromq's close() (zmq_close) and usb's close() (libusb_close).
      name: 'better-sqlite3, node-pty, zeromq, usb: their synchronous closes in an exit listener',
      code: exitListener(
        "import Database from 'better-sqlite3';\nimport * as pty from 'node-pty';\nimport { Push } from 'zeromq';\nimport { usb } from 'usb';",
        'db: Database.Database, term: pty.IPty, sock: Push, device: usb.Device',
        ['db.close();', 'term.kill();', 'sock.close();', 'device.close();'],
      ),
    },
  ],
  invalid: [
    {
      name: 'better-sqlite3: a backup started in an exit listener never finishes',
      code: exitListener("import Database from 'better-sqlite3';", 'db: Database.Database', ["void db.backup('last.db');", 'db.close();']),
      output: null,
      errors: [
        {
          messageId: 'promiseCall',
          line: 4,
          column: 10,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: exitListener("import Database from 'better-sqlite3';", 'db: Database.Database', ['db.close();']),
            },
          ],
        },
      ],
    },
    {
      name: 'zeromq: a send() in an exit listener never settles',
      code: exitListener("import { Push } from 'zeromq';", 'sock: Push', ["void sock.send('bye');", 'sock.close();']),
      output: null,
      errors: [
        {
          messageId: 'promiseCall',
          line: 4,
          column: 10,
          suggestions: [
            { messageId: 'removeCleanup', output: exitListener("import { Push } from 'zeromq';", 'sock: Push', ['sock.close();']) },
          ],
        },
      ],
    },
    {
      name: "serialport: drain()'s callback never runs in an exit listener",
      code: exitListener("import { SerialPort } from 'serialport';", 'port: SerialPort', ['port.drain(() => port.close());']),
      output: null,
      errors: [
        {
          messageId: 'callbackCall',
          line: 4,
          column: 5,
          suggestions: [
            { messageId: 'removeCleanup', output: exitListener("import { SerialPort } from 'serialport';", 'port: SerialPort', []) },
          ],
        },
      ],
    },
    {
      name: 'node-pty: a kill() delayed by a timer in an exit listener never happens',
      code: exitListener("import * as pty from 'node-pty';", 'term: pty.IPty', [
        "term.write('exit\\r');",
        'setTimeout(() => term.kill(), 100);',
      ]),
      output: null,
      errors: [
        {
          messageId: 'timer',
          line: 5,
          column: 5,
          suggestions: [
            {
              messageId: 'removeCleanup',
              output: exitListener("import * as pty from 'node-pty';", 'term: pty.IPty', ["term.write('exit\\r');"]),
            },
          ],
        },
      ],
    },
  ],
});
