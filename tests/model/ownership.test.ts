import { describe, expect, it } from 'vitest';
import * as ts from 'typescript';
import {
  classResources,
  handlesClosedState,
  isNativeResource,
  ownerClassOwnership,
  type ClassOwnership,
  type Owner,
} from '../../src/model/index.js';
import { DIRECT, bodyNodes, classParts, forEachNode, sourceBaseClass } from '../../src/model/classParts.js';
import { isTeardownSafeCall } from '../../src/model/lifetime.js';
import { compile, type TestProgram } from './program.js';

function ownershipOf(t: TestProgram, className: string): ClassOwnership {
  const ownerClass = t.model.ownerClassOf(t.classNamed(className));
  if (!ownerClass) throw new Error(`${className} is not an owner class`);
  return ownerClassOwnership(t.model, ownerClass);
}

function fieldsOf(ownership: ClassOwnership): Record<string, string> {
  return Object.fromEntries([...ownership.fields].sort(([a], [b]) => a.localeCompare(b)));
}

function ownerOf(t: TestProgram, variable: string): Owner {
  const owner = t.model.ownerOfType(t.typeOf(variable));
  if (!owner) throw new Error(`${variable} is not an owner`);
  return owner;
}

describe('owned and borrowed fields (docs/resource-model.md#ownership)', () => {
  it('owns what it acquires: new, a call, an awaited call, a local holding one', () => {
    const t = compile(`
import * as net from 'node:net';
import { open, type FileHandle } from 'node:fs/promises';
class Holder {
  private readonly server = net.createServer();
  private readonly made = new net.Socket();
  private fh: FileHandle | undefined;
  private sock: net.Socket | null = null;
  async start(path: string): Promise<void> {
    this.fh = await open(path);
    const sock = net.connect(80);
    this.sock = sock;
  }
  close(): void {}
}`);
    expect(fieldsOf(ownershipOf(t, 'Holder'))).toEqual({ fh: 'owned', made: 'owned', server: 'owned', sock: 'owned' });
  });

  it("borrows what it is handed and never releases: parameters, parameter properties, other objects' members", () => {
    const t = compile(`
import * as net from 'node:net';
class Parent {
  readonly server = net.createServer();
  close(): void { this.server.close(); }
}
class Child {
  private readonly parent: Parent;
  private readonly server: net.Server;
  private readonly pooled: net.Socket | undefined;
  private own = net.connect(1);
  constructor(parent: Parent, private readonly peer: net.Socket, pool: Map<string, net.Socket>) {
    this.parent = parent;
    this.server = parent.server;
    this.pooled = pool.get('x');
  }
  close(): void { this.own.destroy(); }
}`);
    expect(fieldsOf(ownershipOf(t, 'Child'))).toEqual({
      own: 'owned',
      parent: 'borrowed',
      peer: 'borrowed',
      pooled: 'borrowed',
      server: 'borrowed',
    });
  });

  it('owns a field handed in when the close path releases it, directly, through a helper, or through a local copy', () => {
    const t = compile(`
import * as net from 'node:net';
import type { FileHandle } from 'node:fs/promises';
class Wrapper {
  private fh: FileHandle | null;
  constructor(fh: FileHandle, private readonly sock: net.Socket, private readonly other: net.Socket) {
    this.fh = fh;
  }
  private teardown(): void { this.sock.destroy(); }
  async close(): Promise<void> {
    this.teardown();
    const fh = this.fh;
    this.fh = null;
    await fh?.close();
  }
}`);
    const ownership = ownershipOf(t, 'Wrapper');
    expect(fieldsOf(ownership)).toEqual({ fh: 'owned', other: 'borrowed', sock: 'owned' });
    expect([...ownership.closePath].sort()).toEqual(['close', 'teardown']);
  });

  it('releases through a raw closer of a field or a local copy, not through other calls with the same arguments or names', () => {
    const t = compile(`
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { FileHandle } from 'node:fs/promises';
class Raw {
  constructor(
    private readonly direct: FileHandle,
    private readonly copied: FileHandle,
    private readonly statted: FileHandle,
    private readonly read: FileHandle,
    private readonly sock: net.Socket,
    private readonly other: net.Socket,
  ) {}
  close(): void {
    fs.closeSync(this.direct.fd);
    const copy = this.copied;
    fs.closeSync(copy.fd);
    fs.fstatSync(this.statted.fd);
    void this.read.stat();
    const sock = this.sock;
    sock.destroy();
    const other = this.other;
    other.setNoDelay(true);
    fs.closeSync(0);
  }
}`);
    expect(fieldsOf(ownershipOf(t, 'Raw'))).toEqual({
      copied: 'owned',
      direct: 'owned',
      other: 'borrowed',
      read: 'borrowed',
      sock: 'owned',
      statted: 'borrowed',
    });
  });

  it('counts a local copy of a field only while nothing writes the local again', () => {
    const t = compile(`
import * as net from 'node:net';
class Relay {
  constructor(private readonly kept: net.Socket, private readonly copied: net.Socket, private readonly spare: net.Socket) {}
  close(): void {
    let sock = this.kept;
    sock = this.spare;
    sock.destroy();
    let copy = this.copied;
    copy.destroy();
  }
}`);
    expect(fieldsOf(ownershipOf(t, 'Relay'))).toEqual({ copied: 'owned', kept: 'borrowed', spare: 'borrowed' });
  });

  it('follows super.close() into a source-declared base class', () => {
    const t = compile(`
import * as net from 'node:net';
class Base {
  constructor(protected readonly sock: net.Socket) {}
  close(): void { this.sock.destroy(); }
}
class Derived extends Base {
  private readonly log: net.Socket;
  constructor(sock: net.Socket, log: net.Socket) { super(sock); this.log = log; }
  override close(): void { super.close(); }
}`);
    expect(fieldsOf(ownershipOf(t, 'Derived'))).toEqual({ log: 'borrowed', sock: 'owned' });
  });

  it('answers unknown when a field is never assigned or assigned from something it cannot read', () => {
    const t = compile(`
import * as net from 'node:net';
declare const shared: net.Socket;
class Odd {
  private declare never: net.Socket;
  private readonly fromGlobal = shared;
  close(): void {}
}`);
    expect(fieldsOf(ownershipOf(t, 'Odd'))).toEqual({ fromGlobal: 'unknown', never: 'unknown' });
  });
});

