import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compile, type TestProgram } from './program.js';

// ------------------------------------------------------------------------------------------
// Helpers

const STUB = 'native-addon-stub';

/** The callee of the first `new <calleeText>(…)` of the test file. */
function constructed(t: TestProgram, calleeText: string): ts.Node {
  return t.newNamed(calleeText).expression;
}

/** The callee of the first call `<calleeText>(…)` of the test file. */
function called(t: TestProgram, calleeText: string): ts.Node {
  return t.callNamed(calleeText).expression;
}

// ------------------------------------------------------------------------------------------

describe('built-in adopters (isBuiltinAdopter)', () => {
  it('fs.createReadStream/createWriteStream calls and new net.Socket, through any import', () => {
    const t = compile(`
      import * as fs from 'fs';
      import nodeFs from 'node:fs';
      import { createWriteStream as sink } from 'node:fs';
      import * as net from 'net';
      import { Socket as Sock } from 'node:net';
      fs.createReadStream('', { fd: 3 });
      nodeFs.createWriteStream('', { fd: 3 });
      sink('', { fd: 3 });
      new net.Socket({ fd: 3 });
      new Sock({ fd: 3 });
    `);
    expect(t.model.isBuiltinAdopter(called(t, 'fs.createReadStream'), false)).toBe(true);
    expect(t.model.isBuiltinAdopter(called(t, 'nodeFs.createWriteStream'), false)).toBe(true);
    expect(t.model.isBuiltinAdopter(called(t, 'sink'), false)).toBe(true);
    expect(t.model.isBuiltinAdopter(constructed(t, 'net.Socket'), true)).toBe(true);
    expect(t.model.isBuiltinAdopter(constructed(t, 'Sock'), true)).toBe(true);
  });

  it('a function needs a call and a class needs new', () => {
    const t = compile(`
      import * as fs from 'fs';
      import * as net from 'net';
      fs.createReadStream('x');
      new net.Socket();
    `);
    expect(t.model.isBuiltinAdopter(called(t, 'fs.createReadStream'), true)).toBe(false);
    expect(t.model.isBuiltinAdopter(constructed(t, 'net.Socket'), false)).toBe(false);
  });

  it('look-alikes by name are not built-in adopters', () => {
    const t = compile(`
      import * as dgram from 'dgram';
      import type { FileHandle } from 'fs/promises';
      import * as fs from 'fs';
      class Socket { constructor(options: object) {} }
      function createReadStream(path: string, options: object): void {}
      declare const fh: FileHandle;
      new Socket({ fd: 3 });
      createReadStream('', { fd: 3 });
      fh.createReadStream();
      dgram.createSocket('udp4');
      fs.openSync('x', 'r');
    `);
    expect(t.model.isBuiltinAdopter(constructed(t, 'Socket'), true)).toBe(false);
    expect(t.model.isBuiltinAdopter(called(t, 'createReadStream'), false)).toBe(false);
    expect(t.model.isBuiltinAdopter(called(t, 'fh.createReadStream'), false)).toBe(false);
    expect(t.model.isBuiltinAdopter(called(t, 'dgram.createSocket'), false)).toBe(false);
    expect(t.model.isBuiltinAdopter(called(t, 'fs.openSync'), false)).toBe(false);
  });
});

describe("Node's process object (isProcessType), which @types/node declares in a global block", () => {
  it('finds NodeJS.Process inside the global block of declare module "process", through any import', () => {
    const t = compile(`
      import proc from 'node:process';
      import * as net from 'node:net';
      const fromGlobal = process;
      const imported = proc;
      const viaGlobalThis = globalThis.process;
      declare const socket: net.Socket;
    `);
    expect(t.model.isProcessType(t.typeOf('fromGlobal'))).toBe(true);
    expect(t.model.isProcessType(t.typeOf('imported'))).toBe(true);
    expect(t.model.isProcessType(t.typeOf('viaGlobalThis'))).toBe(true);
    expect(t.model.isProcessType(t.typeOf('socket'))).toBe(false);
  });

  it('a look-alike declared outside the module is not one', () => {
    const t = compile(`
      export interface Process { on(event: string, listener: () => void): this }
      declare const local: Process;
      declare const shaped: { on(event: string, listener: () => void): void };
      declare const anything: any;
    `);
    expect(t.model.isProcessType(t.typeOf('local'))).toBe(false);
    expect(t.model.isProcessType(t.typeOf('shaped'))).toBe(false);
    expect(t.model.isProcessType(t.typeOf('anything'))).toBe(false);
  });
});

