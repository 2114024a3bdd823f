import { parseForESLint } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { describe, expect, it } from 'vitest';
import { walk } from '../../src/util/ast.js';
import { linkParents } from './parse.js';
import {
  References,
  isThisMemberKey,
  isWithinKey,
  memberKey,
  referencesOf,
  rootOfKey,
  writtenTargets,
} from '../../src/model/references.js';
import { asFunction, contains, enclosingFunction, thisClassOf } from '../../src/model/util.js';

// ------------------------------------------------------------------------------------------
// Helpers

interface Parsed {
  readonly code: string;
  readonly nodes: readonly TSESTree.Node[];
  readonly refs: References;
}

/** Parses `code` with scopes, and gives `getScope` as ESLint's SourceCode does. */
function parseCode(code: string): Parsed {
  const { ast, scopeManager } = parseForESLint(code, { range: true, loc: true });
  const program = ast as unknown as TSESTree.Program;
  linkParents(program, visitorKeys);
  const nodes: TSESTree.Node[] = [];
  walk(program, visitorKeys, node => {
    nodes.push(node);
  });
  const getScope = (node: TSESTree.Node): TSESLint.Scope.Scope => {
    for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
      const scope = scopeManager.acquire(current, current.type !== AST_NODE_TYPES.Program);
      if (scope)
        return ((scope.type as string) === 'function-expression-name' ? scope.childScopes[0] : scope) as unknown as TSESLint.Scope.Scope;
    }
    throw new Error('no scope');
  };
  return { code, nodes, refs: new References({ getScope }) };
}

/** The nodes whose source text is `text`, in source order (the outermost first where several nest). */
function nodesOf(parsed: Parsed, text: string): TSESTree.Node[] {
  const found = parsed.nodes.filter(node => parsed.code.slice(node.range[0], node.range[1]) === text);
  if (found.length === 0) throw new Error(`no node \`${text}\``);
  return found;
}

/** The key of the `index`-th expression written `text` (counting outermost nodes only). */
function keyAt(parsed: Parsed, text: string, index = 0, aliases = true): string | undefined {
  const outermost = nodesOf(parsed, text).filter((node, _, all) => !all.includes(node.parent!));
  const node = outermost[index];
  if (!node) throw new Error(`no occurrence ${index} of \`${text}\``);
  return parsed.refs.keyOf(node, { aliases });
}

// ------------------------------------------------------------------------------------------

