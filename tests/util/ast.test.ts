import { parse } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { describe, expect, it } from 'vitest';
import {
  childContaining,
  childNodes,
  comparedOperands,
  indentOf,
  inStatementList,
  isClass,
  isFunction,
  isInlineFunction,
  isNullish,
  isSuspension,
  isWrapper,
  isWriteTarget,
  lineBreakOf,
  linesBefore,
  outerWrapper,
  skipWrappers,
  some,
  statementList,
  statementRemovalRange,
  walk,
} from '../../src/util/ast.js';

// ------------------------------------------------------------------------------------------
// Helpers

interface Parsed {
  readonly program: TSESTree.Program;
  readonly code: string;
  /** Every node of the program, in source order. */
  readonly nodes: readonly TSESTree.Node[];
}

/** Parses `code` (as ESLint would hand it to a rule: ranges, locations and `parent` links). */
function parseCode(code: string): Parsed {
  const program = parse(code, { range: true, loc: true }) as unknown as TSESTree.Program;
  const nodes: TSESTree.Node[] = [];
  const link = (node: TSESTree.Node, parent: TSESTree.Node | undefined): void => {
    (node as { parent?: TSESTree.Node }).parent = parent;
    nodes.push(node);
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
        if (item && typeof item === 'object' && 'type' in item) link(item as TSESTree.Node, node);
      }
    }
  };
  link(program, undefined);
  return { program, code, nodes };
}

/** The first node whose source text is `text` (and, when given, whose type is `type`). */
function nodeOf(parsed: Parsed, text: string, type?: AST_NODE_TYPES): TSESTree.Node {
  const found = parsed.nodes.find(
    node => parsed.code.slice(node.range[0], node.range[1]) === text && (type === undefined || node.type === type),
  );
  if (!found) throw new Error(`no node \`${text}\``);
  return found;
}

/** The source texts of nodes, for readable expectations. */
function texts(parsed: Parsed, nodes: readonly TSESTree.Node[]): string[] {
  return nodes.map(node => parsed.code.slice(node.range[0], node.range[1]));
}

// ------------------------------------------------------------------------------------------

describe('childNodes', () => {
  it('lists the children in source order, arrays flattened and holes left out', () => {
    const parsed = parseCode('f(a, b, ...c); const [, x] = y;');
    expect(texts(parsed, childNodes(nodeOf(parsed, 'f(a, b, ...c)'), visitorKeys))).toEqual(['f', 'a', 'b', '...c']);
    expect(texts(parsed, childNodes(nodeOf(parsed, '[, x]'), visitorKeys))).toEqual(['x']);
  });

  it('leaves type annotations, type arguments and return types out with skipTypes', () => {
    const parsed = parseCode('function f<T>(a: T): T { return g<T>(a); }');
    const fn = parsed.program.body[0]!;
    expect(childNodes(fn, visitorKeys).map(node => node.type)).toContain(AST_NODE_TYPES.TSTypeParameterDeclaration);
    expect(texts(parsed, childNodes(fn, visitorKeys, { skipTypes: true }))).toEqual(['f', 'a: T', '{ return g<T>(a); }']);
    const call = nodeOf(parsed, 'g<T>(a)');
    expect(texts(parsed, childNodes(call, visitorKeys, { skipTypes: true }))).toEqual(['g', 'a']);
  });
});