describe('timers (timerName)', () => {
  it('names the global timers of the lib and of Node, also imported from timers under another name', () => {
    const t = compile(`
      import { setTimeout as later } from 'node:timers';
      setTimeout(() => {}, 1);
      setImmediate(() => {});
      setInterval(() => {}, 1);
      queueMicrotask(() => {});
      globalThis.setTimeout(() => {}, 1);
      later(() => {}, 1);
    `);
    expect(t.model.timerName(called(t, 'setTimeout'))).toBe('setTimeout');
    expect(t.model.timerName(called(t, 'setImmediate'))).toBe('setImmediate');
    expect(t.model.timerName(called(t, 'setInterval'))).toBe('setInterval');
    expect(t.model.timerName(called(t, 'queueMicrotask'))).toBe('queueMicrotask');
    expect(t.model.timerName(called(t, 'globalThis.setTimeout'))).toBe('setTimeout');
    expect(t.model.timerName(called(t, 'later'))).toBe('setTimeout');
  });

  it('a local function or method named like a timer is not one', () => {
    const t = compile(`
      function setTimeout(callback: () => void): void {}
      const clock = { setInterval(callback: () => void): void {} };
      setTimeout(() => {});
      clock.setInterval(() => {});
    `);
    expect(t.model.timerName(called(t, 'setTimeout'))).toBeUndefined();
    expect(t.model.timerName(called(t, 'clock.setInterval'))).toBeUndefined();
  });

  it('a declared function named like a timer from another package is not one', () => {
    const t = compile(`
      import { onShutdown as setTimeout } from '${STUB}';
      setTimeout(() => {});
    `);
    expect(t.model.timerName(called(t, 'setTimeout'))).toBeUndefined();
  });
});

describe("Node's fs functions (nodeFsFunctionName)", () => {
  it('gives the declared name through namespaces, default imports and renamed imports', () => {
    const t = compile(`
      import * as fs from 'fs';
      import nodeFs from 'node:fs';
      import { unlink as remove, close } from 'node:fs';
      fs.writeFile('x', 'y', () => {});
      nodeFs.rm('x', () => {});
      remove('x', () => {});
      close(3);
    `);
    expect(t.model.nodeFsFunctionName(called(t, 'fs.writeFile'))).toBe('writeFile');
    expect(t.model.nodeFsFunctionName(called(t, 'nodeFs.rm'))).toBe('rm');
    expect(t.model.nodeFsFunctionName(called(t, 'remove'))).toBe('unlink');
    expect(t.model.nodeFsFunctionName(called(t, 'close'))).toBe('close');
  });

  it('fs/promises functions, methods of fs classes and local functions are not fs functions', () => {
    const t = compile(`
      import * as fsp from 'fs/promises';
      import type { FileHandle } from 'fs/promises';
      declare const fh: FileHandle;
      function unlink(path: string, callback: () => void): void {}
      void fsp.unlink('x');
      void fh.close();
      unlink('x', () => {});
    `);
    expect(t.model.nodeFsFunctionName(called(t, 'fsp.unlink'))).toBeUndefined();
    expect(t.model.nodeFsFunctionName(called(t, 'fh.close'))).toBeUndefined();
    expect(t.model.nodeFsFunctionName(called(t, 'unlink'))).toBeUndefined();
  });
});

