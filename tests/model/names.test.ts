import { parse } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { calleeName } from '../../src/model/names.js';

/** The callee of the expression statement `code` (a call or `new`). */
function callee(code: string): TSESTree.Node {
  const statement = parse(code).body[0];
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement) throw new Error(`not an expression statement: ${code}`);
  const call = statement.expression;
  if (call.type !== AST_NODE_TYPES.CallExpression && call.type !== AST_NODE_TYPES.NewExpression) throw new Error(`not a call: ${code}`);
  return call.callee;
}

describe('calleeName', () => {
  it.each([
    ['f()', 'f'],
    ['a.b.clearTimeout(t)', 'clearTimeout'],
    ['(a as any).close()', 'close'],
    ['a!.close()', 'close'],
    ["a['close']()", 'close'],
    ['this.#shutdown()', '#shutdown'],
    ['new Worker(file)', 'Worker'],
  ])('names the callee of %s', (code, name) => {
    expect(calleeName(callee(code))).toBe(name);
  });

  it.each([['a[key]()'], ['(() => 1)()'], ['make()()']])('has no name for the callee of %s', code => {
    expect(calleeName(callee(code))).toBeUndefined();
  });
});
