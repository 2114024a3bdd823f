import { AST_NODE_TYPES, ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { DeclaredTypes } from '../../src/model/declaredTypes.js';
import { createRuleTester } from '../ruleTester.js';

/**
 * A probe rule: at every identifier `x` read in `probe(x)`, it asks DeclaredTypes for the type
 * without a flow walk and reports `fast <type>` (the type the checker gives there too, else
 * `mismatch`) or `checker` when DeclaredTypes declines (narrowing could change the type).
 */
const probe = ESLintUtils.RuleCreator.withoutDocs({
  meta: {
    type: 'problem',
    schema: [],
    messages: { fast: 'fast {{type}}', checker: 'checker', mismatch: 'mismatch {{fast}} / {{real}}' },
    defaultOptions: [],
  },
  create(context) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const declared = new DeclaredTypes(checker, context.sourceCode, node => services.esTreeNodeToTSNodeMap.get(node));
    // `probe(this.f)`: the field's declared type, when the checker's type there is that type
    // with at most some of its parts dropped (else `mismatch`).
    const partsOf = (type: ts.Type): readonly ts.Type[] => (type.isUnion() ? type.types : [type]);
    const probeField = (member: TSESTree.MemberExpression): void => {
      const fast = declared.thisFieldType(member);
      if (!fast) {
        context.report({ node: member, messageId: 'checker' });
        return;
      }
      const real = services.getTypeAtLocation(member);
      const data = { fast: checker.typeToString(fast), real: checker.typeToString(real) };
      if (partsOf(real).some(part => !partsOf(fast).includes(part))) context.report({ node: member, messageId: 'mismatch', data });
      else context.report({ node: member, messageId: 'fast', data: { type: `${data.fast} (here ${data.real})` } });
    };
    // `probe(xs[0]!)`, `probe(xs[i])`: the declared element type, when it is the checker's type there.
    const probeElement = (read: TSESTree.Expression): void => {
      const fast = declared.elementType(read);
      if (!fast) {
        context.report({ node: read, messageId: 'checker' });
        return;
      }
      const real = services.getTypeAtLocation(read);
      const data = { fast: checker.typeToString(fast), real: checker.typeToString(real) };
      if (real !== fast) context.report({ node: read, messageId: 'mismatch', data });
      else context.report({ node: read, messageId: 'fast', data: { type: data.fast } });
    };
    return {
      CallExpression(call: TSESTree.CallExpression) {
        if (call.callee.type !== AST_NODE_TYPES.Identifier || call.callee.name !== 'probe') return;
        const argument = call.arguments[0];
        if (argument?.type === AST_NODE_TYPES.ThisExpression) {
          // `probe(this)`: the class's declared type, when it is the constraint of the checker's `this` type there.
          const fast = declared.thisType(argument);
          if (!fast) {
            context.report({ node: argument, messageId: 'checker' });
            return;
          }
          const real = services.getTypeAtLocation(argument);
          const constraint = checker.getBaseConstraintOfType(real) ?? real;
          const data = { fast: checker.typeToString(fast), real: checker.typeToString(constraint) };
          if (constraint !== fast) context.report({ node: argument, messageId: 'mismatch', data });
          else context.report({ node: argument, messageId: 'fast', data: { type: data.fast } });
          return;
        }
        if (
          argument?.type === AST_NODE_TYPES.TSNonNullExpression ||
          (argument?.type === AST_NODE_TYPES.MemberExpression && argument.computed)
        ) {
          probeElement(argument);
          return;
        }
        if (argument?.type === AST_NODE_TYPES.MemberExpression) {
          probeField(argument);
          return;
        }
        if (argument?.type !== AST_NODE_TYPES.Identifier) return;
        const fast = declared.typeOfReference(argument);
        if (!fast) {
          context.report({ node: argument, messageId: 'checker' });
          return;
        }
        const real = services.getTypeAtLocation(argument);
        if (real !== fast) {
          context.report({
            node: argument,
            messageId: 'mismatch',
            data: { fast: checker.typeToString(fast), real: checker.typeToString(real) },
          });
          return;
        }
        context.report({ node: argument, messageId: 'fast', data: { type: checker.typeToString(fast) } });
      },
    };
  },
});