describe('where a value is declared (isDeclaredValue, isDefaultLibValue, symbolOf)', () => {
  it('lib methods are default-lib values; a user method of the same name is not', () => {
    const t = compile(`
      class Bag { map(callback: () => void): void {} }
      declare const bag: Bag;
      [1, 2].map(n => n);
      new Map<string, number>().forEach(() => {});
      bag.map(() => {});
    `);
    expect(t.model.isDefaultLibValue(called(t, '[1, 2].map'))).toBe(true);
    expect(t.model.isDefaultLibValue(called(t, 'new Map<string, number>().forEach'))).toBe(true);
    expect(t.model.isDefaultLibValue(called(t, 'bag.map'))).toBe(false);
    expect(t.model.isDeclaredValue(called(t, 'bag.map'))).toBe(false);
  });

  it('values from declaration files are declared values, whatever their local name', () => {
    const t = compile(`
      import { onShutdown as bye } from '${STUB}';
      function local(): void {}
      bye(() => {});
      setTimeout(() => {}, 1);
      local();
    `);
    expect(t.model.isDeclaredValue(called(t, 'bye'))).toBe(true);
    expect(t.model.isDeclaredValue(called(t, 'setTimeout'))).toBe(true);
    expect(t.model.isDeclaredValue(called(t, 'local'))).toBe(false);
    expect(t.model.isDefaultLibValue(called(t, 'bye'))).toBe(false);
  });

  it('symbolOf resolves import aliases and names the member of a property access', () => {
    const t = compile(`
      import { onShutdown as bye } from '${STUB}';
      import * as stub from '${STUB}';
      bye(() => {});
      stub.onShutdown(() => {});
    `);
    expect(t.model.symbolOf(called(t, 'bye'))?.name).toBe('onShutdown');
    const viaNamespace = t.model.symbolOf(called(t, 'stub.onShutdown'));
    expect(viaNamespace?.name).toBe('onShutdown');
    expect(viaNamespace).toBe(t.model.symbolOf(called(t, 'bye')));
  });
});

describe('writable streams (writableBase)', () => {
  it('names the stream class a type is or extends', () => {
    const t = compile(`
      import * as fs from 'fs';
      import * as net from 'net';
      import { Writable, Duplex, PassThrough } from 'stream';
      declare const writable: Writable;
      declare const duplex: Duplex;
      declare const through: PassThrough;
      declare const file: fs.WriteStream;
      declare const socket: net.Socket;
      declare const stdout: typeof process.stdout;
    `);
    expect(t.model.writableBase(t.typeOf('writable'))).toBe('stream.Writable');
    expect(t.model.writableBase(t.typeOf('duplex'))).toBe('stream.Duplex');
    expect(t.model.writableBase(t.typeOf('through'))).toBe('stream.Duplex');
    expect(t.model.writableBase(t.typeOf('file'))).toBe('stream.Writable');
    expect(t.model.writableBase(t.typeOf('socket'))).toBe('stream.Duplex');
    expect(t.model.writableBase(t.typeOf('stdout'))).toBeDefined();
  });

  it('handles optional values, unions, intersections and type parameters', () => {
    const t = compile(`
      import * as fs from 'fs';
      import * as net from 'net';
      import { Readable } from 'stream';
      declare const maybe: fs.WriteStream | undefined;
      declare const both: fs.WriteStream | net.Socket;
      declare const mixed: fs.WriteStream | Readable;
      declare const tagged: fs.WriteStream & { tag: string };
      function generic<T extends net.Socket>(param: T): void {}
    `);
    expect(t.model.writableBase(t.typeOf('maybe'))).toBe('stream.Writable');
    expect(t.model.writableBase(t.typeOf('both'))).toBe('stream.Writable');
    expect(t.model.writableBase(t.typeOf('mixed'))).toBeUndefined();
    expect(t.model.writableBase(t.typeOf('tagged'))).toBe('stream.Writable');
    expect(t.model.writableBase(t.typeOf('param'))).toBe('stream.Duplex');
  });

  it('readable streams, look-alikes, any and unknown are not writable streams', () => {
    const t = compile(`
      import * as fs from 'fs';
      class Writable { end(): void {} }
      declare const readable: fs.ReadStream;
      declare const local: Writable;
      declare const anything: any;
      declare const unknownValue: unknown;
    `);
    expect(t.model.writableBase(t.typeOf('readable'))).toBeUndefined();
    expect(t.model.writableBase(t.typeOf('local'))).toBeUndefined();
    expect(t.model.writableBase(t.typeOf('anything'))).toBeUndefined();
    expect(t.model.writableBase(t.typeOf('unknownValue'))).toBeUndefined();
  });
});

