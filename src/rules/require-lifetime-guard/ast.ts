import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isBranchTest, isClass, isFunction, outerWrapper, skipWrappers, statementList, type FunctionNode } from '../../util/ast.js';
import { memberNameOf } from '../../model/index.js';

/**
 * Small syntax questions require-lifetime-guard asks: whether a value is only inspected, an
 * assertion, an awaited call, and where a node's class member and statement are.
 */

export const COMPARISONS = new Set(['===', '!==', '==', '!=', '<', '<=', '>', '>=']);
/** The class's own code: walks leave nested classes out. */
export const OWN_CODE = { skip: isClass } as const;

/**
 * Whether a value is only inspected, not used: a condition, an operand of `!`, a comparison,
 * `typeof`, `instanceof`, or the left side of `&&`.
 */
export function isInspected(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (isBranchTest(node)) return true;
  switch (parent.type) {
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === '!' || parent.operator === 'typeof' || parent.operator === 'void';
    case AST_NODE_TYPES.BinaryExpression:
      return COMPARISONS.has(parent.operator) || (parent.operator === 'instanceof' && parent.left === node);
    case AST_NODE_TYPES.LogicalExpression:
      return (parent.left === node && parent.operator === '&&') || isInspected(parent);
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.ChainExpression:
      return isInspected(parent);
    default:
      return false;
  }
}

/** `assert(x)`, `assert.ok(x)`, `invariant(x)`: the first argument holds afterwards. */
export function isAssertion(callee: TSESTree.Node): boolean {
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name === 'assert' || callee.name === 'invariant';
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    skipWrappers(callee.object).type === AST_NODE_TYPES.Identifier &&
    (skipWrappers(callee.object) as TSESTree.Identifier).name === 'assert' &&
    memberNameOf(callee) === 'ok'
  );
}

/** Whether the call's value is awaited right away (`await this.g()`, through wrappers). */
export function isAwaited(node: TSESTree.Node): boolean {
  return outerWrapper(node).parent?.type === AST_NODE_TYPES.AwaitExpression;
}

/** Whether a member chain (`this.child.stdin`) ends in a call of one of its members (`.write(…)`). */
export function isCalledThrough(node: TSESTree.Node): boolean {
  let current = node;
  for (
    let parent = current.parent;
    parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === current;
    parent = current.parent
  ) {
    current = outerWrapper(parent);
  }
  return current.parent?.type === AST_NODE_TYPES.CallExpression && current.parent.callee === current;
}

export function skipAwait(node: TSESTree.Node): TSESTree.Node {
  const expression = skipWrappers(node);
  return expression.type === AST_NODE_TYPES.AwaitExpression ? skipWrappers(expression.argument) : expression;
}

/** The class member (method, property, static block) a node sits in. */
export function ancestorMember(node: TSESTree.Node): TSESTree.ClassElement | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.parent?.type === AST_NODE_TYPES.ClassBody) return current as TSESTree.ClassElement;
  }
  return undefined;
}

/** The nearest statement holding the node, not leaving `fn` (nor any function, when `fn` is omitted). */
export function enclosingStatement(node: TSESTree.Node, fn?: FunctionNode): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = node; current && current !== fn; current = current.parent) {
    if (fn === undefined && isFunction(current) && current !== node) return undefined;
    if (current.parent && statementList(current.parent)?.includes(current)) return current;
    if (current.type.endsWith('Statement') || current.type === AST_NODE_TYPES.VariableDeclaration) return current;
  }
  return undefined;
}
