import { parseForESLint } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { linkParents, sourceCodeOf } from './parse.js';
import {
  assume,
  ConditionKeys,
  contradicts,
  meetFacts,
  NO_FACTS,
  sameFacts,
  withoutChanged,
  type ConditionTest,
} from '../../src/model/conditions.js';
import { walk } from '../../src/util/ast.js';

/**
 * The condition keys of the function `f` in `code` (no types needed: conditions are syntax and
 * scopes), and its labeled statements by label: the test of `a1: if (state?.items?.length) {}`,
 * the expression of `w1: state.items = [];`. With `twice`, the body of `f` (between its first
 * line and its last) is repeated without labels, so that every condition in it is tested twice.
 */
function conditionsOf(source: string, twice = true): { keys: ConditionKeys; at: (label: string) => TSESTree.Node } {
  const lines = source.trim().split('\n');
  const body = lines.slice(1, -1);
  const code = twice ? [lines[0], ...body, ...body.map(line => line.replace(/^(\s*)[a-z]\w*: /, '$1')), lines.at(-1)].join('\n') : source;
  const parsed = parseForESLint(code, { range: true, loc: true, tokens: true, comment: true });
  const program = parsed.ast as unknown as TSESTree.Program;
  linkParents(program, parsed.visitorKeys);
  const labeled = new Map<string, TSESTree.Node>();
  let fn: TSESTree.FunctionDeclaration | undefined;
  walk(program, parsed.visitorKeys, node => {
    if (node.type === AST_NODE_TYPES.FunctionDeclaration && node.id?.name === 'f') fn = node;
    if (node.type !== AST_NODE_TYPES.LabeledStatement) return;
    if (node.body.type === AST_NODE_TYPES.ExpressionStatement) labeled.set(node.label.name, node.body.expression);
    if (node.body.type === AST_NODE_TYPES.IfStatement) labeled.set(node.label.name, node.body.test);
  });
  if (!fn) throw new Error('no function f');
  const sourceCode = sourceCodeOf(code, parsed);
  return {
    keys: new ConditionKeys(sourceCode as unknown as Readonly<TSESLint.SourceCode>, fn, parsed.visitorKeys),
    at: label => {
      const node = labeled.get(label);
      if (!node) throw new Error(`no statement labeled ${label}`);
      return node;
    },
  };
}

function testAt(keys: ConditionKeys, node: TSESTree.Node): ConditionTest {
  const test = keys.of(node);
  if (!test) throw new Error('not a condition');
  return test;
}

describe('ConditionKeys.of: the same condition', () => {
  const { keys, at } = conditionsOf(`
    function f(state: { items?: number[] } | undefined, x: number | undefined, mode: string, list: number[], i: number, keep: boolean) {
      a1: if (state?.items?.length) {}
      a2: if (state!.items!.length) {}
      a3: if (state?.items?.['length']) {}
      b1: if (x === undefined) {}
      b2: if (undefined !== x) {}
      b3: if (x === null) {}
      c1: if (x == null) {}
      c2: if (x != undefined) {}
      d1: if (mode === 'keep') {}
      d2: if (mode === \`keep\`) {}
      d3: if (x === 1n) {}
      e1: if (list[0]) {}
      e2: if (list['0']) {}
      f1: if (list.length > 0) {}
      f2: if (0 < list.length) {}
      g1: if (list[i]) {}
      g2: if (list.at(0)) {}
      g3: if (globalThis.closed) {}
      g4: if (x + 1) {}
      h1: if (keep) {}
      for (const keep of [true]) {
        h2: if (keep) {}
        if (!keep) {}
      }
      i1: if (this.options.keep) {}
      i2: if (this?.options?.keep) {}
    }
  `);
  const id = (label: string): string | undefined => keys.of(at(label))?.condition.id;

  it('names a member chain the same with ?., . and a literal key, and through non-null assertions', () => {
    expect(id('a1')).toBeDefined();
    expect(id('a2')).toBe(id('a1'));
    expect(id('a3')).toBe(id('a1'));
    expect(id('i2')).toBe(id('i1'));
    expect(id('e2')).toBe(id('e1'));
  });

  it('reads !== and != as the negations of === and ==, with the constant on either side', () => {
    expect(id('b2')).toBe(id('b1'));
    expect(testAt(keys, at('b1')).negated).toBe(false);
    expect(testAt(keys, at('b2')).negated).toBe(true);
    expect(id('b3')).not.toBe(id('b1'));
    expect(id('c2')).toBe(id('c1'));
    expect(testAt(keys, at('c2')).negated).toBe(true);
    expect(id('d2')).toBe(id('d1'));
    expect(id('d3')).toBeDefined();
    expect(id('d3')).not.toBe(id('b3'));
  });

  it('keeps a relational comparison as written, and leaves out what may differ between two reads', () => {
    expect(id('f1')).toBeDefined();
    expect(id('f2')).toBeUndefined();
    expect(id('g1')).toBeUndefined();
    expect(id('g2')).toBeUndefined();
    expect(id('g3')).toBeUndefined();
    expect(id('g4')).toBeUndefined();
  });

  it('keeps only conditions the function tests more than once', () => {
    const once = conditionsOf(
      `
      function f(keep: boolean, other: boolean) {
        a: if (keep) {}
        b: if (other) {}
        c: if (!keep) {}
      }
      `,
      false,
    );
    expect(once.keys.of(once.at('a'))).toBeDefined();
    expect(once.keys.of(once.at('b'))).toBeUndefined();
  });

  it('tells variables apart by declaration', () => {
    expect(id('h1')).toBeDefined();
    expect(id('h2')).toBeDefined();
    expect(id('h2')).not.toBe(id('h1'));
  });
});

