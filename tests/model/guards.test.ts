import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { throwingGuardKind, type LivenessMembers, type ThrowingGuardKind } from '../../src/model/index.js';
import { compile } from './program.js';

/**
 * Compiles one class `C` with the given members (a `closed` flag, a `state` field and a
 * FileHandle field `fh` are declared) and asks of each method whether it verifiably throws when
 * closed. `state` is a liveness state of unknown polarity.
 */
function kinds(members: string, states: readonly string[] = ['state']): Record<string, ThrowingGuardKind | undefined> {
  const program = compile(`
    import type { FileHandle } from 'node:fs/promises';
    import type * as net from 'node:net';
    export class C {
      closed = false;
      state: 'open' | 'closed' = 'open';
      constructor(readonly fh: FileHandle, readonly sock: net.Socket) {}
      ${members}
    }
  `);
  const declaration = program.classNamed('C');
  const methods = declaration.members.filter(ts.isMethodDeclaration);
  const result: Record<string, ThrowingGuardKind | undefined> = {};
  const liveness: LivenessMembers = {
    closedFlags: new Set(['closed']),
    states: new Set(states),
    guardKind: name => result[name],
  };
  for (const method of methods) result[method.name.getText()] = throwingGuardKind(program.model, method, liveness);
  return result;
}

describe('throwingGuardKind', () => {
  it('a synchronous method that throws when a closed flag says so', () => {
    expect(
      kinds(`
        a(): void { if (this.closed) throw new Error('closed'); }
        b(): void { if (this.closed === true) { throw new Error('closed'); } }
        c(): void { if (this.closed || this.sock.destroyed) throw new Error('closed'); }
        d(): void { if (this.sock.destroyed) throw new Error('closed'); }
        e(): boolean { if (this.state !== 'open') throw new Error('closed'); return true; }
      `),
    ).toEqual({ a: 'sync', b: 'sync', c: 'sync', d: 'sync', e: 'sync' });
  });

  it('an async method, or one that returns Promise.reject when closed, rejects', () => {
    expect(
      kinds(`
        async a(): Promise<void> { if (this.closed) throw new Error('closed'); }
        b(): Promise<void> { if (this.closed) return Promise.reject(new Error('closed')); return Promise.resolve(); }
      `),
    ).toEqual({ a: 'async', b: 'async' });
  });

  it('a method that delegates to a throwing guard', () => {
    expect(
      kinds(`
        a(): void { if (this.closed) throw new Error('closed'); }
        b(): void { this.a(); }
      `),
    ).toEqual({ a: 'sync', b: 'sync' });
  });

  it('not a method that only logs, returns a boolean, throws when open, or does other work', () => {
    expect(
      kinds(`
        warns(): void { if (this.closed) console.warn('closed'); }
        reads(): boolean { return this.closed; }
        inverted(): void { if (!this.closed) throw new Error('open'); }
        both(): void { if (this.closed && this.state === 'open') throw new Error('closed'); }
        works(): void { if (this.closed) throw new Error('closed'); void this.fh.sync(); }
        unrelated(): void { if (Math.random() > 0.5) throw new Error('unlucky'); }
        maybe(): void { if (this.closed) { if (Math.random() > 0.5) return; throw new Error('closed'); } }
        needsArgument(reason: string): void { if (this.closed) throw new Error(reason); }
      `),
    ).toEqual({
      warns: undefined,
      reads: undefined,
      inverted: undefined,
      both: undefined,
      works: undefined,
      unrelated: undefined,
      maybe: undefined,
      needsArgument: undefined,
    });
  });
});