describe('collections (isCollectionType)', () => {
  it('strings, arrays, tuples, Map, Set, typed arrays and the Array constructor, also optional', () => {
    const t = compile(`
      declare const text: string;
      declare const list: number[];
      declare const readonlyList: readonly number[];
      declare const pair: [number, string];
      declare const map: Map<string, number>;
      declare const readonlySet: ReadonlySet<number>;
      declare const bytes: Uint8Array;
      declare const maybeList: number[] | undefined;
      const arrayConstructor = Array;
    `);
    for (const name of ['text', 'list', 'readonlyList', 'pair', 'map', 'readonlySet', 'bytes', 'maybeList', 'arrayConstructor']) {
      expect(t.model.isCollectionType(t.typeOf(name)), name).toBe(true);
    }
  });

  it('other objects, a union with one, null alone and any are not collections', () => {
    const t = compile(`
      import type { FileHandle } from 'fs/promises';
      declare const handle: FileHandle;
      declare const either: number[] | FileHandle;
      declare const record: Record<string, number>;
      declare const nothing: null;
      declare const anything: any;
    `);
    for (const name of ['handle', 'either', 'record', 'nothing', 'anything']) {
      expect(t.model.isCollectionType(t.typeOf(name)), name).toBe(false);
    }
  });
});

describe('values through const aliases (valueSymbol)', () => {
  it('a const copy and a destructured const name the fs function; a let or a look-alike does not', () => {
    const t = compile(`
      import * as fs from 'node:fs';
      const shut = fs.closeSync;
      const { closeSync: closeNow, close } = fs;
      const again = closeNow;
      let later = fs.closeSync;
      const local = { closeSync: (fd: number) => fd };
      const { closeSync: fake } = local;
      shut(1); closeNow(2); close(3, () => {}); again(4); later(5); fake(6);
      later = fs.closeSync;
    `);
    expect(t.model.isRawCloser(called(t, 'shut'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'closeNow'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'close'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'again'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'later'))).toBe(false);
    expect(t.model.isRawCloser(called(t, 'fake'))).toBe(false);
  });
});

describe('raw closers reached through a namespace held in a variable', () => {
  it('a const holding the module, a required module and a parameter typed as the module count; other objects do not', () => {
    const t = compile(`
      import * as fs from 'node:fs';
      declare function require(name: string): typeof import('node:fs');
      const mm = fs;
      const req = require('node:fs');
      function viaParameter(ns: typeof import('node:fs')) { ns.closeSync(3); }
      const plain = { closeSync: (fd: number) => fd };
      function viaPlainParameter(o: { closeSync(fd: number): void }) { o.closeSync(5); }
      mm.closeSync(1); req.closeSync(2); plain.closeSync(4);
      void viaParameter; void viaPlainParameter;
    `);
    expect(t.model.isRawCloser(called(t, 'mm.closeSync'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'req.closeSync'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'ns.closeSync'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'plain.closeSync'))).toBe(false);
    expect(t.model.isRawCloser(called(t, 'o.closeSync'))).toBe(false);
  });

  it('a destructured name is read from what it destructures: an annotated pattern or a name counts; a callback parameter is taken to hold none', () => {
    const t = compile(`
      import * as fs from 'node:fs';
      declare const deps: { fs: typeof import('node:fs') };
      declare function withDeps(cb: (d: { io: typeof import('node:fs') }) => void): void;
      declare function makeDeps(): { fs: typeof import('node:fs') };
      function viaPattern({ io }: { io: typeof import('node:fs') }) { io.closeSync(1); }
      const { fs: fromDeps } = deps;
      const { closeSync: picked } = fs;
      const [first] = [{ closeSync: (fd: number) => fd }];
      const { fs: made } = makeDeps();
      fromDeps.closeSync(2); picked(3); first.closeSync(4); made.closeSync(5);
      withDeps(({ io: cbIo }) => cbIo.closeSync(6));
      void viaPattern;
    `);
    expect(t.model.isRawCloser(called(t, 'io.closeSync'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'fromDeps.closeSync'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'picked'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'first.closeSync'))).toBe(false);
    // Asking these types means inferring a call (the callback's: the call it is passed to): a
    // namespace reached so goes unmatched, a missed raw close and never a false one.
    expect(t.model.isRawCloser(called(t, 'made.closeSync'))).toBe(false);
    expect(t.model.isRawCloser(called(t, 'cbIo.closeSync'))).toBe(false);
  });

  it('a field holding the module counts; a close of the same name on this, a socket or a look-alike class does not', () => {
    const t = compile(`
      import * as fs from 'node:fs';
      import * as net from 'node:net';
      class Io {
        constructor(private readonly io: typeof import('node:fs')) {}
        shut(fd: number): void { this.io.closeSync(fd); }
        close(fd: number): void { void fd; }
        again(fd: number): void { this.close(fd); }
      }
      class Files { static close(fd: number): void { void fd; } }
      declare const socket: net.Socket;
      declare const cb: () => void;
      socket.end(cb); Files.close(3); fs.close(4, cb);
      void Io;
    `);
    expect(t.model.isRawCloser(called(t, 'this.io.closeSync'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'fs.close'))).toBe(true);
    expect(t.model.isRawCloser(called(t, 'this.close'))).toBe(false);
    expect(t.model.isRawCloser(called(t, 'socket.end'))).toBe(false);
    expect(t.model.isRawCloser(called(t, 'Files.close'))).toBe(false);
  });
});