describe('close methods and the close path', () => {
  it('adds a method that closes an owned field on its own path, not one that re-acquires it or destroys only on an error', () => {
    const t = compile(`
import * as net from 'node:net';
class Client {
  private sock = net.connect(1);
  disconnect(): void { this.stop(); }
  private stop(): void { this.sock.destroy(); }
  reconnect(): void {
    this.sock.destroy();
    this.sock = net.connect(1);
  }
  async send(data: string): Promise<void> {
    try {
      this.sock.write(data);
    } catch {
      this.sock.destroy();
    }
    this.sock.on('error', () => this.sock.destroy());
  }
  close(): void { this.sock.end(); }
}`);
    const ownership = ownershipOf(t, 'Client');
    expect([...ownership.closeMethods].sort()).toEqual(['close', 'disconnect', 'stop']);
    expect(ownership.fields.get('sock')).toBe('owned');
  });

  it('finds the fields the close path writes, through helpers, and which of them are liveness state', () => {
    const t = compile(`
import * as net from 'node:net';
class Conn {
  private error: Error | undefined;
  private closed = false;
  private state: 'open' | 'closed' = 'open';
  private count = 0;
  private sock = net.connect(1);
  private cleanup(error: Error): void {
    this.error = error;
    this.count = 0;
    this.sock.destroy();
  }
  destroy(): void {
    this.closed = true;
    this.state = 'closed';
    this.cleanup(new Error('x'));
  }
  reset(): void { delete (this as { error?: Error }).error; }
}`);
    const ownership = ownershipOf(t, 'Conn');
    expect([...ownership.closeWritten].sort()).toEqual(['closed', 'count', 'error', 'state']);
    expect([...ownership.stateFields].sort()).toEqual(['closed', 'error', 'state']);
    expect([...ownership.nullableStateFields]).toEqual(['error']);
  });

  it('knows the fields the class sets to null or undefined', () => {
    const t = compile(`
import * as net from 'node:net';
class Conn {
  private sock: net.Socket | undefined = net.connect(1);
  private spare: net.Socket | null = net.connect(2);
  close(): void {
    this.sock?.destroy();
    this.sock = undefined;
    this.spare?.destroy();
  }
}`);
    expect([...ownershipOf(t, 'Conn').nulledFields]).toEqual(['sock']);
  });
});