describe('ConditionKeys.changedBy: what may change a condition in between', () => {
  const { keys, at } = conditionsOf(`
    async function f(state: { items: number[]; other: number; reset(): void }, list: number[], k: string, keep: boolean, log: (v: unknown) => void) {
      let done = false;
      const stop = () => { done = true; };
      t1: if (state.items.length) {}
      t2: if (state.items) {}
      t3: if (state) {}
      t4: if (state.other) {}
      t5: if (list.length) {}
      t6: if (done) {}
      t7: if (keep) {}
      w1: state.items = [];
      w2: state[k] = 1;
      w3: list[3] = 1;
      w4: keep = false;
      w5: state.items.length++;
      m1: state.items.push(1);
      m2: log(state);
      m3: state.reset();
      m4: log(state.items.length);
      m5: log(keep);
      s1: await log;
      s2: stop();
    }
  `);
  const changes = (node: string, condition: string): boolean => keys.changedBy(at(node))?.(testAt(keys, at(condition)).condition) ?? false;

  it('an assignment changes the chain it writes and every chain through it', () => {
    expect(changes('w1', 't1')).toBe(true);
    expect(changes('w1', 't2')).toBe(true);
    expect(changes('w1', 't3')).toBe(false);
    expect(changes('w1', 't4')).toBe(false);
    expect(changes('w4', 't7')).toBe(true);
    expect(changes('w5', 't1')).toBe(true);
  });

  it('a computed member write changes what follows its object (an index write changes length)', () => {
    expect(changes('w2', 't1')).toBe(true);
    expect(changes('w2', 't4')).toBe(true);
    expect(changes('w2', 't3')).toBe(false);
    expect(changes('w3', 't5')).toBe(true);
  });

  it('a method call on a link, or a call given a link, changes what follows that link, never the link itself', () => {
    expect(changes('m1', 't1')).toBe(true);
    expect(changes('m1', 't2')).toBe(false);
    expect(changes('m1', 't4')).toBe(false);
    expect(changes('m2', 't1')).toBe(true);
    expect(changes('m2', 't3')).toBe(false);
    expect(changes('m3', 't4')).toBe(true);
    expect(changes('m4', 't1')).toBe(false);
    expect(changes('m5', 't7')).toBe(false);
  });

  it('a variable another function assigns may change at any call or await; others do not', () => {
    expect(changes('s1', 't6')).toBe(true);
    expect(changes('s2', 't6')).toBe(true);
    expect(changes('m5', 't6')).toBe(true);
    expect(changes('s1', 't7')).toBe(false);
    expect(changes('s2', 't1')).toBe(false);
  });
});

describe('facts', () => {
  const { keys, at } = conditionsOf(`
    function f(x: number | undefined, keep: boolean) {
      a: if (x === undefined) {}
      b: if (x !== undefined) {}
      c: if (keep) {}
    }
  `);
  const a = testAt(keys, at('a'));
  const b = testAt(keys, at('b'));
  const c = testAt(keys, at('c'));

  it('a test that passed contradicts the negated test passing', () => {
    const facts = assume(NO_FACTS, a, true);
    expect(contradicts(facts, b, true)).toBe(true);
    expect(contradicts(facts, b, false)).toBe(false);
    expect(contradicts(facts, a, false)).toBe(true);
    expect(contradicts(facts, c, true)).toBe(false);
  });

  it('two paths keep what they agree on', () => {
    const left = assume(assume(NO_FACTS, a, true), c, true);
    const right = assume(assume(NO_FACTS, b, false), c, false);
    const met = meetFacts(left, right);
    expect(sameFacts(met, assume(NO_FACTS, a, true))).toBe(true);
  });

  it('a change drops the facts it touches', () => {
    const facts = assume(assume(NO_FACTS, a, true), c, true);
    const dropped = withoutChanged(facts, condition => condition.id === c.condition.id);
    expect(sameFacts(dropped, assume(NO_FACTS, a, true))).toBe(true);
  });
});

describe('ConditionKeys.liveAfter: facts a later test can still use', () => {
  const { keys, at } = conditionsOf(
    `
    function f(x: number | undefined, keep: boolean, rows: number[]) {
      a: if (x === undefined) {}
      k: if (keep) {}
      for (const row of rows) {
        l1: if (row > 0 && keep) {}
      }
      b: if (x !== undefined) {}
      m1: use(1);
      last: if (x === 3) {}
      m2: use(2);
      l2: if (keep) {}
    }
  `,
    false,
  );
  const a = testAt(keys, at('a'));
  const k = testAt(keys, at('k'));
  const facts = assume(assume(NO_FACTS, a, true), k, true);

  it('keeps the facts of conditions tested again later', () => {
    expect(keys.liveAfter(facts, at('a').range[1])).toBe(facts);
  });

  it('drops the fact of a condition whose last test is behind, and keeps one tested in a loop', () => {
    // x is last tested at \`b\` (x === 3 is another condition); keep is tested in a loop.
    const afterB = keys.liveAfter(facts, at('m1').range[0]);
    expect(sameFacts(afterB, assume(NO_FACTS, k, true))).toBe(true);
    expect(keys.liveAfter(assume(NO_FACTS, a, true), at('m2').range[0])).toBe(NO_FACTS);
  });
});