const PRELUDE = `
import { open, type FileHandle } from 'node:fs/promises';
declare function probe(value: unknown): void;
declare function use(value: unknown): void;
declare function isHandle(value: unknown): value is FileHandle;
declare function assertHandle(value: unknown): asserts value is FileHandle;
`;

const fast = (type: string) => ({ messageId: 'fast' as const, data: { type } });
const declines = { messageId: 'checker' as const };

createRuleTester().run('DeclaredTypes', probe, {
  valid: [],
  invalid: [
    {
      name: 'a const owner read through members, calls and arguments: the declared type, no flow walk',
      code: `${PRELUDE}
        export async function f(path: string) {
          const fh = await open(path, 'r');
          const fd = fh.fd;
          use(fd);
          await fh.stat();
          use(fh);
          const copy = fh;
          use(copy);
          probe(fh);
          probe(fd);
        }`,
      errors: [fast('FileHandle'), fast('number')],
    },
    {
      name: 'a parameter of a non-union type, in a closure too',
      code: `${PRELUDE}
        export function f(fh: FileHandle) {
          setTimeout(() => probe(fh), 1);
        }`,
      errors: [fast('FileHandle')],
    },
    {
      name: 'declines where narrowing could change the type',
      code: `${PRELUDE}
        export function f(a: FileHandle | undefined, b: object, c: FileHandle, d: FileHandle, e: FileHandle, g: unknown, h: number) {
          if (c) use(c);
          if (isHandle(d)) use(d);
          assertHandle(e);
          if (h === 3) use(h);
          let w: FileHandle | number = c;
          w = d;
          probe(a);
          probe(b);
          probe(c);
          probe(d);
          probe(e);
          probe(g);
          probe(h);
          probe(w);
        }`,
      errors: [declines, declines, declines, declines, declines, declines, declines, declines],
    },
    {
      name: 'a generic value declines; an argument of a function without a type predicate does not',
      code: `${PRELUDE}
        export function f<T extends FileHandle>(t: T, fh: FileHandle) {
          const ok = use(fh);
          probe(t);
          probe(fh);
          probe(ok);
        }`,
      errors: [declines, fast('FileHandle'), fast('void')],
    },
    {
      name: 'a let of a non-union type written by assignments and updates, read in a closure',
      code: `${PRELUDE}
        export function f(values: number[]) {
          let total = 0;
          for (const value of values) total += value;
          total++;
          total = total * 2;
          setTimeout(() => probe(total), 1);
        }`,
      errors: [fast('number')],
    },
    {
      name: 'initialized by a call or new of a non-generic callee (its return type, arguments unchecked), and imports: the type the checker gives',
      code: `${PRELUDE}
        import * as fs from 'node:fs';
        import * as fsp from 'node:fs/promises';
        import * as net from 'node:net';
        declare function literal(): 'a';
        declare function maybe(): FileHandle | undefined;
        declare function overloaded(a: string): FileHandle;
        declare function overloaded(a: number): number;
        export async function f(path: string, host: string) {
          const h = await fsp.open(path, 'r');
          const fd = fs.openSync(path, 'r');
          const s = net.connect(80, host);
          const t = new net.Socket();
          const m = new Map<string, number>();
          const u = new Map([[path, 1]]);
          let l = literal();
          const o = overloaded(path);
          const p = fsp.open(path);
          const x = maybe();
          probe(h);
          probe(fd);
          probe(s);
          probe(t);
          probe(m);
          probe(u);
          probe(l);
          probe(o);
          probe(p);
          probe(x);
          probe(fs);
          probe(open);
          fs.closeSync(fd);
        }`,
      errors: [
        fast('FileHandle'),
        fast('number'),
        fast('Socket'),
        fast('Socket'),
        fast('Map<string, number>'),
        fast('Map<string, number>'),
        fast('"a"'),
        fast('FileHandle'),
        fast('Promise<FileHandle>'),
        declines,
        fast('typeof import("node:fs")'),
        fast('(path: PathLike, flags?: string | number | undefined, mode?: Mode | undefined) => Promise<FileHandle>'),
      ],
    },
    {
      name: 'this.f: the declared type where narrowing only drops null/undefined, in methods, arrows and initializers',
      code: `${PRELUDE}
        import * as net from 'node:net';
        export class Holder {
          private fh: FileHandle | undefined;
          private sock: net.Socket | null = null;
          private fixed: FileHandle;
          readonly early = () => probe(this.fixed);
          constructor(fh: FileHandle) {
            this.fixed = fh;
          }
          async run(path: string) {
            this.fh = await open(path, 'r');
            await this.fh.stat();
            probe(this.fh);
            if (!this.sock) return;
            this.sock.write('x');
            probe(this.sock);
            setTimeout(() => probe(this.fh), 1);
            this.fh = undefined;
          }
          close() {
            if (this.fh !== undefined) probe(this.fh);
            probe(this.fh ?? this.fixed);
            probe(this.fixed);
          }
        }`,
      errors: [
        fast('FileHandle (here FileHandle)'),
        fast('FileHandle | undefined (here FileHandle)'),
        fast('Socket | null (here Socket)'),
        fast('FileHandle | undefined (here FileHandle | undefined)'),
        fast('FileHandle | undefined (here FileHandle)'),
        fast('FileHandle (here FileHandle)'),
      ],
    },
    {
      name: 'this.f declines: subtype narrowing, unions, generics, accessors, this outside a class member',
      code: `${PRELUDE}
        import * as net from 'node:net';
        import * as tls from 'node:tls';
        declare function isTls(value: unknown): value is tls.TLSSocket;
        export class Narrowed<T> {
          private a: net.Socket | undefined;
          private b: net.Socket;
          private c: FileHandle | net.Socket;
          private d: T;
          private e: net.Socket;
          private f: object;
          get g(): net.Socket { return this.b; }
          constructor(b: net.Socket, c: FileHandle, d: T) {
            this.b = b;
            this.c = c;
            this.d = d;
            this.e = b;
            this.f = b;
          }
          run() {
            if (this.a instanceof tls.TLSSocket) use(1);
            if (isTls(this.b)) use(2);
            if (typeof this.e === 'object') use(3);
            probe(this.a);
            probe(this.b);
            probe(this.c);
            probe(this.d);
            probe(this.e);
            probe(this.f);
            probe(this.g);
            const self = { b: 1, run() { probe(this.b); } };
            use(self);
          }
        }`,
      errors: [declines, declines, declines, declines, declines, declines, declines, declines],
    },
    {
      name: 'element reads of an array nothing narrows: the declared element type, under ! too',
      code: `${PRELUDE}
        export function f(handles: FileHandle[], fds: readonly number[], i: number) {
          use(handles[0]!.fd);
          void handles[1]!.close();
          use(fds[i]);
          const first = handles[0]!;
          const fd = fds[1];
          probe(handles[2]!);
          probe(fds[i]);
          probe(fds[0]);
          probe(first);
          probe(fd);
        }`,
      errors: [fast('FileHandle'), fast('number'), fast('number'), fast('FileHandle'), fast('number')],
    },
    {
      name: 'element reads decline when any element read of the array may be narrowed, or the array or element is not plain',
      code: `${PRELUDE}
        export function f(a: FileHandle[], b: FileHandle[], c: Array<FileHandle | undefined>, d: [FileHandle, number], e: FileHandle[]) {
          if (isHandle(a[0])) use(1);
          b[0] = a[1]!;
          if (e[0]) use(2);
          probe(a[1]!);
          probe(b[1]!);
          probe(c[0]);
          probe(d[0]);
          probe(e[1]!);
        }`,
      errors: [declines, declines, declines, declines, declines],
    },
    {
      name: 'this in a class member: the class type where no this of the member may be narrowed',
      code: `${PRELUDE}
        declare function isLog(value: unknown): value is Log;
        class Log {
          fh: FileHandle | undefined;
          constructor() {
            use(this.fh);
            use(this);
            probe(this);
          }
          plain(): void {
            const run = () => probe(this);
            run();
          }
          narrowed(): void {
            if (this instanceof Log) use(1);
            probe(this);
          }
          guarded(): void {
            if (isLog(this)) use(2);
            setTimeout(() => probe(this), 1);
          }
        }
        use(Log);`,
      errors: [fast('Log'), fast('Log'), declines, declines],
    },
    {
      name: 'a variable passed to its own method: no endless recursion, and declined',
      code: `${PRELUDE}
        interface Registry { track(value: unknown): void }
        export function f(r: Registry) {
          r.track(r);
          probe(r);
        }`,
      errors: [declines],
    },
  ],
});