describe('walk and some', () => {
  it('visit every node in source order, parents first', () => {
    const parsed = parseCode('a(b, c.d);');
    const seen: TSESTree.Node[] = [];
    walk(parsed.program.body[0]!, visitorKeys, node => seen.push(node));
    expect(texts(parsed, seen)).toEqual(['a(b, c.d);', 'a(b, c.d)', 'a', 'b', 'c.d', 'c', 'd']);
  });

  it('skip leaves whole subtrees out, the root included', () => {
    const parsed = parseCode('x(() => y, function () { z; }, class { w = 1; }, v);');
    const identifiers: TSESTree.Node[] = [];
    const collect = (node: TSESTree.Node): void => {
      if (node.type === AST_NODE_TYPES.Identifier) identifiers.push(node);
    };
    walk(parsed.program, visitorKeys, collect, { skip: node => isFunction(node) || isClass(node) });
    expect(texts(parsed, identifiers)).toEqual(['x', 'v']);
    const arrow = nodeOf(parsed, '() => y');
    expect(some(arrow, visitorKeys, () => true, { skip: isFunction })).toBe(false);
  });

  it('some stops at the first match', () => {
    const parsed = parseCode('a; b; c;');
    const asked: string[] = [];
    const found = some(parsed.program, visitorKeys, node => {
      if (node.type !== AST_NODE_TYPES.Identifier) return false;
      asked.push(node.name);
      return node.name === 'b';
    });
    expect(found).toBe(true);
    expect(asked).toEqual(['a', 'b']);
    expect(some(parsed.program, visitorKeys, node => node.type === AST_NODE_TYPES.AwaitExpression)).toBe(false);
  });
});

describe('function and class kinds', () => {
  it('isFunction, isInlineFunction and isClass', () => {
    const parsed = parseCode('function f() {} const g = function () {}; const h = () => 1; class C { m() {} } const D = class {};');
    const declaration = parsed.program.body[0]!;
    const expression = nodeOf(parsed, 'function () {}');
    const arrow = nodeOf(parsed, '() => 1');
    expect([declaration, expression, arrow].map(isFunction)).toEqual([true, true, true]);
    expect([declaration, expression, arrow].map(isInlineFunction)).toEqual([false, true, true]);
    expect(isFunction(nodeOf(parsed, 'class C { m() {} }'))).toBe(false);
    expect(isClass(nodeOf(parsed, 'class C { m() {} }'))).toBe(true);
    expect(isClass(nodeOf(parsed, 'class {}'))).toBe(true);
    expect(isClass(nodeOf(parsed, 'm() {}'))).toBe(false);
  });
});

describe('wrappers', () => {
  it('isWrapper knows as, <T>, satisfies, ! and optional chains, not await or parentheses', () => {
    const parsed = parseCode('a as T; <T>b; c satisfies T; d!; e?.f; await g; (h);');
    for (const text of ['a as T', '<T>b', 'c satisfies T', 'd!', 'e?.f']) {
      const statement = nodeOf(parsed, `${text};`) as TSESTree.ExpressionStatement;
      expect(isWrapper(statement.expression), text).toBe(true);
    }
    expect(isWrapper(nodeOf(parsed, 'await g'))).toBe(false);
    expect(nodeOf(parsed, '(h);').type).toBe(AST_NODE_TYPES.ExpressionStatement);
    expect((nodeOf(parsed, '(h);') as TSESTree.ExpressionStatement).expression.type).toBe(AST_NODE_TYPES.Identifier);
  });

  it('skipWrappers goes down through nested wrappers; outerWrapper goes back up', () => {
    const parsed = parseCode('const v = ((x as unknown) satisfies unknown)!;');
    const init = (nodeOf(parsed, 'v = ((x as unknown) satisfies unknown)!') as TSESTree.VariableDeclarator).init;
    if (!init) throw new Error('no initializer');
    const x = nodeOf(parsed, 'x', AST_NODE_TYPES.Identifier);
    expect(skipWrappers(init)).toBe(x);
    expect(outerWrapper(x)).toBe(init);
    expect(outerWrapper(init)).toBe(init);
    expect(skipWrappers(x)).toBe(x);
  });
});

