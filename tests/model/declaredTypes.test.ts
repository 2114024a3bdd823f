import { AST_NODE_TYPES, ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
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
    return {
      CallExpression(call: TSESTree.CallExpression) {
        if (call.callee.type !== AST_NODE_TYPES.Identifier || call.callee.name !== 'probe') return;
        const argument = call.arguments[0];
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
      name: 'initialized by a call or new of a non-generic callee (its return type, arguments unchecked): the type the checker gives',
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
      ],
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
