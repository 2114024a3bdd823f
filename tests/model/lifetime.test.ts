import { parse } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { describe, expect, it } from 'vitest';
import { analyzeFunction, type FlowAnalysis } from '../../src/model/flow.js';
import type { Owner } from '../../src/model/index.js';
import * as ts from 'typescript';
import {
  closeRoleNames,
  fieldsAssignedByMethod,
  isAccessorMember,
  isHarmlessAfterClose,
  mayBeCloseName,
  reopensOwner,
} from '../../src/model/lifetime.js';
import { compile, type TestProgram } from './program.js';

const OWNERS = `
  import type { FileHandle } from 'node:fs/promises';
  import type * as net from 'node:net';
  import type * as http from 'node:http';
  import type { Device } from 'native-addon-stub';
  declare const fh: FileHandle;
  declare const sock: net.Socket;
  declare const server: net.Server;
  declare const web: http.Server;
  declare const dev: Device;
`;

function ownerNamed(t: TestProgram, variable: string): Owner {
  const owner = t.model.ownerOfType(t.typeOf(variable));
  if (!owner) throw new Error(`${variable} is not an owner`);
  return owner;
}

/** The call expression of `code` (an expression statement). */
function callOf(code: string): TSESTree.CallExpression {
  const program = parse(code, { range: true, loc: true }) as unknown as TSESTree.Program;
  const statement = program.body[0];
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression.type !== AST_NODE_TYPES.CallExpression) {
    throw new Error('not a call');
  }
  return statement.expression;
}

describe('close-role names (the syntax test before the type question)', () => {
  it('knows the built-in, conventional and configured close names, and the Sync twins', () => {
    const t = compile('export {};', {
      resources: [{ type: { from: 'package', package: 'native-addon-stub', name: 'Queue' }, close: 'shutdown' }],
    });
    for (const name of ['close', 'destroy', 'dispose', 'terminate', 'kill', 'resetAndDestroy', '[Symbol.asyncDispose]', 'shutdown']) {
      expect(mayBeCloseName(t.model, name)).toBe(true);
    }
    expect(mayBeCloseName(t.model, 'closeSync')).toBe(true);
    expect(mayBeCloseName(t.model, 'shutdownSync')).toBe(true);
    for (const name of ['end', 'read', 'write', 'Sync', 'cancel', undefined]) expect(mayBeCloseName(t.model, name)).toBe(false);
  });

  it('knows the names of members tagged @close in the program', () => {
    const t = compile(`
      /** @nativeResource */
      export interface Pump {
        /** @close */
        halt(): void;
        /** @closesHandle */
        drop(): void;
      }
      export class Pipe {
        /** @close */
        #shut(): void {}
        /** @close */
        [Symbol.dispose](): void {}
      }
    `);
    expect(mayBeCloseName(t.model, 'halt')).toBe(true);
    expect(mayBeCloseName(t.model, '#shut')).toBe(true);
    expect(mayBeCloseName(t.model, 'drop')).toBe(false);
  });

  it('takes a member name only from a JSDoc @close tag, wherever it stands in the comment', () => {
    const t = compile(`
      export class Valve {
        /**
         * Stops the flow; see @close below. @close
         */
        stop(): void {}
        // @close (a line comment is not JSDoc)
        halt(): void {}
        /* @close (nor is a block comment) */
        park(): void {}
        /** @closes is another tag */
        seal(): void {}
        label = '/** @close */';
        /** The @close tag of a property. */
        readonly shut = () => {};
      }
    `);
    expect(mayBeCloseName(t.model, 'stop')).toBe(true);
    expect(mayBeCloseName(t.model, 'shut')).toBe(true);
    for (const name of ['halt', 'park', 'seal', 'label']) expect(mayBeCloseName(t.model, name)).toBe(false);
  });

  it('is computed once per model', () => {
    const t = compile('export {};');
    expect(closeRoleNames(t.model)).toBe(closeRoleNames(t.model));
    expect(closeRoleNames(t.model).has('shutdown')).toBe(false);
  });
});

describe('calls that are harmless on a closed owner', () => {
  const t = compile(OWNERS);

  it('listener management, ref/unref and end() without data', () => {
    const sock = ownerNamed(t, 'sock');
    expect(isHarmlessAfterClose(t.model, sock, 'once', callOf("sock.once('close', done)"))).toBe(true);
    expect(isHarmlessAfterClose(t.model, sock, 'removeAllListeners', callOf('sock.removeAllListeners()'))).toBe(true);
    expect(isHarmlessAfterClose(t.model, sock, 'unref', callOf('sock.unref()'))).toBe(true);
    expect(isHarmlessAfterClose(t.model, sock, 'end', callOf('sock.end()'))).toBe(true);
    expect(isHarmlessAfterClose(t.model, sock, 'end', callOf('sock.end(() => done())'))).toBe(true);
  });

  it('end(data) and ordinary members are uses', () => {
    const sock = ownerNamed(t, 'sock');
    expect(isHarmlessAfterClose(t.model, sock, 'end', callOf("sock.end('bye')"))).toBe(false);
    expect(isHarmlessAfterClose(t.model, sock, 'write', callOf("sock.write('x')"))).toBe(false);
    expect(isHarmlessAfterClose(t.model, ownerNamed(t, 'fh'), 'stat', callOf('fh.stat()'))).toBe(false);
  });

  it('ref/unref are uses when the owner gives them the addRef/release role', () => {
    const dev = ownerNamed(t, 'dev');
    expect(isHarmlessAfterClose(t.model, dev, 'ref', callOf('dev.ref()'))).toBe(false);
    expect(isHarmlessAfterClose(t.model, dev, 'unref', callOf('dev.unref()'))).toBe(false);
  });
});