describe('References.keyOf', () => {
  it('names a local, a parameter and member chains below them', () => {
    const p = parseCode('function f(opts: any) { const fh = open(); fh.stream.fd; opts.signal; }');
    expect(keyAt(p, 'fh', 1)).toBe(`fh@${p.code.indexOf('fh =')}`);
    expect(keyAt(p, 'fh.stream.fd')).toBe(`fh@${p.code.indexOf('fh =')}.stream.fd`);
    expect(keyAt(p, 'opts.signal')).toBe(`opts@${p.code.indexOf('opts')}.signal`);
  });

  it('tells a shadowing variable from the one it shadows', () => {
    const p = parseCode('const fh = a(); { const fh = b(); fh.close(); } fh.close();');
    const inner = keyAt(p, 'fh', 2);
    const outer = keyAt(p, 'fh', 3);
    expect(inner).not.toBe(outer);
    expect(keyAt(p, 'fh.close', 0)).toBe(`${inner}.close`);
    expect(keyAt(p, 'fh.close', 1)).toBe(`${outer}.close`);
  });

  it('names this, its fields (plain, private, string literal keys) and deeper members', () => {
    const p = parseCode(
      `class C { #fh: any; fh: any; m() { this; this.fh; this.#fh; this['fh']; this.pool.conn; this[Symbol.dispose]; } }`,
    );
    expect(keyAt(p, 'this', 0)).toBe('this');
    expect(keyAt(p, 'this.fh')).toBe('this.fh');
    expect(keyAt(p, `this['fh']`)).toBe('this.fh');
    expect(keyAt(p, 'this.#fh')).toBe('this.#fh');
    expect(keyAt(p, 'this.pool.conn')).toBe('this.pool.conn');
    expect(keyAt(p, 'this[Symbol.dispose]')).toBe('this[Symbol.dispose]');
  });

  it('looks through parentheses, `!`, `as`, `<T>`, `satisfies` and optional chaining', () => {
    const p = parseCode('class C { m() { (this.fh)!.fd; (this.fh as any).fd; this.fh?.fd; (this.fh satisfies unknown); this.fh!?.fd; } }');
    for (const text of ['(this.fh)!.fd', '(this.fh as any).fd', 'this.fh?.fd', 'this.fh!?.fd']) expect(keyAt(p, text)).toBe('this.fh.fd');
    expect(keyAt(p, 'this.fh satisfies unknown')).toBe('this.fh');
  });

  it('gives side-effect-free condition operands one key however they are spelled', () => {
    const p = parseCode(
      'function f(opts: any) { const k = opts.keep; if (opts.keep) {} if (opts?.keep) {} if ((opts as any).keep) {} if (k) {} if (opts.keep()) {} }',
    );
    const key = keyAt(p, 'opts.keep', 1);
    expect(key).toBe(`opts@${p.code.indexOf('opts')}.keep`);
    expect(keyAt(p, 'opts?.keep')).toBe(key);
    expect(keyAt(p, '(opts as any).keep')).toBe(key);
    expect(keyAt(p, 'k', 1)).toBe(key);
    expect(keyAt(p, 'opts.keep()')).toBeUndefined();
  });

  it('is undefined for what it cannot name: calls, computed members, super, literals', () => {
    const p = parseCode('class C extends B { m(k: string) { this[k]; get().fd; super.fd; this.a[0]; (1).x; } }');
    for (const text of ['this[k]', 'get().fd', 'super.fd', 'this.a[0]', '(1).x']) expect(keyAt(p, text)).toBeUndefined();
  });

  it('names an undeclared global by its name', () => {
    const p = parseCode('process.stdout; globalThis.x;');
    expect(keyAt(p, 'process.stdout')).toBe('process@global.stdout');
  });

  it('quotes member names that are no plain identifier, so keys do not collide', () => {
    const p = parseCode(`class C { m() { this['a.b']; this.a.b; } }`);
    expect(keyAt(p, `this['a.b']`)).toBe('this["a.b"]');
    expect(keyAt(p, 'this.a.b')).toBe('this.a.b');
  });
});

