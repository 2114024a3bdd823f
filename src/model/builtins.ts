import type { NodeSpecifier } from './node.js';
import type { Role } from './settings.js';

/** A pending operation of a built-in owner (docs/resource-model.md#owners-and-roles, "pending operation"). */
export interface PendingOpSpec {
  /** Pending only when called with a completion callback (`dgram.Socket#send(msg, cb)`). */
  readonly callbackOnly?: boolean;
  /** Accepts `{ signal }`, so aborting that signal's controller cancels it. */
  readonly acceptsSignal?: boolean;
}

export interface BuiltinOwnerSpec {
  /** How messages name the type, e.g. `FileHandle` or `net.Socket`. */
  readonly name: string;
  /** Its declaration in Node's types (matched by src/model/node.ts, in every `@types/node` major). */
  readonly type: NodeSpecifier;
  readonly roles: Partial<Record<Role, readonly string[]>>;
  readonly pendingOps?: Readonly<Record<string, PendingOpSpec>>;
  /** Said in messages when the owner has no way to cancel a pending operation. */
  readonly noCancelAdvice?: string;
}

const fromNode = (module: string, name: string | string[]): NodeSpecifier => ({ module, name });

const STREAM_ROLES = {
  close: ['close', 'destroy', '[Symbol.asyncDispose]'],
  cancel: ['destroy'],
  guard: ['destroyed', 'closed'],
} as const;
const SOCKET_ROLES = {
  close: ['destroy', 'resetAndDestroy', '[Symbol.asyncDispose]'],
  cancel: ['destroy', 'resetAndDestroy'],
  guard: ['destroyed'],
} as const;
const HTTP_SERVER_ROLES = { close: ['close', '[Symbol.asyncDispose]'], cancel: ['closeAllConnections'] } as const;

/**
 * Built-in knowledge of Node core (docs/resource-model.md#owners-and-roles, role table), matched by declaration in
 * `@types/node`. More specific types come first: the first entry that matches a type or one of
 * its base types wins.
 */
export const BUILTIN_OWNERS: readonly BuiltinOwnerSpec[] = [
  {
    name: 'FileHandle',
    type: fromNode('fs/promises', 'FileHandle'),
    roles: { rawHandle: ['fd'], close: ['close', '[Symbol.asyncDispose]'] },
    pendingOps: { read: {}, readv: {}, readFile: { acceptsSignal: true } },
    noCancelAdvice:
      'a FileHandle read cannot be cancelled (a read already running in the thread pool finishes first); for a pipe or device open the fd non-blocking and wrap it in net.Socket (a tty fd in tty.ReadStream), whose destroy() cancels at once',
  },
  { name: 'fs.ReadStream', type: fromNode('fs', 'ReadStream'), roles: STREAM_ROLES },
  { name: 'fs.WriteStream', type: fromNode('fs', 'WriteStream'), roles: STREAM_ROLES },
  {
    name: 'fs.Dir',
    type: fromNode('fs', 'Dir'),
    roles: { close: ['close', 'closeSync', '[Symbol.asyncDispose]', '[Symbol.dispose]'] },
    pendingOps: { read: {} },
    noCancelAdvice: 'fs.Dir has no way to cancel a pending read()',
  },
  { name: 'fs.FSWatcher', type: fromNode('fs', 'FSWatcher'), roles: { close: ['close'] } },
  { name: 'tls.TLSSocket', type: fromNode('tls', 'TLSSocket'), roles: SOCKET_ROLES },
  { name: 'net.Socket', type: fromNode('net', 'Socket'), roles: SOCKET_ROLES },
  { name: 'https.Server', type: fromNode('https', 'Server'), roles: HTTP_SERVER_ROLES },
  { name: 'http.Server', type: fromNode('http', 'Server'), roles: HTTP_SERVER_ROLES },
  { name: 'tls.Server', type: fromNode('tls', 'Server'), roles: { close: ['close', '[Symbol.asyncDispose]'] } },
  { name: 'net.Server', type: fromNode('net', 'Server'), roles: { close: ['close', '[Symbol.asyncDispose]'] } },
  {
    name: 'http2.Http2Session',
    type: fromNode('http2', ['Http2Session', 'ClientHttp2Session', 'ServerHttp2Session']),
    roles: { close: ['close', 'destroy'], cancel: ['destroy'], guard: ['closed', 'destroyed'] },
  },
  {
    name: 'http2.Http2Server',
    type: fromNode('http2', ['Http2Server', 'Http2SecureServer']),
    roles: { close: ['close'] },
  },
  {
    name: 'dgram.Socket',
    type: fromNode('dgram', 'Socket'),
    roles: { close: ['close', '[Symbol.asyncDispose]'] },
    pendingOps: { send: { callbackOnly: true } },
    noCancelAdvice: 'a dgram send cannot be cancelled; close inside its callback instead',
  },
  { name: 'worker_threads.Worker', type: fromNode('worker_threads', 'Worker'), roles: { close: ['terminate'] } },
  { name: 'worker_threads.MessagePort', type: fromNode('worker_threads', 'MessagePort'), roles: { close: ['close'] } },
  {
    name: 'child_process.ChildProcess',
    type: fromNode('child_process', 'ChildProcess'),
    roles: { close: ['kill', '[Symbol.dispose]'], guard: ['killed'] },
  },
];