describe('calls that open a closed owner again', () => {
  const t = compile(OWNERS);

  it('listen() on servers, connect() on net.Socket', () => {
    expect(reopensOwner(ownerNamed(t, 'server'), 'listen')).toBe(true);
    expect(reopensOwner(ownerNamed(t, 'web'), 'listen')).toBe(true);
    expect(reopensOwner(ownerNamed(t, 'sock'), 'connect')).toBe(true);
  });

  it('nothing else', () => {
    expect(reopensOwner(ownerNamed(t, 'sock'), 'listen')).toBe(false);
    expect(reopensOwner(ownerNamed(t, 'fh'), 'connect')).toBe(false);
    expect(reopensOwner(ownerNamed(t, 'dev'), 'listen')).toBe(false);
  });
});

describe('flow engine: the state a throwing node sends to catch/finally', () => {
  /** Facts `gen('a')` adds; with `undoOnThrow`, a throwing node takes back the facts it added itself. */
  function caught(code: string, undoOnThrow: boolean): string[] | undefined {
    const program = parse(code, { range: true, loc: true }) as unknown as TSESTree.Program;
    const fn = program.body[0];
    if (fn?.type !== AST_NODE_TYPES.FunctionDeclaration) throw new Error('no function');
    const analysis: FlowAnalysis<ReadonlySet<string>> = {
      initial: new Set(),
      join: (a, b) => new Set([...a, ...b]),
      equals: (a, b) => a.size === b.size && [...a].every(fact => b.has(fact)),
      transfer(node, state) {
        if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'gen') {
          return new Set([...state, 'gen']);
        }
        return state;
      },
      ...(undoOnThrow ? { thrown: (_node: TSESTree.Node, before: ReadonlySet<string>) => before } : {}),
    };
    const result = analyzeFunction(fn, analysis, visitorKeys);
    let handler: TSESTree.CatchClause | undefined;
    const visit = (node: TSESTree.Node): void => {
      if (node.type === AST_NODE_TYPES.CatchClause) handler = node;
      for (const key of visitorKeys[node.type] ?? []) {
        const child = (node as unknown as Record<string, unknown>)[key];
        for (const item of Array.isArray(child) ? child : [child]) {
          if (item && typeof item === 'object' && 'type' in item) visit(item as TSESTree.Node);
        }
      }
    };
    visit(fn.body);
    const state = handler && result.before(handler);
    return state && [...state].sort();
  }

  it('by default, the state after the node', () => {
    expect(caught('function f() { try { gen(); } catch {} }', false)).toEqual(['gen']);
  });

  it('with a thrown hook, what the hook returns', () => {
    expect(caught('function f() { try { gen(); } catch {} }', true)).toEqual([]);
    expect(caught('function f() { try { gen(); other(); } catch {} }', true)).toEqual(['gen']);
  });
});

describe('fields a method of the class may assign', () => {
  const t = compile(`
    import type { FileHandle } from 'node:fs/promises';
    import { EventEmitter } from 'node:events';
    declare function open(): Promise<FileHandle>;
    abstract class Base extends EventEmitter {
      protected abstract hook(): void;
    }
    export class Log extends Base {
      #fh: FileHandle | undefined;
      private lines = 0;
      private key = 'lines';
      constructor(private fh: FileHandle) {
        super();
      }
      get current(): FileHandle {
        return this.fh;
      }
      private count(): void {
        this.lines += 1;
      }
      private readonly reopen = async (): Promise<void> => {
        this.fh = await open();
      };
      private async restart(): Promise<void> {
        this.count();
        await this.reopen();
      }
      private clearPrivate(): void {
        this.#fh = undefined;
      }
      private computed(): void {
        (this as Record<string, unknown>)[this.key] = 0;
        this[this.key as 'lines'] = 0;
      }
      protected hook(): void {}
      run(): void {
        this.count();
        void this.restart();
        this.clearPrivate();
        this.computed();
        this.emit('x');
        this.hook();
        void this.current;
      }
    }
  `);
  const calleeOf = (name: string): ts.Node => t.callNamed(`this.${name}`).expression;
  const assigned = (name: string): string[] | 'all' => {
    const fields = fieldsAssignedByMethod(t.model, calleeOf(name));
    return fields === 'all' ? 'all' : [...fields].sort();
  };

  it('follows the body and the this-methods it calls', () => {
    expect(assigned('count')).toEqual(['lines']);
    expect(assigned('restart')).toEqual(['fh', 'lines']);
    expect(assigned('clearPrivate')).toEqual(['#fh']);
  });

  it('a computed assignment may be any field; a library method none', () => {
    expect(assigned('computed')).toBe('all');
    expect(assigned('emit')).toEqual([]);
  });

  it('tells getters from fields', () => {
    const member = (text: string): ts.Node => {
      let found: ts.Node | undefined;
      const visit = (node: ts.Node): void => {
        if (!found && ts.isPropertyAccessExpression(node) && node.getText() === text) found = node;
        ts.forEachChild(node, visit);
      };
      visit(t.sourceFile);
      return found!;
    };
    expect(isAccessorMember(t.model, member('this.current'))).toBe(true);
    expect(isAccessorMember(t.model, member('this.fh'))).toBe(false);
  });
});
