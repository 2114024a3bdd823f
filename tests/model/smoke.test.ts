import { describe, expect, it } from 'vitest';
import { compile } from './program.js';

describe('smoke', () => {
  it('finds builtins', () => {
    const t = compile(`
      import { open, type FileHandle } from 'node:fs/promises';
      import * as net from 'node:net';
      import * as fs from 'fs';
      import * as http from 'http';
      import { Device, Queue } from 'native-addon-stub';
      declare const fh: FileHandle;
      declare const maybe: FileHandle | undefined;
      declare const sock: net.Socket;
      declare const rs: fs.ReadStream;
      declare const server: http.Server;
      declare const dev: Device;
      declare const q: Queue;
      declare const n: number;
      class FileHandleLike { fd = 1; close() {} }
      declare const fake: FileHandleLike;
      class MySock extends net.Socket {}
      declare const mine: MySock;
      process.on('exit', () => {});
    `);
    const name = (v: string) => t.model.ownerOfType(t.typeOf(v))?.name;
    expect(name('fh')).toBe('FileHandle');
    expect(name('maybe')).toBe('FileHandle');
    expect(name('sock')).toBe('net.Socket');
    expect(name('rs')).toBe('fs.ReadStream');
    expect(name('server')).toBe('http.Server');
    expect(name('dev')).toBe('Device');
    expect(name('q')).toBeUndefined();
    expect(name('n')).toBeUndefined();
    expect(name('fake')).toBeUndefined();
    expect(name('mine')).toBe('net.Socket');
    const dev = t.model.ownerOfType(t.typeOf('dev'))!;
    expect([...dev.roles.rawHandle]).toEqual(['handle']);
    expect([...dev.roles.guard]).toEqual(['closed']);
    expect([...dev.roles.close].sort()).toContain('close');
    const call = t.callNamed('process.on');
    expect(t.model.isProcessType(t.program.getTypeChecker().getTypeAtLocation(call.expression.getChildAt(0)))).toBe(true);
  });
});