describe('References.keyOf: aliases', () => {
  it('resolves `const h = this.fh`, a `let` never written again, destructuring and chains of aliases', () => {
    const p = parseCode(`class C { m() {
      const h = this.fh; h.close();
      let l = this.fh; l.close();
      const { fh } = this; fh.close();
      const { fh: renamed } = this; renamed.close();
      const a = this.pool; const b = a; b.conn;
    } }`);
    expect(keyAt(p, 'h.close')).toBe('this.fh.close');
    expect(keyAt(p, 'l.close')).toBe('this.fh.close');
    expect(keyAt(p, 'fh.close')).toBe('this.fh.close');
    expect(keyAt(p, 'renamed.close')).toBe('this.fh.close');
    expect(keyAt(p, 'b.conn')).toBe('this.pool.conn');
  });

  it('keeps a local its own key when written again, or when its source variable is', () => {
    const p = parseCode(`function f(fh: any, other: any) {
      let l = fh; l = other; l.close();
      let src = fh; const copy = src; src = other; copy.close();
      const call = open(); call.close();
      const fn = () => 1; fn.name;
      const { [k]: computed } = fh; computed.close();
      const { deep = 1 } = fh; deep.close();
    }`);
    const own = (name: string, index: number): string => `${name}@${nthIndex(p.code, `${name} =`, index)}`;
    expect(keyAt(p, 'l.close')).toBe(`${own('l', 0)}.close`);
    expect(keyAt(p, 'copy.close')).toBe(`${own('copy', 0)}.close`);
    expect(keyAt(p, 'call.close')).toBe(`${own('call', 0)}.close`);
    expect(keyAt(p, 'fn.name')).toBe(`${own('fn', 0)}.name`);
    expect(keyAt(p, 'computed.close')).toMatch(/^computed@\d+\.close$/);
    expect(keyAt(p, 'deep.close')).toMatch(/^deep@\d+\.close$/);
  });

  it('judges each source variable on its own references, however many aliases read it', () => {
    const p = parseCode(`function f(src: any, moved: any, other: any) {
      const a = src.fh; const b = src.gh; a.close(); b.close();
      const c = moved.fh; moved = other; const d = moved.gh; c.close(); d.close();
      const e = src.kh; e.close();
    }`);
    const own = (name: string): string => `${name}@${nthIndex(p.code, `const ${name} =`, 0) + 'const '.length}`;
    const src = `src@${nthIndex(p.code, 'src:', 0)}`;
    expect(keyAt(p, 'a.close')).toBe(`${src}.fh.close`);
    expect(keyAt(p, 'b.close')).toBe(`${src}.gh.close`);
    expect(keyAt(p, 'e.close')).toBe(`${src}.kh.close`);
    // \`moved\` is written again: its copies keep their own keys, before and after the write.
    expect(keyAt(p, 'c.close')).toBe(`${own('c')}.close`);
    expect(keyAt(p, 'd.close')).toBe(`${own('d')}.close`);
  });

  it('follows no alias when asked not to', () => {
    const p = parseCode('class C { m() { const h = this.fh; h.close(); } }');
    expect(keyAt(p, 'h.close', 0, false)).toBe(`h@${p.code.indexOf('h =')}.close`);
  });

  it('stops after a few aliases deep', () => {
    const p = parseCode('class C { m() { const a = this.x; const b = a; const c = b; const d = c; const e = d; const f = e; f.y; } }');
    expect(keyAt(p, 'f.y')).toMatch(/^[a-f]@\d+\.y$/);
    const q = parseCode('class C { m() { const a = this.x; const b = a; const c = b; const d = c; d.y; } }');
    expect(keyAt(q, 'd.y')).toBe('this.x.y');
  });
});

describe('References.writtenKeys and aliasOf', () => {
  it('lists the variables and member targets a pattern writes, never through the alias of a declared name', () => {
    const p = parseCode('class C { m() { const h = this.fh; const { a, b: [c, ...d] = [] } = x; [this.e, h.f] = y; } }');
    const declarator = nodesOf(p, 'h = this.fh')[0] as TSESTree.VariableDeclarator;
    expect(p.refs.writtenKeys(declarator.id)).toEqual([`h@${p.code.indexOf('h =')}`]);
    const pattern = nodesOf(p, '{ a, b: [c, ...d] = [] }')[0]!;
    expect(p.refs.writtenKeys(pattern).map(key => key.replace(/@\d+$/, ''))).toEqual(['a', 'c', 'd']);
    const assigned = nodesOf(p, '[this.e, h.f]')[0]!;
    expect(p.refs.writtenKeys(assigned)).toEqual(['this.e', 'this.fh.f']);
  });

  it('writtenTargets: the leaves of patterns and declarations, without wrappers', () => {
    const p = parseCode('let a, b, c; [a, { b = 1, ...c }] = x; (this.e as any) = y; for (const [f, g] of z) {}');
    const texts = (node: TSESTree.Node): string[] => writtenTargets(node).map(target => p.code.slice(...target.range));
    expect(texts(nodesOf(p, '[a, { b = 1, ...c }]')[0]!)).toEqual(['a', 'b', 'c']);
    expect(texts(nodesOf(p, 'this.e as any')[0]!)).toEqual(['this.e']);
    expect(texts(nodesOf(p, 'const [f, g]')[0]!)).toEqual(['f', 'g']);
  });

  it('gives the source of an alias, and nothing for a parameter', () => {
    const p = parseCode('function f(param: any) { const { fh } = param; }');
    const fh = nodesOf(p, 'fh').find(node => node.type === AST_NODE_TYPES.Identifier) as TSESTree.Identifier;
    const alias = p.refs.aliasOf(p.refs.variableOf(fh)!);
    expect(alias?.property).toBe('fh');
    expect(p.code.slice(...alias!.source.range)).toBe('param');
    const param = nodesOf(p, 'param').find(node => node.type === AST_NODE_TYPES.Identifier) as TSESTree.Identifier;
    expect(p.refs.aliasOf(p.refs.variableOf(param)!)).toBeUndefined();
  });
});