describe('members of a namespace import (valueSymbol, read from the module exports)', () => {
  it('names the symbol the checker resolves at the member, re-exports and export= modules included', () => {
    const t = compile(
      `
      import * as fs from 'node:fs';
      import * as lib from './ns-lib.js';
      import * as eq from './ns-eq.js';
      fs.closeSync(1);
      lib.shut(2);
      lib.direct(3);
      eq.close(4);
      `,
      {},
      {
        'ns-impl.ts': 'export function closeIt(fd: number): void { void fd; }\n',
        'ns-lib.ts': "export { closeIt as shut } from './ns-impl.js';\nexport function direct(fd: number): void { void fd; }\n",
        'ns-eq.ts': 'declare const api: { close(fd: number): void };\nexport = api;\n',
      },
    );
    const checker = t.program.getTypeChecker();
    const resolved = (callee: ts.Node): ts.Symbol | undefined => {
      const symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
      return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    };
    for (const [text, name] of [
      ['fs.closeSync', 'closeSync'],
      ['lib.shut', 'closeIt'],
      ['lib.direct', 'direct'],
      ['eq.close', 'close'],
    ] as const) {
      const callee = called(t, text);
      const symbol = t.model.symbolOf(callee);
      expect(symbol?.name, text).toBe(name);
      expect(symbol, text).toBe(resolved(callee));
    }
    expect(t.model.isRawCloser(called(t, 'fs.closeSync'))).toBe(true);
  });
});

describe("fs's functions by name (isNodeFsFunction, syntax first)", () => {
  it('an import, a renamed import, a namespace member and a const alias count; a look-alike does not', () => {
    const t = compile(`
      import * as fs from 'node:fs';
      import { openSync as o } from 'node:fs';
      import * as fsp from 'node:fs/promises';
      const opener = fs.openSync;
      function openSync(path: string): number { return path.length; }
      function withParameter(open: typeof fs.openSync) { open('p', 'r'); }
      const local = { openSync: (path: string) => path.length };
      fs.openSync('a', 'r'); o('b', 'r'); opener('c', 'r'); openSync('d'); local.openSync('e'); void fsp.open('f');
      void withParameter;
    `);
    expect(t.model.isNodeFsFunction(called(t, 'fs.openSync'), 'openSync')).toBe(true);
    expect(t.model.isNodeFsFunction(called(t, 'o'), 'openSync')).toBe(true);
    expect(t.model.isNodeFsFunction(called(t, 'opener'), 'openSync')).toBe(true);
    expect(t.model.isNodeFsFunction(called(t, 'fs.openSync'), 'open')).toBe(false);
    expect(t.model.isNodeFsFunction(called(t, 'openSync'), 'openSync')).toBe(false);
    expect(t.model.isNodeFsFunction(called(t, 'open'), 'openSync')).toBe(false);
    expect(t.model.isNodeFsFunction(called(t, 'local.openSync'), 'openSync')).toBe(false);
    expect(t.model.isNodeFsFunction(called(t, 'fsp.open'), 'open')).toBe(false);
  });
});