/** A function or class of Node core that takes ownership of a raw handle passed to it (docs/resource-model.md#where-owner-types-come-from). */
export interface BuiltinAdopterSpec {
  /** Its declaration in Node's types (every declaration must be that module's). */
  readonly value: NodeSpecifier;
  /** Adopts when constructed with `new` (a class), rather than when called (a function). */
  readonly construct: boolean;
}

/** Built-in adopters: `fs.createReadStream`/`createWriteStream` given an `fd`, and `new net.Socket({ fd })`. */
export const BUILTIN_ADOPTERS: readonly BuiltinAdopterSpec[] = [
  { value: fromNode('fs', ['createReadStream', 'createWriteStream']), construct: false },
  { value: fromNode('net', 'Socket'), construct: true },
];

/** Node's functions that close a raw fd: `fs.close`, `fs.closeSync`. */
export const BUILTIN_RAW_CLOSERS: readonly NodeSpecifier[] = [fromNode('fs', ['close', 'closeSync'])];

/** The type of Node's `process` object (`NodeJS.Process`, declared in a `global {}` block of module `process`). */
export const NODE_PROCESS = fromNode('process', 'Process');
export const NODE_WRITABLE = fromNode('stream', 'Writable');
export const NODE_DUPLEX = fromNode('stream', 'Duplex');
/** `worker_threads`' `BroadcastChannel` (the global one extends it in `@types/node` 26). */
export const NODE_BROADCAST_CHANNEL = fromNode('worker_threads', 'BroadcastChannel');

/** Functions of Node core that wait for an emitter or stream to finish: passing a closed owner to them is not a use. */
export const COMPLETION_WAITERS: readonly NodeSpecifier[] = [
  fromNode('events', ['once', 'on']),
  fromNode('stream', 'finished'),
  fromNode('stream/promises', 'finished'),
];

/** Close-role member names every tagged or configured owner gets unless it names its own. */
export const CONVENTIONAL_CLOSE = ['close', 'destroy', 'dispose', '[Symbol.dispose]', '[Symbol.asyncDispose]'] as const;

/** Conventional guard flags (docs/resource-model.md#ownership), any `#`/`_` prefix allowed. */
const GUARD_FLAG = /^[#_]*(?:closed|disposed|destroyed|isClosed|isDisposed|isDestroyed)$/;
/** Conventional throwing guard methods (docs/resource-model.md#ownership). */
const GUARD_METHOD = /^[#_]*(?:throwIf|assert|ensure)/;

export function isConventionalGuardFlag(name: string): boolean {
  return GUARD_FLAG.test(name);
}

export function isConventionalGuardMethodName(name: string): boolean {
  return GUARD_METHOD.test(name);
}
