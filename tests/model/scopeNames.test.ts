import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import type { ScopeSource } from '../../src/model/references.js';
import { mayNameBuiltinByScope } from '../../src/model/scopeNames.js';
import { walk } from '../../src/util/ast.js';
import { typedFile } from './parse.js';

const RAW_CLOSERS = [{ module: 'fs', name: ['close', 'closeSync'] }];

interface Answers {
  /** The scope prefilter: may the callee be `fs.close`/`fs.closeSync`? */
  readonly scope: boolean;
  /** The resource model alone (symbols): is it a raw closer? */
  readonly model: boolean;
  /** What a rule is told (the prefilter, then the model). */
  readonly services: boolean;
}

/** Every call of `code` by its callee's text, with the three answers. */
function judge(code: string, settings: Record<string, unknown> = {}): Map<string, Answers> {
  const { t, ast, visitorKeys, sourceCode, services } = typedFile(code, settings);
  const answers = new Map<string, Answers>();
  walk(ast, visitorKeys, node => {
    if (node.type !== AST_NODE_TYPES.CallExpression) return;
    const callee: TSESTree.Node = node.callee;
    answers.set(code.slice(callee.range[0], callee.range[1]), {
      scope: mayNameBuiltinByScope(sourceCode as unknown as ScopeSource, callee, RAW_CLOSERS),
      model: t.model.isRawCloser(services.tsNodeOf(callee)),
      services: services.isRawCloser(callee),
    });
  });
  return answers;
}

/** The callees the prefilter rules out, and the callees that are raw closers. */
function summary(answers: Map<string, Answers>): { ruledOut: string[]; rawClosers: string[] } {
  return {
    ruledOut: [...answers].filter(([, a]) => !a.scope).map(([callee]) => callee),
    rawClosers: [...answers].filter(([, a]) => a.services).map(([callee]) => callee),
  };
}

/** The prefilter never rules out what the model matches, and a rule is told what the model says. */
function expectAgreement(answers: Map<string, Answers>): void {
  for (const [callee, a] of answers) {
    expect({ callee, ruledOutAMatch: a.model && !a.scope }).toEqual({ callee, ruledOutAMatch: false });
    expect({ callee, services: a.services }).toEqual({ callee, services: a.model });
  }
}

const ALIASES = `
import * as fs from 'node:fs';
import fsDefault, { close, closeSync as shut, openSync } from 'node:fs';
const { close: picked } = fs;
const alias = fs.close;
const aliasOfAlias = alias;
const req = require('node:fs');
declare const fd: number;
export async function run(ns: typeof import('node:fs'), dynamic: boolean) {
  fs.close(fd);
  close(fd);
  shut(fd);
  picked(fd);
  alias(fd);
  aliasOfAlias(fd);
  req.closeSync(fd);
  ns.closeSync(fd);
  fsDefault.closeSync(fd);
  (await import('node:fs')).closeSync(fd);
  if (dynamic) openSync('x');
}
`;

const LOOK_ALIKES = `
import * as fs from 'node:fs';
declare const fd: number;
interface Closable { close(fd: number): void; closeSync(fd: number): void; shut(fd: number): void }
function helper(n: number): number { return n; }
class Pool { close(n: number) { return n; } }
declare function fetchAll(): Promise<{ cookies: Closable[]; io: Closable }>;
export async function run(sock: Closable, shutdown: (n: number) => void, opts: { fs: Closable }) {
  const local = (n: number) => n;
  const cookies = (await fetchAll()).cookies;
  cookies.map(local);
  (await fetchAll()).io.shut(fd);
  let later = fs.close;
  later = helper;
  sock.close(fd);
  sock.closeSync(fd);
  shutdown(fd);
  local(fd);
  helper(fd);
  later(fd);
  opts.fs.closeSync(fd);
  new Pool().close(fd);
  fs.readFileSync('x');
}
class Wrapper {
  constructor(private readonly fh: Closable) {}
  shut() { this.fh.close(fd); }
}
`;

