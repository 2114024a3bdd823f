import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROLE_FIELDS, type Owner, type Role } from '../../src/model/index.js';
import { compile, type TestProgram } from './program.js';

// ------------------------------------------------------------------------------------------
// Helpers

function ownerOf(t: TestProgram, variable: string): Owner | undefined {
  return t.model.ownerOfType(t.typeOf(variable));
}

function ownerNamed(t: TestProgram, variable: string): Owner {
  const owner = ownerOf(t, variable);
  if (!owner) throw new Error(`${variable} is not an owner`);
  return owner;
}

/** The roles of an owner as sorted arrays, leaving out empty roles. */
function rolesOf(owner: Owner): Partial<Record<Role, string[]>> {
  const result: Partial<Record<Role, string[]>> = {};
  for (const role of ROLE_FIELDS) {
    const names = [...owner.roles[role]].sort();
    if (names.length > 0) result[role] = names;
  }
  return result;
}

/** The roles of an owner restricted to the members its type declares. */
function declaredRolesOf(t: TestProgram, owner: Owner): Partial<Record<Role, string[]>> {
  const result: Partial<Record<Role, string[]>> = {};
  for (const role of ROLE_FIELDS) {
    const names = t.model.membersWithRole(owner, role).sort();
    if (names.length > 0) result[role] = names;
  }
  return result;
}

function pendingOpsOf(owner: Owner): string[] | Owner['pendingOps'] {
  return typeof owner.pendingOps === 'string' ? owner.pendingOps : [...owner.pendingOps.keys()].sort();
}

/** The first node of the test file that satisfies the predicate. */
function nodeWhere<T extends ts.Node>(t: TestProgram, predicate: (node: ts.Node) => node is T): T {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (predicate(node)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(t.sourceFile);
  if (!found) throw new Error('no such node in test code');
  return found;
}

/** The first `new <calleeText>(…)` of the test file. */
function newNamed(t: TestProgram, calleeText: string): ts.NewExpression {
  return nodeWhere(t, (node): node is ts.NewExpression => ts.isNewExpression(node) && node.expression.getText() === calleeText);
}

/** Whether the call `calleeText(…)` (`receiver.method(…)`) starts a pending operation on its receiver. */
function isPending(t: TestProgram, calleeText: string, nth = 0): boolean {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText() === calleeText) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(t.sourceFile);
  const call = calls[nth];
  if (!call || !ts.isPropertyAccessExpression(call.expression)) throw new Error(`no call ${calleeText} #${nth}`);
  const checker = t.program.getTypeChecker();
  const owner = t.model.ownerOfType(checker.getTypeAtLocation(call.expression.expression));
  if (!owner) throw new Error(`the receiver of ${calleeText} is not an owner`);
  return t.model.isPendingOperation(owner, call.expression.name.text, call);
}

function ownerClass(t: TestProgram, className: string) {
  const info = t.model.ownerClassOf(t.classNamed(className));
  if (!info) return undefined;
  return {
    closeMethods: [...info.closeMethods].sort(),
    guardFlags: [...info.guardFlags].sort(),
    guardMethods: [...info.guardMethods].sort(),
    resourceFields: Object.fromEntries([...info.resourceFields].map(([field, owner]) => [field, owner.name])),
  };
}

const STUB = 'native-addon-stub';

// ------------------------------------------------------------------------------------------
// 1. Built-in owners of Node core