describe('raw-handle fields (docs/rules/require-lifetime-guard.md (raw-handle reads))', () => {
  it('finds fds the class opened or read from an owner, not other numbers', () => {
    const t = compile(`
import * as fs from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
class Files {
  private sync = fs.openSync('/tmp/a', 'r');
  private fromCallback = -1;
  private copied = -1;
  private viaLocal = -1;
  private count = 0;
  private size = fs.statSync('/tmp/a').size;
  private fh: FileHandle | undefined;
  async start(): Promise<void> {
    fs.open('/tmp/b', 'r', (error, fd) => { this.fromCallback = fd; });
    this.fh = await open('/tmp/c');
    this.copied = this.fh.fd;
    const fd = fs.openSync('/tmp/d', 'r');
    this.viaLocal = fd;
    this.count = this.count + 1;
  }
  close(): void {}
}`);
    const ownerClass = t.model.ownerClassOf(t.classNamed('Files'))!;
    const ownership = ownerClassOwnership(t.model, ownerClass);
    expect([...ownership.rawHandleFields].sort()).toEqual(['copied', 'fromCallback', 'sync', 'viaLocal']);
  });
});

describe('what a class owns (classResources)', () => {
  it('covers inferred owner classes, tagged subclasses and raw-handle-only classes, and nothing else', () => {
    const t = compile(`
import * as fs from 'node:fs';
import * as net from 'node:net';
import { Device } from 'native-addon-stub';
class Inferred {
  private readonly sock = net.connect(1);
  constructor(private readonly parent: net.Server) {}
  close(): void { this.sock.destroy(); }
}
class Tagged extends Device {
  private readonly log = net.connect(2);
  override async close(): Promise<void> { this.log.destroy(); await super.close(); }
}
class RawOnly {
  private fd = fs.openSync('/tmp/x', 'r');
  close(): void { fs.closeSync(this.fd); }
}
class Nothing {
  private count = 0;
  close(): void { this.count = 0; }
}
class Borrower {
  constructor(private readonly sock: net.Socket) {}
  close(): void {}
}`);
    const of = (name: string) => classResources(t.model, t.classNamed(name));
    expect([...of('Inferred')!.ownedFields.keys()]).toEqual(['sock']);
    expect([...of('Inferred')!.resourceFields.keys()].sort()).toEqual(['parent', 'sock']);
    expect(of('Tagged')!.classOwner?.source).toBe('tagged');
    expect([...of('Tagged')!.ownedFields.keys()]).toEqual(['log']);
    expect([...of('Tagged')!.rawFields]).toEqual(['handle']);
    expect([...of('RawOnly')!.rawFields]).toEqual(['fd']);
    expect(of('RawOnly')!.ownedFields.size).toBe(0);
    expect(of('Nothing')).toBeUndefined();
    expect(of('Borrower')).toBeUndefined();
  });
});

describe('uses and teardown (docs/resource-model.md#uses-and-teardown)', () => {
  it("sees a method that reads its own class's liveness state as handling the closed state itself", () => {
    const t = compile(`
import * as net from 'node:net';
class Pool {
  private state: 'open' | 'closed' = 'open';
  private readonly monitor = net.connect(1);
  checkIn(sock: net.Socket): void {
    const closed = this.state === 'closed';
    if (closed) sock.destroy();
  }
  count(): number { return 1; }
  close(): void {
    this.state = 'closed';
    this.monitor.destroy();
  }
}
declare const pool: Pool;`);
    const owner = ownerOf(t, 'pool');
    expect(handlesClosedState(t.model, owner, 'checkIn')).toBe(true);
    expect(handlesClosedState(t.model, owner, 'count')).toBe(false);
    expect(handlesClosedState(t.model, owner, 'missing')).toBe(false);
  });

  it('knows the teardown-safe calls of built-in owners, and end() only without data', () => {
    const t = compile(`
import * as net from 'node:net';
import type { FileHandle } from 'node:fs/promises';
declare const sock: net.Socket;
declare const fh: FileHandle;`);
    const sock = ownerOf(t, 'sock');
    expect(isTeardownSafeCall(sock, 'setTimeout', 1)).toBe(true);
    expect(isTeardownSafeCall(sock, 'unref', 0)).toBe(true);
    expect(isTeardownSafeCall(sock, 'end', 0)).toBe(true);
    expect(isTeardownSafeCall(sock, 'end', 1)).toBe(false);
    expect(isTeardownSafeCall(sock, 'write', 1)).toBe(false);
    expect(isTeardownSafeCall(ownerOf(t, 'fh'), 'unref', 0)).toBe(false);
  });

  it('calls tagged owners native resources, Node built-ins and inferred owner classes not', () => {
    const t = compile(`
import { Device } from 'native-addon-stub';
import * as net from 'node:net';
class Mine {
  private readonly sock = net.connect(1);
  close(): void { this.sock.destroy(); }
}
declare const device: Device;
declare const sock: net.Socket;
declare const mine: Mine;`);
    expect(isNativeResource(ownerOf(t, 'device'))).toBe(true);
    expect(isNativeResource(ownerOf(t, 'sock'))).toBe(false);
    expect(isNativeResource(ownerOf(t, 'mine'))).toBe(false);
  });
});