describe('key helpers', () => {
  it('rootOfKey, isThisMemberKey, memberKey', () => {
    expect(rootOfKey('fh@12.stream.fd')).toBe('fh@12');
    expect(rootOfKey('this["a.b"]')).toBe('this');
    expect(rootOfKey('this')).toBe('this');
    expect(isThisMemberKey('this.fh')).toBe(true);
    expect(isThisMemberKey('this[Symbol.dispose]')).toBe(true);
    expect(isThisMemberKey('this')).toBe(false);
    expect(isThisMemberKey('thisFh@3.x')).toBe(false);
    expect(isWithinKey('this.fh.fd', 'this.fh')).toBe(true);
    expect(isWithinKey('this.fh["a b"]', 'this.fh')).toBe(true);
    expect(isWithinKey('this.fhx', 'this.fh')).toBe(false);
    expect(memberKey('this', '#fh')).toBe('this.#fh');
    expect(memberKey('this', '[Symbol.asyncDispose]')).toBe('this[Symbol.asyncDispose]');
    expect(memberKey('this', 'has space')).toBe('this["has space"]');
  });

  it('referencesOf keeps one service per source code', () => {
    const source = {
      getScope: (): never => {
        throw new Error('unused');
      },
    };
    expect(referencesOf(source)).toBe(referencesOf(source));
    expect(referencesOf(source)).not.toBe(referencesOf({ ...source }));
  });
});

describe('model/util', () => {
  it('thisClassOf: methods, field initializers and arrows in them; not static members, plain functions or computed keys', () => {
    const p = parseCode(`class C {
      m() { a1; const f = () => a2; function g() { a3; } }
      field = a4;
      static s = a5;
      static sm() { a6; }
      [a7] = 1;
    }
    a8;`);
    const cls = p.nodes.find(node => node.type === AST_NODE_TYPES.ClassDeclaration);
    const classOf = (text: string): unknown => thisClassOf(nodesOf(p, text)[0]!);
    expect(classOf('a1')).toBe(cls);
    expect(classOf('a2')).toBe(cls);
    expect(classOf('a3')).toBeUndefined();
    expect(classOf('a4')).toBe(cls);
    expect(classOf('a5')).toBeUndefined();
    expect(classOf('a6')).toBeUndefined();
    expect(classOf('a7')).toBeUndefined();
    expect(classOf('a8')).toBeUndefined();
    const method = p.nodes.find(node => node.type === AST_NODE_TYPES.FunctionExpression)!;
    expect(thisClassOf(method)).toBe(cls);
  });

  it('enclosingFunction: a function, a static block, a field initializer, else the program', () => {
    const p = parseCode('function f() { a1; } class C { x = a2; static { a3; } } a4;');
    expect(enclosingFunction(nodesOf(p, 'a1')[0]!).type).toBe(AST_NODE_TYPES.FunctionDeclaration);
    expect(p.code.slice(...enclosingFunction(nodesOf(p, 'a2')[0]!).range)).toBe('a2');
    expect(enclosingFunction(nodesOf(p, 'a3')[0]!).type).toBe(AST_NODE_TYPES.StaticBlock);
    expect(enclosingFunction(nodesOf(p, 'a4')[0]!).type).toBe(AST_NODE_TYPES.Program);
  });

  it('asFunction and contains', () => {
    const p = parseCode('a; b;');
    const program = p.nodes[0] as TSESTree.Program;
    const fn = asFunction(program);
    expect(fn.type).toBe(AST_NODE_TYPES.ArrowFunctionExpression);
    expect((fn.body as TSESTree.BlockStatement).body).toBe(program.body);
    expect(contains(program, nodesOf(p, 'b')[0]!)).toBe(true);
    expect(contains(nodesOf(p, 'a')[0]!, nodesOf(p, 'b')[0]!)).toBe(false);
  });
});

function nthIndex(text: string, search: string, index: number): number {
  let at = -1;
  for (let i = 0; i <= index; i++) at = text.indexOf(search, at + 1);
  return at;
}