describe('isWriteTarget', () => {
  it('assignment targets, ++/-- and delete, through wrappers', () => {
    const parsed = parseCode('a.b = 1; c.d += 1; e.f++; --g.h; delete i.j; (k.l as number) = 2; m.n!.o = 3; p.q;');
    for (const text of ['a.b', 'c.d', 'e.f', 'g.h', 'i.j', 'k.l']) expect(isWriteTarget(nodeOf(parsed, text)), text).toBe(true);
    expect(isWriteTarget(nodeOf(parsed, 'm.n'))).toBe(false);
    expect(isWriteTarget(nodeOf(parsed, 'p.q'))).toBe(false);
  });

  it('destructuring targets and for…of heads only with destructuring', () => {
    const parsed = parseCode('[a.b] = xs; ({ k: c.d } = o); [...e.f] = xs; for (g.h of xs); [i.j = 1] = xs; x = y.z;');
    for (const text of ['a.b', 'c.d', 'e.f', 'g.h', 'i.j']) {
      expect(isWriteTarget(nodeOf(parsed, text)), text).toBe(false);
      expect(isWriteTarget(nodeOf(parsed, text), { destructuring: true }), text).toBe(true);
    }
    expect(isWriteTarget(nodeOf(parsed, 'y.z'), { destructuring: true })).toBe(false);
  });
});

describe('isNullish', () => {
  it('null and undefined written out', () => {
    const parsed = parseCode('null; undefined; 0; "null"; void 0; undefined!; x;');
    const expressions = parsed.program.body.map(statement => (statement as TSESTree.ExpressionStatement).expression);
    expect(expressions.map(node => isNullish(node))).toEqual([true, true, false, false, false, false, false]);
  });

  it('loose also looks through wrappers and counts void', () => {
    const parsed = parseCode('null; undefined; 0; "null"; void 0; undefined!; (null as never); x;');
    const expressions = parsed.program.body.map(statement => (statement as TSESTree.ExpressionStatement).expression);
    expect(expressions.map(node => isNullish(node, { loose: true }))).toEqual([true, true, false, false, true, true, true, false]);
  });
});

describe('isSuspension', () => {
  it('await, yield and the head of a for await loop', () => {
    const parsed = parseCode('async function* f() { await a; yield b; for await (const c of d) {} for (const e of g) {} }');
    expect(isSuspension(nodeOf(parsed, 'await a'))).toBe(true);
    expect(isSuspension(nodeOf(parsed, 'yield b'))).toBe(true);
    expect(isSuspension(nodeOf(parsed, 'const c'))).toBe(true);
    expect(isSuspension(nodeOf(parsed, 'const e'))).toBe(false);
    expect(isSuspension(nodeOf(parsed, 'd'))).toBe(false);
    expect(isSuspension(nodeOf(parsed, 'a'))).toBe(false);
  });
});

describe('statement lists', () => {
  it('statementList of blocks, static blocks, the program and switch cases', () => {
    const parsed = parseCode('a; { b; } class C { static { c; } } switch (x) { case 1: d; }  if (y) e;');
    expect(texts(parsed, statementList(parsed.program) ?? []).length).toBe(5);
    expect(texts(parsed, statementList(nodeOf(parsed, '{ b; }')) ?? [])).toEqual(['b;']);
    expect(texts(parsed, statementList(nodeOf(parsed, 'static { c; }')) ?? [])).toEqual(['c;']);
    expect(texts(parsed, statementList(nodeOf(parsed, 'case 1: d;')) ?? [])).toEqual(['d;']);
    expect(statementList(nodeOf(parsed, 'if (y) e;'))).toBeUndefined();
  });

  it('inStatementList: an entry of such a list, not a loose statement or a switch test', () => {
    const parsed = parseCode('a; { b; } switch (x) { case t: d; } if (y) e; for (;;) f;');
    expect(inStatementList(nodeOf(parsed, 'a;'))).toBe(true);
    expect(inStatementList(nodeOf(parsed, 'b;'))).toBe(true);
    expect(inStatementList(nodeOf(parsed, 'd;'))).toBe(true);
    expect(inStatementList(nodeOf(parsed, 't'))).toBe(false);
    expect(inStatementList(nodeOf(parsed, 'e;'))).toBe(false);
    expect(inStatementList(nodeOf(parsed, 'f;'))).toBe(false);
    expect(inStatementList(parsed.program)).toBe(false);
  });

  it('childContaining: the direct child of an ancestor on the way to a node', () => {
    const parsed = parseCode('function f() { a; if (b) { c(d); } }');
    const body = nodeOf(parsed, '{ a; if (b) { c(d); } }');
    expect(texts(parsed, [childContaining(body, nodeOf(parsed, 'd'))!])).toEqual(['if (b) { c(d); }']);
    expect(childContaining(body, nodeOf(parsed, 'a;'))).toBe(nodeOf(parsed, 'a;'));
    expect(childContaining(body, body)).toBeUndefined();
    expect(childContaining(nodeOf(parsed, 'a;'), nodeOf(parsed, 'd'))).toBeUndefined();
  });
});

