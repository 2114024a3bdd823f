import rule from '../../src/rules/require-unregister.js';
import { rawCode as code, crlf } from '../code.js';
import { createRuleTester } from '../ruleTester.js';

const FH = "import type { FileHandle } from 'node:fs/promises';";
const DEV = "import { Device } from 'native-addon-stub';";
const REGISTRY = 'const registry = new FinalizationRegistry<number>(fd => { void fd; });';

const registerWithoutToken = (subject: string, registry: string) => ({ subject, registry });
const listener = (signal: string, subject: string) => ({ signal, subject });

createRuleTester().run('require-unregister', rule, {
  valid: [
    {
      name: 'a signal field set from a constructor parameter and, on one path, from a controller of its own: origin unknown, not reported',
      code: code`
        ${FH}
        export class Tail {
          readonly signal: AbortSignal;
          constructor(private readonly fh: FileHandle, signal: AbortSignal, own: boolean) {
            this.signal = signal;
            if (own) this.signal = new AbortController().signal;
          }
          watch(): void {
            this.signal.addEventListener('abort', () => void this.fh.close());
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
      `,
    },
    // ----- FinalizationRegistry -------------------------------------------------------------
    {
      name: 'token `this` and `unregister(this)` in close()',
      code: code`
        ${FH}
        ${REGISTRY}
        export class Log {
          constructor(private readonly fh: FileHandle) {
            registry.register(this, fh.fd, this);
          }
          async close(): Promise<void> {
            registry.unregister(this);
            await this.fh.close();
          }
        }
      `,
    },
    {
      name: 'a field token unregistered through a local destructured from this',
      code: code`
        ${FH}
        ${REGISTRY}
        export class Log {
          readonly token = {};
          constructor(private readonly fh: FileHandle) {
            registry.register(this, fh.fd, this.token);
          }
          async close(): Promise<void> {
            const { token } = this;
            registry.unregister(token);
            await this.fh.close();
          }
        }
      `,
    },
    {
      name: 'a field token unregistered by a method that close() calls',
      code: code`
        ${DEV}
        export class Port {
          readonly #registry = new FinalizationRegistry<number>(handle => { void handle; });
          readonly #token = {};
          constructor(private readonly dev: Device) {
            this.#registry.register(this, this.dev.handle, this.#token);
          }
          #forget(): void {
            this.#registry.unregister(this.#token);
          }
          async close(): Promise<void> {
            this.#forget();
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'unregister in [Symbol.asyncDispose], the only close method',
      code: code`
        ${FH}
        ${REGISTRY}
        export class Journal {
          constructor(private readonly fh: FileHandle) {
            registry.register(this, this.fh.fd, this);
          }
          async [Symbol.asyncDispose](): Promise<void> {
            registry.unregister(this);
            await this.fh.close();
          }
        }
      `,
    },
    {
      name: 'a registry of plain values outside owner classes',
      code: code`
        const names = new FinalizationRegistry<string>(name => console.log(name, 'collected'));
        export function track(value: object, name: string): void {
          names.register(value, name);
        }
      `,
    },
    {
      name: 'a leak-warning registration of a name in an owner class (no handle is released later)',
      code: code`
        ${FH}
        const leaks = new FinalizationRegistry<string>(name => console.warn(name, 'was not closed'));
        export class Log {
          constructor(private readonly fh: FileHandle, name: string) {
            leaks.register(this, name);
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
      `,
    },
    {
      name: 'a look-alike register() method of another type',
      code: code`
        ${FH}
        class Registry {
          register(target: object, held: number): void { void target; void held; }
        }
        export function keep(registry: Registry, fh: FileHandle): void {
          registry.register(fh, fh.fd);
        }
      `,
    },
    {
      name: 'a local class named FinalizationRegistry',
      code: code`
        ${FH}
        class FinalizationRegistry {
          register(target: object, held: number): void { void target; void held; }
        }
        const registry = new FinalizationRegistry();
        export function keep(fh: FileHandle): void {
          registry.register(fh, fh.fd);
        }
      `,
    },
    {
      name: 'a registry typed any',
      code: code`
        ${FH}
        declare const registry: any;
        export function keep(fh: FileHandle): void {
          registry.register(fh, fh.fd);
        }
      `,
    },
    // ----- 'abort' listeners ----------------------------------------------------------------
    {
      name: '{ once: true }',
      code: code`
        ${FH}
        export function closeOnAbort(fh: FileHandle, signal: AbortSignal): void {
          signal.addEventListener('abort', () => void fh.close(), { once: true });
        }
      `,
    },
    {
      name: "{ signal } of the owner's own controller",
      code: code`
        ${FH}
        export class Tail {
          readonly #done = new AbortController();
          constructor(private readonly fh: FileHandle, signal: AbortSignal) {
            signal.addEventListener('abort', () => void this.close(), { signal: this.#done.signal });
          }
          async close(): Promise<void> {
            this.#done.abort();
            await this.fh.close();
          }
        }
      `,
    },
    {
      name: 'removeEventListener in a finally of the same function',
      code: code`
        ${FH}
        export async function readAll(fh: FileHandle, signal: AbortSignal): Promise<Buffer> {
          const onAbort = (): void => void fh.close();
          signal.addEventListener('abort', onAbort);
          try {
            return await fh.readFile();
          } finally {
            signal.removeEventListener('abort', onAbort);
          }
        }
      `,
    },
    {
      name: "a listener on the signal of the owner's own AbortController",
      code: code`
        ${FH}
        export class Reader {
          readonly #ac = new AbortController();
          constructor(private readonly fh: FileHandle) {
            this.#ac.signal.addEventListener('abort', () => void this.fh.close());
          }
          async close(): Promise<void> {
            this.#ac.abort();
            await this.fh.close();
          }
        }
      `,
    },
    {
      name: 'a helper that only rejects a promise on abort',
      code: code`
        ${FH}
        export class Reader {
          constructor(private readonly fh: FileHandle) {}
          waitForAbort(signal: AbortSignal): Promise<never> {
            return new Promise((_, reject) => {
              signal.addEventListener('abort', () => reject(signal.reason as Error));
            });
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
      `,
    },
    {
      name: 'a listener removed in the close method (signal spelled otherwise there)',
      code: code`
        ${DEV}
        export class Session {
          readonly #onAbort = (): void => this.dev.cancel();
          constructor(private readonly dev: Device, private readonly signal: AbortSignal) {
            signal.addEventListener('abort', this.#onAbort);
          }
          async close(): Promise<void> {
            this.signal.removeEventListener('abort', this.#onAbort);
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: "a listener on a locally created controller's signal",
      code: code`
        ${FH}
        export async function readSoon(fh: FileHandle): Promise<Buffer> {
          const controller = new AbortController();
          controller.signal.addEventListener('abort', () => void fh.close());
          setTimeout(() => controller.abort(), 1000);
          return fh.readFile({ signal: controller.signal });
        }
      `,
    },
    {
      name: "an 'abort' listener on an EventTarget that is not an AbortSignal",
      code: code`
        ${FH}
        export function closeOnAbort(fh: FileHandle, target: EventTarget): void {
          target.addEventListener('abort', () => void fh.close());
        }
      `,
    },
    {
      name: 'a signal typed any',
      code: code`
        ${FH}
        export function closeOnAbort(fh: FileHandle, signal: any): void {
          signal.addEventListener('abort', () => void fh.close());
        }
      `,
    },
    {
      name: 'options that cannot be read',
      code: code`
        ${FH}
        export function closeOnAbort(fh: FileHandle, signal: AbortSignal, options: AddEventListenerOptions): void {
          signal.addEventListener('abort', () => void fh.close(), options);
        }
      `,
    },
    {
      name: 'removeEventListener in a .finally() callback',
      code: code`
        ${FH}
        export function readAll(fh: FileHandle, signal: AbortSignal): Promise<Buffer> {
          const onAbort = (): void => void fh.close();
          signal.addEventListener('abort', onAbort);
          return fh.readFile().finally(() => signal.removeEventListener('abort', onAbort));
        }
      `,
    },
    {
      name: 'added in a promise executor, removed in a finally of the function around it',
      code: code`
        ${FH}
        export async function waitFor(fh: FileHandle, signal: AbortSignal, ready: Promise<void>): Promise<void> {
          const onAbort = (): void => void fh.close();
          try {
            await new Promise<void>((resolve, reject) => {
              signal.addEventListener('abort', onAbort);
              ready.then(resolve, reject);
            });
          } finally {
            signal.removeEventListener('abort', onAbort);
          }
        }
      `,
    },
    {
      name: 'an optional registry field with a token unregistered in close()',
      code: code`
        ${FH}
        export class Log {
          registry: FinalizationRegistry<number> | undefined;
          constructor(private readonly fh: FileHandle) {
            this.registry?.register(this, fh.fd, this);
          }
          async close(): Promise<void> {
            this.registry?.unregister(this);
            await this.fh.close();
          }
        }
      `,
    },
    // ----- setInterval ----------------------------------------------------------------------
    {
      name: 'clearInterval in close()',
      code: code`
        import * as net from 'node:net';
        export class Heartbeat {
          private readonly timer: NodeJS.Timeout;
          constructor(private readonly sock: net.Socket) {
            this.timer = setInterval(() => this.sock.write('PING\\r\\n'), 5000);
          }
          close(): void {
            clearInterval(this.timer);
            this.sock.destroy();
          }
        }
      `,
    },
    {
      name: 'timer.close() and a cleared alias count as clearing',
      code: code`
        ${DEV}
        export class Poller {
          #poll: NodeJS.Timeout | undefined;
          #watch = setInterval(() => void this.dev.read(1), 100);
          constructor(private readonly dev: Device) {
            this.#poll = setInterval(() => void this.dev.read(8), 1000);
          }
          async close(): Promise<void> {
            this.#watch.close();
            const poll = this.#poll;
            if (poll) clearTimeout(poll);
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'cleared by a method that close() calls, and by [Symbol.dispose]',
      code: code`
        ${DEV}
        export class Poller {
          private timer: NodeJS.Timeout | undefined;
          private other = setInterval(() => this.dev.cancel(), 100);
          constructor(private readonly dev: Device) {}
          start(): void {
            this.timer = setInterval(() => void this.dev.read(8), 1000);
          }
          private stop(): void {
            clearInterval(this.timer);
            this.other[Symbol.dispose]();
          }
          async close(): Promise<void> {
            this.stop();
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'setTimeout is not an interval',
      code: code`
        ${DEV}
        export class Retry {
          private timer: NodeJS.Timeout | undefined;
          constructor(private readonly dev: Device) {
            this.timer = setTimeout(() => void this.dev.read(8), 1000);
          }
          async close(): Promise<void> {
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'a class with the same names that owns nothing',
      code: code`
        export class Ticker {
          private timer = setInterval(() => this.tick(), 1000);
          tick(): void {}
          close(): void {}
        }
      `,
    },
    {
      name: 'a local function named setInterval',
      code: code`
        ${DEV}
        function setInterval(callback: () => void, ms: number): number { void callback; return ms; }
        export class Poller {
          private timer = setInterval(() => void this.dev.read(8), 1000);
          constructor(private readonly dev: Device) {}
          async close(): Promise<void> {
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'an interval kept in a local and cleared in the same function',
      code: code`
        ${FH}
        export async function sample(fh: FileHandle): Promise<void> {
          const timer = setInterval(() => void fh.stat(), 100);
          try {
            await fh.readFile();
          } finally {
            clearInterval(timer);
          }
        }
      `,
    },
    {
      name: 'an unstored interval in an owner class that does not use the instance',
      code: code`
        ${FH}
        export class Log {
          constructor(private readonly fh: FileHandle) {
            setInterval(() => console.log('tick'), 1000).unref();
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
      `,
    },
    // ----- intervals through a local, in collections -----------------------------------------
    {
      name: 'an interval stored through a local and cleared in close()',
      code: code`
        ${DEV}
        export class Poller {
          #timer: NodeJS.Timeout | undefined;
          constructor(private readonly dev: Device) {
            const timer = setInterval(() => void this.dev.read(8), 1000);
            this.#timer = timer;
          }
          async close(): Promise<void> {
            clearInterval(this.#timer);
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'a local stored in a field that the function clears itself',
      code: code`
        ${DEV}
        export class Poller {
          #timer: NodeJS.Timeout | undefined;
          constructor(private readonly dev: Device) {}
          async drain(): Promise<void> {
            const timer = setInterval(() => void this.dev.read(8), 1000);
            this.#timer = timer;
            try {
              await this.dev.read(8);
            } finally {
              clearInterval(timer);
            }
          }
          async close(): Promise<void> {
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'an array of intervals cleared by a loop in close()',
      code: code`
        ${DEV}
        export class Poller {
          readonly #timers: NodeJS.Timeout[] = [];
          constructor(private readonly dev: Device) {}
          watch(ms: number): void {
            const timer = setInterval(() => void this.dev.read(8), ms);
            this.#timers.push(timer);
          }
          async close(): Promise<void> {
            for (const timer of this.#timers) clearInterval(timer);
            this.#timers.length = 0;
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'collections cleared with forEach(clearInterval), forEach(t => t.close()) and a map loop',
      code: code`
        ${DEV}
        export class Poller {
          readonly #timers: NodeJS.Timeout[] = [];
          readonly #watchers = new Set<NodeJS.Timeout>();
          readonly #byName = new Map<string, NodeJS.Timeout>();
          constructor(private readonly dev: Device) {}
          watch(name: string): void {
            this.#timers.push(setInterval(() => void this.dev.read(8), 1000));
            this.#watchers.add(setInterval(() => void this.dev.read(1), 100).unref());
            this.#byName.set(name, setInterval(() => this.dev.cancel(), 5000));
          }
          async close(): Promise<void> {
            this.#timers.forEach(clearInterval);
            this.#watchers.forEach(timer => timer.close());
            for (const [, timer] of this.#byName) clearTimeout(timer);
            this.#byName.clear();
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'a collection handed to another function in close() (cannot tell)',
      code: code`
        ${DEV}
        function stopAll(timers: Iterable<NodeJS.Timeout>): void {
          for (const timer of timers) clearInterval(timer);
        }
        export class Poller {
          readonly #timers = new Set<NodeJS.Timeout>();
          constructor(private readonly dev: Device) {}
          watch(): void {
            this.#timers.add(setInterval(() => void this.dev.read(8), 1000));
          }
          async close(): Promise<void> {
            stopAll(this.#timers);
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'a collection whose elements close() hands to a method (cannot tell)',
      code: code`
        ${DEV}
        export class Poller {
          readonly #timers: NodeJS.Timeout[] = [];
          constructor(private readonly dev: Device) {}
          watch(): void {
            this.#timers.push(setInterval(() => void this.dev.read(8), 1000));
          }
          #stop(timer: NodeJS.Timeout): void {
            timer.unref();
          }
          async close(): Promise<void> {
            this.#timers.forEach(timer => this.#stop(timer));
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'a collection that is not an Array, Set or Map',
      code: code`
        ${DEV}
        class Timers {
          push(timer: NodeJS.Timeout): void { void timer; }
        }
        export class Poller {
          readonly #timers = new Timers();
          constructor(private readonly dev: Device) {}
          watch(): void {
            this.#timers.push(setInterval(() => void this.dev.read(8), 1000));
          }
          async close(): Promise<void> {
            await this.dev.close();
          }
        }
      `,
    },
    // ----- abort listeners: the signal of a removal --------------------------------------------
    {
      name: 'removed on close from the field the signal was stored in',
      code: code`
        ${DEV}
        interface Options { signal: AbortSignal; parent: AbortSignal }
        export class Session {
          readonly #onAbort = (): void => this.dev.cancel();
          readonly #signal: AbortSignal;
          constructor(private readonly dev: Device, options: Options) {
            this.#signal = options.signal;
            options.signal.addEventListener('abort', this.#onAbort);
          }
          async close(): Promise<void> {
            this.#signal.removeEventListener('abort', this.#onAbort);
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'removed on close from a signal that cannot be compared (a field set twice)',
      code: code`
        ${DEV}
        export class Session {
          readonly #onAbort = (): void => this.dev.cancel();
          #signal: AbortSignal | undefined;
          constructor(private readonly dev: Device, signal: AbortSignal) {
            signal.addEventListener('abort', this.#onAbort);
            this.#signal = signal;
          }
          follow(signal: AbortSignal): void {
            this.#signal = signal;
          }
          async close(): Promise<void> {
            this.#signal?.removeEventListener('abort', this.#onAbort);
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: "listeners on the signals of the owner's own controllers, in a loop",
      code: code`
        ${DEV}
        export class Session {
          readonly #controllers = [new AbortController(), new AbortController()];
          constructor(private readonly dev: Device) {
            for (const controller of this.#controllers) controller.signal.addEventListener('abort', () => this.dev.cancel());
          }
          async close(): Promise<void> {
            for (const controller of this.#controllers) controller.abort();
            await this.dev.close();
          }
        }
      `,
    },
    {
      name: 'listeners added in a loop over a parameter and removed in a finally by another loop over it',
      code: code`
        ${FH}
        export async function readAll(fh: FileHandle, signals: AbortSignal[]): Promise<Buffer> {
          const onAbort = (): void => void fh.close();
          for (const signal of signals) signal.addEventListener('abort', onAbort);
          try {
            return await fh.readFile();
          } finally {
            signals.forEach(signal => signal.removeEventListener('abort', onAbort));
          }
        }
      `,
    },
  ],
  invalid: [
    // ----- FinalizationRegistry -------------------------------------------------------------
    {
      name: 'registrations and listeners spread over the constructor and methods of one class (issue 13 shape, small): the one without a token and the listener never removed',
      code: code`
        ${FH}
        ${REGISTRY}
        export class Pool {
          fd0 = 0;
          fd2 = 0;
          token2 = {};
          onAbort1 = (): void => { void this.fh.close(); };
          onAbort3 = (): void => { void this.fh.close(); };
          constructor(private readonly fh: FileHandle, private readonly signal: AbortSignal) {
            registry.register(this, this.fd0);
          }
          watch1(): void {
            this.signal.addEventListener('abort', this.onAbort1);
          }
          track2(): void {
            this.fd2 = this.fh.fd;
            registry.register(this, this.fd2, this.token2);
          }
          watch3(): void {
            this.signal.addEventListener('abort', this.onAbort3);
          }
          async close(): Promise<void> {
            registry.unregister(this.token2);
            this.signal.removeEventListener('abort', this.onAbort1);
            await this.fh.close();
          }
        }
      `,
      output: code`
        ${FH}
        ${REGISTRY}
        export class Pool {
          fd0 = 0;
          fd2 = 0;
          token2 = {};
          onAbort1 = (): void => { void this.fh.close(); };
          onAbort3 = (): void => { void this.fh.close(); };
          constructor(private readonly fh: FileHandle, private readonly signal: AbortSignal) {
            registry.register(this, this.fd0, this);
          }
          watch1(): void {
            this.signal.addEventListener('abort', this.onAbort1);
          }
          track2(): void {
            this.fd2 = this.fh.fd;
            registry.register(this, this.fd2, this.token2);
          }
          watch3(): void {
            this.signal.addEventListener('abort', this.onAbort3);
          }
          async close(): Promise<void> {
            registry.unregister(this);
            registry.unregister(this.token2);
            this.signal.removeEventListener('abort', this.onAbort1);
            await this.fh.close();
          }
        }
      `,
      errors: [
        { messageId: 'registerWithoutToken', line: 10, column: 5, data: registerWithoutToken('`Pool`', 'registry'), suggestions: [] },
        {
          messageId: 'abortListener',
          line: 20,
          column: 5,
          data: listener('this.signal', '`Pool`'),
          suggestions: [
            {
              messageId: 'addOnce',
              output: code`
                ${FH}
                ${REGISTRY}
                export class Pool {
                  fd0 = 0;
                  fd2 = 0;
                  token2 = {};
                  onAbort1 = (): void => { void this.fh.close(); };
                  onAbort3 = (): void => { void this.fh.close(); };
                  constructor(private readonly fh: FileHandle, private readonly signal: AbortSignal) {
                    registry.register(this, this.fd0);
                  }
                  watch1(): void {
                    this.signal.addEventListener('abort', this.onAbort1);
                  }
                  track2(): void {
                    this.fd2 = this.fh.fd;
                    registry.register(this, this.fd2, this.token2);
                  }
                  watch3(): void {
                    this.signal.addEventListener('abort', this.onAbort3, { once: true });
                  }
                  async close(): Promise<void> {
                    registry.unregister(this.token2);
                    this.signal.removeEventListener('abort', this.onAbort1);
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
      name: 'no token, one close method, module-level registry: autofix',
      code: code`
        ${FH}
        ${REGISTRY}
        export class Log {
          constructor(private readonly fh: FileHandle) {
            registry.register(this, fh.fd);
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
      `,
      output: code`
        ${FH}
        ${REGISTRY}
        export class Log {
          constructor(private readonly fh: FileHandle) {
            registry.register(this, fh.fd, this);
          }
          async close(): Promise<void> {
            registry.unregister(this);
            await this.fh.close();
          }
        }
      `,
      errors: [{ messageId: 'registerWithoutToken', line: 5, column: 5, data: registerWithoutToken('`Log`', 'registry'), suggestions: [] }],
    },
    {
      name: 'issue 12: in a CRLF file, no token, one close method, module-level registry: autofix (the edit keeps CRLF)',
      code: crlf(code`
        ${FH}
        ${REGISTRY}
        export class Log {
          constructor(private readonly fh: FileHandle) {
            registry.register(this, fh.fd);
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
      `),
      output: crlf(code`
        ${FH}
        ${REGISTRY}
        export class Log {
          constructor(private readonly fh: FileHandle) {
            registry.register(this, fh.fd, this);
          }
          async close(): Promise<void> {
            registry.unregister(this);
            await this.fh.close();
          }
        }
      `),
      errors: [{ messageId: 'registerWithoutToken', line: 5, column: 5, data: registerWithoutToken('`Log`', 'registry'), suggestions: [] }],
    },
    {
      name: 'no token but close() already unregisters: autofix adds the token only',
      code: code`
        ${DEV}
        export class Port {
          #registry = new FinalizationRegistry<number>(handle => { void handle; });
          constructor(private readonly dev: Device) {
            this.#registry.register(this, this.dev.handle);
          }
          async close(): Promise<void> { this.#registry.unregister(this); await this.dev.close(); }
        }
      `,
      output: code`
        ${DEV}
        export class Port {
          #registry = new FinalizationRegistry<number>(handle => { void handle; });
          constructor(private readonly dev: Device) {
            this.#registry.register(this, this.dev.handle, this);
          }
          async close(): Promise<void> { this.#registry.unregister(this); await this.dev.close(); }
        }
      `,
      errors: [
        { messageId: 'registerWithoutToken', line: 5, column: 5, data: registerWithoutToken('`Port`', 'this.#registry'), suggestions: [] },
      ],
    },
    {
      name: 'token `this` never unregistered: autofix adds the unregister call',
      code: code`
        ${FH}
        ${REGISTRY}
        export class Log {
          constructor(private readonly fh: FileHandle) {
            registry.register(this, fh.fd, this);
          }
          close(): Promise<void> { return this.fh.close(); }
        }
      `,
      output: code`
        ${FH}
        ${REGISTRY}
        export class Log {
          constructor(private readonly fh: FileHandle) {
            registry.register(this, fh.fd, this);
          }
          close(): Promise<void> { registry.unregister(this); return this.fh.close(); }
        }
      `,
      errors: [
        {
          messageId: 'tokenNeverUnregistered',
          line: 5,
          column: 5,
          data: { subject: '`Log`', registry: 'registry', token: 'this' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'unregister with another token does not count; two close methods: suggestions',
      code: code`
        ${FH}
        ${REGISTRY}
        export class Log {
          readonly token = {};
          constructor(private readonly fh: FileHandle) {
            registry.register(this, fh.fd, this.token);
          }
          async close(): Promise<void> {
            registry.unregister(this);
            await this.fh.close();
          }
          async [Symbol.asyncDispose](): Promise<void> {
            await this.fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'tokenNeverUnregistered',
          line: 6,
          column: 5,
          data: { subject: '`Log`', registry: 'registry', token: 'this.token' },
          suggestions: [
            {
              messageId: 'addUnregister',
              data: { registry: 'registry', token: 'this.token', method: 'close' },
              output: code`
                ${FH}
                ${REGISTRY}
                export class Log {
                  readonly token = {};
                  constructor(private readonly fh: FileHandle) {
                    registry.register(this, fh.fd, this.token);
                  }
                  async close(): Promise<void> {
                    registry.unregister(this.token);
                    registry.unregister(this);
                    await this.fh.close();
                  }
                  async [Symbol.asyncDispose](): Promise<void> {
                    await this.fh.close();
                  }
                }
              `,
            },
            {
              messageId: 'addUnregister',
              data: { registry: 'registry', token: 'this.token', method: '[Symbol.asyncDispose]' },
              output: code`
                ${FH}
                ${REGISTRY}
                export class Log {
                  readonly token = {};
                  constructor(private readonly fh: FileHandle) {
                    registry.register(this, fh.fd, this.token);
                  }
                  async close(): Promise<void> {
                    registry.unregister(this);
                    await this.fh.close();
                  }
                  async [Symbol.asyncDispose](): Promise<void> {
                    registry.unregister(this.token);
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
      name: 'no token, two close methods: one suggestion per close method',
      code: code`
        ${DEV}
        const registry = new FinalizationRegistry<number>(handle => { void handle; });
        export class Port {
          constructor(private readonly dev: Device) {
            registry.register(this, dev.handle);
          }
          close(): Promise<void> { return this.dev.close(); }
          [Symbol.asyncDispose](): Promise<void> { return this.close(); }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'registerWithoutToken',
          line: 5,
          column: 5,
          data: registerWithoutToken('`Port`', 'registry'),
          suggestions: [
            {
              messageId: 'addTokenAndUnregister',
              data: { registry: 'registry', method: 'close' },
              output: code`
                ${DEV}
                const registry = new FinalizationRegistry<number>(handle => { void handle; });
                export class Port {
                  constructor(private readonly dev: Device) {
                    registry.register(this, dev.handle, this);
                  }
                  close(): Promise<void> { registry.unregister(this); return this.dev.close(); }
                  [Symbol.asyncDispose](): Promise<void> { return this.close(); }
                }
              `,
            },
            {
              messageId: 'addTokenAndUnregister',
              data: { registry: 'registry', method: '[Symbol.asyncDispose]' },
              output: code`
                ${DEV}
                const registry = new FinalizationRegistry<number>(handle => { void handle; });
                export class Port {
                  constructor(private readonly dev: Device) {
                    registry.register(this, dev.handle, this);
                  }
                  close(): Promise<void> { return this.dev.close(); }
                  [Symbol.asyncDispose](): Promise<void> { registry.unregister(this); return this.close(); }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'no token, registry passed in as a parameter: no fix',
      code: code`
        ${FH}
        export class Log {
          constructor(private readonly fh: FileHandle, registry: FinalizationRegistry<number>) {
            registry.register(this, fh.fd);
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
      `,
      output: null,
      errors: [{ messageId: 'registerWithoutToken', line: 4, column: 5, data: registerWithoutToken('`Log`', 'registry'), suggestions: [] }],
    },
    {
      name: 'no token outside any class: the registration can never be undone',
      code: code`
        ${FH}
        ${REGISTRY}
        export function keep(fh: FileHandle): void {
          const fd = fh.fd;
          registry.register(fh, fd);
        }
      `,
      output: null,
      errors: [{ messageId: 'registerWithoutToken', line: 5, column: 3, data: registerWithoutToken('`fh`', 'registry'), suggestions: [] }],
    },
    {
      name: 'a class tagged @nativeResource that keeps a numeric handle',
      code: code`
        declare function openPty(): number;
        const ptys = new FinalizationRegistry<number>(fd => { void fd; });
        /** @nativeResource */
        export class Pty {
          private readonly fd = openPty();
          constructor() {
            ptys.register(this, this.fd);
          }
          dispose(): void {
            void this.fd;
          }
        }
      `,
      output: code`
        declare function openPty(): number;
        const ptys = new FinalizationRegistry<number>(fd => { void fd; });
        /** @nativeResource */
        export class Pty {
          private readonly fd = openPty();
          constructor() {
            ptys.register(this, this.fd, this);
          }
          dispose(): void {
            ptys.unregister(this);
            void this.fd;
          }
        }
      `,
      errors: [{ messageId: 'registerWithoutToken', line: 7, column: 5, data: registerWithoutToken('`Pty`', 'ptys'), suggestions: [] }],
    },
    {
      name: 'a target other than this: suggestion only',
      code: code`
        ${FH}
        export class Mirror {
          readonly #registry = new FinalizationRegistry<number>(fd => { void fd; });
          constructor(private readonly fh: FileHandle, stream: object) {
            this.#registry.register(stream, this.fh.fd);
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'registerWithoutToken',
          line: 5,
          column: 5,
          data: registerWithoutToken('`stream`', 'this.#registry'),
          suggestions: [
            {
              messageId: 'addTokenAndUnregister',
              data: { registry: 'this.#registry', method: 'close' },
              output: code`
                ${FH}
                export class Mirror {
                  readonly #registry = new FinalizationRegistry<number>(fd => { void fd; });
                  constructor(private readonly fh: FileHandle, stream: object) {
                    this.#registry.register(stream, this.fh.fd, this);
                  }
                  async close(): Promise<void> {
                    this.#registry.unregister(this);
                    await this.fh.close();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    // ----- 'abort' listeners ----------------------------------------------------------------
    {
      name: 'a listener using the instance on a signal passed to the constructor',
      code: code`
        ${FH}
        export class Tail {
          constructor(private readonly fh: FileHandle, signal: AbortSignal) {
            signal.addEventListener('abort', () => void this.close());
          }
          async close(): Promise<void> {
            await this.fh.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'abortListener',
          line: 4,
          column: 5,
          data: listener('signal', '`Tail`'),
          suggestions: [
            {
              messageId: 'addOnce',
              output: code`
                ${FH}
                export class Tail {
                  constructor(private readonly fh: FileHandle, signal: AbortSignal) {
                    signal.addEventListener('abort', () => void this.close(), { once: true });
                  }
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
      name: 'a module-level signal and a listener that closes an owner',
      code: code`
        ${FH}
        const shutdown = new AbortController();
        export function closeOnShutdown(fh: FileHandle): void {
          shutdown.signal.addEventListener('abort', () => void fh.close(), { passive: true });
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'abortListener',
          line: 4,
          column: 3,
          data: listener('shutdown.signal', 'the owner it uses'),
          suggestions: [
            {
              messageId: 'addOnce',
              output: code`
                ${FH}
                const shutdown = new AbortController();
                export function closeOnShutdown(fh: FileHandle): void {
                  shutdown.signal.addEventListener('abort', () => void fh.close(), { once: true, passive: true });
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'removed after an await but not in a finally',
      code: code`
        ${FH}
        export async function readAll(fh: FileHandle, options: { signal: AbortSignal }): Promise<Buffer> {
          const onAbort = (): void => void fh.close();
          options.signal.addEventListener('abort', onAbort, {});
          const data = await fh.readFile();
          options.signal.removeEventListener('abort', onAbort);
          return data;
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'abortListener',
          line: 4,
          column: 3,
          data: listener('options.signal', 'the owner it uses'),
          suggestions: [
            {
              messageId: 'addOnce',
              output: code`
                ${FH}
                export async function readAll(fh: FileHandle, options: { signal: AbortSignal }): Promise<Buffer> {
                  const onAbort = (): void => void fh.close();
                  options.signal.addEventListener('abort', onAbort, { once: true });
                  const data = await fh.readFile();
                  options.signal.removeEventListener('abort', onAbort);
                  return data;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: '{ signal } of the outer signal itself, and capture: no suggestion',
      code: code`
        ${DEV}
        export class Session {
          constructor(private readonly dev: Device, private readonly signal: AbortSignal) {
            this.signal.addEventListener('abort', () => this.dev.cancel(), true);
          }
          async close(): Promise<void> {
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [{ messageId: 'abortListener', line: 4, column: 5, data: listener('this.signal', '`Session`'), suggestions: [] }],
    },
    // ----- setInterval ----------------------------------------------------------------------
    {
      name: 'an interval stored by an owner and never cleared',
      code: code`
        import * as net from 'node:net';
        export class Heartbeat {
          private timer: NodeJS.Timeout | undefined;
          constructor(private readonly sock: net.Socket) {}
          start(): void {
            this.timer = setInterval(() => this.sock.write('PING\\r\\n'), 5000);
          }
          close(): void {
            this.sock.destroy();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalNotCleared',
          line: 6,
          column: 18,
          data: { timer: 'this.timer', class: 'Heartbeat' },
          suggestions: [
            {
              messageId: 'clearInClose',
              data: { timer: 'this.timer', method: 'close' },
              output: code`
                import * as net from 'node:net';
                export class Heartbeat {
                  private timer: NodeJS.Timeout | undefined;
                  constructor(private readonly sock: net.Socket) {}
                  start(): void {
                    this.timer = setInterval(() => this.sock.write('PING\\r\\n'), 5000);
                  }
                  close(): void {
                    clearInterval(this.timer);
                    this.sock.destroy();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'unref() in close does not clear; a private field initializer',
      code: code`
        ${DEV}
        export class Poller {
          #timer = setInterval(() => void this.dev.read(8), 1000);
          constructor(private readonly dev: Device) {}
          async close(): Promise<void> {
            this.#timer.unref();
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalNotCleared',
          line: 3,
          column: 12,
          data: { timer: 'this.#timer', class: 'Poller' },
          suggestions: [
            {
              messageId: 'clearInClose',
              data: { timer: 'this.#timer', method: 'close' },
              output: code`
                ${DEV}
                export class Poller {
                  #timer = setInterval(() => void this.dev.read(8), 1000);
                  constructor(private readonly dev: Device) {}
                  async close(): Promise<void> {
                    clearInterval(this.#timer);
                    this.#timer.unref();
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
      name: 'an interval using the instance that is never stored',
      code: code`
        ${DEV}
        export class Poller {
          constructor(private readonly dev: Device) {
            setInterval(() => void this.dev.read(8), 1000).unref();
          }
          async close(): Promise<void> {
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [{ messageId: 'intervalNotStored', line: 4, column: 5, data: { class: 'Poller' }, suggestions: [] }],
    },
    {
      name: 'setInterval imported from node:timers under another name',
      code: code`
        import { setInterval as every } from 'node:timers';
        ${DEV}
        export class Poller {
          private readonly timer: NodeJS.Timeout;
          constructor(private readonly dev: Device) {
            this.timer = every(() => void this.dev.read(8), 1000);
          }
          async close(): Promise<void> {
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalNotCleared',
          line: 6,
          column: 18,
          data: { timer: 'this.timer', class: 'Poller' },
          suggestions: [
            {
              messageId: 'clearInClose',
              data: { timer: 'this.timer', method: 'close' },
              output: code`
                import { setInterval as every } from 'node:timers';
                ${DEV}
                export class Poller {
                  private readonly timer: NodeJS.Timeout;
                  constructor(private readonly dev: Device) {
                    this.timer = every(() => void this.dev.read(8), 1000);
                  }
                  async close(): Promise<void> {
                    clearInterval(this.timer);
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
      name: 'a local look-alike clearInterval does not clear',
      code: code`
        ${DEV}
        const clearInterval = (timer: unknown): void => { void timer; };
        export class Poller {
          private readonly timer = setInterval(() => void this.dev.read(8), 1000);
          constructor(private readonly dev: Device) {}
          async close(): Promise<void> {
            clearInterval(this.timer);
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalNotCleared',
          line: 4,
          column: 28,
          data: { timer: 'this.timer', class: 'Poller' },
          suggestions: [],
        },
      ],
    },
    {
      name: 'a class with a close method whose interval uses a module-level owner',
      code: code`
        ${FH}
        declare const log: FileHandle;
        export class Flusher {
          private timer: NodeJS.Timeout | undefined;
          start(): void {
            this.timer = setInterval(() => void log.sync(), 1000);
          }
          close(): void {}
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalNotCleared',
          line: 6,
          column: 18,
          data: { timer: 'this.timer', class: 'Flusher' },
          suggestions: [
            {
              messageId: 'clearInClose',
              data: { timer: 'this.timer', method: 'close' },
              output: code`
                ${FH}
                declare const log: FileHandle;
                export class Flusher {
                  private timer: NodeJS.Timeout | undefined;
                  start(): void {
                    this.timer = setInterval(() => void log.sync(), 1000);
                  }
                  close(): void {
                    clearInterval(this.timer);
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    // ----- intervals through a local, in collections -----------------------------------------
    {
      name: 'an interval stored through a local and never cleared',
      code: code`
        ${DEV}
        export class Poller {
          #timer: NodeJS.Timeout | undefined;
          constructor(private readonly dev: Device) {
            const timer = setInterval(() => void this.dev.read(8), 1000);
            this.#timer = timer;
          }
          async close(): Promise<void> {
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalNotCleared',
          line: 5,
          column: 19,
          data: { timer: 'this.#timer', class: 'Poller' },
          suggestions: [
            {
              messageId: 'clearInClose',
              data: { timer: 'this.#timer', method: 'close' },
              output: code`
                ${DEV}
                export class Poller {
                  #timer: NodeJS.Timeout | undefined;
                  constructor(private readonly dev: Device) {
                    const timer = setInterval(() => void this.dev.read(8), 1000);
                    this.#timer = timer;
                  }
                  async close(): Promise<void> {
                    clearInterval(this.#timer);
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
      name: 'intervals pushed to an array that close() only empties',
      code: code`
        ${DEV}
        export class Poller {
          readonly #timers: NodeJS.Timeout[] = [];
          constructor(private readonly dev: Device) {}
          watch(ms: number): void {
            const timer = setInterval(() => void this.dev.read(8), ms);
            this.#timers.push(timer);
          }
          async close(): Promise<void> {
            this.#timers.length = 0;
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalsNotCleared',
          line: 6,
          column: 19,
          data: { timers: 'this.#timers', class: 'Poller' },
          suggestions: [
            {
              messageId: 'clearAllInClose',
              data: { timers: 'this.#timers', method: 'close' },
              output: code`
                ${DEV}
                export class Poller {
                  readonly #timers: NodeJS.Timeout[] = [];
                  constructor(private readonly dev: Device) {}
                  watch(ms: number): void {
                    const timer = setInterval(() => void this.dev.read(8), ms);
                    this.#timers.push(timer);
                  }
                  async close(): Promise<void> {
                    for (const timer of this.#timers) clearInterval(timer);
                    this.#timers.length = 0;
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
      name: 'an interval added to a set directly, close() only unrefs them',
      code: code`
        ${DEV}
        export class Poller {
          readonly #timers = new Set<NodeJS.Timeout>();
          constructor(private readonly dev: Device) {
            this.#timers.add(setInterval(() => void this.dev.read(8), 1000));
          }
          async close(): Promise<void> {
            for (const timer of this.#timers) timer.unref();
            this.#timers.clear();
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalsNotCleared',
          line: 5,
          column: 22,
          data: { timers: 'this.#timers', class: 'Poller' },
          suggestions: [
            {
              messageId: 'clearAllInClose',
              data: { timers: 'this.#timers', method: 'close' },
              output: code`
                ${DEV}
                export class Poller {
                  readonly #timers = new Set<NodeJS.Timeout>();
                  constructor(private readonly dev: Device) {
                    this.#timers.add(setInterval(() => void this.dev.read(8), 1000));
                  }
                  async close(): Promise<void> {
                    for (const timer of this.#timers) clearInterval(timer);
                    for (const timer of this.#timers) timer.unref();
                    this.#timers.clear();
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
      name: 'an interval kept in a map that close() never clears: no suggestion',
      code: code`
        ${DEV}
        export class Poller {
          readonly #timers = new Map<string, NodeJS.Timeout>();
          constructor(private readonly dev: Device) {}
          watch(name: string): void {
            this.#timers.set(name, setInterval(() => void this.dev.read(8), 1000));
          }
          async close(): Promise<void> {
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalsNotCleared',
          line: 6,
          column: 28,
          data: { timers: 'this.#timers', class: 'Poller' },
          suggestions: [],
        },
      ],
    },
    // ----- abort listeners: the signal of a removal --------------------------------------------
    {
      name: 'removed on close from one signal of the options, added on two',
      code: code`
        ${DEV}
        interface Options { signal: AbortSignal; parent: AbortSignal }
        export class Session {
          readonly #onAbort = (): void => this.dev.cancel();
          constructor(private readonly dev: Device, private readonly options: Options) {
            options.signal.addEventListener('abort', this.#onAbort);
            options.parent.addEventListener('abort', this.#onAbort);
          }
          async close(): Promise<void> {
            this.options.signal.removeEventListener('abort', this.#onAbort);
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'abortListener',
          line: 7,
          column: 5,
          data: listener('options.parent', '`Session`'),
          suggestions: [
            {
              messageId: 'addOnce',
              output: code`
                ${DEV}
                interface Options { signal: AbortSignal; parent: AbortSignal }
                export class Session {
                  readonly #onAbort = (): void => this.dev.cancel();
                  constructor(private readonly dev: Device, private readonly options: Options) {
                    options.signal.addEventListener('abort', this.#onAbort);
                    options.parent.addEventListener('abort', this.#onAbort, { once: true });
                  }
                  async close(): Promise<void> {
                    this.options.signal.removeEventListener('abort', this.#onAbort);
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
      name: "listeners added in a loop over a parameter's signals",
      code: code`
        ${DEV}
        export class Session {
          constructor(private readonly dev: Device, signals: readonly AbortSignal[]) {
            for (const signal of signals) signal.addEventListener('abort', () => this.dev.cancel());
          }
          async close(): Promise<void> {
            await this.dev.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'abortListener',
          line: 4,
          column: 35,
          data: listener('signal', '`Session`'),
          suggestions: [
            {
              messageId: 'addOnce',
              output: code`
                ${DEV}
                export class Session {
                  constructor(private readonly dev: Device, signals: readonly AbortSignal[]) {
                    for (const signal of signals) signal.addEventListener('abort', () => this.dev.cancel(), { once: true });
                  }
                  async close(): Promise<void> {
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
      name: 'a loop over a member of a parameter in a function',
      code: code`
        ${FH}
        export function closeOnAny(fh: FileHandle, options: { signals: AbortSignal[] }): void {
          for (const signal of options.signals) {
            signal.addEventListener('abort', () => void fh.close());
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'abortListener',
          line: 4,
          column: 5,
          data: listener('signal', 'the owner it uses'),
          suggestions: [
            {
              messageId: 'addOnce',
              output: code`
                ${FH}
                export function closeOnAny(fh: FileHandle, options: { signals: AbortSignal[] }): void {
                  for (const signal of options.signals) {
                    signal.addEventListener('abort', () => void fh.close(), { once: true });
                  }
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});

// -------------------------------------------------------------------------------------------
// Known native packages (docs/packages.md, docs/packages.md): a class holding one of their owners is an
// owner class with no settings, and serialport's binding ports own a raw `fd`.

createRuleTester().run('require-unregister: zeromq', rule, {
  valid: [
    {
      name: 'zeromq: the heartbeat interval is cleared before the socket closes',
      code: code`
        import { Push } from 'zeromq';
        export class Heartbeat {
          private readonly sock = new Push();
          private readonly timer = setInterval(() => void this.sock.send('ping'), 1000);
          close(): void {
            clearInterval(this.timer);
            this.sock.close();
          }
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'zeromq: a heartbeat interval that close() never clears',
      code: code`
        import { Push } from 'zeromq';
        export class Heartbeat {
          private readonly sock = new Push();
          private readonly timer = setInterval(() => void this.sock.send('ping'), 1000);
          close(): void {
            this.sock.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalNotCleared',
          line: 4,
          column: 28,
          suggestions: [
            {
              messageId: 'clearInClose',
              output: code`
                import { Push } from 'zeromq';
                export class Heartbeat {
                  private readonly sock = new Push();
                  private readonly timer = setInterval(() => void this.sock.send('ping'), 1000);
                  close(): void {
                    clearInterval(this.timer);
                    this.sock.close();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('require-unregister: better-sqlite3', rule, {
  valid: [
    {
      name: 'better-sqlite3: the checkpoint interval is cleared in close()',
      code: code`
        import Database from 'better-sqlite3';
        export class Checkpointer {
          private readonly db = new Database('app.db');
          private timer: NodeJS.Timeout | undefined;
          start(): void {
            this.timer = setInterval(() => this.db.pragma('wal_checkpoint(TRUNCATE)'), 60_000);
          }
          close(): void {
            clearInterval(this.timer);
            this.db.close();
          }
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'better-sqlite3: a checkpoint interval that close() never clears',
      code: code`
        import Database from 'better-sqlite3';
        export class Checkpointer {
          private readonly db = new Database('app.db');
          private timer: NodeJS.Timeout | undefined;
          start(): void {
            this.timer = setInterval(() => this.db.pragma('wal_checkpoint(TRUNCATE)'), 60_000);
          }
          close(): void {
            this.db.close();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'intervalNotCleared',
          line: 6,
          column: 18,
          suggestions: [
            {
              messageId: 'clearInClose',
              output: code`
                import Database from 'better-sqlite3';
                export class Checkpointer {
                  private readonly db = new Database('app.db');
                  private timer: NodeJS.Timeout | undefined;
                  start(): void {
                    this.timer = setInterval(() => this.db.pragma('wal_checkpoint(TRUNCATE)'), 60_000);
                  }
                  close(): void {
                    clearInterval(this.timer);
                    this.db.close();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('require-unregister: node-pty', rule, {
  valid: [
    {
      name: "node-pty: a once 'abort' listener that kills the pty",
      code: code`
        import * as pty from 'node-pty';
        export class Session {
          private readonly term: pty.IPty;
          constructor(signal: AbortSignal) {
            this.term = pty.spawn('bash', [], {});
            signal.addEventListener('abort', () => this.term.kill(), { once: true });
          }
          close(): void {
            this.term.kill();
          }
        }
      `,
    },
  ],
  invalid: [
    {
      name: "node-pty: an 'abort' listener on an outside signal that is never removed",
      code: code`
        import * as pty from 'node-pty';
        export class Session {
          private readonly term: pty.IPty;
          constructor(signal: AbortSignal) {
            this.term = pty.spawn('bash', [], {});
            signal.addEventListener('abort', () => this.term.kill());
          }
          close(): void {
            this.term.kill();
          }
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'abortListener',
          line: 6,
          column: 5,
          suggestions: [
            {
              messageId: 'addOnce',
              output: code`
                import * as pty from 'node-pty';
                export class Session {
                  private readonly term: pty.IPty;
                  constructor(signal: AbortSignal) {
                    this.term = pty.spawn('bash', [], {});
                    signal.addEventListener('abort', () => this.term.kill(), { once: true });
                  }
                  close(): void {
                    this.term.kill();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});

createRuleTester().run('require-unregister: serialport', rule, {
  valid: [
    {
      name: "serialport: a finalizer for a binding port's fd, unregistered by the close path",
      code: code`
        import { autoDetect, type LinuxPortBinding } from '@serialport/bindings-cpp';
        import * as fs from 'node:fs';
        const registry = new FinalizationRegistry<number>(fd => fs.closeSync(fd));
        export class Port {
          private constructor(private readonly binding: LinuxPortBinding) {
            if (binding.fd !== null) registry.register(this, binding.fd, this);
          }
          static async open(path: string): Promise<Port> {
            return new Port((await autoDetect().open({ path, baudRate: 9600 })) as LinuxPortBinding);
          }
          async close(): Promise<void> {
            registry.unregister(this);
            await this.binding.close();
          }
        }
      `,
    },
  ],
  invalid: [
    {
      name: "serialport: a finalizer for a binding port's fd registered with no unregister token",
      code: code`
        import { autoDetect, type LinuxPortBinding } from '@serialport/bindings-cpp';
        import * as fs from 'node:fs';
        const registry = new FinalizationRegistry<number>(fd => fs.closeSync(fd));
        export async function track(path: string): Promise<void> {
          const port = (await autoDetect().open({ path, baudRate: 9600 })) as LinuxPortBinding;
          if (port.fd !== null) registry.register(port, port.fd);
        }
      `,
      output: null,
      errors: [{ messageId: 'registerWithoutToken', line: 6, column: 25, suggestions: null }],
    },
  ],
});