describe('source base classes (classParts.sourceBaseClass)', () => {
  it('follows a base named directly, through an import, through a namespace, a variable and a call; never into a declaration file', () => {
    const t = compile(
      `
import * as net from 'node:net';
import { Base as Imported } from './base-lib.js';
import * as lib from './base-lib.js';
class Local {}
const Held = Local;
function mixin<T extends new (...args: any[]) => object>(base: T): T { return base; }
class ByName extends Local {}
class ByImport extends Imported {}
class ByNamespace extends lib.Base {}
class ByVariable extends Held {}
class ByCall extends mixin(Local) {}
class FromDeclarations extends net.Socket {}
`,
      {},
      { 'base-lib.ts': 'export class Base {}\n' },
    );
    const base = (name: string): string | undefined => sourceBaseClass(t.program.getTypeChecker(), t.classNamed(name))?.name?.text;
    expect(base('ByName')).toBe('Local');
    expect(base('ByImport')).toBe('Base');
    expect(base('ByNamespace')).toBe('Base');
    expect(base('ByVariable')).toBe('Local');
    expect(base('ByCall')).toBe('Local');
    expect(base('FromDeclarations')).toBeUndefined();
    expect(base('Local')).toBeUndefined();
  });
});

describe('one walk per member body (classParts.bodyNodes)', () => {
  it('finds the calls and this-member binaries forEachNode visits, marking those on the own path as a DIRECT walk does', () => {
    const t = compile(`
import * as net from 'node:net';
class Base {
  protected sock = net.connect(1);
  close(): void { this.sock.destroy(); }
}
class Odd extends Base {
  private n = 0;
  private done = false;
  private readonly arrow = (): void => { this.sock.end(); this.n += 1; };
  private readonly concise = () => (() => this.sock.destroy())();
  close(): void {
    super.close();
    try { this.sock.write('x'); this.done = true; } catch { this.sock.destroy(); this.n = 0; }
    this.sock.on('error', () => { this.sock.destroy(); this.done ||= true; });
    const inner = class { stop(): void { this.stop(); } };
    void new inner();
    function helper(this: Odd): void { this.close(); }
    helper.call(this);
    if (this.n === 1) this.n++;
  }
}`);
    const parts = classParts(t.model, t.classNamed('Odd'));
    let bodies = 0;
    for (const list of parts.bodies.values()) {
      for (const body of list) {
        if (!body.body) continue;
        bodies++;
        const all: ts.Node[] = [];
        const direct: ts.Node[] = [];
        forEachNode(body.body, node => all.push(node));
        forEachNode(body.body, node => direct.push(node), DIRECT);
        const found = bodyNodes(body.body);
        expect(found.calls).toEqual(all.filter(node => ts.isCallExpression(node)));
        expect(found.directCalls).toEqual(direct.filter(node => ts.isCallExpression(node)));
        expect(found.thisBinaries).toEqual(all.filter(node => ts.isBinaryExpression(node) && /^this\.\w+$/.test(node.left.getText())));
      }
    }
    expect(bodies).toBe(4);
    const closeNodes = bodyNodes(parts.bodies.get('close')![0]!.body!);
    // Not the nested class's this.stop(); in the catch clause and in functions the body creates: not on its own path.
    expect(closeNodes.calls.map(call => `${call.expression.getText()}:${closeNodes.directCalls.includes(call)}`)).toEqual([
      'super.close:true',
      'this.sock.write:true',
      'this.sock.destroy:false',
      'this.sock.on:true',
      'this.sock.destroy:false',
      'this.close:false',
      'helper.call:true',
    ]);
  });
});