describe('built-in owners', () => {
  const t = compile(`
    import { open, opendir, type FileHandle } from 'node:fs/promises';
    import * as fsp from 'fs/promises';
    import * as fs from 'fs';
    import nodeFs from 'node:fs';
    import { ReadStream, WriteStream, Dir, FSWatcher, watch, createWriteStream } from 'node:fs';
    import * as net from 'node:net';
    import netDefault from 'net';
    import { Socket as NetSocket, Server as NetServer, createServer as createNetServer } from 'net';
    import * as tls from 'node:tls';
    import { TLSSocket } from 'tls';
    import * as http from 'node:http';
    import https from 'https';
    import { Server as HttpsServer } from 'node:https';
    import * as http2 from 'node:http2';
    import dgram from 'node:dgram';
    import { Socket as DgramSocket, createSocket } from 'dgram';
    import { Worker, MessagePort, MessageChannel } from 'node:worker_threads';
    import * as workerThreads from 'worker_threads';
    import * as cp from 'child_process';
    import { spawn, type ChildProcess } from 'node:child_process';

    declare const fhNamed: FileHandle;
    declare const fhNamespace: fsp.FileHandle;
    declare const rsNamespace: fs.ReadStream;
    declare const rsDefault: nodeFs.ReadStream;
    declare const rsNamed: ReadStream;
    declare const wsNamed: WriteStream;
    declare const wsNamespace: fs.WriteStream;
    declare const dirNamed: Dir;
    declare const dirNamespace: fs.Dir;
    declare const watcherNamed: FSWatcher;
    declare const sockNamespace: net.Socket;
    declare const sockDefault: netDefault.Socket;
    declare const sockNamed: NetSocket;
    declare const tlsNamespace: tls.TLSSocket;
    declare const tlsNamed: TLSSocket;
    declare const netServerNamed: NetServer;
    declare const netServerNamespace: net.Server;
    declare const httpServer: http.Server;
    declare const httpsServerDefault: https.Server;
    declare const httpsServerNamed: HttpsServer;
    declare const tlsServer: tls.Server;
    declare const http2Server: http2.Http2Server;
    declare const http2SecureServer: http2.Http2SecureServer;
    declare const http2Session: http2.Http2Session;
    declare const http2ServerSession: http2.ServerHttp2Session;
    declare const udpDefault: dgram.Socket;
    declare const udpNamed: DgramSocket;
    declare const workerNamed: Worker;
    declare const workerNamespace: workerThreads.Worker;
    declare const portNamed: MessagePort;
    declare const childNamed: ChildProcess;
    declare const childNamespace: cp.ChildProcess;

    async function factories() {
      const fhOpened = await open('file');
      const fhOpenedNs = await fsp.open('file');
      const rsCreated = fs.createReadStream('file');
      const wsCreated = createWriteStream('file');
      const watcherCreated = watch('.');
      const dirSync = fs.opendirSync('.');
      const dirAsync = await opendir('.');
      const sockCreated = net.createConnection(80);
      const netServerCreated = createNetServer();
      const tlsCreated = tls.connect(443);
      const httpServerCreated = http.createServer();
      const httpsServerCreated = https.createServer();
      const http2ServerCreated = http2.createServer();
      const http2SecureCreated = http2.createSecureServer();
      const http2Client = http2.connect('https://example.com');
      const udpCreated = createSocket('udp4');
      const workerCreated = new Worker('./worker.js');
      const portCreated = new MessageChannel().port1;
      const childSpawned = spawn('ls');
      const childForked = cp.fork('./child.js');
    }
  `);

  const cases: Array<[string, string]> = [
    ['fhNamed', 'FileHandle'],
    ['fhNamespace', 'FileHandle'],
    ['fhOpened', 'FileHandle'],
    ['fhOpenedNs', 'FileHandle'],
    ['rsNamespace', 'fs.ReadStream'],
    ['rsDefault', 'fs.ReadStream'],
    ['rsNamed', 'fs.ReadStream'],
    ['rsCreated', 'fs.ReadStream'],
    ['wsNamed', 'fs.WriteStream'],
    ['wsNamespace', 'fs.WriteStream'],
    ['wsCreated', 'fs.WriteStream'],
    ['dirNamed', 'fs.Dir'],
    ['dirNamespace', 'fs.Dir'],
    ['dirSync', 'fs.Dir'],
    ['dirAsync', 'fs.Dir'],
    ['watcherNamed', 'fs.FSWatcher'],
    ['watcherCreated', 'fs.FSWatcher'],
    ['sockNamespace', 'net.Socket'],
    ['sockDefault', 'net.Socket'],
    ['sockNamed', 'net.Socket'],
    ['sockCreated', 'net.Socket'],
    ['tlsNamespace', 'tls.TLSSocket'],
    ['tlsNamed', 'tls.TLSSocket'],
    ['tlsCreated', 'tls.TLSSocket'],
    ['netServerNamed', 'net.Server'],
    ['netServerNamespace', 'net.Server'],
    ['netServerCreated', 'net.Server'],
    ['httpServer', 'http.Server'],
    ['httpServerCreated', 'http.Server'],
    ['httpsServerDefault', 'https.Server'],
    ['httpsServerNamed', 'https.Server'],
    ['httpsServerCreated', 'https.Server'],
    ['tlsServer', 'tls.Server'],
    ['http2Server', 'http2.Http2Server'],
    ['http2ServerCreated', 'http2.Http2Server'],
    ['http2SecureServer', 'http2.Http2Server'],
    ['http2SecureCreated', 'http2.Http2Server'],
    ['http2Session', 'http2.Http2Session'],
    ['http2ServerSession', 'http2.Http2Session'],
    ['http2Client', 'http2.Http2Session'],
    ['udpDefault', 'dgram.Socket'],
    ['udpNamed', 'dgram.Socket'],
    ['udpCreated', 'dgram.Socket'],
    ['workerNamed', 'worker_threads.Worker'],
    ['workerNamespace', 'worker_threads.Worker'],
    ['workerCreated', 'worker_threads.Worker'],
    ['portNamed', 'worker_threads.MessagePort'],
    ['portCreated', 'worker_threads.MessagePort'],
    ['childNamed', 'child_process.ChildProcess'],
    ['childNamespace', 'child_process.ChildProcess'],
    ['childSpawned', 'child_process.ChildProcess'],
    ['childForked', 'child_process.ChildProcess'],
  ];

  it.each(cases)('%s is a %s', (variable, name) => {
    const owner = ownerNamed(t, variable);
    expect(owner.name).toBe(name);
    expect(owner.source).toBe('builtin');
  });

  // The role table of docs/resource-model.md#owners-and-roles, restricted to the members @types/node declares.
  const table: Array<[string, Partial<Record<Role, string[]>>, string[]]> = [
    ['fhNamed', { rawHandle: ['fd'], close: ['[Symbol.asyncDispose]', 'close'] }, ['read', 'readFile', 'readv']],
    ['rsNamed', { close: ['[Symbol.asyncDispose]', 'close', 'destroy'], cancel: ['destroy'], guard: ['closed', 'destroyed'] }, []],
    ['wsNamed', { close: ['close', 'destroy'], cancel: ['destroy'], guard: ['closed', 'destroyed'] }, []],
    // @types/node 20 declares neither [Symbol.asyncDispose] nor [Symbol.dispose] on fs.Dir.
    ['dirNamed', { close: ['close', 'closeSync'] }, ['read']],
    ['watcherNamed', { close: ['close'] }, []],
    [
      'sockNamed',
      {
        close: ['[Symbol.asyncDispose]', 'destroy', 'resetAndDestroy'],
        cancel: ['destroy', 'resetAndDestroy'],
        guard: ['destroyed'],
      },
      [],
    ],
    [
      'tlsNamed',
      {
        close: ['[Symbol.asyncDispose]', 'destroy', 'resetAndDestroy'],
        cancel: ['destroy', 'resetAndDestroy'],
        guard: ['destroyed'],
      },
      [],
    ],
    ['netServerNamed', { close: ['[Symbol.asyncDispose]', 'close'] }, []],
    ['httpServer', { close: ['[Symbol.asyncDispose]', 'close'], cancel: ['closeAllConnections'] }, []],
    ['httpsServerNamed', { close: ['[Symbol.asyncDispose]', 'close'], cancel: ['closeAllConnections'] }, []],
    ['http2Session', { close: ['close', 'destroy'], cancel: ['destroy'], guard: ['closed', 'destroyed'] }, []],
    ['http2Server', { close: ['close'] }, []],
    ['udpNamed', { close: ['[Symbol.asyncDispose]', 'close'] }, ['send']],
    ['workerNamed', { close: ['terminate'] }, []],
    ['portNamed', { close: ['close'] }, []],
    ['childNamed', { close: ['[Symbol.dispose]', 'kill'], guard: ['killed'] }, []],
  ];

  it.each(table)('%s has the roles and pending operations of the role table', (variable, roles, pending) => {
    const owner = ownerNamed(t, variable);
    expect(declaredRolesOf(t, owner)).toEqual(roles);
    expect(pendingOpsOf(owner)).toEqual(pending);
  });

  it('a role-table member is a role of the built-in even where the type does not declare it', () => {
    // fs.WriteStream has no [Symbol.asyncDispose] in @types/node 20: the role exists, the member does not.
    const ws = ownerNamed(t, 'wsNamed');
    expect(ws.roles.close.has('[Symbol.asyncDispose]')).toBe(true);
    expect(t.model.membersWithRole(ws, 'close')).not.toContain('[Symbol.asyncDispose]');
  });

  it('gives cancel advice for built-ins that cannot cancel a pending operation', () => {
    expect(ownerNamed(t, 'fhNamed').noCancelAdvice).toMatch(/cannot be cancelled/);
    expect(ownerNamed(t, 'dirNamed').noCancelAdvice).toMatch(/no way to cancel/);
    expect(ownerNamed(t, 'udpNamed').noCancelAdvice).toMatch(/callback/);
    expect(ownerNamed(t, 'sockNamed').noCancelAdvice).toBeUndefined();
  });

  it('rolesOf and hasRole answer per member', () => {
    const sock = ownerNamed(t, 'sockNamed');
    expect(t.model.rolesOf(sock, 'destroy')).toEqual(['close', 'cancel']);
    expect(t.model.rolesOf(sock, 'end')).toEqual([]);
    expect(t.model.rolesOf(sock, undefined)).toEqual([]);
    expect(t.model.hasRole(sock, 'guard', 'destroyed')).toBe(true);
    expect(t.model.hasRole(sock, 'close', 'end')).toBe(false);
    expect(t.model.hasRole(sock, 'close', undefined)).toBe(false);
  });

  it('closeSync() is the synchronous twin of a declared close(), and only of a declared one', () => {
    const program = compile(`
      import type { Device } from 'native-addon-stub';
      declare module 'native-addon-stub' {
        /** @nativeResource */
        interface Database {
          exec(sql: string): Promise<void>;
          close(): Promise<void>;
          closeSync(): void;
          flushSync(): void;
        }
      }
      import type { Database } from 'native-addon-stub';
      declare const db: Database;
      declare const dev: Device;
    `);
    const db = program.model.ownerOfType(program.typeOf('db'))!;
    expect(program.model.rolesOf(db, 'closeSync')).toEqual(['close']);
    expect(program.model.rolesOf(db, 'flushSync')).toEqual([]);
    const dev = program.model.ownerOfType(program.typeOf('dev'))!;
    expect(program.model.rolesOf(dev, 'closeSync')).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------
// 2. Same-named types that are not owners

describe('same-named types that are not owners', () => {
  it('local classes and interfaces named like Node types are not owners', () => {
    const t = compile(`
      class FileHandle { fd = 3; close(): void {} read(): Promise<number> { return Promise.resolve(0); } }
      interface Socket { destroy(): void; destroyed: boolean }
      class ReadStream { close(): void {} }
      declare const fh: FileHandle;
      declare const sock: Socket;
      declare const rs: ReadStream;
    `);
    expect(ownerOf(t, 'fh')).toBeUndefined();
    expect(ownerOf(t, 'sock')).toBeUndefined();
    expect(ownerOf(t, 'rs')).toBeUndefined();
  });

  // The fixture project treats every .ts file as a module (so `declare module 'x'` in the test
  // file would be an augmentation): ambient module declarations go in a .d.ts beside it.
  it('a Socket declared by another module is not net.Socket', () => {
    const t = compile(
      `
      import { Socket, FileHandle } from 'other-lib';
      import * as net from 'node:net';
      declare const sock: Socket;
      declare const fh: FileHandle;
      declare const real: net.Socket;
    `,
      {},
      {
        'other-lib.d.ts': `
          declare module 'other-lib' {
            export class Socket { destroy(): void; readonly destroyed: boolean }
            export class FileHandle { readonly fd: number; close(): Promise<void> }
          }`,
      },
    );
    const checker = t.program.getTypeChecker();
    expect(checker.typeToString(t.typeOf('sock'))).toBe('Socket'); // resolved, not an error type
    expect(ownerOf(t, 'real')?.name).toBe('net.Socket');
    expect(ownerOf(t, 'sock')).toBeUndefined();
    expect(ownerOf(t, 'fh')).toBeUndefined();
  });

  it('untagged Device-like classes and plain objects are not owners', () => {
    const t = compile(
      `
      import { Device as OtherDevice } from 'other-addon';
      class Device { handle = 0; closed = false; close(): void {} }
      declare const other: OtherDevice;
      declare const local: Device;
      declare const plain: { fd: number };
      declare const plainWithClose: { fd: number; close(): void };
      const literal = { fd: 3, close() {} };
      declare const n: number;
      declare const s: string;
    `,
      {},
      {
        'other-addon.d.ts': `
          declare module 'other-addon' {
            export class Device { readonly handle: number; close(): Promise<void>; read(): Promise<Uint8Array> }
          }`,
      },
    );
    expect(t.program.getTypeChecker().typeToString(t.typeOf('other'))).toBe('Device'); // resolved, not an error type
    for (const variable of ['other', 'local', 'plain', 'plainWithClose', 'literal', 'n', 's']) {
      expect(ownerOf(t, variable), variable).toBeUndefined();
    }
  });
});

// ------------------------------------------------------------------------------------------
// 3. Unions, intersections, type parameters, `this`, subclasses

describe('composite types', () => {
  const t = compile(`
    import type { FileHandle } from 'node:fs/promises';
    import * as net from 'node:net';
    import { Device, type Channel } from 'native-addon-stub';

    declare const orUndefined: FileHandle | undefined;
    declare const orNull: FileHandle | null;
    declare const orBoth: FileHandle | null | undefined;
    declare const optional: { fh?: FileHandle };
    const viaOptional = optional.fh;
    declare const orString: FileHandle | string;
    declare const orNumber: FileHandle | number;
    declare const twoOwners: FileHandle | net.Socket;
    declare const intersection: FileHandle & { label: string };
    declare const anyValue: any;
    declare const unknownValue: unknown;
    declare const neverValue: never;
    declare const justNull: null;
    declare const justUndefined: undefined;

    function generic<T extends FileHandle, U extends T, V>(tParam: T, uParam: U, vParam: V, orParam: T | undefined) {}
    function indexed<H extends { fh: FileHandle; n: number }>(fhOfH: H['fh'], nOfH: H['n']) {}

    class MySocket extends net.Socket {
      method() {
        const self = this;
      }
    }
    class DeeperSocket extends MySocket {}
    declare const mySocket: MySocket;
    declare const deeper: DeeperSocket;

    class MyDevice extends Device {
      extra(): Promise<void> { return Promise.resolve(); }
      method() {
        const deviceSelf = this;
      }
    }
    declare const myDevice: MyDevice;
    myDevice.extra();

    class MyChannel implements Channel {
      readonly fd = 3;
      receive(): Promise<Uint8Array> { return Promise.resolve(new Uint8Array()); }
      dispose(): void {}
    }
    declare const myChannel: MyChannel;
    interface SubChannel extends Channel { flush(): Promise<void> }
    declare const subChannel: SubChannel;
  `);

  it('FileHandle | undefined / | null is an owner', () => {
    for (const variable of ['orUndefined', 'orNull', 'orBoth', 'viaOptional']) {
      expect(ownerOf(t, variable)?.name, variable).toBe('FileHandle');
    }
  });

  it('a union mixing an owner with a non-owner is not an owner', () => {
    expect(ownerOf(t, 'orString')).toBeUndefined();
    expect(ownerOf(t, 'orNumber')).toBeUndefined();
  });

  it('a union of owners is an owner', () => {
    expect(ownerOf(t, 'twoOwners')).toBeDefined();
  });

  it('an intersection with an owner is an owner', () => {
    expect(ownerOf(t, 'intersection')?.name).toBe('FileHandle');
  });

  it('any, unknown, never, null and undefined are not owners', () => {
    for (const variable of ['anyValue', 'unknownValue', 'neverValue', 'justNull', 'justUndefined']) {
      expect(ownerOf(t, variable), variable).toBeUndefined();
    }
  });

  it('a type parameter constrained to an owner is an owner', () => {
    expect(ownerOf(t, 'tParam')?.name).toBe('FileHandle');
    expect(ownerOf(t, 'uParam')?.name).toBe('FileHandle');
    expect(ownerOf(t, 'orParam')?.name).toBe('FileHandle');
    expect(ownerOf(t, 'vParam')).toBeUndefined();
  });

  it('an indexed access type whose constraint is an owner is an owner', () => {
    expect(ownerOf(t, 'fhOfH')?.name).toBe('FileHandle');
    expect(ownerOf(t, 'nOfH')).toBeUndefined();
  });

  it('a subclass of net.Socket is a net.Socket, also through `this`', () => {
    expect(ownerOf(t, 'mySocket')?.name).toBe('net.Socket');
    expect(ownerOf(t, 'deeper')?.name).toBe('net.Socket');
    const self = ownerNamed(t, 'self');
    expect(self.name).toBe('net.Socket');
    expect(self.roles.close.has('destroy')).toBe(true);
  });

  it('a subclass of the tagged Device is a tagged owner with the inherited roles', () => {
    const owner = ownerNamed(t, 'myDevice');
    expect(owner.source).toBe('tagged');
    expect(rolesOf(owner)).toMatchObject({ rawHandle: ['handle'], addRef: ['ref'], release: ['unref'], guard: ['closed'] });
    expect(ownerOf(t, 'deviceSelf')?.source).toBe('tagged');
    expect(isPendingAt(t, 'myDevice', 'extra')).toBe(true);
  });

  it('a class implementing, and an interface extending, the tagged Channel is an owner', () => {
    const owner = ownerNamed(t, 'myChannel');
    expect(owner.source).toBe('tagged');
    expect(owner.name).toBe('MyChannel');
    expect(rolesOf(owner).rawHandle).toEqual(['fd']);
    expect(owner.roles.close.has('dispose')).toBe(true);
    const sub = ownerNamed(t, 'subChannel');
    expect(sub.source).toBe('tagged');
    expect(rolesOf(sub).rawHandle).toEqual(['fd']);
  });
});

/** Whether `variable.method(...)` would be a pending operation, asked with a synthetic call site. */
function isPendingAt(t: TestProgram, variable: string, method: string): boolean {
  const owner = ownerNamed(t, variable);
  const call = nodeWhere(
    t,
    (node): node is ts.CallExpression =>
      ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === method,
  );
  return t.model.isPendingOperation(owner, method, call);
}

// ------------------------------------------------------------------------------------------
// 4. JSDoc tags

describe('JSDoc tags', () => {
  it('the stub package describes itself: Device member tags give roles, close gets the conventional names', () => {
    const t = compile(`
      import { Device, Channel } from '${STUB}';
      declare const dev: Device;
      declare const chan: Channel;
    `);
    const dev = ownerNamed(t, 'dev');
    expect(dev.name).toBe('Device');
    expect(dev.source).toBe('tagged');
    expect(dev.pendingOps).toBe('async-methods');
    expect(rolesOf(dev)).toEqual({
      rawHandle: ['handle'],
      addRef: ['ref'],
      release: ['unref'],
      close: ['[Symbol.asyncDispose]', '[Symbol.dispose]', 'close', 'destroy', 'dispose'],
      cancel: ['cancel'],
      guard: ['closed'],
      lease: ['lease'],
    });
    expect(t.model.membersWithRole(dev, 'close')).toEqual(['close']);
    const chan = ownerNamed(t, 'chan');
    expect(chan.name).toBe('Channel');
    expect(t.model.membersWithRole(chan, 'close')).toEqual(['dispose']);
    expect(rolesOf(chan).rawHandle).toEqual(['fd']);
    expect(rolesOf(chan).guard).toBeUndefined();
  });

  it('tags declare module classes and local interfaces; an explicit role replaces the defaults', () => {
    const ptyModule = `
      declare module 'pty-addon' {
        /** @nativeResource */
        export class Pty {
          /** @rawHandle */
          readonly fd: number;
          /** @close */
          kill(): void;
          close(): void;
          readonly closed: boolean;
          resize(columns: number, rows: number): void;
          write(data: string): Promise<void>;
        }
      }`;
    const t = compile(
      `
      import { Pty } from 'pty-addon';
      declare const pty: Pty;

      /** @nativeResource */
      interface Connection {
        query(sql: string): Promise<unknown[]>;
        destroy(): void;
        readonly isClosed: boolean;
        readonly _disposed: boolean;
        throwIfClosed(): void;
        readonly closedAt: number;
      }
      declare const conn: Connection;

      /** @nativeResource */
      interface Guarded {
        /** @lifetimeGuard */
        readonly alive: boolean;
        readonly closed: boolean;
        /** @close */
        [Symbol.dispose](): void;
        close(): void;
      }
      declare const guarded: Guarded;
    `,
      {},
      { 'pty-addon.d.ts': ptyModule },
    );
    const pty = ownerNamed(t, 'pty');
    expect(pty.source).toBe('tagged');
    expect(rolesOf(pty)).toEqual({ rawHandle: ['fd'], close: ['kill'], guard: ['closed'] });

    const conn = ownerNamed(t, 'conn');
    expect(conn.name).toBe('Connection');
    expect(t.model.membersWithRole(conn, 'close')).toEqual(['destroy']);
    expect(rolesOf(conn).guard).toEqual(['_disposed', 'isClosed', 'throwIfClosed']);

    const guarded = ownerNamed(t, 'guarded');
    expect(rolesOf(guarded)).toEqual({ close: ['[Symbol.dispose]'], guard: ['alive'] });
  });

  it('a member with no tags of its own has those of the member it implements (TypeScript JSDoc inheritance)', () => {
    const t = compile(`
      import type { FileHandle } from 'node:fs/promises';
      interface Stoppable {
        /** @close */
        halt(): Promise<void>;
      }
      export class Job implements Stoppable {
        constructor(private readonly fh: FileHandle) {}
        async halt(): Promise<void> {
          await this.fh.close();
        }
      }
    `);
    expect(ownerClass(t, 'Job')).toMatchObject({ closeMethods: ['halt'], resourceFields: { fh: 'FileHandle' } });
  });

  it('raw-handle names known before any type is asked: built-in, configured and @rawHandle-tagged members', () => {
    const tagged = compile(`
      export class Port {
        /** @rawHandle */
        readonly handle: number = 3;
        // @rawHandle (a line comment is not JSDoc)
        readonly other: number = 4;
        constructor(/** @rawHandle */ readonly pin: number) {}
      }
    `);
    for (const name of ['fd', 'handle', 'pin']) expect(tagged.model.mayBeRawHandleName(name)).toBe(true);
    expect(tagged.model.mayBeRawHandleName('other')).toBe(false);
    // A tag on something without a member name: every name may be a raw handle then.
    const unnamed = compile(`
      /** @rawHandle */
      export default 3;
    `);
    expect(unnamed.model.mayBeRawHandleName('anything')).toBe(true);
    expect(compile('export {};').model.mayBeRawHandleName('anything')).toBe(false);
  });

  it('a conventional guard name counts as a flag only when it is boolean', () => {
    const t = compile(`
      /** @nativeResource */
      interface Stream {
        readonly closed: Promise<void>;
        readonly destroyed: boolean;
        close(): Promise<void>;
      }
      declare const stream: Stream;
    `);
    expect(rolesOf(ownerNamed(t, 'stream')).guard).toEqual(['destroyed']);
  });
});

// ------------------------------------------------------------------------------------------
// 5. Settings `resources`

describe('settings resources', () => {
  const queueType = { from: 'package', package: STUB, name: 'Queue' };

  it('makes the untagged stub Queue an owner with the configured roles (string or array)', () => {
    const t = compile(
      `
      import { Queue } from '${STUB}';
      declare const q: Queue;
      async function use() {
        await q.pop();
        q.cancel();
        q.shutdown();
        q.getHandle();
      }
    `,
      {
        resources: [
          {
            type: queueType,
            rawHandle: 'getHandle',
            addRef: ['ref'],
            release: 'unref',
            close: ['shutdown'],
            cancel: 'cancel',
            guard: ['isShutdown'],
          },
        ],
      },
    );
    const q = ownerNamed(t, 'q');
    expect(q.name).toBe('Queue');
    expect(q.source).toBe('configured');
    expect(rolesOf(q)).toEqual({
      rawHandle: ['getHandle'],
      addRef: ['ref'],
      release: ['unref'],
      close: ['shutdown'],
      cancel: ['cancel'],
      guard: ['isShutdown'],
    });
    expect(isPending(t, 'q.pop')).toBe(true);
    expect(isPending(t, 'q.cancel')).toBe(false);
    expect(isPending(t, 'q.shutdown')).toBe(false);
    expect(isPending(t, 'q.getHandle')).toBe(false);
  });

  it('gives a configured type with no roles the conventional close names', () => {
    const t = compile(`import { Queue } from '${STUB}'; declare const q: Queue;`, { resources: [{ type: queueType }] });
    const q = ownerNamed(t, 'q');
    expect(rolesOf(q)).toEqual({ close: ['[Symbol.asyncDispose]', '[Symbol.dispose]', 'close', 'destroy', 'dispose'] });
    expect(t.model.membersWithRole(q, 'close')).toEqual([]);
  });

  it('without settings Queue is not an owner, and a local Queue does not match the package specifier', () => {
    const t = compile(`
      import { Queue } from '${STUB}';
      declare const q: Queue;
    `);
    expect(ownerOf(t, 'q')).toBeUndefined();
    const local = compile(`class Queue { pop(): Promise<string> { return Promise.resolve(''); } shutdown() {} } declare const q: Queue;`, {
      resources: [{ type: queueType }],
    });
    expect(ownerOf(local, 'q')).toBeUndefined();
  });

  it('configures a local type by { from: file }', () => {
    const t = compile(
      `
      class Pool {
        private closedFlag = false;
        readonly closed: boolean = false;
        acquire(): Promise<number> { return Promise.resolve(1); }
        end(): Promise<void> { return Promise.resolve(); }
      }
      class SubPool extends Pool {}
      declare const pool: Pool;
      declare const sub: SubPool;
    `,
      { resources: [{ type: { from: 'file', name: ['Pool', 'Unused'] }, close: 'end' }] },
    );
    const pool = ownerNamed(t, 'pool');
    expect(pool.source).toBe('configured');
    expect(rolesOf(pool)).toEqual({ close: ['end'], guard: ['closed'] });
    expect(ownerOf(t, 'sub')?.source).toBe('configured');
    const other = compile(`class Pool { end() {} } declare const pool: Pool;`, {
      resources: [{ type: { from: 'file', name: 'Pool', path: 'tests/fixtures/elsewhere.ts' }, close: 'end' }],
    });
    expect(ownerOf(other, 'pool')).toBeUndefined();
  });

  it('extends a built-in owner with configured roles', () => {
    const t = compile(`import * as net from 'node:net'; declare const sock: net.Socket;`, {
      resources: [{ type: { from: 'package', package: 'net', name: 'Socket' }, guard: 'pending' }],
    });
    const sock = ownerNamed(t, 'sock');
    expect(sock.source).toBe('builtin');
    expect(rolesOf(sock).guard).toEqual(['destroyed', 'pending']);
    expect(rolesOf(sock).close).toContain('destroy');
  });
});

// ------------------------------------------------------------------------------------------
// 6. Inferred owner classes (docs/resource-model.md#ownership)

describe('inferred owner classes', () => {
  const t = compile(`
    import type { FileHandle } from 'node:fs/promises';
    import * as net from 'node:net';
    import { Device } from '${STUB}';
    declare const ready: boolean;

    class Connection {
      private fh: FileHandle;
      #socket?: net.Socket;
      closed = false;
      #disposed = false;
      private _isClosed = false;
      closedReason: string = '';
      get isDestroyed(): boolean { return this.#disposed; }
      constructor(fh: FileHandle, readonly server: net.Server, private count: number) {
        this.fh = fh;
      }
      throwIfClosed(): void { if (this.closed) throw new Error('closed'); }
      ensureOpen(): void { if (this.#disposed) throw new Error('disposed'); }
      assertOpen(): void { if (!ready) throw new Error('not ready'); }
      /** @lifetimeGuard */
      check(): void {}
      async read(): Promise<void> { await this.fh.read(); }
      async close(): Promise<void> { this.closed = true; await this.fh.close(); }
    }
    declare const connection: Connection;

    class NoClose { fh!: FileHandle; }
    class NoField { closed = false; close(): void {} }
    class AsyncDisposer { #device: Device; constructor(device: Device) { this.#device = device; } async [Symbol.asyncDispose]() {} }
    class TaggedClose {
      sock: net.Socket | undefined;
      /** @close */
      shutdown(): void {}
    }
    class RawFromConstructor { fd: number; constructor(fh: FileHandle) { this.fd = fh.fd; } dispose(): void {} }
    class RawFromInitializer { constructor(private readonly fh: FileHandle) {} readonly fd = this.fh.fd; close(): void {} }
    class PlainNumber { fd = 3; close(): void {} }
    class Outer { inner: Connection; constructor(inner: Connection) { this.inner = inner; } close(): void {} }
    class SubConnection extends Connection { extra = 1; }
    declare const subConnection: SubConnection;
  `);

  it('finds close methods, guard flags, guard methods and resource fields', () => {
    expect(ownerClass(t, 'Connection')).toEqual({
      closeMethods: ['close'],
      guardFlags: ['#disposed', '_isClosed', 'closed', 'isDestroyed'],
      guardMethods: ['check', 'ensureOpen', 'throwIfClosed'],
      resourceFields: { fh: 'FileHandle', '#socket': 'net.Socket', server: 'net.Server' },
    });
  });

  it('is an owner type with source inferred and no pending operations', () => {
    const owner = ownerNamed(t, 'connection');
    expect(owner.source).toBe('inferred');
    expect(owner.name).toBe('Connection');
    expect(owner.pendingOps).toBe('none');
    expect(owner.ownerClass?.declaration).toBe(t.classNamed('Connection'));
    expect(rolesOf(owner)).toEqual({
      close: ['close'],
      guard: ['#disposed', '_isClosed', 'check', 'closed', 'ensureOpen', 'isDestroyed', 'throwIfClosed'],
    });
    expect(isPendingAt(t, 'connection', 'read')).toBe(false);
  });

  it('needs both a close method and an owner field', () => {
    expect(ownerClass(t, 'NoClose')).toBeUndefined();
    expect(ownerClass(t, 'NoField')).toBeUndefined();
    expect(ownerClass(t, 'PlainNumber')).toBeUndefined();
  });

  it('accepts [Symbol.asyncDispose], tagged @close methods, #private fields and optional owners', () => {
    expect(ownerClass(t, 'AsyncDisposer')).toMatchObject({
      closeMethods: ['[Symbol.asyncDispose]'],
      resourceFields: { '#device': 'Device' },
    });
    expect(ownerClass(t, 'TaggedClose')).toMatchObject({ closeMethods: ['shutdown'], resourceFields: { sock: 'net.Socket' } });
  });

  it('accepts a raw handle taken from an owner as the owned field', () => {
    expect(ownerClass(t, 'RawFromConstructor')).toMatchObject({ closeMethods: ['dispose'], resourceFields: {} });
    expect(ownerClass(t, 'RawFromInitializer')).toMatchObject({ closeMethods: ['close'], resourceFields: { fh: 'FileHandle' } });
  });

  it('a field whose type is an inferred owner class is a resource field', () => {
    expect(ownerClass(t, 'Outer')).toMatchObject({ resourceFields: { inner: 'Connection' } });
  });

  it('a subclass of an inferred owner class is an owner', () => {
    const owner = ownerNamed(t, 'subConnection');
    expect(owner.source).toBe('inferred');
    expect(owner.roles.close.has('close')).toBe(true);
    expect(owner.roles.guard.has('closed')).toBe(true);
  });
});

describe('inherited members of owner classes', () => {
  const t = compile(`
    import type { FileHandle } from 'node:fs/promises';
    import * as net from 'node:net';
    class Closable {
      protected closed = false;
      close(): void { this.closed = true; }
    }
    class FileUser extends Closable {
      fh!: FileHandle;
      throwIfClosed(): void { if (this.closed) throw new Error('closed'); }
    }
    class MySocket extends net.Socket {
      fh!: FileHandle;
    }
  `);

  it('a class inherits close methods and guard flags from the source class it extends', () => {
    expect(ownerClass(t, 'Closable')).toBeUndefined();
    expect(ownerClass(t, 'FileUser')).toEqual({
      closeMethods: ['close'],
      guardFlags: ['closed'],
      guardMethods: ['throwIfClosed'],
      resourceFields: { fh: 'FileHandle' },
    });
  });

  it('does not take the members of a Node class it extends as its own (it is a built-in owner)', () => {
    expect(ownerClass(t, 'MySocket')).toBeUndefined();
  });
});

describe('recursive owner classes', () => {
  // Fields whose types refer back to the class being decided. The answers must not depend on
  // which question is asked first.
  const code = `
    import type { FileHandle } from 'node:fs/promises';
    class Linked { next?: Linked; fh!: FileHandle; close(): void {} }
    declare const linked: Linked;
    declare const maybeLinked: Linked | undefined;

    class Parent { child!: Child; close(): void {} }
    class Child { parent?: Parent; fh!: FileHandle; close(): void {} }
    declare const parent: Parent;

    class A { b?: B; close(): void {} }
    class B { a?: A; close(): void {} }
    declare const a: A;

    class Root { q?: Q; x?: X; close(): void {} }
    class Q { x?: X; fh!: FileHandle; close(): void {} }
    class X { q?: Q; close(): void {} }
    declare const x: X;
    declare const maybeX: X | undefined;
  `;
  const classes = ['Linked', 'Parent', 'Child', 'A', 'B', 'Root', 'Q', 'X'];

  it.each(['types', 'classes', 'unions'])('gives the same answers when %s are asked first', first => {
    const t = compile(code);
    if (first === 'classes') for (const name of classes) t.model.ownerClassOf(t.classNamed(name));
    if (first === 'unions') for (const name of ['maybeLinked', 'maybeX']) ownerOf(t, name);
    expect(ownerOf(t, 'linked')?.name).toBe('Linked');
    expect(ownerOf(t, 'maybeLinked')?.name).toBe('Linked');
    expect(ownerOf(t, 'parent')?.name).toBe('Parent');
    expect(ownerOf(t, 'a')).toBeUndefined();
    expect(ownerOf(t, 'x')?.name).toBe('X');
    expect(ownerOf(t, 'maybeX')?.name).toBe('X');
    expect(ownerClass(t, 'Linked')?.resourceFields).toEqual({ next: 'Linked', fh: 'FileHandle' });
    expect(ownerClass(t, 'Parent')?.resourceFields).toEqual({ child: 'Child' });
    expect(ownerClass(t, 'Child')?.resourceFields).toEqual({ parent: 'Parent', fh: 'FileHandle' });
    expect(ownerClass(t, 'A')).toBeUndefined();
    expect(ownerClass(t, 'B')).toBeUndefined();
    expect(ownerClass(t, 'Root')?.resourceFields).toEqual({ q: 'Q', x: 'X' });
    expect(ownerClass(t, 'Q')?.resourceFields).toEqual({ x: 'X', fh: 'FileHandle' });
    expect(ownerClass(t, 'X')?.resourceFields).toEqual({ q: 'Q' });
    // The Owner of a type and the class's OwnerClass are one object.
    expect(ownerOf(t, 'linked')?.ownerClass).toBe(t.model.ownerClassOf(t.classNamed('Linked')));
  });
});

// ------------------------------------------------------------------------------------------
// 7. Pending operations

describe('pending operations', () => {
  const t = compile(`
    import type { FileHandle } from 'node:fs/promises';
    import * as dgram from 'node:dgram';
    import type { Dir } from 'node:fs';
    import { Device, type Channel } from '${STUB}';
    declare const fh: FileHandle;
    declare const udp: dgram.Socket;
    declare const dir: Dir;
    declare const dev: Device;
    declare const chan: Channel;
    declare const buffer: Uint8Array;
    async function run() {
      await fh.read(buffer, 0, 10, 0);
      await fh.readv([buffer]);
      await fh.readFile({ signal: new AbortController().signal });
      await fh.write(buffer);
      await fh.stat();
      udp.send(buffer, 41234, 'localhost', error => {});
      udp.send(buffer, 41234, 'localhost');
      udp.send(buffer, 41234, (error, bytes) => {});
      udp.send(buffer);
      await dir.read();
      await dev.read(16);
      dev.write(buffer, error => {});
      await dev.close();
      dev.ref();
      dev.lease();
      dev.cancel();
      await chan.receive();
      chan.dispose();
    }
  `);

  it('FileHandle read/readv/readFile are pending, write and stat are not', () => {
    expect(isPending(t, 'fh.read')).toBe(true);
    expect(isPending(t, 'fh.readv')).toBe(true);
    expect(isPending(t, 'fh.readFile')).toBe(true);
    expect(isPending(t, 'fh.write')).toBe(false);
    expect(isPending(t, 'fh.stat')).toBe(false);
    const fh = ownerNamed(t, 'fh');
    expect(fh.pendingOps).toBeInstanceOf(Map);
    expect((fh.pendingOps as ReadonlyMap<string, unknown>).get('readFile')).toEqual({ acceptsSignal: true });
  });

  it('dgram send is pending only with a completion callback', () => {
    expect(isPending(t, 'udp.send', 0)).toBe(true);
    expect(isPending(t, 'udp.send', 1)).toBe(false);
    expect(isPending(t, 'udp.send', 2)).toBe(true);
    expect(isPending(t, 'udp.send', 3)).toBe(false);
  });

  it('fs.Dir read is pending', () => {
    expect(isPending(t, 'dir.read')).toBe(true);
  });

  it("a tagged owner's promise and callback methods are pending, its role members are not", () => {
    expect(isPending(t, 'dev.read')).toBe(true);
    expect(isPending(t, 'dev.write')).toBe(true);
    expect(isPending(t, 'dev.close')).toBe(false);
    expect(isPending(t, 'dev.ref')).toBe(false);
    expect(isPending(t, 'dev.lease')).toBe(false);
    expect(isPending(t, 'dev.cancel')).toBe(false);
    expect(isPending(t, 'chan.receive')).toBe(true);
    expect(isPending(t, 'chan.dispose')).toBe(false);
  });

  it('an unnamed member is never pending', () => {
    const call = t.callNamed('fh.read');
    expect(t.model.isPendingOperation(ownerNamed(t, 'fh'), undefined, call)).toBe(false);
  });
});

describe('completion callbacks and thenables', () => {
  const t = compile(`
    declare function withErrorFirst(path: string, cb: (error: Error | null) => void): void;
    declare function withErrno(cb: (error: NodeJS.ErrnoException | null, data?: string) => void): void;
    declare function withOptionalCb(path: string, cb?: (error: Error | null) => void): void;
    declare function withNonError(cb: (value: string) => void): void;
    declare function withErrorOnly(cb: (error: Error) => void): void;
    declare function callbackNotLast(cb: (error: Error | null) => void, path: string): void;
    declare function thenable(): PromiseLike<number>;
    declare function promise(): Promise<number>;
    declare function sync(): number;
    declare function anyResult(): any;
    withErrorFirst('x', error => {});
    withErrno((error, data) => {});
    withOptionalCb('x', () => {});
    withOptionalCb('x');
    withNonError(value => {});
    withErrorOnly(error => {});
    callbackNotLast(error => {}, 'x');
    thenable();
    promise();
    sync();
    anyResult();
  `);

  it('recognises an error-first final callback', () => {
    expect(t.model.passesCompletionCallback(t.callNamed('withErrorFirst'))).toBe(true);
    expect(t.model.passesCompletionCallback(t.callNamed('withErrno'))).toBe(true);
    expect(t.model.passesCompletionCallback(t.callNamed('withOptionalCb'))).toBe(true);
    expect(t.model.passesCompletionCallback(t.callNamed('withNonError'))).toBe(false);
    expect(t.model.passesCompletionCallback(t.callNamed('withErrorOnly'))).toBe(false);
    expect(t.model.passesCompletionCallback(t.callNamed('callbackNotLast'))).toBe(false);
  });

  it('does not count an omitted optional callback', () => {
    const calls: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.getText() === 'withOptionalCb') calls.push(node);
      ts.forEachChild(node, visit);
    };
    visit(t.sourceFile);
    expect(t.model.passesCompletionCallback(calls[1]!)).toBe(false);
  });

  it('recognises thenable results', () => {
    expect(t.model.returnsThenable(t.callNamed('thenable'))).toBe(true);
    expect(t.model.returnsThenable(t.callNamed('promise'))).toBe(true);
    expect(t.model.returnsThenable(t.callNamed('sync'))).toBe(false);
    expect(t.model.returnsThenable(t.callNamed('anyResult'))).toBe(false);
  });
});

// ------------------------------------------------------------------------------------------
// 8. Values matched through their symbol

describe('values matched through their symbol', () => {
  const settings = {
    rawClose: { from: 'package', package: STUB, name: 'releaseRaw' },
    adopt: [{ from: 'package', package: STUB, name: 'Wrapper' }],
    exitHooks: [{ from: 'package', package: STUB, name: 'onShutdown' }],
  };

  it('raw closers: fs.close, a renamed closeSync, @closesHandle and rawClose settings', () => {
    const t = compile(
      `
      import * as fs from 'fs';
      import nodeFs from 'node:fs';
      import { closeSync as c } from 'node:fs';
      import { closeHandle, releaseRaw, wrapHandle } from '${STUB}';
      fs.close(3);
      nodeFs.closeSync(3);
      c(3);
      closeHandle(3);
      releaseRaw(3);
      fs.openSync('x', 'r');
      wrapHandle(3);
    `,
      settings,
    );
    const callee = (text: string): ts.Node => t.callNamed(text).expression;
    expect(t.model.isRawCloser(callee('fs.close'))).toBe(true);
    expect(t.model.isRawCloser(callee('nodeFs.closeSync'))).toBe(true);
    expect(t.model.isRawCloser(callee('c'))).toBe(true);
    expect(t.model.isRawCloser(callee('closeHandle'))).toBe(true);
    expect(t.model.isRawCloser(callee('releaseRaw'))).toBe(true);
    expect(t.model.isRawCloser(callee('fs.openSync'))).toBe(false);
    expect(t.model.isRawCloser(callee('wrapHandle'))).toBe(false);
  });

  it('raw closers: rawClose from settings is off without settings; local functions of the same name do not match', () => {
    const t = compile(`
      import { releaseRaw } from '${STUB}';
      releaseRaw(3);
    `);
    expect(t.model.isRawCloser(t.callNamed('releaseRaw').expression)).toBe(false);
    const local = compile(
      `
      function closeSync(fd: number): void {}
      function close(fd: number): void {}
      function closeHandle(fd: number): void {}
      function releaseRaw(fd: number): void {}
      closeSync(3);
      close(3);
      closeHandle(3);
      releaseRaw(3);
    `,
      settings,
    );
    for (const name of ['closeSync', 'close', 'closeHandle', 'releaseRaw']) {
      expect(local.model.isRawCloser(local.callNamed(name).expression), name).toBe(false);
    }
  });

  it('raw closers: a { from: file } rawClose setting matches a local function', () => {
    const t = compile(`function dropFd(fd: number): void {} dropFd(3);`, { rawClose: [{ from: 'file', name: 'dropFd' }] });
    expect(t.model.isRawCloser(t.callNamed('dropFd').expression)).toBe(true);
  });

  it('adopters: @adoptsHandle functions and constructors, and adopt settings', () => {
    const t = compile(
      `
      import { wrapHandle as wrap, Wrapper, Device } from '${STUB}';
      import * as stub from '${STUB}';
      class Local {
        /** @adoptsHandle */
        constructor(fd: number) {}
      }
      /** @adoptsHandle */
      function adoptLocal(fd: number) {}
      wrap(3);
      stub.wrapHandle(3);
      new Wrapper(3);
      new stub.Wrapper(3);
      new Device('/dev/x');
      new Local(3);
      adoptLocal(3);
    `,
      settings,
    );
    expect(t.model.isAdopter(t.callNamed('wrap').expression)).toBe(true);
    expect(t.model.isAdopter(t.callNamed('stub.wrapHandle').expression)).toBe(true);
    expect(t.model.isAdopter(newNamed(t, 'Wrapper').expression)).toBe(true);
    expect(t.model.isAdopter(newNamed(t, 'stub.Wrapper').expression)).toBe(true);
    expect(t.model.isAdopter(newNamed(t, 'Device').expression)).toBe(false);
    expect(t.model.isAdopter(newNamed(t, 'Local').expression)).toBe(true);
    expect(t.model.isAdopter(t.callNamed('adoptLocal').expression)).toBe(true);

    const unconfigured = compile(`import { Wrapper } from '${STUB}'; new Wrapper(3);`);
    expect(unconfigured.model.isAdopter(newNamed(unconfigured, 'Wrapper').expression)).toBe(false);
    const local = compile(`class Wrapper { constructor(fd: number) {} } new Wrapper(3);`, settings);
    expect(local.model.isAdopter(newNamed(local, 'Wrapper').expression)).toBe(false);
  });

  it('exit hooks: a renamed import of a configured function matches; unconfigured or local ones do not', () => {
    const t = compile(
      `
      import { onShutdown as bye } from '${STUB}';
      import * as stub from '${STUB}';
      bye(() => {});
      stub.onShutdown(() => {});
    `,
      settings,
    );
    expect(t.model.isConfiguredExitHook(t.callNamed('bye').expression)).toBe(true);
    expect(t.model.isConfiguredExitHook(t.callNamed('stub.onShutdown').expression)).toBe(true);

    const unconfigured = compile(`import { onShutdown as bye } from '${STUB}'; bye(() => {});`);
    expect(unconfigured.model.isConfiguredExitHook(unconfigured.callNamed('bye').expression)).toBe(false);

    const local = compile(`function onShutdown(callback: () => void): void {} onShutdown(() => {});`, settings);
    expect(local.model.isConfiguredExitHook(local.callNamed('onShutdown').expression)).toBe(false);
  });

  it('process: the global, the default import of node:process, not a local object', () => {
    const checker = (t: TestProgram) => t.program.getTypeChecker();
    const receiverOf = (t: TestProgram, text: string): ts.Type => {
      const callee = t.callNamed(text).expression;
      if (!ts.isPropertyAccessExpression(callee)) throw new Error('not a member call');
      return checker(t).getTypeAtLocation(callee.expression);
    };
    const global = compile(`process.on('exit', () => {});`);
    expect(global.model.isProcessType(receiverOf(global, 'process.on'))).toBe(true);

    const imported = compile(`import proc from 'node:process'; proc.on('exit', () => {});`);
    expect(imported.model.isProcessType(receiverOf(imported, 'proc.on'))).toBe(true);

    const importedAsProcess = compile(`import process from 'process'; process.once('exit', () => {});`);
    expect(importedAsProcess.model.isProcessType(receiverOf(importedAsProcess, 'process.once'))).toBe(true);

    const local = compile(`const process = { on(event: string, listener: () => void) {} }; process.on('exit', () => {});`);
    expect(local.model.isProcessType(receiverOf(local, 'process.on'))).toBe(false);
  });
});
