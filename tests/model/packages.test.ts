import { describe, expect, it } from 'vitest';
import { ROLE_FIELDS, type Owner, type Role } from '../../src/model/index.js';
import { PACKAGE_OWNERS } from '../../src/model/packages.js';
import { compile, type TestProgram } from './program.js';

// Built-in knowledge of popular native packages (docs/packages.md), against the packages' published
// declarations under tests/fixtures/node_modules.

function ownerOf(t: TestProgram, variable: string): Owner | undefined {
  return t.model.ownerOfType(t.typeOf(variable));
}

/** The roles of the owner restricted to the members its type declares, as sorted arrays. */
function declaredRoles(t: TestProgram, variable: string): Partial<Record<Role, string[]>> {
  const owner = ownerOf(t, variable);
  if (!owner) throw new Error(`${variable} is not an owner`);
  const result: Partial<Record<Role, string[]>> = {};
  for (const role of ROLE_FIELDS) {
    const names = t.model.membersWithRole(owner, role).sort();
    if (names.length > 0) result[role] = names;
  }
  return result;
}

function pendingOps(t: TestProgram, variable: string): string[] {
  const owner = ownerOf(t, variable);
  if (!owner || typeof owner.pendingOps === 'string') throw new Error(`${variable} has no listed pending operations`);
  return [...owner.pendingOps.keys()].sort();
}

describe('package owners (docs/packages.md)', () => {
  it('knows node-pty, zeromq, serialport, usb and better-sqlite3 by their declarations', () => {
    const t = compile(`
      import * as pty from 'node-pty';
      import { Dealer, Observer, Socket } from 'zeromq';
      import { SerialPort } from 'serialport';
      import { SerialPortStream } from '@serialport/stream';
      import { LinuxPortBinding, type BindingPortInterface } from '@serialport/bindings-cpp';
      import { usb } from 'usb';
      import Database from 'better-sqlite3';
      import { Socket as CompatSocket } from 'zeromq/lib/compat.js';
      declare const compat: CompatSocket;
      declare const term: pty.IPty;
      declare const dealer: Dealer;
      declare const socket: Socket;
      declare const observer: Observer;
      declare const port: SerialPort;
      declare const stream: SerialPortStream;
      declare const linux: LinuxPortBinding;
      declare const binding: BindingPortInterface;
      declare const device: usb.Device;
      const db = new Database(':memory:');
    `);
    expect(ownerOf(t, 'term')?.name).toBe('node-pty IPty');
    expect(declaredRoles(t, 'term')).toEqual({ close: ['kill'] });
    for (const name of ['dealer', 'socket']) {
      expect(ownerOf(t, name)?.name).toBe('zeromq Socket');
      expect(declaredRoles(t, name)).toEqual({ close: ['close'], cancel: ['close'], guard: ['closed'] });
    }
    // zeromq's v5 compatibility Socket: its close() and closed delegate to the v6 socket (lib/compat.js).
    expect(ownerOf(t, 'compat')?.name).toBe('zeromq Socket');
    expect(declaredRoles(t, 'compat')).toEqual({ close: ['close'], cancel: ['close'], guard: ['closed'] });
    expect(ownerOf(t, 'observer')?.name).toBe('zeromq Observer');
    expect(declaredRoles(t, 'observer')).toEqual({ close: ['close'], cancel: ['close'], guard: ['closed'] });
    for (const name of ['port', 'stream']) {
      expect(ownerOf(t, name)?.name).toBe('SerialPort');
      expect(declaredRoles(t, name)).toEqual({ close: ['close'] });
    }
    expect(declaredRoles(t, 'linux')).toEqual({ rawHandle: ['fd'], close: ['close'], cancel: ['close'] });
    expect(declaredRoles(t, 'binding')).toEqual({ close: ['close'], cancel: ['close'] });
    expect(ownerOf(t, 'device')?.name).toBe('usb.Device');
    expect(declaredRoles(t, 'device')).toEqual({ close: ['close'] });
    expect(pendingOps(t, 'device')).toEqual([
      'controlTransfer',
      'getBosDescriptor',
      'getCapabilities',
      'getStringDescriptor',
      'reset',
      'setConfiguration',
    ]);
    expect(ownerOf(t, 'device')?.noCancelAdvice).toMatch(/pending request/);
    expect(ownerOf(t, 'db')?.name).toBe('better-sqlite3 Database');
    expect(declaredRoles(t, 'db')).toEqual({ close: ['close'] });
    expect(ownerOf(t, 'db')?.source).toBe('builtin');
  });

  it('does not take a look-alike declared outside the package for the package type', () => {
    const t = compile(`
      declare class Socket { close(): void; readonly closed: boolean; send(m: string): Promise<void> }
      interface IPty { kill(): void; write(d: string): void }
      interface Database { close(): this; prepare(sql: string): unknown }
      declare const socket: Socket;
      declare const term: IPty;
      declare const db: Database;
    `);
    expect(ownerOf(t, 'socket')).toBeUndefined();
    expect(ownerOf(t, 'term')).toBeUndefined();
    expect(ownerOf(t, 'db')).toBeUndefined();
  });

  it('lets a resources setting for the same type replace the built-in entry', () => {
    const t = compile(
      `
      import { Dealer } from 'zeromq';
      declare const dealer: Dealer;
    `,
      { resources: [{ type: { from: 'package', package: 'zeromq', name: 'Socket' }, close: 'disconnect' }] },
    );
    const owner = ownerOf(t, 'dealer');
    expect(owner?.source).toBe('configured');
    expect(t.model.membersWithRole(owner!, 'close')).toEqual(['disconnect']);
    expect(t.model.membersWithRole(owner!, 'cancel')).toEqual([]);
  });

  it('keeps the table well-formed: each entry names its version and only roles the model knows', () => {
    for (const spec of PACKAGE_OWNERS) {
      expect(spec.checkedAt).toMatch(/@\d+\.\d+\.\d+/);
      for (const role of Object.keys(spec.roles)) expect(ROLE_FIELDS).toContain(role);
      expect(spec.roles.close?.length ?? 0).toBeGreaterThan(0);
    }
  });
});
