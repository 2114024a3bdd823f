// A `try` whose `finally` closes what it returns (or resolves): the close that runs on every way
// out, and the close statement itself (shared with the suggestion that moves it).

import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { memberNameOf } from '../../model/index.js';
import { isFunction, isNullish, outerWrapper, skipWrappers, some, type FunctionNode, type VisitorKeys } from '../../util/ast.js';
import { type Close } from './analysis.js';
import { type Key, type OwnerKeys } from './keys.js';

export const ABRUPT = new Set<string>([
  AST_NODE_TYPES.ReturnStatement,
  AST_NODE_TYPES.ThrowStatement,
  AST_NODE_TYPES.BreakStatement,
  AST_NODE_TYPES.ContinueStatement,
]);

/** The `resolve` parameter of a `new Promise((resolve, reject) => …)` executor. */
export function resolveParameter(node: FunctionNode | TSESTree.Program): TSESTree.Identifier | undefined {
  const parent = node.type === AST_NODE_TYPES.Program ? undefined : node.parent;
  if (parent?.type !== AST_NODE_TYPES.NewExpression || parent.arguments[0] !== node) return undefined;
  const callee = parent.callee;
  const first = node.params[0];
  return callee.type === AST_NODE_TYPES.Identifier && callee.name === 'Promise' && first?.type === AST_NODE_TYPES.Identifier
    ? first
    : undefined;
}

/** Whether the call's callee is the `resolve` parameter of an executor (not another variable of that name). */
export function isResolveCall(sourceCode: Readonly<TSESLint.SourceCode>, call: TSESTree.CallExpression): boolean {
  const callee = call.callee as TSESTree.Identifier;
  const definition = ASTUtils.findVariable(sourceCode.getScope(callee), callee.name)?.defs[0];
  return (
    definition?.type === TSESLint.Scope.DefinitionType.Parameter &&
    isFunction(definition.node) &&
    resolveParameter(definition.node) === definition.name
  );
}

/**
 * The close of the owner that a `finally` runs on every way out of a `try` the hand-off is in
 * (in its block or its `catch`, in this function): a close statement of the `finally` block, or
 * of a nested block or `try` block in it, or under a test that the owner is there (`if (fh)`,
 * `if (fh !== undefined)`), with nothing before it that may leave the `finally` or give the
 * owner another value. A close under any other test (`if (failed)`) is not on every way out.
 */
export function closeOnTheWayOut(
  handOff: TSESTree.Node,
  key: Key,
  keys: OwnerKeys,
  closesByKey: ReadonlyMap<Key, readonly TSESTree.CallExpression[]>,
  fn: FunctionNode | TSESTree.Program,
  visitorKeys: VisitorKeys,
): TSESTree.CallExpression | undefined {
  const calls = closesByKey.get(key);
  if (!calls) return undefined;
  for (let child: TSESTree.Node = handOff; child.parent && child !== fn && !isFunction(child); child = child.parent) {
    const parent = child.parent;
    if (parent.type !== AST_NODE_TYPES.TryStatement || !parent.finalizer || child === parent.finalizer) continue;
    for (const call of calls) {
      if (runsOnEveryPass(call, parent.finalizer, key, keys, visitorKeys)) return call;
    }
  }
  return undefined;
}

/**
 * The close calls of each owner, in source order: a function of n hand-offs and n closes (each
 * `try` returning its own handle) looked at every close for every hand-off.
 */
export function closesByKey(closes: ReadonlyMap<TSESTree.CallExpression, Close>): Map<Key, TSESTree.CallExpression[]> {
  const byKey = new Map<Key, TSESTree.CallExpression[]>();
  for (const [call, { key }] of closes) {
    const calls = byKey.get(key);
    if (calls) calls.push(call);
    else byKey.set(key, [call]);
  }
  return byKey;
}

function runsOnEveryPass(
  call: TSESTree.CallExpression,
  finalizer: TSESTree.BlockStatement,
  key: Key,
  keys: OwnerKeys,
  visitorKeys: VisitorKeys,
): boolean {
  if (call.range[0] < finalizer.range[0] || call.range[1] > finalizer.range[1]) return false;
  let node: TSESTree.Node | undefined = closeStatement(call, true);
  for (; node && node !== finalizer; node = node.parent) {
    const parent: TSESTree.Node | undefined = node.parent;
    if (parent?.type === AST_NODE_TYPES.BlockStatement) {
      const before = parent.body.slice(0, parent.body.indexOf(node as TSESTree.Statement));
      if (before.some(statement => mayLeaveOrReassign(statement, key, keys, visitorKeys))) return false;
    } else if (parent?.type === AST_NODE_TYPES.IfStatement) {
      if (parent.consequent !== node || !testsPresence(parent.test, key, keys)) return false;
    } else if (parent?.type !== AST_NODE_TYPES.TryStatement || parent.block !== node) {
      return false;
    }
  }
  return node === finalizer;
}

/** Whether a statement before the close in a `finally` may leave it (`return`, `throw`, …) or give the owner a new value. */
function mayLeaveOrReassign(statement: TSESTree.Node, key: Key, keys: OwnerKeys, visitorKeys: VisitorKeys): boolean {
  return some(
    statement,
    visitorKeys,
    node => ABRUPT.has(node.type) || (node.type === AST_NODE_TYPES.AssignmentExpression && keys.written(node.left).includes(key)),
    { skip: node => isFunction(node) || node.type === AST_NODE_TYPES.ClassBody },
  );
}

/** `fh`, `fh != null`, `fh !== undefined`, `null !== fh`: the owner is there. */
function testsPresence(test: TSESTree.Node, key: Key, keys: OwnerKeys): boolean {
  const expression = skipWrappers(test);
  if (expression.type !== AST_NODE_TYPES.BinaryExpression) return keys.of(expression) === key;
  if (expression.operator !== '!==' && expression.operator !== '!=') return false;
  const { left, right } = expression;
  return (keys.of(left) === key && isNullish(right, { loose: true })) || (isNullish(left, { loose: true }) && keys.of(right) === key);
}

/**
 * The close's expression statement (`x.close();`, `await x.close();`, `void x.close();`), when it
 * is one; with `caught`, also `await x.close().catch(…);`.
 */
export function closeStatement(close: TSESTree.CallExpression, caught = false): TSESTree.ExpressionStatement | undefined {
  let node: TSESTree.Node = outerWrapper(close);
  while (
    node.parent &&
    (node.parent.type === AST_NODE_TYPES.AwaitExpression ||
      (node.parent.type === AST_NODE_TYPES.UnaryExpression && node.parent.operator === 'void') ||
      (caught && isCatchCall(node)))
  ) {
    node = outerWrapper(node.parent.type === AST_NODE_TYPES.MemberExpression ? node.parent.parent : node.parent);
  }
  return node.parent?.type === AST_NODE_TYPES.ExpressionStatement ? node.parent : undefined;
}

/** Whether the node is the receiver of a `.catch(…)` call. */
function isCatchCall(node: TSESTree.Node): boolean {
  const member = node.parent;
  return (
    member?.type === AST_NODE_TYPES.MemberExpression &&
    member.object === node &&
    member.parent.type === AST_NODE_TYPES.CallExpression &&
    member.parent.callee === member &&
    memberNameOf(member) === 'catch'
  );
}
