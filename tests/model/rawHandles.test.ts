import { AST_NODE_TYPES, ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import { adoptedArguments, getNativeHandleServices, rawHandleSource } from '../../src/model/index.js';
import { createRuleTester } from '../ruleTester.js';

// Probe rules: report what the helpers answer, so the tests read the answers as lint messages.
const createProbe = ESLintUtils.RuleCreator.withoutDocs;

/** Reports `source(x)` calls: `owner.member` when `x` is an owner's raw handle. */
const sourceProbe = createProbe({
  meta: { type: 'problem', schema: [], defaultOptions: [], messages: { raw: '{{owner}}.{{member}} read at line {{line}}' } },
  create(context) {
    const services = getNativeHandleServices(context);
    return {
      'CallExpression[callee.name="source"]'(call: TSESTree.CallExpression) {
        const arg = call.arguments[0];
        if (!arg) return;
        const found = rawHandleSource(services, context.sourceCode, arg);
        if (!found) return;
        context.report({
          node: call,
          messageId: 'raw',
          data: { owner: context.sourceCode.getText(found.ownerNode), member: found.member, line: found.read.loc.start.line },
        });
      },
    };
  },
});

/**
 * Reports every call or `new` that adopts something, listing the adopted argument texts; with
 * `follow`, passes the source code (options held by a local variable are followed).
 */
const adoptProbeOf = (follow: boolean) =>
  createProbe({
    meta: { type: 'problem', schema: [], defaultOptions: [], messages: { adopts: 'adopts {{args}}' } },
    create(context) {
      const services = getNativeHandleServices(context);
      const check = (call: TSESTree.CallExpression | TSESTree.NewExpression): void => {
        if (call.callee.type === AST_NODE_TYPES.Identifier && call.callee.name === 'source') return;
        const adopted = adoptedArguments(services, call, follow ? context.sourceCode : undefined);
        if (adopted.length === 0) return;
        context.report({
          node: call,
          messageId: 'adopts',
          data: { args: adopted.map(node => context.sourceCode.getText(node)).join(' | ') },
        });
      };
      return { CallExpression: check, NewExpression: check };
    },
  });
const adoptProbe = adoptProbeOf(false);
const followingAdoptProbe = adoptProbeOf(true);

const PRELUDE = `
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
declare function source(value: unknown): void;
`;
const lines = PRELUDE.split('\n').length - 1;

createRuleTester().run('rawHandleSource', sourceProbe, {
  valid: [
    { name: 'a plain number', code: `${PRELUDE}declare const n: number; source(n);` },
    { name: 'a parameter', code: `${PRELUDE}function f(fd: number) { source(fd); }` },
    { name: 'a let reassigned later', code: `${PRELUDE}declare const fh: FileHandle; let fd = fh.fd; fd = 3; source(fd);` },
    { name: 'a field', code: `${PRELUDE}class C { fd = 3; m() { source(this.fd); } }` },
    { name: 'a look-alike fd of another type', code: `${PRELUDE}declare const x: { fd: number }; source(x.fd);` },
    { name: 'a self-opened fd', code: `${PRELUDE}const fd = fs.openSync('x', 'r'); source(fd);` },
    { name: 'an any owner', code: `${PRELUDE}declare const fh: any; source(fh.fd);` },
    {
      name: 'a rawHandle method taken as a value',
      code: `${PRELUDE}import type { Queue } from 'native-addon-stub'; declare const q: Queue; source(q.getHandle);`,
      settings: {
        'native-handle': {
          resources: [{ type: { from: 'package', package: 'native-addon-stub', name: 'Queue' }, rawHandle: 'getHandle' }],
        },
      },
    },
  ],
  invalid: [
    {
      name: 'a direct read',
      code: `${PRELUDE}declare const fh: FileHandle; source(fh.fd);`,
      errors: [{ messageId: 'raw', data: { owner: 'fh', member: 'fd', line: lines + 1 } }],
    },
    {
      name: 'an optional read through parentheses and a non-null assertion',
      code: `${PRELUDE}declare const fh: FileHandle | undefined; source((fh?.fd)!);`,
      errors: [{ messageId: 'raw', data: { owner: 'fh', member: 'fd', line: lines + 1 } }],
    },
    {
      name: 'through a const and an alias',
      code: `${PRELUDE}declare const fh: FileHandle;\nconst fd = fh.fd;\nconst again = fd;\nsource(again);`,
      errors: [{ messageId: 'raw', data: { owner: 'fh', member: 'fd', line: lines + 2 } }],
    },
    {
      name: 'a let written only by its declaration',
      code: `${PRELUDE}declare const fh: FileHandle;\nlet fd = fh.fd;\nsource(fd);`,
      errors: [{ messageId: 'raw', data: { owner: 'fh', member: 'fd', line: lines + 2 } }],
    },
    {
      name: 'destructured, renamed',
      code: `${PRELUDE}declare const fh: FileHandle;\nconst { fd: handle } = fh;\nsource(handle);`,
      errors: [{ messageId: 'raw', data: { owner: 'fh', member: 'fd', line: lines + 2 } }],
    },
    {
      name: 'a tagged addon raw handle',
      code: `${PRELUDE}import { Device } from 'native-addon-stub'; const dev = new Device('/dev/x'); source(dev.handle);`,
      errors: [{ messageId: 'raw', data: { owner: 'dev', member: 'handle', line: lines + 1 } }],
    },
    {
      name: 'a configured rawHandle method, called',
      code: `${PRELUDE}import type { Queue } from 'native-addon-stub'; declare const q: Queue; source(q.getHandle());`,
      settings: {
        'native-handle': {
          resources: [{ type: { from: 'package', package: 'native-addon-stub', name: 'Queue' }, rawHandle: 'getHandle' }],
        },
      },
      errors: [{ messageId: 'raw', data: { owner: 'q', member: 'getHandle', line: lines + 1 } }],
    },
  ],
});

createRuleTester().run('adoptedArguments', adoptProbe, {
  valid: [
    { name: 'no fd option', code: `${PRELUDE}fs.createReadStream('x');` },
    { name: 'autoClose: false', code: `${PRELUDE}fs.createReadStream('x', { fd: 3, autoClose: false });` },
    {
      name: 'autoClose not a literal',
      code: `${PRELUDE}declare const keep: boolean; fs.createWriteStream('x', { fd: 3, autoClose: keep });`,
    },
    {
      name: 'options spread (may carry autoClose: false)',
      code: `${PRELUDE}declare const o: { autoClose: boolean }; fs.createReadStream('x', { ...o, fd: 3 });`,
    },
    {
      name: 'an unrelated function of the same name',
      code: `${PRELUDE}function createReadStream(p: string, o: { fd: number }) { return [p, o]; } createReadStream('x', { fd: 3 });`,
    },
    { name: 'an untagged constructor', code: `${PRELUDE}import { Wrapper } from 'native-addon-stub'; new Wrapper(3);` },
    { name: 'net.Socket without options', code: `${PRELUDE}import * as net from 'node:net'; new net.Socket();` },
    {
      name: 'a spread argument is left out: the object is then the first argument, not the options',
      code: `${PRELUDE}declare const where: [string]; fs.createReadStream(...where, { fd: 3 });`,
    },
  ],
  invalid: [
    {
      name: 'createReadStream with an fd',
      code: `${PRELUDE}fs.createReadStream('x', { fd: 3 });`,
      errors: [{ messageId: 'adopts', data: { args: '3' } }],
    },
    {
      name: 'createWriteStream with autoClose: true and a shorthand fd',
      code: `${PRELUDE}declare const fd: number; fs.createWriteStream('x', { fd, autoClose: true });`,
      errors: [{ messageId: 'adopts', data: { args: 'fd' } }],
    },
    {
      name: 'new net.Socket({ fd })',
      code: `${PRELUDE}import { Socket } from 'node:net'; new Socket({ fd: 4, readable: true });`,
      errors: [{ messageId: 'adopts', data: { args: '4' } }],
    },
    {
      name: 'a tagged @adoptsHandle function',
      code: `${PRELUDE}import { wrapHandle } from 'native-addon-stub'; wrapHandle(5);`,
      errors: [{ messageId: 'adopts', data: { args: '5' } }],
    },
    {
      name: 'a tagged @adoptsHandle function with a spread argument (left out)',
      code: `${PRELUDE}import { wrapHandle } from 'native-addon-stub'; declare const none: []; wrapHandle(...none, 7);`,
      errors: [{ messageId: 'adopts', data: { args: '7' } }],
    },
    {
      name: 'a configured adopt constructor, with an options object',
      code: `${PRELUDE}import { Wrapper } from 'native-addon-stub'; declare const o: never; new Wrapper(6); void o;`,
      settings: { 'native-handle': { adopt: { from: 'package', package: 'native-addon-stub', name: 'Wrapper' } } },
      errors: [{ messageId: 'adopts', data: { args: '6' } }],
    },
  ],
});

createRuleTester().run('adoptedArguments, options held by a local variable', followingAdoptProbe, {
  valid: [
    {
      name: 'a property assigned after the declaration',
      code: `${PRELUDE}const opts = { fd: 3 }; opts.autoClose = false; fs.createReadStream('x', opts);`,
    },
    {
      name: 'a computed property assigned',
      code: `${PRELUDE}const opts: Record<string, unknown> = { fd: 3 }; opts['autoClose'] = false; fs.createReadStream('x', opts);`,
    },
    {
      name: 'a property deleted',
      code: `${PRELUDE}const opts: { fd?: number } = { fd: 3 }; delete opts.fd; fs.createReadStream('x', opts);`,
    },
    {
      name: 'a property written by destructuring',
      code: `${PRELUDE}declare const o: { a: boolean }; const opts = { fd: 3, autoClose: true }; ({ a: opts.autoClose } = o); fs.createReadStream('x', opts);`,
    },
    {
      name: 'changed through a non-null assertion',
      code: `${PRELUDE}const opts = { fd: 3, autoClose: true }; opts!.autoClose = false; fs.createReadStream('x', opts);`,
    },
    {
      name: 'Object.assign on it',
      code: `${PRELUDE}const opts = { fd: 3 }; Object.assign(opts, { autoClose: false }); fs.createReadStream('x', opts);`,
    },
    { name: 'a let reassigned', code: `${PRELUDE}let opts = { fd: 3 }; opts = { fd: 4 }; fs.createReadStream('x', opts);` },
    { name: 'a var', code: `${PRELUDE}var opts = { fd: 3 }; fs.createReadStream('x', opts);` },
    { name: 'an exported const', code: `${PRELUDE}export const opts = { fd: 3 }; fs.createReadStream('x', opts);` },
    { name: 'a parameter', code: `${PRELUDE}function f(opts: { fd: number }) { return fs.createReadStream('x', opts); }` },
    {
      name: 'a held literal with autoClose: false',
      code: `${PRELUDE}const opts = { fd: 3, autoClose: false }; fs.createWriteStream('x', opts);`,
    },
    {
      name: 'a held literal with a spread',
      code: `${PRELUDE}declare const o: { autoClose: boolean }; const opts = { ...o, fd: 3 }; fs.createReadStream('x', opts);`,
    },
    { name: 'a held literal without fd', code: `${PRELUDE}const opts = { start: 0 }; fs.createReadStream('x', opts);` },
    {
      name: 'a held value that is not a literal',
      code: `${PRELUDE}declare function make(): { fd: number }; const opts = make(); fs.createReadStream('x', opts);`,
    },
  ],
  invalid: [
    {
      name: 'a const literal given to createReadStream',
      code: `${PRELUDE}const opts = { fd: 3, start: 0 }; fs.createReadStream('x', opts);`,
      errors: [{ messageId: 'adopts', data: { args: '3' } }],
    },
    {
      name: 'a let never reassigned, read elsewhere, given to createWriteStream',
      code: `${PRELUDE}declare const fd: number; let opts = { fd, autoClose: true } as const; void opts.fd; fs.createWriteStream('x', opts);`,
      errors: [{ messageId: 'adopts', data: { args: 'fd' } }],
    },
    {
      name: 'a const literal given to new net.Socket',
      code: `${PRELUDE}import * as net from 'node:net'; const opts = { fd: 4, readable: true }; new net.Socket(opts);`,
      errors: [{ messageId: 'adopts', data: { args: '4' } }],
    },
  ],
});

createRuleTester().run('adoptedArguments, without the source code', adoptProbe, {
  valid: [{ name: 'a held literal is not followed', code: `${PRELUDE}const opts = { fd: 3 }; fs.createReadStream('x', opts);` }],
  invalid: [],
});