describe('indentOf', () => {
  it('the whitespace that starts the line a node starts on', () => {
    const code = 'if (x) {\n    a();\n\tb(); c();\n}';
    const parsed = parseCode(code);
    const sourceCode = { lines: code.split('\n') };
    expect(indentOf(sourceCode, nodeOf(parsed, 'a();'))).toBe('    ');
    expect(indentOf(sourceCode, nodeOf(parsed, 'c();'))).toBe('\t');
    expect(indentOf(sourceCode, parsed.program.body[0]!)).toBe('');
  });
});

describe('line breaks and statement edits', () => {
  const sourceOf = (code: string) => ({ text: code, lines: code.split(/\r?\n/) });

  it("lineBreakOf: the file's first line break", () => {
    expect(lineBreakOf(sourceOf('a();\r\nb();\n'))).toBe('\r\n');
    expect(lineBreakOf(sourceOf('a();\nb();\r\n'))).toBe('\n');
    expect(lineBreakOf(sourceOf('a();'))).toBe('\n');
  });

  it("linesBefore: lines of their own at the node's indentation, in the file's line break", () => {
    for (const lineBreak of ['\n', '\r\n']) {
      const code = ['if (x) {', '    a();', '}'].join(lineBreak);
      const parsed = parseCode(code);
      expect(linesBefore(sourceOf(code), nodeOf(parsed, 'a();'), ['b();', 'c();'])).toBe(`b();${lineBreak}    c();${lineBreak}    `);
    }
  });

  it('statementRemovalRange: whole lines, line break included, or the statement and the spaces after it', () => {
    for (const lineBreak of ['\n', '\r\n']) {
      const code = ['{', '  a();', '  b();  c();', '}'].join(lineBreak);
      const parsed = parseCode(code);
      const remove = (text: string): string => {
        const [from, to] = statementRemovalRange(sourceOf(code), nodeOf(parsed, text));
        return code.slice(0, from) + code.slice(to);
      };
      expect(remove('a();')).toBe(['{', '  b();  c();', '}'].join(lineBreak));
      expect(remove('b();')).toBe(['{', '  a();', '  c();', '}'].join(lineBreak));
    }
  });
});

describe('comparedOperands', () => {
  const truths = (code: string, outcome: boolean): Array<[string, boolean | undefined]> => {
    const parsed = parseCode(code);
    const test = parsed.nodes.find(node => node.type === AST_NODE_TYPES.BinaryExpression) as TSESTree.BinaryExpression;
    return comparedOperands(test, outcome).map(({ side, truth }) => [parsed.code.slice(side.range[0], side.range[1]), truth]);
  };

  it('says what an (in)equality with a boolean literal implies of each operand, on either side', () => {
    expect(truths('x.closed === true;', true)).toEqual([
      ['x.closed', true],
      ['true', undefined],
    ]);
    expect(truths('x.closed === true;', false)).toEqual([
      ['x.closed', false],
      ['true', undefined],
    ]);
    expect(truths('false != (x.closed);', true)).toEqual([
      ['false', undefined],
      ['x.closed', true],
    ]);
    expect(truths('x.closed !== false;', false)).toEqual([
      ['x.closed', false],
      ['false', undefined],
    ]);
  });

  it('implies nothing for other comparisons or other literals', () => {
    expect(truths('x.closed === null;', true)).toEqual([
      ['x.closed', undefined],
      ['null', undefined],
    ]);
    expect(truths('x.count > 0;', true)).toEqual([
      ['x.count', undefined],
      ['0', undefined],
    ]);
    expect(truths('a === b;', true)).toEqual([
      ['a', undefined],
      ['b', undefined],
    ]);
  });
});