describe('mayNameBuiltinByScope', () => {
  it('keeps every import, alias and namespace form of fs.close/closeSync', () => {
    const answers = judge(ALIASES);
    expectAgreement(answers);
    expect(summary(answers)).toEqual({
      ruledOut: ['openSync'],
      rawClosers: [
        'fs.close',
        'close',
        'shut',
        'picked',
        'alias',
        'aliasOfAlias',
        'ns.closeSync',
        'fsDefault.closeSync',
        "(await import('node:fs')).closeSync",
      ],
    });
  });

  it('rules out parameters, locals, functions, classes and members of plain objects by their declarations', () => {
    const answers = judge(LOOK_ALIKES);
    expectAgreement(answers);
    // A listed name read from a member chain or an expression may be a namespace's member
    // (\`opts.fs\` could hold \`typeof fs\`): the model's to judge, which it does by symbol.
    expect(summary(answers)).toEqual({
      ruledOut: [
        'fetchAll',
        'cookies.map',
        '(await fetchAll()).io.shut',
        'sock.close',
        'sock.closeSync',
        'shutdown',
        'local',
        'helper',
        'later',
        'fs.readFileSync',
      ],
      rawClosers: [],
    });
  });

  it("reads a member of one of Node's modules as that module's function of that name", () => {
    const answers = judge(`
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'assert';
import * as addon from 'native-addon-stub';
const cp = require('child_process');
const fsReq = require('fs');
declare const fd: number;
export function run() {
  fs.closeSync(fd);
  fsReq.closeSync(fd);
  fs.fsyncSync(fd);
  path.basename(String(fd));
  assert.ok(fd);
  cp.execSync(String(fd));
  addon.wrapHandle(fd);
}
`);
    expectAgreement(answers);
    // Only a namespace of another origin may re-export fs.close under another name.
    expect(summary(answers)).toEqual({
      ruledOut: ['fs.fsyncSync', 'path.basename', 'assert.ok', 'cp.execSync'],
      rawClosers: ['fs.closeSync'],
    });
  });

  it('leaves what it cannot read to the model: a global, a parameter named close, a namespace member of that name', () => {
    const answers = judge(`
import * as fs from 'node:fs';
declare const fd: number;
declare function close(fd: number): void;
declare function close(fd: number, cb: () => void): void;
export function run(closeSync: (n: number) => void) {
  close(fd);
  closeSync(fd);
  fs.closeSync(fd);
}
`);
    expectAgreement(answers);
    expect(summary(answers).ruledOut).toEqual([]);
  });

  it('is not consulted with a rawClose setting: a configured closer of any name still matches', () => {
    const code = `
declare const fd: number;
/** A configured raw closer. */
export function release(n: number): void { void n; }
export function run() { release(fd); }
`;
    expect(judge(code).get('release')).toEqual({ scope: false, model: false, services: false });
    const configured = judge(code, { 'native-handle': { rawClose: [{ from: 'file', name: 'release' }] } });
    expect(configured.get('release')).toEqual({ scope: false, model: true, services: true });
  });
});

describe('the scope prefilter of built-in adopters (services.isBuiltinAdopterCall)', () => {
  it('keeps every import form of fs.createReadStream/createWriteStream and net.Socket, and rules out other calls', () => {
    const code = `
import * as fs from 'node:fs';
import * as net from 'node:net';
import { createReadStream as openStream, createWriteStream } from 'node:fs';
import { Socket } from 'node:net';
const req = require('node:fs');
const make = fs.createReadStream;
declare const fd: number;
declare function use(value: unknown): void;
class Stream { constructor(readonly fd: number) {} }
export async function run(ns: typeof import('node:fs')) {
  fs.createReadStream('', { fd });
  openStream('', { fd });
  createWriteStream('', { fd });
  make('', { fd });
  ns.createWriteStream('', { fd });
  (await import('node:fs')).createReadStream('', { fd });
  req.createReadStream('', { fd });
  new net.Socket({ fd });
  new Socket({ fd });
  fs.fstatSync(fd);
  use(fd);
  new Stream(fd);
  net.connect({ port: fd });
}
`;
    const { t, ast, visitorKeys, services } = typedFile(code, {});
    const adopters: string[] = [];
    const ruledOut: string[] = [];
    walk(ast, visitorKeys, node => {
      if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return;
      const text = code.slice(node.callee.range[0], node.callee.range[1]);
      const model = t.model.isBuiltinAdopter(services.tsNodeOf(node.callee), node.type === AST_NODE_TYPES.NewExpression);
      const told = services.isBuiltinAdopterCall(node);
      expect({ text, told }).toEqual({ text, told: model });
      if (told) adopters.push(text);
      else ruledOut.push(text);
    });
    expect(adopters).toEqual([
      'fs.createReadStream',
      'openStream',
      'createWriteStream',
      'make',
      'ns.createWriteStream',
      "(await import('node:fs')).createReadStream",
      'net.Socket',
      'Socket',
    ]);
    expect(ruledOut).toEqual(expect.arrayContaining(['fs.fstatSync', 'use', 'Stream', 'net.connect', 'req.createReadStream']));
  });
});
